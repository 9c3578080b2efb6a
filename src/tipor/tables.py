"""Imports every table module so the metadata is complete (for Alembic and tests)."""

from tipor.accounts import models as accounts_models
from tipor.audit import models as audit_models
from tipor.cases import models as cases_models
from tipor.db import Base
from tipor.evidence import models as evidence_models
from tipor.referrals import models as referrals_models
from tipor.screening import tables as screening_tables  # noqa: F401

__all__ = ["Base", "accounts_models", "audit_models", "cases_models", "evidence_models",
           "referrals_models"]
