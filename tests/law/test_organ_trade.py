"""Organ-trade track (CETS 216 arts 4-9, Declaration of Istanbul), one table per offence."""

from __future__ import annotations

from typing import Any

import pytest

from tests.law.factories import act, base, build, means, payment, person
from tipor.law.index import CaseIndex
from tipor.law.organ_trade import organ_trade_track
from tipor.law.report import OrganTradeFinding, OrganTradeTrack


def track(doc: dict[str, Any]) -> OrganTradeTrack:
    return organ_trade_track(CaseIndex(build(doc)), {})


def of(t: OrganTradeTrack, offence: str) -> list[OrganTradeFinding]:
    return [f for f in t.findings if f.offence == offence]


CONSENTED = {"id": "c1", "person": "alpha", "content": "consented", "informed": True,
             "source": "testimony", "firmness": "established"}


@pytest.mark.parametrize(("extra", "status"), [
    ({}, "insufficient_facts"),
    ({"consents": [CONSENTED]}, "insufficient_facts"),
    ({"consents": [{**CONSENTED, "informed": False}]}, "established"),
    ({"consents": [{**CONSENTED, "content": "refused"}]}, "established"),
    ({"means": [means("m1", "deception")]}, "established"),
    ({"payments": [payment("pay1", "bravo", "alpha")]}, "established"),
    ({"payments": [payment("pay1", "bravo", "alpha", "expenses")]}, "insufficient_facts"),
    ({"payments": [payment("pay1", "charlie", "bravo", "agent_fee")]}, "established"),
    ({"payments": [payment("pay1", "bravo", "alpha", firmness="alleged")]},
     "insufficient_facts"),
    ({"consents": [{**CONSENTED, "content": "unknown"}]}, "insufficient_facts"),
    ({"means": [means("m1", "drugging")]}, "established"),
    ({"means": [means("m1", "deception", present="no")]}, "insufficient_facts"),
], ids=["no-condition", "valid-consent", "uninformed", "refused", "deceived", "paid-donor",
        "expenses-only", "third-party-gain", "payment-alleged", "consent-unknown", "drugged",
        "deception-absent"])
def test_illicit_removal_conditions(extra: dict[str, Any], status: str) -> None:
    doc = base(acts=[act("r1", "removal")], persons=[person("charlie", "recipient")], **extra)
    [found] = of(track(doc), "illicit_removal")
    assert found.finding.status == status
    assert found.article == "CETS 216 art. 4" and found.article_verification == "unverified"


@pytest.mark.parametrize(("stage", "status", "label"), [
    ("completed", "established", "completed"),
    ("attempted", "established", "attempted (art. 9)"),
    ("planned", "not_established", "planned"),
], ids=["completed", "attempted", "planned"])
def test_removal_stage(stage: str, status: str, label: str) -> None:
    doc = base(acts=[act("r1", "removal", stage=stage)],
               payments=[payment("pay1", "bravo", "alpha")])
    [found] = of(track(doc), "illicit_removal")
    assert (found.finding.status, found.finding.stage) == (status, label)


def test_child_donor_cannot_consent() -> None:
    doc = base(acts=[act("r1", "removal")], consents=[CONSENTED])
    doc["persons"][0]["age"] = 16
    [found] = of(track(doc), "illicit_removal")
    assert found.finding.status == "established" and "alpha" in found.finding.rests_on


@pytest.mark.parametrize(("authorisation", "forged", "status"), [
    ("authorised", False, "not_established"),
    ("unknown", False, "insufficient_facts"),
    ("unauthorised", False, "established"),
    ("obtained_by_deception", False, "established"),
    ("unknown", True, "established"),
], ids=["authorised", "unknown", "unauthorised", "deceived-committee", "forged-kinship"])
def test_implantation_outside_the_system(authorisation: str, forged: bool, status: str) -> None:
    acts = [act("i1", "implantation", authorisation=authorisation)]
    if forged:
        acts.append(act("f1", "falsifying_documents", documents=["kinship"]))
    found = [f for f in of(track(base(acts=acts)), "implantation_outside_system")
             if f.subject == "i1"]
    assert found[0].finding.status == status


