"""The national track on synthetic profiles: the version in force at the time, who the law
reaches, requirements, territorial extent, inchoate forms, procedural bars, lawful conduct."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.law.factories import act, base, build, means, payment, person, purpose
from tests.law.jur_fixtures import jset, offence, version, world, years
from tipor.law.applicability import reaches
from tipor.law.conduct import ConductItem
from tipor.law.crossborder import criminal_in
from tipor.law.engine import qualify
from tipor.law.index import CaseIndex
from tipor.law.jurisdictions import Offence
from tipor.law.national import jurisdiction_finding
from tipor.law.render import render_text
from tipor.law.report import CandidateOffence, JurisdictionFinding, QualificationReport
from tipor.law.sellers import exposure

WORLD = world()


def report(doc: dict[str, Any], only: list[str] | None = None) -> QualificationReport:
    return qualify(build(doc), WORLD, only)


def national(rep: QualificationReport, code: str) -> JurisdictionFinding:
    return next(j for j in rep.national if j.code == code)


def candidates(j: JurisdictionFinding, offence: str) -> list[CandidateOffence]:
    return [c for c in j.candidate_offences if c.offence == offence]


def _surgery(year: str) -> dict[str, Any]:
    doc = base(persons=[person("sigma", "surgeon")],
               acts=[act("r1", "removal", actors=["sigma"], place="abroad", date=year,
                         authorisation="unauthorised")],
               payments=[payment("pay1", "bravo", "alpha", place="abroad", date=year)])
    return doc


@pytest.mark.parametrize(("year", "section", "max_years", "tier"), [
    ("2008", "s.18", "5 years", "reported"),
    ("2020", "s.18 (amended)", "10 years", "primary"),
], ids=["before-amendment", "after-amendment"])
def test_the_version_in_force_at_the_time_gives_section_penalty_and_tier(
        year: str, section: str, max_years: str, tier: str) -> None:
    (s18,) = candidates(national(report(_surgery(year)), "IN"), "in-s18")
    assert (s18.section, s18.tier) == (section, tier)
    assert max_years in s18.penalty
    assert s18.actors[0].in_force == "yes"
    if year == "2008":
        assert any("cannot be applied to 2008 conduct" in n for n in s18.temporal_notes)
        assert any("not retroactive" in n for n in s18.temporal_notes)
    else:
        assert s18.tier_label == "verified (statute text)" and s18.pinpoint == "s.1(1)"


def test_undated_conduct_says_in_force_unknown() -> None:
    doc = _surgery("2008")
    doc["acts"][0].pop("date")
    (s18,) = candidates(national(report(doc | {"payments": []}), "IN"), "in-s18")
    assert s18.actors[0].in_force == "unknown"
    assert any("dates of the conduct are unknown" in n for n in s18.temporal_notes)


def test_offence_reaches_only_liable_participants() -> None:
    rep = report(_surgery("2020"))
    (s18,) = candidates(national(rep, "IN"), "in-s18")
    assert [a.actor for a in s18.actors] == ["sigma"]  # medical staff only, not the recruiter


def test_an_exempt_participant_never_gets_the_offence() -> None:
    doc = base(persons=[person("rho", "recipient", nationalities=["IL"]),
                        person("pi", "broker", nationalities=["IL"])],
               acts=[act("b1", "brokering", actors=["pi"], place="tel", date="2020")],
               payments=[payment("pay1", "rho", "alpha", place="tel", date="2020"),
                         payment("fee", "rho", "pi", "agent_fee", place="tel", date="2020")])
    doc["places"].append({"id": "tel", "label": "Fictional office", "country": "IL"})
    israel = national(report(doc), "IL")
    reached = {a.actor for c in candidates(israel, "il-trade") for a in c.actors}
    assert "pi" in reached and "rho" not in reached
    assert any("exempts the recipient" in n for n in israel.notes)


def _iran(place_country: str) -> dict[str, Any]:
    doc = base(**{"acts": [act("a1", "recruitment", date="2020"),
                           act("r1", "removal", place="abroad", date="2020")],
                  "means": [means("m1", "deception")], "purposes": [purpose("p1")]})
    doc["places"][0]["country"] = "IR"
    doc["places"][1]["country"] = place_country
    return doc


def test_iran_domestic_recruitment_is_not_covered_by_a_cross_border_offence() -> None:
    iran = national(report(_iran("IR")), "IR")
    assert candidates(iran, "ir-tip") == []
    assert any("requires movement across a border" in n for n in iran.notes)


def test_iran_cross_border_trafficking_is_covered() -> None:
    (tip,) = candidates(national(report(_iran("IN")), "IR"), "ir-tip")
    assert tip.actors[0].actor == "bravo"


@pytest.mark.parametrize(("subdivision", "listed", "note"), [
    (None, True, "depends on the province/state"),
    ("PK-PB", True, ""),
    ("PK-KP", False, ""),
], ids=["unknown-subdivision", "punjab", "other-province"])
def test_territorial_extent_by_subdivision(subdivision: str | None, listed: bool,
                                           note: str) -> None:
    doc = base(acts=[act("a1", "recruitment", date="2020"), act("r1", "removal", date="2020")],
               means=[means("m1", "deception")], purposes=[purpose("p1")])
    if subdivision:
        doc["places"][0]["subdivision"] = subdivision
    found = candidates(national(report(doc), "PK"), "pk-punjab")
    assert bool(found) == listed
    if note:
        assert any(note in n and "record the subdivision" in n for n in found[0].actors[0].notes)


def test_procedural_bar_is_attached_to_the_offences_it_bars_and_shown() -> None:
    rep = report(_surgery("2020"))
    (s18,) = candidates(national(rep, "IN"), "in-s18")
    assert [(b.value, b.text) for b in s18.procedural_bars] == [
        ("cognizance", "cognizance only on the Appropriate Authority's complaint")]
    text = render_text(rep)
    assert "PROCEDURAL BAR (cognizance): cognizance only on the Appropriate Authority's " \
           "complaint" in text


def _conduct_of(stage: str, conduct: str = "brokering", **extra: Any
                ) -> tuple[CaseIndex, dict[str, dict[str, ConductItem]]]:
    doc = base(acts=[act("b1", "brokering", place="abroad", date="2020")], **extra)
    case = CaseIndex(build(doc))
    item = ConductItem(conduct, "established", ("b1",), ("IN",), (2020,), ("alpha",),
                       stage=stage, start="2020", end="2020")  # type: ignore[arg-type]
    return case, {"bravo": {conduct: item}}


def test_attempted_conduct_matches_through_the_general_part_attempt() -> None:
    case, conduct = _conduct_of("attempted")
    india = jurisdiction_finding(case, WORLD, conduct, "IN", ["place of acts"])
    (s19,) = candidates(india, "in-s19")
    assert s19.actors[0].form == "attempt"
    assert s19.actors[0].charge == "attempt (s.511) to commit Fictional offence in-s19"


def test_attempted_conduct_without_an_attempt_provision_is_not_matched() -> None:
    case, conduct = _conduct_of("attempted")
    doc = base(acts=[act("b1", "brokering", place="abroad", date="2020")])
    doc["places"][1]["country"] = "GB"
    case = CaseIndex(build(doc))
    conduct["bravo"]["brokering"] = ConductItem(
        "brokering", "established", ("b1",), ("GB",), (2020,), ("alpha",),
        stage="attempted", start="2020", end="2020")
    uk = jurisdiction_finding(case, WORLD, conduct, "GB", ["place of acts"])
    assert candidates(uk, "gb-s32") == []
    assert any("no attempt provision" in n for n in uk.notes)


def test_planned_conduct_without_an_agreement_is_not_matched() -> None:
    case, conduct = _conduct_of("planned")
    india = jurisdiction_finding(case, WORLD, conduct, "IN", ["place of acts"])
    assert candidates(india, "in-s19") == []
    assert any("no agreement is on file" in n for n in india.notes)


def test_a_state_with_no_profile_is_assessed_on_international_law_with_a_note() -> None:
    doc = base(acts=[act("a1", "recruitment")], means=[means("m1", "deception")],
               purposes=[purpose("p1")])
    doc["persons"][1]["nationalities"] = ["FR"]
    rep = report(doc)
    france = national(rep, "FR")
    assert not france.profiled and france.candidate_offences == []
    assert france.notes == ["no national profile for FR: assessed on international law only "
                            "(tracks 1 and 2); its national law was not assessed."]
    assert rep.trafficking.victims  # the international tracks still ran


def _iran_sale(recipient_nat: str, authorisation: str) -> tuple[CaseIndex, ConductItem]:
    doc = base(persons=[person("rho", "recipient", nationalities=[recipient_nat])],
               acts=[act("r1", "removal", actors=["bravo"], recipients=["rho"], date="2020",
                         authorisation=authorisation)],
               payments=[payment("pay1", "rho", "alpha", date="2020")])
    doc["persons"][0]["nationalities"] = ["IR"]
    doc["places"][0]["country"] = "IR"
    case = CaseIndex(build(doc))
    sale = ConductItem("selling_organ", "established", ("pay1",), ("IR",), (2020,), ("alpha",),
                       start="2020", end="2020")
    return case, sale


@pytest.mark.parametrize(("recipient", "authorisation", "status", "exposure_", "words"), [
    ("IR", "authorised", "lawful", "not_exposed", "lawful in IR"),
    ("IN", "authorised", "not_on_file", "unknown", "a sale to a foreigner"),
    ("IR", "unauthorised", "not_on_file", "unknown", "black-market"),
    ("IR", "unknown", "conditional", "conditional", "lawful in IR only if"),
], ids=["programme-same-nationality", "sale-to-foreigner", "black-market", "unknown"])
def test_iran_sale_is_lawful_only_when_every_condition_holds(
        recipient: str, authorisation: str, status: str, exposure_: str, words: str) -> None:
    case, sale = _iran_sale(recipient, authorisation)
    found, _, detail = criminal_in(case, WORLD, "IR", sale, "alpha")
    assert found == status
    seller = exposure(case, WORLD, "IR", sale, "not_established", "alpha")
    assert seller.exposure == exposure_
    assert words in (detail if status != "not_on_file" else seller.note)
    if exposure_ == "conditional":
        assert "establish that the removal was authorised" in seller.note


def test_render_text_shows_the_tier_label_of_every_rule() -> None:
    text = render_text(report(_surgery("2020")))
    assert "s.18 (amended) [verified (statute text)]; s.1(1); in force 2014-01-10 to no end" in text
    assert "[press or NGO report]" in text and "[unverified]" in text
    national_part = text[text.index("3. NATIONAL LAW"):text.index("4. CROSS-BORDER")]
    assert "[verified]" not in national_part  # the old three-way label is gone


ROLE = st.sampled_from(["seller", "broker", "recipient", "medical_staff", "facility", "any"])


@settings(max_examples=200, deadline=None)
@given(st.lists(ROLE, unique=True), st.lists(ROLE, unique=True),
       st.sets(st.sampled_from(["seller", "broker", "recipient", "medical_staff", "facility"])))
def test_an_exempt_participant_is_never_reached(liable: list[str], exempt: list[str],
                                                roles: set[str]) -> None:
    liable = [r for r in liable if r not in exempt]
    o = Offence.model_validate(offence("o", ["brokering"], [version("s.1", years(1))],
                                       liable=liable, exempt=exempt))
    answer = reaches(o, roles).value
    if roles & set(exempt) or "any" in exempt:
        assert answer == "no"
    elif "any" in liable or roles & set(liable):
        assert answer == "yes"


def test_a_version_that_adds_a_purpose_covers_only_conduct_after_it() -> None:
    amended = world().profiles["PK"].model_dump(mode="json")
    amended["offences"].append(offence("pk-amended", ["trafficking"], [
        version("s.5", years(3), "2000-01-01", "2015-12-31"),
        version("s.5 (2016)", years(5), "2016-01-01", covers=["trafficking", "brokering"])]))
    data = jset(amended)
    for year, listed in (("2020", True), ("2010", False)):
        doc = base(acts=[act("b1", "brokering", date=year)],
                   payments=[payment("fee", "alpha", "bravo", "agent_fee", date=year)])
        doc["persons"][1]["roles"] = ["broker"]
        pk = national(qualify(build(doc), data, ["PK"]), "PK")
        found = [c for c in candidates(pk, "pk-amended") if "brokering" in c.actors[0].conduct]
        assert bool(found) == listed, year
        if not listed:
            assert any("s.5 does not cover brokering" in n for n in pk.notes)
            case = CaseIndex(build(doc))
            item = ConductItem("brokering", "established", ("fee",), ("PK",), (2010,), (),
                               start="2010", end="2010")
            status, _, detail = criminal_in(case, data, "PK", item, "bravo")
            assert status == "not_in_force" and "pk-amended" not in detail
