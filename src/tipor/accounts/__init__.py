"""Agencies, users, roles, sessions and API tokens."""
