"""The December 2026 legal audit, claim by claim, for EG, IL, TR, GB, XK, ZA, CR (and new MD, UA, NG).

One row per audit claim (section A number, or D item): the rule it concerns, the tier it may honestly
carry, its dates, its section and its penalty. A row fails if the data drifts back to what the audit
found wrong (a wrong subsection, a missing date, an over-claimed tier).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import pytest

from tipor.law.jurisdictions import (
    Dated,
    Jurisdiction,
    JurisdictionSet,
    OffenceVersion,
    Rule,
    load_jurisdictions,
)

D = dt.date


@functools.cache
def _jset() -> JurisdictionSet:
    return load_jurisdictions()


@dataclass(frozen=True)
class Row:
    """What one audit claim requires of the loaded data."""

    claim: str
    code: str
    kind: str  # offence | statute | liability | reach | cets | special
    ident: str
    version: int = 0
    tier: str | None = None
    start: dt.date | None | str = "any"
    end: dt.date | None | str = "any"
    section: str = ""
    max_years: float | None | str = "any"
    value: str = ""


ROWS = [
    # Egypt
    Row("A25", "EG", "offence", "eg-transplant-force", 1, "reported", D(2017, 7, 22), None,
        "Law 142/2017", "any"),
    Row("A26", "EG", "offence", "eg-transplant-unlawful", 1, "reported", D(2017, 7, 22), None,
        "Art. 17", None),
    Row("A26-before", "EG", "offence", "eg-transplant-unlawful", 0, "reported", None,
        D(2017, 7, 21), "Art. 17 (2010 text)", None),
    Row("A26-art18", "EG", "offence", "eg-transplant-unlicensed", 1, "reported", D(2017, 7, 22),
        None, "Art. 18", None),
    Row("A26-art6", "EG", "offence", "eg-sale-ban", 1, "reported", D(2017, 7, 22), None,
        "Art. 6", None),
    Row("A27", "EG", "special", "eg-living-donor-relatives", tier="reported"),
    Row("A27-foreigners", "EG", "special", "eg-no-foreign-recipients", tier="reported"),
    Row("A28", "EG", "statute", "eg-law-64-2010", tier="primary", start=None, value="unknown"),
    Row("A28-penalty", "EG", "offence", "eg-tip-64-2010", 0, "reported", section="Art. 5"),
    # Costa Rica
    Row("A37", "CR", "offence", "cr-9095-trata-organos", 1, "primary", D(2024, 9, 6), None,
        "art. 172", 10),
    Row("A37-before", "CR", "offence", "cr-9095-trata-organos", 0, "reported", D(2013, 2, 8),
        D(2024, 9, 5), "art. 172", 10),
    Row("A38", "CR", "offence", "cr-9222-commerce", 0, "reported", D(2014, 4, 22), None,
        "384 ter", 16),
    Row("A39", "CR", "offence", "cr-penal-organ-trade", 0, "reported", section="384 bis",
        max_years=16),
    # Kosovo
    Row("A40", "XK", "offence", "xk-cck-139", 0, "primary", None, D(2012, 12, 31), "Art. 139", 12),
    Row("A41", "XK", "offence", "xk-cck-274", 0, "primary", None, D(2012, 12, 31), "274", 20),
    Row("A42", "XK", "statute", "xk-cc-2012", start=D(2013, 1, 1)),
    Row("A42-pcck", "XK", "statute", "xk-pcck-2004", end=D(2012, 12, 31)),
    # United Kingdom
    Row("A43", "GB", "offence", "gb-msa-s2", 0, "official", D(2015, 7, 31), None, "s.3(4)"),
    Row("A44", "GB", "reach", "offender_nationality", tier="official", value="yes"),
    Row("A45", "GB", "statute", "gb-msa-2015", tier="primary", start=D(2015, 7, 31)),
    Row("A46", "GB", "offence", "gb-hta-s32-advertising", 0, "primary", D(2005, 10, 20), None,
        "s.32(2)", 0.98),
    Row("A46-s32", "GB", "offence", "gb-hta-s32", 0, "primary", D(2005, 10, 20),
        D(2012, 8, 26), "s.32(1)", 3),
    Row("A47", "GB", "offence", "gb-hota-1989-s1", 0, "primary", None, D(2005, 10, 19),
        "HOTA 1989 s.1"),
    Row("A47-s33", "GB", "offence", "gb-hta-s33", 0, "official", D(2006, 9, 1), None, "s.33"),
    # Israel
    Row("A48", "IL", "offence", "il-penal-tip-organs", 0, "reported", D(2006, 10, 29), None,
        "s.377A(a)(1)", 16),
    Row("A48-minor", "IL", "offence", "il-penal-tip-organs-minor", 0, "reported", D(2006, 10, 29),
        None, "s.377A", 20),
    Row("A49", "IL", "statute", "il-tip-2006", tier="official", start=D(2006, 10, 29)),
    Row("A50", "IL", "liability", "recipient", tier="reported", value="no"),
    Row("A50-otl", "IL", "offence", "il-otl-2008-trade", 0, "reported", D(2008, 5, 1), None,
        max_years=3),
    # Turkey
    Row("A51", "TR", "offence", "tr-tck-80", 1, "primary", D(2006, 12, 6), None, "Art. 80(1)", 12),
    Row("A51-code", "TR", "statute", "tr-tck-5237", start=D(2005, 6, 1)),
    Row("A51-old", "TR", "statute", "tr-tck-765", end=D(2005, 5, 31)),
    Row("A52", "TR", "offence", "tr-tck-91", 0, "primary", D(2005, 6, 1), None, "91(1)", 9),
    Row("A52-seller", "TR", "liability", "seller", tier="primary", value="yes"),
    Row("A52-organised", "TR", "offence", "tr-tck-91-organised", 0, "primary", section="91(4)",
        max_years=15),
    Row("A52-ads", "TR", "offence", "tr-tck-91-advertising", 0, "primary", section="91(6)",
        max_years=1),
    # South Africa
    Row("A53", "ZA", "statute", "za-pacotip-act", tier="primary", start=D(2015, 8, 9),
        value="yes"),
    Row("A54", "ZA", "offence", "za-nha-2003-ch8", 0, "primary", D(2012, 3, 1), None, "s.60(4)", 5),
    Row("A54-hta", "ZA", "statute", "za-hta-1983", end=D(2012, 2, 29)),
    Row("A55", "ZA", "liability", "facility", tier="reported", value="yes"),
    # CETS 216 (A57) and the new profiles (D.19)
    Row("A57-GB", "GB", "cets", "", tier="official", value="party"),
    Row("A57-TR", "TR", "cets", "", tier="official", value="signatory"),
    Row("A57-MD", "MD", "cets", "", tier="official", value="party"),
    Row("D19-MD", "MD", "offence", "md-cc-158", 0, "primary", section="art. 158(2)", max_years=12),
    Row("D19-UA", "UA", "cets", "", tier="official", value="signatory"),
    # s.20 "Procurement or recruitment of person for organ harvesting" (heading read): coverage yes.
    Row("D19-NG", "NG", "statute", "ng-tippea-2015", tier="primary", value="yes"),
]


def _rule(profile: Jurisdiction, row: Row) -> Rule:
    if row.kind == "offence":
        offence = profile.offence(row.ident)
        assert offence is not None, f"{row.code} has no offence {row.ident}"
        return offence.versions[row.version]
    if row.kind == "statute":
        statute = profile.statute(row.ident)
        assert statute is not None, f"{row.code} has no statute {row.ident}"
        return statute
    if row.kind == "liability":
        return getattr(profile.liability, row.ident)  # type: ignore[no-any-return]
    if row.kind == "reach":
        return getattr(profile.extraterritorial, row.ident)  # type: ignore[no-any-return]
    if row.kind == "cets":
        return profile.cets216
    return next(r for r in profile.special_rules if r.id == row.ident)


def _value(rule: Rule) -> str:
    for name in ("value", "status", "covers_organ_removal"):
        if hasattr(rule, name):
            return str(getattr(rule, name))
    return ""


@pytest.mark.parametrize("row", ROWS, ids=[r.claim for r in ROWS])
def test_audit_claim_is_corrected_in_the_data(row: Row) -> None:
    profile = _jset().get(row.code)
    assert profile is not None, f"no profile {row.code}"
    rule = _rule(profile, row)
    if row.tier is not None:
        assert rule.effective_tier == row.tier
    if row.start != "any":
        assert isinstance(rule, Dated) and rule.in_force_from == row.start
    if row.end != "any":
        assert isinstance(rule, Dated) and rule.in_force_to == row.end
    if row.section:
        assert isinstance(rule, OffenceVersion) and row.section in rule.section
    if row.max_years != "any":
        assert isinstance(rule, OffenceVersion) and rule.penalty.max_years == row.max_years
    if row.value:
        assert _value(rule) == row.value


def test_costa_rica_art_172_after_2024_no_longer_covers_organ_removal() -> None:
    cr = _jset().get("CR")
    assert cr is not None
    offence = cr.offence("cr-9095-trata-organos")
    assert offence is not None
    latest = max(offence.versions, key=lambda v: v.in_force_from or D(1, 1, 1))
    assert latest.in_force_from == D(2024, 9, 6) and latest.covers == []


def test_israel_exempts_donor_and_recipient_from_the_2008_law() -> None:
    il = _jset().get("IL")
    assert il is not None
    trade = il.offence("il-otl-2008-trade")
    assert trade is not None
    assert set(trade.exempt) == {"seller", "recipient"} and "selling_organ" not in trade.covers


def test_uk_organ_exploitation_is_s3_4_not_s3_6() -> None:
    gb = _jset().get("GB")
    assert gb is not None
    texts = [gb.statute("gb-msa-2015").pinpoint]  # type: ignore[union-attr]
    texts += [v.section for o in gb.offences for v in o.versions]
    assert any("s.3(4)" in t for t in texts)
    assert not any("exploitation s.3(6)" in t for t in texts)


@pytest.mark.parametrize("code", ["EG", "IL", "TR", "GB", "XK", "ZA", "CR", "MD", "UA", "NG"])
def test_every_rule_of_the_rewritten_profiles_records_this_review(code: str) -> None:
    from tipor.law.profile_checks import iter_rules

    profile = _jset().get(code)
    assert profile is not None
    unreviewed = [path for path, rule in iter_rules(profile)
                  if rule.effective_tier != "unverified" and not rule.reviews]
    assert unreviewed == []
