"""Each actor's conduct as courts see it: stages, dates, companion conduct, sellers and
recipients (issue 8). Synthetic fact patterns only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.law.factories import act, base, build, means, payment, person, purpose
from tipor.law.conduct import ConductItem, ConductMap, derive_conduct
from tipor.law.index import CaseIndex
from tipor.law.organ_trade import organ_trade_track
from tipor.law.palermo import trafficking_track


def conduct(doc: dict[str, Any]) -> ConductMap:
    case = CaseIndex(build(doc))
    return derive_conduct(case, trafficking_track(case), organ_trade_track(case, {}))


def item(doc: dict[str, Any], actor: str, kind: str) -> ConductItem | None:
    return conduct(doc).get(actor, {}).get(kind)


SURGEON = person("sierra", "surgeon", qualification="licensed_physician")


@pytest.mark.parametrize("stage", ["completed", "attempted", "planned", "unknown"])
def test_every_removal_keeps_its_conduct_with_its_stage(stage: str) -> None:
    doc = base(persons=[SURGEON],
               acts=[act("r1", "removal", actors=["sierra"], stage=stage, date="2021-03",
                         date_to="2021-05")],
               payments=[payment("pay1", "bravo", "alpha", date="2021-02")])
    found = item(doc, "sierra", "removal_without_authority")
    assert found is not None and found.status == "established"
    assert found.stage == stage
    assert (found.start, found.end) == ("2021-03", "2021-05") and found.years == (2021,)
    surgery = item(doc, "sierra", "unlawful_surgery")
    assert (surgery is not None) == (stage == "completed")


def test_a_removal_that_did_not_happen_has_no_conduct() -> None:
    doc = base(persons=[SURGEON], acts=[act("r1", "removal", actors=["sierra"], present="no")])
    assert item(doc, "sierra", "removal_without_authority") is None


def test_conduct_dates_span_payment_ranges() -> None:
    doc = base(persons=[person("charlie", "recipient")],
               payments=[payment("pay1", "charlie", "bravo", "agent_fee", date="2019-11",
                                 date_to="2020-02"),
                         payment("pay2", "charlie", "bravo", "agent_fee", date="2019-06")])
    found = item(doc, "bravo", "brokering")
    assert found is not None
    assert (found.start, found.end, found.years) == ("2019-06", "2020-02", (2019, 2020))


def test_unqualified_anaesthetist_practises_unlawfully() -> None:
    mechanic = person("mike", "anaesthetist", qualification="other", note="motor mechanic")
    doc = base(persons=[mechanic], acts=[act("r1", "removal", actors=["mike"])])
    found = item(doc, "mike", "unqualified_practice")
    assert found is not None and found.status == "established" and found.stage == "completed"
    qualified = base(persons=[SURGEON], acts=[act("r1", "removal", actors=["sierra"])])
    assert item(qualified, "sierra", "unqualified_practice") is None


REFUSED = {"id": "c1", "person": "alpha", "content": "refused", "source": "testimony",
           "firmness": "established"}


@pytest.mark.parametrize(("extra", "sells"), [
    ({}, "established"),
    ({"means": [means("m1", "drugging")]}, None),
    ({"means": [means("m1", "drugging", "alleged")]}, None),
    ({"consents": [REFUSED]}, None),
    ({"consents": [{**REFUSED, "content": "withdrew"}]}, None),
    ({"means": [means("m1", "deception")]}, None),
    ({"means": [means("m1", "deception", "alleged")]}, "established"),
    ({"means": [means("m1", "threat", present="no")]}, "established"),
], ids=["paid-sale", "drugged", "drugging-alleged", "refused", "withdrew",
        "means-established", "means-only-alleged", "threat-absent"])
def test_only_a_paid_sale_by_a_donor_without_means_is_selling(extra: dict[str, Any],
                                                              sells: str | None) -> None:
    doc = base(payments=[payment("pay1", "bravo", "alpha")], **extra)
    found = item(doc, "alpha", "selling_organ")
    assert (found.status if found else None) == sells


def test_a_child_donor_never_sells() -> None:
    doc = base(payments=[payment("pay1", "bravo", "alpha")])
    doc["persons"][0]["age"] = 16
    assert item(doc, "alpha", "selling_organ") is None


def test_a_promise_alone_is_not_a_sale() -> None:
    doc = base(payments=[payment("pay1", "bravo", "alpha", status="promised")])
    found = item(doc, "alpha", "selling_organ")
    assert found is not None
    assert found.status == "insufficient_facts" and found.stage == "planned"
    assert "promised only" in found.note


@pytest.mark.parametrize(("authorisation", "deceived", "status"), [
    ("unauthorised", False, "established"),
    ("obtained_by_deception", False, "established"),
    ("unknown", True, "established"),
    ("authorised", False, None),
    ("unknown", False, None),
], ids=["unauthorised", "approval-by-deception", "donor-deceived", "authorised", "unknown"])
def test_recipient_conduct_comes_from_the_acts_without_any_payment(
        authorisation: str, deceived: bool, status: str | None) -> None:
    doc = base(persons=[person("romeo", "recipient")],
               acts=[act("r1", "removal", actors=[], recipients=["romeo"],
                         authorisation=authorisation)],
               means=[means("m1", "deception")] if deceived else [])
    assert not doc.get("payments")
    found = item(doc, "romeo", "receiving_illicit_transplant")
    assert (found.status if found else None) == status


@pytest.mark.parametrize(("stage", "status"), [
    ("completed", "established"), ("unknown", "insufficient_facts"), ("planned", None),
    ("attempted", None)])
def test_only_an_organ_received_makes_a_recipient(stage: str, status: str | None) -> None:
    doc = base(persons=[person("romeo", "recipient")],
               acts=[act("r1", "removal", actors=[], recipients=["romeo"], stage=stage,
                         authorisation="unauthorised")])
    found = item(doc, "romeo", "receiving_illicit_transplant")
    assert (found.status if found else None) == status


def test_kidnapping_from_abduction_or_force_in_transport() -> None:
    doc = base(means=[means("m1", "abduction")])
    assert item(doc, "bravo", "kidnapping") is not None
    forced = base(means=[means("m1", "force")], acts=[act("t1", "transport")])
    found = item(forced, "bravo", "kidnapping")
    assert found is not None and set(found.rests_on) == {"m1", "t1"}
    assert item(base(means=[means("m1", "force")]), "bravo", "kidnapping") is None


def test_wrongful_confinement_from_confinement_or_forced_harbouring() -> None:
    assert item(base(means=[means("m1", "confinement")]), "bravo",
                "wrongful_confinement") is not None
    doc = base(means=[means("m1", "threat")], acts=[act("h1", "harbouring")])
    found = item(doc, "bravo", "wrongful_confinement")
    assert found is not None and set(found.rests_on) == {"m1", "h1"}
    assert item(base(acts=[act("h1", "harbouring")]), "bravo", "wrongful_confinement") is None


def test_money_laundering_from_a_margin_or_a_front_business() -> None:
    doc = base(persons=[person("charlie", "recipient"), person("oscar", "broker")],
               payments=[payment("pay1", "charlie", "oscar", amount=20000, currency="USD"),
                         payment("pay2", "oscar", "alpha", amount=3000, currency="USD")])
    found = item(doc, "oscar", "money_laundering")
    assert found is not None and set(found.rests_on) == {"pay1", "pay2"}
    front = {"id": "pizza", "label": "Fictional pizzeria", "kind": "front_business",
             "roles": ["front_business"], "country": "PK", "source": "document",
             "firmness": "established"}
    via = base(persons=[person("charlie", "recipient")], organisations=[front],
               payments=[payment("pay1", "charlie", "bravo", "agent_fee", via=["pizza"])])
    assert item(via, "pizza", "money_laundering") is not None
    assert item(via, "bravo", "money_laundering") is not None
    plain = base(persons=[person("charlie", "recipient")],
                 payments=[payment("pay1", "charlie", "bravo", "agent_fee")])
    assert item(plain, "bravo", "money_laundering") is None


def test_recruitment_for_gain_from_a_brokers_margin() -> None:
    doc = base(persons=[person("charlie", "recipient")],
               acts=[act("s1", "recruitment")],
               payments=[payment("pay1", "charlie", "bravo", amount=9000, currency="EUR"),
                         payment("pay2", "bravo", "alpha", amount=2000, currency="EUR")])
    track = organ_trade_track(CaseIndex(build(doc)), {})
    found = [f for f in track.findings if f.offence == "solicitation_for_gain"
             and f.subject == "s1"]
    assert found and found[0].finding.status == "established"


def test_a_group_of_persons_counts_each_person() -> None:
    doc = base(acts=[act("a1", "recruitment")], means=[means("m1", "deception")],
               purposes=[purpose("p1")])
    doc["persons"][0].update(count=24, label="Fictional donors of the village")
    case = CaseIndex(build(doc))
    track = trafficking_track(case)
    assert track.established_count == 24
    assert "for 24 of 24 donor(s)" in track.summary
    assert case.label("alpha") == "Fictional donors of the village (24 persons)"


def test_a_place_in_an_unidentified_state_has_a_region_and_no_country() -> None:
    doc = base(acts=[act("r1", "removal", place="gulf", through=["clinic"])],
               payments=[payment("pay1", "bravo", "alpha")])
    doc["places"].append({"id": "gulf", "label": "Fictional hospital", "region": "gulf_state"})
    case = CaseIndex(build(doc))
    [removal] = case.facts.acts
    assert case.act_countries(removal) == ["PK"]
    assert case.act_regions(removal) == ["gulf_state"]
    assert case.regions("clinic") == [] and case.regions("gulf") == ["gulf_state"]
    found = item(doc, "bravo", "removal_without_authority")
    assert found is not None and found.regions == ("gulf_state",) and found.countries == ("PK",)