@pytest.mark.parametrize(("acts", "payments", "status"), [
    ([act("s1", "brokering")], [], "established"),
    ([act("s1", "advertising", "alleged")], [], "insufficient_facts"),
    ([act("s1", "recruitment")], [payment("pay1", "charlie", "bravo", "agent_fee")],
     "established"),
    ([act("s1", "recruitment")], [payment("pay1", "charlie", "bravo", "agent_fee",
                                          firmness="alleged")], "insufficient_facts"),
    ([act("s1", "recruitment")], [], None),
], ids=["brokering", "advertising-alleged", "paid-recruiter", "payment-alleged",
        "unpaid-recruitment-is-not-for-gain"])
def test_solicitation_and_recruitment_for_gain(acts: list[dict[str, Any]],
                                               payments: list[dict[str, Any]],
                                               status: str | None) -> None:
    doc = base(acts=acts, payments=payments, persons=[person("charlie", "recipient")])
    found = [f for f in of(track(doc), "solicitation_for_gain") if f.subject == "s1"]
    assert (found[0].finding.status if found else None) == status


def test_use_of_illicitly_removed_organ_follows_the_removal() -> None:
    doc = base(acts=[act("r1", "removal"), act("i1", "implantation")],
               payments=[payment("pay1", "bravo", "alpha")])
    [use] = of(track(doc), "use_of_illicit_organs")
    assert use.finding.status == "established" and "r1" in use.finding.rests_on
    doc["payments"] = []
    [use] = of(track(doc), "use_of_illicit_organs")
    assert use.finding.status == "insufficient_facts"
    doc["acts"][0]["present"] = "no"
    [use] = of(track(doc), "use_of_illicit_organs")
    assert use.finding.status == "not_established"


def test_undue_advantage_and_falsified_documents() -> None:
    doc = base(acts=[act("u1", "offering_undue_advantage"),
                     act("f1", "falsifying_documents", "alleged", documents=["consent"])])
    t = track(doc)
    assert of(t, "undue_advantage")[0].finding.status == "established"
    assert of(t, "falsified_documents")[0].finding.status == "insufficient_facts"
    assert of(t, "falsified_documents")[0].finding.evidence_needed


def _aggravation(doc: dict[str, Any], kind: str) -> str:
    return next(a.status for a in track(doc).aggravations if a.kind == kind)


REMOVAL = {"acts": [act("r1", "removal")], "payments": [payment("pay1", "bravo", "alpha")]}


@pytest.mark.parametrize(("change", "kind", "status"), [
    (lambda d: d["persons"][1].update(roles=["surgeon"], qualification="licensed_physician"),
     "health_professional", "established"),
    (lambda d: d["persons"][1].update(roles=["nurse"], qualification="nurse"),
     "health_professional", "established"),
    (lambda d: d["persons"][1].update(roles=["surgeon"]), "health_professional",
     "insufficient_facts"),
    (lambda d: d["persons"][1].update(roles=["anaesthetist"], qualification="other"),
     "health_professional", "not_established"),
    (lambda d: d["persons"][1].update(roles=["anaesthetist"], qualification="other"),
     "unqualified_practice", "established"),
    (lambda d: d["persons"][1].update(roles=["doctor"], qualification="licensed_physician"),
     "unqualified_practice", "not_established"),
    (lambda d: None, "health_professional", "not_established"),
    (lambda d: None, "previous_convictions", "insufficient_facts"),
    (lambda d: d["persons"][1].update(prior_convictions=0), "previous_convictions",
     "not_established"),
    (lambda d: d["persons"][1].update(prior_charges=3), "previous_convictions",
     "insufficient_facts"),
    (lambda d: d["persons"][1].update(roles=["official"]), "public_official", "established"),
    (lambda d: d["persons"][0].update(age=15), "vulnerable_victim", "established"),
    (lambda d: d.update(harms=[{"id": "h1", "person": "alpha", "kind": "death",
                                "source": "medical_record", "firmness": "established"}]),
     "death_or_serious_harm", "established"),
    (lambda d: d["persons"][1].update(prior_convictions=2), "previous_convictions",
     "established"),
    (lambda d: d["persons"][1].update(previous_convictions=True), "previous_convictions",
     "established"),
    (lambda d: d.update(groups=[{"id": "g1", "members": ["bravo", "x1", "x2"],
                                 "source": "document", "firmness": "established"}],
                        persons=[*d["persons"], person("x1", "broker"), person("x2", "broker")]),
     "organised_group", "established"),
    (lambda d: d.update(groups=[{"id": "g1", "members": ["bravo", "x1"],
                                 "source": "document", "firmness": "established"}],
                        persons=[*d["persons"], person("x1", "broker")]),
     "organised_group", "insufficient_facts"),
], ids=["surgeon", "nurse", "qualification-unknown", "mechanic-anaesthetist",
        "mechanic-is-unqualified-practice", "physician-is-qualified", "no-professional",
        "convictions-unknown", "no-convictions", "charges-are-not-convictions", "official", "child",
        "death", "previous-conviction", "version-1-previous-conviction", "group-of-three",
        "two-are-not-a-group"])
