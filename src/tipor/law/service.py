"""Legal qualification as a service: the cached jurisdiction data, and running a qualification
for a signed-in user (permission checked, audited in the caller's transaction)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from tipor.audit.service import record
from tipor.context import Ctx
from tipor.exceptions import NotFound, PermissionDenied
from tipor.law.engine import qualify
from tipor.law.facts import FactPattern
from tipor.law.jurisdictions import Jurisdiction, JurisdictionSet, load_jurisdictions
from tipor.law.report import QualificationReport
from tipor.security.permissions import Permission, can

VERIFICATIONS = ("verified", "unverified", "disputed")


@cache
def get_jurisdictions() -> JurisdictionSet:
    """The shipped jurisdiction profiles, loaded and validated once per process."""
    return load_jurisdictions()


def normalise_codes(codes: Sequence[str] | None) -> list[str] | None:
    """Jurisdiction codes upper-cased and stripped; None or empty means "every connected state"."""
    cleaned = [c.strip().upper() for c in codes or [] if c.strip()]
    return cleaned or None


def run_qualification(ctx: Ctx, facts: FactPattern, jurisdictions: Sequence[str] | None = None,
                      case_id: int | None = None) -> QualificationReport:
    """Qualify ``facts`` as the acting user (needs LAW_QUALIFY); audited as ``law.qualify``."""
    user = ctx.require_user()
    if not can(user, Permission.LAW_QUALIFY):
        raise PermissionDenied(f"your role ({user.role.value}) cannot run legal qualifications "
                               f"({Permission.LAW_QUALIFY.value})")
    report = qualify(facts, get_jurisdictions(), normalise_codes(jurisdictions))
    detail: dict[str, object] = {
        "facts_sha256": facts_digest(facts), "jurisdictions": report.jurisdictions,
        "engine_version": report.engine_version, "data_version": report.data_version,
        "established_count": report.trafficking.established_count}
    if case_id is not None:
        detail["case_id"] = case_id
    record(ctx.session, actor=ctx.actor, action="law.qualify", object_type="case" if case_id
           else "fact_pattern", object_id=case_id if case_id is not None else "", detail=detail)
    return report


def facts_digest(facts: FactPattern) -> str:
    """SHA-256 of the canonical JSON of a fact pattern: the audit names the input, not its content."""
    text = json.dumps(facts.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def verification_counts(profile: Jurisdiction) -> dict[str, int]:
    """How many rules of a profile are verified, unverified and disputed."""
    counts = dict.fromkeys(VERIFICATIONS, 0)
    for value in _rules(profile.model_dump(mode="json")):
        counts[value] = counts.get(value, 0) + 1
    return counts


def _rules(raw: Any) -> list[str]:
    found: list[str] = []
    if isinstance(raw, dict):
        if isinstance(raw.get("verification"), str):
            found.append(raw["verification"])
        for value in raw.values():
            found += _rules(value)
    elif isinstance(raw, list):
        for value in raw:
            found += _rules(value)
    return found


def jurisdiction_summaries() -> list[dict[str, Any]]:
    """One line per profile: code, name, scope and its verification counts."""
    data = get_jurisdictions()
    out = []
    for code in data.codes:
        profile = data.profiles[code]
        out.append({"code": code, "name": profile.name, "scope": profile.scope,
                    "verification": verification_counts(profile)})
    return out


def get_profile(code: str) -> Jurisdiction:
    """One profile by code (case-insensitive), or NotFound naming the codes that exist."""
    data = get_jurisdictions()
    profile = data.get(code.strip().upper())
    if profile is None:
        raise NotFound(f"no jurisdiction profile {code!r}; profiles exist for "
                       f"{', '.join(data.codes)}")
    return profile
