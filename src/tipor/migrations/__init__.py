"""Alembic migrations (shipped inside the package so `tipor db upgrade` works when installed)."""
