"""National track and cross-border analysis over synthetic facts and the shipped profiles."""

from __future__ import annotations

from typing import Any

import pytest

from tests.law.factories import act, base, build, means, payment, person, purpose
from tipor.exceptions import UnknownValue
from tipor.law.engine import qualify
from tipor.law.jurisdictions import load_jurisdictions
from tipor.law.report import QualificationReport

JSET = load_jurisdictions()


def report(doc: dict[str, Any], only: list[str] | None = None) -> QualificationReport:
    return qualify(build(doc), JSET, only)


TRAFFICKED = {"acts": [act("a1", "recruitment"), act("r1", "removal", place="abroad")],
              "means": [means("m1", "deception")], "purposes": [purpose("p1")]}


def claims(rep: QualificationReport, actor: str) -> dict[tuple[str, str], str]:
    found = next(a for a in rep.crossborder.actors if a.actor == actor)
    return {(c.jurisdiction, c.basis): c.status for c in found.claims}


def test_default_jurisdictions_are_those_connected_to_the_facts() -> None:
    doc = base(**TRAFFICKED)
    doc["persons"][1]["nationalities"] = ["NP"]
    assert report(doc).jurisdictions == ["IN", "NP", "PK"]


def test_only_limits_the_national_track() -> None:
    rep = report(base(**TRAFFICKED), ["IN"])
    assert [j.code for j in rep.national] == ["IN"]


def test_unknown_jurisdiction_selection_is_refused() -> None:
    with pytest.raises(UnknownValue) as info:
        report(base(**TRAFFICKED), ["QQ"])
    assert "PK" in info.value.valid


@pytest.mark.parametrize(("nationality", "basis", "status"), [
    ("GB", "offender_nationality", "yes"),
    ("NP", "offender_nationality", "possible"),
    ("FR", "offender_nationality", "possible"),
    ("NP", "territory", None),
], ids=["uk-reaches-nationals", "nepal-unknown", "no-profile", "no-territory"])
def test_nationality_of_the_offender(nationality: str, basis: str, status: str | None) -> None:
    doc = base(**TRAFFICKED)
    doc["persons"][1]["nationalities"] = [nationality]
    assert claims(report(doc), "bravo").get((nationality, basis)) == status


def test_nationality_of_the_victim_nepal() -> None:
    doc = base(**TRAFFICKED)
    doc["persons"][0]["nationalities"] = ["NP"]
    assert claims(report(doc), "bravo")[("NP", "victim_nationality")] == "yes"


def test_territory_of_each_act() -> None:
    found = claims(report(base(**TRAFFICKED)), "bravo")
    assert found[("PK", "territory")] == "yes" and found[("IN", "territory")] == "yes"


def test_national_offences_carry_penalty_source_and_verification() -> None:
    doc = base(**TRAFFICKED)
    doc["persons"][1]["roles"] = ["recruiter", "surgeon"]
    india = next(j for j in report(doc).national if j.code == "IN")
    s18 = next(c for c in india.candidate_offences if c.offence == "in-thoa-s18")
    assert s18.verification == "verified" and "10 years" in s18.penalty and s18.sources
    assert s18.actors[0].actor == "bravo" and "territory (yes)" in s18.actors[0].jurisdiction_basis
    pakistan = next(j for j in report(doc).national if j.code == "PK")
    assert pakistan.trafficking_statute is not None
    assert pakistan.trafficking_statute.verification == "disputed"
    assert any("disputed" in n for n in pakistan.notes)


def test_offence_not_in_force_at_the_time_is_flagged() -> None:
    doc = base(acts=[act("b1", "brokering", place="abroad", date="2005")])
    doc["places"][1]["country"] = "IL"
    israel = next(j for j in report(doc).national if j.code == "IL")
    trade = next(c for c in israel.candidate_offences if c.offence == "il-otl-2008-trade")
    assert trade.actors[0].in_force == "no"


def _recipient_abroad(nationality: str, year: str) -> dict[str, Any]:
    doc = base(persons=[person("rho", "recipient", nationalities=[nationality])],
               acts=[act("r1", "removal", place="abroad", date=year)],
               payments=[payment("pay1", "rho", "alpha", place="abroad", date=year)])
    return doc


@pytest.mark.parametrize(("nationality", "requested", "result"), [
    ("IL", "IL", "satisfied"),
    ("GB", "GB", "satisfied"),
    ("FR", "FR", "uncertain"),
], ids=["israel-both", "uk-both", "no-profile"])
def test_double_criminality_of_buying_abroad(nationality: str, requested: str,
                                            result: str) -> None:
    rep = report(_recipient_abroad(nationality, "2020"))
    pair = next(d for d in rep.crossborder.double_criminality
                if d.actor == "rho" and d.requesting == "IN" and d.requested == requested)
    assert pair.result == result


def test_recipient_state_that_does_not_reach_buying_abroad_is_a_named_gap() -> None:
    rep = report(_recipient_abroad("IL", "2020"))
    assert any("IL does not, on the data held, criminalise its national" in g
               and "buying an organ abroad" in g for g in rep.crossborder.gaps)


def test_double_criminality_fails_where_the_law_was_not_yet_in_force() -> None:
    doc = base(persons=[person("pi", "broker", nationalities=["IL"])],
               acts=[act("b1", "brokering", actors=["pi"], place="abroad", date="2002")])
    rep = report(doc)
    pair = next(d for d in rep.crossborder.double_criminality
                if d.actor == "pi" and (d.requesting, d.requested) == ("IN", "IL"))
    assert pair.result == "fails"
    assert any("Double criminality fails" in g for g in rep.crossborder.gaps)


@pytest.mark.parametrize(("donor_nat", "means_items", "expected"), [
    ("IN", [], "exposed"),
    ("IN", [means("m1", "deception")], "at_risk"),
    # Nepal: seller liability is unsettled (audit #19; HTTCA s.2(c), Transplant Act s.23), not "no".
    ("NP", [], "unknown"),
    ("IR", [], "not_exposed"),
    ("FR", [], "unknown"),
], ids=["india-seller-booked", "india-victim-at-risk", "nepal-seller-unsettled", "iran-lawful",
        "no-profile"])
def test_seller_status(donor_nat: str, means_items: list[dict[str, Any]],
                       expected: str) -> None:
    doc = base(acts=[act("a1", "recruitment"), act("r1", "removal")],
               purposes=[purpose("p1")], means=means_items,
               payments=[payment("pay1", "bravo", "alpha")])
    doc["persons"][0]["nationalities"] = [donor_nat]
    seller = report(doc).crossborder.sellers[0]
    exposure = {e.jurisdiction: e.exposure for e in seller.jurisdictions}
    assert exposure[donor_nat] == expected
