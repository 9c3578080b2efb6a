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
from tipor.law.jurisdictions import TIERS, Jurisdiction, JurisdictionSet, load_jurisdictions
from tipor.law.profile_checks import described_rules, iter_rules
from tipor.law.report import QualificationReport
from tipor.law.views import pinpoint, tier_label
from tipor.security.permissions import Permission, can


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


def tier_counts(profile: Jurisdiction) -> dict[str, int]:
    """How many rules of a profile are at each (effective) tier, and how many are disputed."""
    counts = dict.fromkeys((*TIERS, "disputed"), 0)
    for _, rule in iter_rules(profile):
        counts[rule.effective_tier] += 1
        counts["disputed"] += rule.disputed
    return counts


def rule_rows(profile: Jurisdiction, below_primary: bool = False) -> list[dict[str, Any]]:
    """Every rule as a row: path, text, tier and its label, pinpoint, sources, last review."""
    rows = []
    for path, text, rule in described_rules(profile):
        tier = rule.effective_tier
        if below_primary and tier == "primary":
            continue
        last = max(rule.reviews, key=lambda r: r.on) if rule.reviews else None
        rows.append({
            "path": path, "text": text, "tier": tier, "tier_label": tier_label(tier),
            "declared_tier": rule.tier, "disputed": rule.disputed, "pinpoint": pinpoint(rule),
            "sources": [src.model_dump(mode="json") for src in rule.sources],
            "last_review": last.model_dump(mode="json") if last else None})
    return rows


def review_list(code: str | None = None, data: JurisdictionSet | None = None
                ) -> list[dict[str, Any]]:
    """Per jurisdiction, every rule below primary: the checklist a lawyer works through."""
    data = data or get_jurisdictions()
    codes = [get_profile(code, data).code] if code else list(data.codes)
    return [{"code": c, "name": data.profiles[c].name,
             "rules": rule_rows(data.profiles[c], below_primary=True)} for c in codes]


def jurisdiction_summaries() -> list[dict[str, Any]]:
    """One line per profile: code, name, scope and its rule counts by tier."""
    data = get_jurisdictions()
    out = []
    for code in data.codes:
        profile = data.profiles[code]
        out.append({"code": code, "name": profile.name, "scope": profile.scope,
                    "tiers": tier_counts(profile)})
    return out


def check_law_data() -> JurisdictionSet:
    """Load and validate the shipped law data; raise CatalogueError naming every problem.

    The app factory calls this so the app refuses to start on invalid law data (loaded once
    per process; a failed load is not cached, so a fixed file is read on the next start)."""
    return get_jurisdictions()


def get_profile(code: str, data: JurisdictionSet | None = None) -> Jurisdiction:
    """One profile by code (case-insensitive), or NotFound naming the codes that exist."""
    data = data or get_jurisdictions()
    profile = data.get(code.strip().upper())
    if profile is None:
        raise NotFound(f"no jurisdiction profile {code!r}; profiles exist for "
                       f"{', '.join(data.codes)}")
    return profile
