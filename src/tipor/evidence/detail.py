"""The evidence part of the case read model (``cases/read_models.py`` :func:`case_detail`)."""

from __future__ import annotations

from typing import Any

from tipor.cases.access import CaseView
from tipor.cases.read_models import register_part, rows
from tipor.context import Ctx
from tipor.evidence.service import list_evidence

FIELDS = ("id", "filename", "sha256", "size", "content_type", "description")


def evidence_part(ctx: Ctx, view: CaseView) -> list[dict[str, Any]]:
    """The case's evidence records this user may read (none without the evidence section)."""
    return rows(list_evidence(ctx, view), FIELDS)


def register() -> None:
    """Put the evidence records into the case read model."""
    register_part("evidence", evidence_part)
