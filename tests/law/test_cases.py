"""The four public cases of domain.md §3: the engine's findings agree with the courts'."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from tipor.law.engine import qualify
from tipor.law.jurisdictions import load_jurisdictions
from tipor.law.report import (
    ActorClaims,
    CandidateOffence,
    DoubleCriminality,
    JurisdictionFinding,
    QualificationReport,
)
from tipor.law.validate import parse_fact_pattern

CASES = Path(__file__).parent / "cases"


@cache
def case(name: str) -> QualificationReport:
    raw = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    return qualify(parse_fact_pattern(raw), load_jurisdictions())


def national(rep: QualificationReport, code: str) -> JurisdictionFinding:
    return next(j for j in rep.national if j.code == code)


def offence(rep: QualificationReport, code: str, ident: str) -> CandidateOffence:
    return next(c for c in national(rep, code).candidate_offences if c.offence == ident)


def actor(rep: QualificationReport, ident: str) -> ActorClaims:
    return next(a for a in rep.crossborder.actors if a.actor == ident)


def pair(rep: QualificationReport, ident: str, a: str, b: str) -> DoubleCriminality:
    return next(d for d in rep.crossborder.double_criminality
                if d.actor == ident and (d.requesting, d.requested) == (a, b))


# ---- Medicus: trafficking and organised crime ----------------------------------------------

def test_medicus_trafficking_established_for_the_seven_proven_donors() -> None:
    rep = case("medicus")
    assert rep.trafficking.established_count == 7
    alleged = [v.victim for v in rep.trafficking.victims if v.status == "insufficient_facts"]
    assert alleged == ["m8"]


@pytest.mark.parametrize(("ident", "who", "status"), [
    ("xk-cck-139", "lutfi", "established"),
    ("xk-cck-274", "lutfi", "established"),
    ("xk-cck-274", "arban", "established"),
    ("xk-grievous-bodily-harm", "hajdini", "established"),
    ("xk-cck-274", "sonmez", "insufficient_facts"),
], ids=["trafficking-owner", "organised-crime-owner", "organised-crime-manager",
        "gbh-anaesthetist", "indicted-surgeon-alleged"])
def test_medicus_kosovo_offences(ident: str, who: str, status: str) -> None:
    found = {a.actor: a.status for a in offence(case("medicus"), "XK", ident).actors}
    assert found[who] == status


def test_medicus_organised_group_aggravates() -> None:
    agg = {a.kind: a.status for a in case("medicus").organ_trade.aggravations}
    assert agg["organised_group"] == "established"
    assert agg["health_professional"] == "established"


def test_medicus_broker_claimable_by_kosovo_and_israel_and_held_in_cyprus() -> None:
    rep = case("medicus")
    bases = {(c.jurisdiction, c.basis) for c in actor(rep, "harel").claims}
    assert {("XK", "territory"), ("TR", "territory"), ("IL", "offender_nationality")} <= bases
    to_israel = pair(rep, "harel", "XK", "IL")
    tip = next(c for c in to_israel.checks if c.conduct == "trafficking")
    assert tip.requesting == "yes"
    # satisfied once Israel's s.377A carries its start date; until then "in force unknown"
    assert tip.requested in ("yes", "in_force_unknown")
    assert to_israel.result == ("satisfied" if tip.requested == "yes" else "uncertain")
    assert pair(rep, "harel", "XK", "CY").result == "uncertain"


# ---- Costa Rica: one trafficking offence out of fourteen alleged victims --------------------

def test_costa_rica_single_established_trafficking_offence() -> None:
    rep = case("costa_rica")
    statuses = [v.status for v in rep.trafficking.victims]
    assert len(statuses) == 14
    assert statuses.count("established") == 1
    assert statuses.count("insufficient_facts") == 13
    assert next(v for v in rep.trafficking.victims if v.status == "established").victim == "d01"


def test_costa_rica_convicted_and_acquitted() -> None:
    rep = case("costa_rica")
    tip = {a.actor: a.status for a in offence(rep, "CR", "cr-9095-trata-organos").actors}
    assert tip == {"mora": "established", "katsigiannis": "established"}
    peculado = {a.actor for a in offence(rep, "CR", "cr-peculado").actors}
    assert peculado == {"mora"}
    surgeons = [f for f in rep.organ_trade.findings if "surgeon-a" in f.actors]
    assert surgeons and all(f.finding.status != "established" for f in surgeons)


def test_costa_rica_recruiter_claimable_by_territory_and_nationality() -> None:
    rep = case("costa_rica")
    claims = {(c.jurisdiction, c.basis): c.status for c in actor(rep, "katsigiannis").claims}
    assert claims[("CR", "territory")] == "yes"
    assert claims[("GR", "offender_nationality")] == "possible"
    assert pair(rep, "katsigiannis", "CR", "GR").result == "uncertain"


# ---- Ekweremadu: conspiracy although no organ was removed ----------------------------------

def test_ekweremadu_trafficking_although_no_organ_removed() -> None:
    [victim] = case("ekweremadu").trafficking.victims
    assert victim.status == "established"
    assert victim.purpose.stage == "intended"
    assert victim.inchoate is not None and victim.inchoate.status == "established"
    assert "although no organ was removed" in victim.inchoate.summary
    assert victim.consent is not None and "irrelevant" in victim.consent.summary


def test_ekweremadu_parties_and_acquitted_recipient() -> None:
    [victim] = case("ekweremadu").trafficking.victims
    parts = {o.offender: o.status for o in victim.offenders}
    assert parts == {"ike": "established", "beatrice": "established", "obeta": "established",
                     "sonia": "insufficient_facts"}


def test_ekweremadu_modern_slavery_act_in_england_and_wales() -> None:
    rep = case("ekweremadu")
    msa = {a.actor: a.status for a in offence(rep, "GB", "gb-msa-s2").actors}
    assert {k: msa[k] for k in ("ike", "beatrice", "obeta")} == dict.fromkeys(
        ("ike", "beatrice", "obeta"), "established")
    removal = next(f for f in rep.organ_trade.findings if f.offence == "illicit_removal")
    assert removal.finding.stage == "planned" and removal.finding.status == "not_established"


def test_ekweremadu_cross_border() -> None:
    rep = case("ekweremadu")
    claims = {(c.jurisdiction, c.basis) for c in actor(rep, "obeta").claims}
    assert {("GB", "territory"), ("NG", "territory")} <= claims
    # Nigeria now has a profile, but its trafficking and organ-trade rules are reported or
    # unverified: the pair is satisfied on that data, and nothing on the Nigerian side is verified.
    dc = pair(rep, "obeta", "GB", "NG")
    assert dc.result == "satisfied"
    nigerian = [c.detail.split("; ")[1] for c in dc.checks if c.requested == "yes"]
    assert nigerian and all("[verified]" not in d for d in nigerian)


# ---- Netcare: hospital company liable under transplant law, no trafficking finding ---------

def test_netcare_no_trafficking_finding() -> None:
    rep = case("netcare")
    assert rep.trafficking.established_count == 0
    minor = next(v for v in rep.trafficking.victims if v.victim == "d-minor1")
    assert minor.means.status == "not_required" and minor.status == "insufficient_facts"


def test_netcare_hospital_company_liable_under_the_human_tissue_act() -> None:
    rep = case("netcare")
    hta = {a.actor: a.status for a in offence(rep, "ZA", "za-hta-1983-payment").actors}
    assert hta["netcare-kzn"] == "established"
    facility = national(rep, "ZA").liability["facility"]
    # The plea is known from the press, not from the record: reported, so not shown as verified.
    assert (facility.value, facility.tier) == ("yes", "reported")
    assert not facility.tier_label.startswith("verified")
    removal = next(f for f in rep.organ_trade.findings if f.subject == "a-removal")
    assert removal.finding.status == "established"
    agg = {a.kind: a.status for a in rep.organ_trade.aggravations}
    assert agg["vulnerable_victim"] == "established"


def test_netcare_broker_double_criminality_fails_in_israel() -> None:
    rep = case("netcare")
    assert "ZA" in actor(rep, "perry").claimants
    result = pair(rep, "perry", "ZA", "IL")
    assert result.result == "fails"
    assert {c.conduct for c in result.checks if c.requested == "not_in_force"} >= {"brokering"}
