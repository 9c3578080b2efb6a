"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from tipor.accounts import models as accounts_models
from tipor.audit import models as audit_models
from tipor.db import Base

__all__ = ["Base", "accounts_models", "audit_models"]
