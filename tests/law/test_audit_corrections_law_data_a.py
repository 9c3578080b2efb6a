"""The legal audit's claims for PK, IN, BD, NP, AF, IR and IQ, one row each, against the loaded data.

Each row names the audit claim (law-audit.md section A number, or D/E item), the rule it concerns
and what the rewritten profile must say: tier, dates, section, penalty, coverage, conditions.
A row fails if a later edit reverts the correction (e.g. India's 2014 s.18 penalty applied to
2008 conduct, or Bangladesh's repealed 2012 Act left open-ended).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipor.law.jurisdictions import (
    Jurisdiction,
    JurisdictionSet,
    Offence,
    OffenceVersion,
    load_jurisdictions,
)

CODES = ("PK", "IN", "BD", "NP", "AF", "IR", "IQ")
D = dt.date


@cache
def jset() -> JurisdictionSet:
    return load_jurisdictions()


def profile(code: str) -> Jurisdiction:
    found = jset().get(code)
    assert found is not None, f"no profile {code}"
    return found


def version_at(offence: Offence, day: dt.date) -> OffenceVersion | None:
    """The version of an offence in force on a day (None bounds are open)."""
    live = [v for v in offence.versions
            if (v.in_force_from is None or v.in_force_from <= day)
            and (v.in_force_to is None or day <= v.in_force_to)]
    assert len(live) <= 1, f"{offence.id}: overlapping versions on {day}"
    return live[0] if live else None


def resolve(code: str, path: str) -> Any:
    """The rule a row names: statute:ID, offence:ID@YYYY-MM-DD, liability:ROLE, bar:ID, ..."""
    prof = profile(code)
    kind, _, ident = path.partition(":")
    if kind == "statute":
        return prof.statute(ident)
    if kind == "offence":
        name, _, day = ident.partition("@")
        offence = prof.offence(name)
        assert offence is not None, f"{code}: no offence {name}"
        return version_at(offence, D.fromisoformat(day)) if day else offence
    if kind == "liability":
        return getattr(prof.liability, ident)
    if kind == "reach":
        return getattr(prof.extraterritorial, ident)
    if kind == "bar":
        return next((b for b in prof.procedural_bars if b.id == ident), None)
    if kind == "special":
        return next((r for r in prof.special_rules if r.id == ident), None)
    if kind == "lawful":
        return next((r for r in prof.lawful_conduct if r.conduct == ident), None)
    if kind == "general":
        form, _, section = ident.partition("|")
        return next((g for g in prof.general_part if g.form == form and g.section == section), None)
    if kind == "cets216":
        return prof.cets216
    raise AssertionError(f"unknown path kind {kind!r}")


@dataclass(frozen=True)
class Row:
    """One audit claim and what the data must now say about it."""

    claim: str
    code: str
    path: str
    expect: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.code}-{self.claim}-{self.path}"


ROWS = [
    # Pakistan
    Row("A1", "PK", "offence:pk-ptpa-trafficking@2020-01-01",
        {"tier": "official", "max_years": 10, "text": "PKR 1 million"}),
    Row("A2", "PK", "statute:pk-ptpa-2018", {"covers_organ_removal": "disputed", "disputed": True}),
    Row("A3", "PK", "statute:pk-thota-2010", {"tier": "primary", "in_force_from": D(2010, 3, 18)}),
    Row("A4", "PK", "offence:pk-thota-s10@2015-01-01",
        {"tier": "reported", "section": "s.10", "max_years": 10}),
    Row("A5", "PK", "offence:pk-thota-s11@2015-01-01", {"tier": "reported", "section": "s.11"}),
    Row("A5", "PK", "liability:seller", {"value": "unknown", "tier": "reported"}),
    Row("A6", "PK", "special:pk-no-sale-to-foreigners", {"tier": "reported"}),
    Row("A7", "PK", "special:pk-living-donor-relatives",
        {"tier": "reported", "text": "prior approval of the Evaluation Committee"}),
    Row("A8", "PK", "special:pk-ppc-374a-ordered", {"tier": "reported", "text": "374-A"}),
    Row("A9", "PK", "statute:pk-pb-thota-2012", {"tier": "primary", "extent": ["PK-PB"]}),
    Row("A9", "PK", "statute:pk-kp-mtra-2014",
        {"extent": ["PK-KP"], "in_force_from": D(2014, 4, 2)}),
    Row("A9", "PK", "statute:pk-sd-sthota-2013", {"extent": ["PK-SD"], "tier": "reported"}),
    Row("A9", "PK", "offence:pk-thota-s10", {"extent": ["PK-IS"]}),
    Row("D6", "PK", "bar:pk-thota-police-complaint",
        {"disputed": True, "tier": "reported", "text": "did not hold water"}),
    Row("E3", "PK", "statute:pk-pachto-2002",
        {"requires": ["cross_border_movement"], "repealed_by": "pk-ptpa-2018"}),
    # India
    Row("A10", "IN", "offence:in-thoa-s18@2008-06-01",
        {"tier": "primary", "max_years": 5, "fine": "10,000", "in_force_to": D(2014, 1, 9)}),
    Row("A10", "IN", "offence:in-thoa-s18@2014-01-10",
        {"tier": "primary", "max_years": 10, "fine": "20,00,000",
         "in_force_from": D(2014, 1, 10)}),
    Row("A11", "IN", "offence:in-thoa-s19@2013-12-31", {"min_years": 2, "max_years": 7}),
    Row("A11", "IN", "offence:in-thoa-s19@2014-01-10", {"min_years": 5, "max_years": 10}),
    Row("A12", "IN", "liability:seller", {"value": "yes", "tier": "primary"}),
    Row("A13", "IN", "statute:in-thoa-amendment-2011", {"in_force_from": D(2014, 1, 10)}),
    Row("A14", "IN", "offence:in-trafficking@2020-01-01",
        {"tier": "primary", "section": "IPC s.370", "min_years": 7, "max_years": 10,
         "life": True, "in_force_from": D(2013, 2, 3), "in_force_to": D(2024, 6, 30)}),
    Row("A15", "IN", "offence:in-trafficking@2024-07-01",
        {"tier": "primary", "section": "BNS s.143", "in_force_from": D(2024, 7, 1)}),
    Row("A15", "IN", "statute:in-bns-143", {"covers_organ_removal": "yes"}),
    Row("D6", "IN", "bar:in-thoa-s22",
        {"tier": "primary", "text": "60 days", "bars": ["in-thoa-s18", "in-thoa-s19"]}),
    Row("D15", "IN", "statute:in-thoa-1994", {"in_force_from": D(1995, 2, 4)}),
    Row("D16", "IN", "general:attempt|BNS s.62", {"fraction": 0.5, "tier": "primary"}),
    Row("D16", "IN", "reach:offender_nationality", {"value": "yes", "tier": "primary"}),
    # Nepal
    Row("A16", "NP", "statute:np-httca-2064", {"covers_organ_removal": "yes", "tier": "primary"}),
    Row("A17", "NP", "reach:victim_nationality", {"value": "yes", "tier": "primary"}),
    Row("A18", "NP", "offence:np-httca-4-1-c@2020-01-01",
        {"tier": "primary", "section": "s.15(1)(c)", "min_years": 10, "max_years": 10}),
    Row("A19", "NP", "liability:seller", {"value": "unknown", "tier": "unverified"}),
    Row("A20", "NP", "statute:np-transplant-2055", {"in_force_from": None}),
    Row("A20", "NP", "offence:np-transplant-s23@2020-01-01", {"section": "s.23"}),
    # Bangladesh
    Row("A21", "BD", "statute:bd-pshta-2012",
        {"in_force_from": D(2012, 2, 20), "in_force_to": D(2026, 1, 5),
         "repealed_by": "bd-ordinance-2026"}),
    Row("A21", "BD", "statute:bd-ordinance-2026",
        {"in_force_from": D(2026, 1, 6), "tier": "reported"}),
    Row("A22", "BD", "statute:bd-pshta-2012", {"covers_organ_removal": "unknown"}),
    Row("A22", "BD", "offence:bd-pshta-s6@2020-01-01",
        {"tier": "primary", "min_years": 5, "life": True}),
    Row("A22", "BD", "offence:bd-pshta-s6@2026-02-01", {"absent": True}),
    Row("A23", "BD", "offence:bd-hota-s10-2@2020-01-01",
        {"tier": "primary", "section": "s.10(2)", "max_years": 3}),
    Row("A24", "BD", "offence:bd-hota-s10-1@2020-01-01", {"tier": "primary", "max_years": 2}),
    # Iran
    Row("A30", "IR", "statute:ir-tip-2004",
        {"covers_organ_removal": "yes", "requires": ["cross_border_movement"], "tier": "primary"}),
    Row("A30", "IR", "offence:ir-tip-2004-art1",
        {"requires": ["cross_border_movement"], "max_years": 10}),
    Row("D7", "IR", "lawful:selling_organ",
        {"conditions": ["authorised_programme", "same_nationality"], "tier": "reported"}),
    # Iraq
    Row("A32", "IQ", "statute:iq-tip-28-2012",
        {"covers_organ_removal": "yes", "tier": "primary", "in_force_from": D(2012, 4, 23)}),
    Row("A33", "IQ", "offence:iq-trafficking-2012@2020-01-01",
        {"life": True, "death": False, "tier": "reported"}),
    Row("A34", "IQ", "statute:iq-law-18-2024", {"tier": "primary", "text": "4787"}),
    Row("A34", "IQ", "offence:iq-transplant-offences-2016@2020-01-01",
        {"min_years": 7, "tier": "reported"}),
    # Afghanistan
    Row("A35", "AF", "statute:af-tip-2017", {"covers_organ_removal": "unknown", "tier": "official"}),
    Row("A35", "AF", "statute:af-penal-code-2017", {"tier": "official"}),
    Row("A36", "AF", "liability:seller", {"value": "disputed", "disputed": True}),
    # CETS 216: real sources instead of the placeholder chart, status left unknown
    Row("A57", "PK", "cets216", {"status": "unknown", "tier": "reported"}),
    Row("A57", "IN", "cets216", {"status": "unknown", "tier": "reported"}),
]


def _penalty_checks(rule: Any, expect: dict[str, Any]) -> None:
    penalty = rule.penalty
    for key in ("min_years", "max_years", "life", "death"):
        if key in expect:
            assert getattr(penalty, key) == expect[key], key
    if "fine" in expect:
        assert expect["fine"] in penalty.fine
    if "text" in expect:
        assert expect["text"] in penalty.text


def _text_of(rule: Any) -> str:
    parts = [getattr(rule, name, "") for name in ("text", "note", "condition", "name")]
    return " ".join(p for p in parts if isinstance(p, str))


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_audit_claim_is_reflected_in_the_data(row: Row) -> None:
    rule = resolve(row.code, row.path)
    if row.expect.get("absent"):
        assert rule is None
        return
    assert rule is not None, f"{row.code} {row.path} not found"
    exp = row.expect
    simple = {"tier": "tier", "in_force_from": "in_force_from", "in_force_to": "in_force_to",
              "covers_organ_removal": "covers_organ_removal", "disputed": "disputed",
              "value": "value", "status": "status", "repealed_by": "repealed_by",
              "requires": "requires", "conditions": "conditions", "fraction": "fraction",
              "extent": "territorial_extent"}
    for key, attr in simple.items():
        if key in exp:
            assert getattr(rule, attr) == exp[key], f"{key}: {getattr(rule, attr)!r}"
    if "bars" in exp:
        assert set(exp["bars"]) <= set(rule.offences)
    if "section" in exp:
        assert exp["section"] in rule.section
    if hasattr(rule, "penalty"):
        _penalty_checks(rule, exp)
    elif "text" in exp:
        assert exp["text"] in _text_of(rule)


def test_primary_rules_of_these_profiles_carry_a_pinpoint_and_a_review() -> None:
    from tipor.law.profile_checks import iter_rules

    for code in CODES:
        for path, rule in iter_rules(profile(code)):
            if rule.tier == "primary":
                assert rule.pinpoint or any(s.pinpoint for s in rule.sources), f"{code} {path}"
                assert rule.reviews, f"{code} {path}: primary rule without a review"


@settings(max_examples=60, deadline=None)
@given(code=st.sampled_from(CODES),
       day=st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31)))
def test_at_most_one_version_of_an_offence_is_in_force_on_any_day(code: str,
                                                                 day: dt.date) -> None:
    for offence in profile(code).offences:
        version_at(offence, day)  # asserts no overlap
