"""Legal qualification over JSON: qualify a fact pattern, browse the jurisdiction profiles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from tipor.accounts.models import User
from tipor.law.service import (
    get_jurisdictions,
    get_profile,
    jurisdiction_summaries,
    review_list,
    rule_rows,
    run_qualification,
    tier_counts,
)
from tipor.law.validate import parse_fact_pattern
from tipor.security.permissions import Permission
from tipor.web.deps import CtxDep, CurrentUser, check_csrf, require

router = APIRouter(tags=["law"], dependencies=[Depends(check_csrf)])
Qualifier = Annotated[User, Depends(require(Permission.LAW_QUALIFY))]


class QualifyRequest(BaseModel):
    """A fact pattern (docs/formats/fact-pattern.md) and, optionally, the states to assess."""

    model_config = ConfigDict(extra="forbid")
    facts: dict[str, Any] = Field(description="the fact pattern, as in a fact-pattern file")
    jurisdictions: list[str] | None = Field(
        None, description="ISO codes to assess; omitted or empty: every connected state")


@router.post("/qualify", operation_id="law-qualify")
def qualify(ctx: CtxDep, user: Qualifier, body: QualifyRequest) -> dict[str, Any]:
    """Qualify a fact pattern; 422 lists every problem with its path (nothing is stored)."""
    facts = parse_fact_pattern(body.facts)
    return run_qualification(ctx, facts, body.jurisdictions).to_dict()


@router.get("/law/jurisdictions", operation_id="law-jurisdictions-list")
def list_jurisdictions(user: CurrentUser) -> dict[str, Any]:
    """Every jurisdiction profile with how many of its rules are at each tier."""
    return {"data_version": get_jurisdictions().data_version,
            "jurisdictions": jurisdiction_summaries()}


@router.get("/law/jurisdictions/{code}", operation_id="law-jurisdictions-get")
def get_jurisdiction(user: CurrentUser, code: str) -> dict[str, Any]:
    """One profile: the profile file's content, and every rule with its effective tier and label
    (only `primary` is verified law), pinpoint, sources and last review."""
    profile = get_profile(code)
    return {"data_version": get_jurisdictions().data_version,
            "tiers": tier_counts(profile), "rules": rule_rows(profile),
            "profile": profile.model_dump(mode="json")}


@router.get("/law/review", operation_id="law-review")
def review(user: CurrentUser, jurisdiction: str | None = None) -> dict[str, Any]:
    """Every rule below primary, per jurisdiction: the checklist for a lawyer's review."""
    return {"data_version": get_jurisdictions().data_version,
            "jurisdictions": review_list(jurisdiction)}