def test_aggravating_circumstances(change: Any, kind: str, status: str) -> None:
    doc = base(**REMOVAL)
    doc["acts"][0]["actors"] = ["bravo"]
    change(doc)
    assert _aggravation(doc, kind) == status


def _agg(doc: dict[str, Any], kind: str) -> Any:
    return next(a for a in track(doc).aggravations if a.kind == kind)


def test_unknown_qualification_asks_for_the_professional_registration() -> None:
    doc = base(**REMOVAL)
    doc["acts"][0]["actors"] = ["bravo"]
    doc["persons"][1]["roles"] = ["surgeon"]
    agg = _agg(doc, "health_professional")
    assert agg.status == "insufficient_facts"
    assert any("professional registration" in t for t in agg.evidence_needed)


def test_unqualified_anaesthetist_is_not_a_health_professional() -> None:
    doc = base(**REMOVAL)
    doc["acts"][0]["actors"] = ["bravo"]
    doc["persons"][1].update(roles=["anaesthetist"], qualification="other",
                             note="a motor mechanic")
    assert _agg(doc, "health_professional").status == "not_established"
    unqualified = _agg(doc, "unqualified_practice")
    assert unqualified.status == "established" and unqualified.persons == ["bravo"]
    assert unqualified.article.startswith("national law")


def test_prior_charges_are_a_note_not_an_aggravation() -> None:
    doc = base(**REMOVAL)
    doc["acts"][0]["actors"] = ["bravo"]
    doc["persons"][1].update(prior_convictions=0, prior_charges=2)
    agg = _agg(doc, "previous_convictions")
    assert agg.status == "not_established"
    assert any("2 prior charge(s)" in n and "not convictions" in n for n in agg.notes)


@pytest.mark.parametrize(("knew", "status"), [
    ("established", "established"), ("alleged", "insufficient_facts"), (None, "insufficient_facts"),
], ids=["known-and-used", "knowledge-alleged", "knowledge-missing"])
def test_vulnerable_victim_agrees_with_the_trafficking_track(knew: str | None,
                                                             status: str) -> None:
    from tipor.law.palermo import victim_finding

    doc = base(acts=[act("r1", "removal"), act("a1", "recruitment")],
               means=[means("m1", "abuse_of_vulnerability", vulnerabilities=["debt"],
                            offender_knew=knew, offender_used="established")])
    case = CaseIndex(build(doc))
    victim = victim_finding(case, case.donors()[0])
    assert _agg(doc, "vulnerable_victim").status == status == victim.means.status
    assert victim.vulnerability is not None and victim.vulnerability.status == status


def test_consent_to_a_different_procedure_does_not_cover_the_removal() -> None:
    doc = base(acts=[act("r1", "removal", procedure="nephrectomy")],
               consents=[{**CONSENTED, "specific": True, "procedure": "kidney biopsy"}])
    [found] = of(track(doc), "illicit_removal")
    assert found.finding.status == "established" and "c1" in found.finding.rests_on
    assert any("does not cover this removal" in n for n in found.finding.notes)
    doc["consents"][0]["procedure"] = "nephrectomy"
    [found] = of(track(doc), "illicit_removal")
    assert found.finding.status == "insufficient_facts"
