"""Cross-border analysis over synthetic facts and synthetic profiles (tests/law/jur_fixtures)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.law.factories import act, base, build, means, payment, person, purpose
from tests.law.jur_fixtures import world
from tipor.exceptions import UnknownValue
from tipor.law.engine import qualify
from tipor.law.render import render_text
from tipor.law.report import QualificationReport

WORLD = world()


def report(doc: dict[str, Any], only: list[str] | None = None) -> QualificationReport:
    return qualify(build(doc), WORLD, only)


TRAFFICKED = {"acts": [act("a1", "recruitment", date="2020"),
                       act("r1", "removal", place="abroad", date="2020")],
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


def test_territory_of_each_act_is_a_general_principle() -> None:
    rep = report(base(**TRAFFICKED))
    found = claims(rep, "bravo")
    assert found[("PK", "territory")] == "yes" and found[("IN", "territory")] == "yes"
    bravo = next(a for a in rep.crossborder.actors if a.actor == "bravo")
    territory = next(c for c in bravo.claims if c.basis == "territory")
    assert (territory.tier, territory.tier_label) == ("general_principle",
                                                       "general principle of jurisdiction")


def _recipient_abroad(nationality: str, year: str) -> dict[str, Any]:
    return base(persons=[person("rho", "recipient", nationalities=[nationality])],
                acts=[act("r1", "removal", place="abroad", date=year)],
                payments=[payment("pay1", "rho", "alpha", place="abroad", date=year)])


@pytest.mark.parametrize(("nationality", "result"), [
    ("IL", "fails"),
    ("GB", "satisfied"),
    ("FR", "uncertain"),
], ids=["israel-exempts-recipients", "uk-both", "no-profile"])
def test_double_criminality_of_buying_abroad_compares_conduct(nationality: str,
                                                              result: str) -> None:
    rep = report(_recipient_abroad(nationality, "2020"))
    pair = next(d for d in rep.crossborder.double_criminality
                if d.actor == "rho" and d.requesting == "IN" and d.requested == nationality)
    assert pair.result == result
    check = next(c for c in pair.checks if c.conduct == "buying_organ")
    assert check.requesting == "yes" and check.requesting_in_force == "yes"
    if nationality == "IL":
        assert check.requested == "not_criminal" and "exempts the recipient" in check.detail


def test_recipient_state_that_does_not_reach_buying_abroad_is_a_named_gap() -> None:
    rep = report(_recipient_abroad("IL", "2020"))
    assert any("IL does not, on the data held, criminalise its national" in g
               and "buying an organ abroad" in g for g in rep.crossborder.gaps)


def test_double_criminality_fails_where_the_law_was_not_yet_in_force() -> None:
    doc = base(persons=[person("pi", "broker", nationalities=["IL"])],
               acts=[act("b1", "brokering", actors=["pi"], place="abroad", date="2002")],
               payments=[payment("fee", "alpha", "pi", "agent_fee", place="abroad",
                                 date="2002")])
    rep = report(doc)
    pair = next(d for d in rep.crossborder.double_criminality
                if d.actor == "pi" and (d.requesting, d.requested) == ("IN", "IL"))
    check = next(c for c in pair.checks if c.conduct == "brokering")
    assert (check.requesting, check.requested) == ("yes", "not_in_force")
    assert check.requested_in_force == "no" and "not in force at the time in IL" in check.detail
    assert pair.result == "fails"
    assert any("Double criminality fails" in g for g in rep.crossborder.gaps)


def test_double_criminality_with_undated_conduct_is_uncertain() -> None:
    doc = base(persons=[person("pi", "broker", nationalities=["GB"])],
               payments=[payment("fee", "alpha", "pi", "agent_fee", place="abroad")])
    pair = next(d for d in report(doc).crossborder.double_criminality if d.actor == "pi")
    assert pair.result == "uncertain"
    assert all(c.requesting_in_force == "unknown" for c in pair.checks)


@pytest.mark.parametrize(("donor_nat", "means_items", "expected"), [
    ("IN", [means("m1", "deception", present="no")], "exposed"),
    ("IN", [], "at_risk"),
    ("IN", [means("m1", "deception", "alleged")], "at_risk"),
    ("IN", [means("m1", "deception")], "not_exposed"),
    ("NP", [], "not_exposed"),
    ("FR", [], "unknown"),
], ids=["india-seller-booked", "india-means-unknown-at-risk", "india-victim-at-risk",
        "india-means-established-is-no-seller", "nepal-not-liable", "no-profile"])
def test_seller_status(donor_nat: str, means_items: list[dict[str, Any]],
                       expected: str) -> None:
    doc = base(acts=[act("a1", "recruitment", date="2020"), act("r1", "removal", date="2020")],
               purposes=[purpose("p1")], means=means_items,
               payments=[payment("pay1", "bravo", "alpha", date="2020")])
    doc["persons"][0]["nationalities"] = [donor_nat]
    seller = report(doc).crossborder.sellers[0]
    exposure = {e.jurisdiction: e for e in seller.jurisdictions}
    assert exposure[donor_nat].exposure == expected


def test_exposed_seller_line_carries_the_non_punishment_principle_and_the_state_rule() -> None:
    # Established that no trafficking means was used: a seller, not a victim, so exposed.
    doc = base(acts=[act("r1", "removal", date="2020")],
               means=[means("m1", "deception", present="no")],
               payments=[payment("pay1", "bravo", "alpha", date="2020")])
    doc["persons"][0]["nationalities"] = ["IN"]
    rep = report(doc)
    india = next(e for e in rep.crossborder.sellers[0].jurisdictions if e.jurisdiction == "IN")
    assert india.exposure == "exposed" and india.offences == ["in-s19 s.19"]
    assert "non-punishment principle" in india.principle and "UNODC" in india.principle
    assert india.non_punishment == "partial [press or NGO report]"
    assert india.non_punishment_tier == "reported"
    line = next(x for x in render_text(rep).splitlines() if x.strip().startswith("IN: exposed"))
    assert "non-punishment principle" in line and "IN non-punishment rule: partial" in line


def test_a_donor_under_a_national_offence_carries_non_punishment_on_the_same_line() -> None:
    doc = base(acts=[act("r1", "removal", date="2020")],
               payments=[payment("pay1", "bravo", "alpha", date="2020", place="abroad")])
    india = next(j for j in report(doc).national if j.code == "IN")
    s19 = next(c for c in india.candidate_offences if c.offence == "in-s19")
    alpha = next(a for a in s19.actors if a.actor == "alpha")
    assert any("non-punishment principle" in n and "IN non-punishment rule: partial "
               "[press or NGO report]" in n for n in alpha.notes)
    bravo = next(a for a in s19.actors if a.actor == "bravo")
    assert not any("non-punishment" in n for n in bravo.notes)


def test_a_state_known_only_by_its_region_claims_and_names_the_data_needed() -> None:
    doc = base(acts=[act("r1", "removal", date="2020", place="gulf")],
               purposes=[purpose("p1", "completed")])
    doc["places"].append({"id": "gulf", "label": "A clinic in a Gulf state", "region": "gulf_state"})
    rep = report(doc)
    claims = [c for a in rep.crossborder.actors for c in a.claims
              if c.jurisdiction.startswith("unidentified")]
    assert claims and claims[0].jurisdiction == "unidentified: gulf state"
    assert claims[0].status == "possible" and "identify the state" in claims[0].detail
    assert any("gulf state" in g and "identify the state" in g for g in rep.crossborder.gaps)
    assert all(not d.requesting.startswith("unidentified") for d in rep.crossborder.double_criminality)
