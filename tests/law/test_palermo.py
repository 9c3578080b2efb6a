"""Trafficking track (Palermo art. 3): one table per rule, and properties with hypothesis."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.law.factories import act, base, build, means, payment, person, purpose
from tipor.law.index import CaseIndex
from tipor.law.palermo import trafficking_track, victim_finding
from tipor.law.report import VictimFinding


def finding(doc: dict[str, Any]) -> VictimFinding:
    case = CaseIndex(build(doc))
    return victim_finding(case, case.donors()[0])


FULL = {"acts": [act("a1", "recruitment")], "means": [means("m1", "deception")],
        "purposes": [purpose("p1")]}


@pytest.mark.parametrize(("acts", "status"), [
    ([], "insufficient_facts"),
    ([act("a1", "recruitment")], "established"),
    ([act("a1", "harbouring", "alleged")], "insufficient_facts"),
    ([act("a1", "transport", "disputed")], "insufficient_facts"),
    ([act("a1", "transport", stage="attempted")], "insufficient_facts"),
    ([act("a1", "removal")], "insufficient_facts"),
    ([act("a1", "receipt", "alleged"), act("a2", "transfer")], "established"),
    ([act("a1", "recruitment", present="no")], "not_established"),
    ([act("a1", "recruitment", "alleged", present="no")], "insufficient_facts"),
    ([act("a1", "transport", present="unknown")], "insufficient_facts"),
    ([act("a1", "transport", stage="unknown")], "insufficient_facts"),
    ([act("a1", "transport", present="no"), act("a2", "harbouring")], "established"),
], ids=["none", "established", "alleged", "disputed", "attempted-only", "removal-is-not-an-act",
        "one-established-suffices", "established-absent", "alleged-absent", "presence-unknown",
        "stage-unknown", "another-act-done"])
def test_act_element(acts: list[dict[str, Any]], status: str) -> None:
    result = finding(base(acts=acts))
    assert result.act.status == status
    if status == "established":
        assert result.act.rests_on and all(i.startswith("a") for i in result.act.rests_on)
    if status == "insufficient_facts":
        assert result.act.evidence_needed
    if status == "not_established":
        assert result.act.rests_on == ["a1"] and not result.act.evidence_needed


@pytest.mark.parametrize(("items", "status"), [
    ([], "insufficient_facts"),
    ([means("m1", "threat")], "established"),
    ([means("m1", "deception", about=["organ_regrows"])], "established"),
    ([means("m1", "coercion", "alleged")], "insufficient_facts"),
    ([means("m1", "payment_to_controller", controller="charlie")], "established"),
    ([means("m1", "payment_to_controller", controller="alpha")], "insufficient_facts"),
    ([means("m1", "abuse_of_vulnerability", vulnerabilities=["debt"],
            offender_knew="established", offender_used="established")], "established"),
    ([means("m1", "abuse_of_vulnerability", vulnerabilities=["debt"])], "insufficient_facts"),
    ([means("m1", "abuse_of_vulnerability", vulnerabilities=["debt"],
            offender_knew="alleged", offender_used="established")], "insufficient_facts"),
    ([means("m1", "threat", present="no")], "not_established"),
    ([means("m1", "threat", present="unknown")], "insufficient_facts"),
    ([means("m1", "drugging")], "established"),
    ([means("m1", "confinement")], "established"),
], ids=["none", "threat", "deception", "alleged-coercion", "payment-to-controller",
        "payment-to-donor-is-not-means", "apov-known-and-used", "apov-without-knowledge",
        "apov-knowledge-alleged", "threat-absent", "threat-unknown", "drugging",
        "confinement"])
def test_means_element(items: list[dict[str, Any]], status: str) -> None:
    doc = base(means=items, persons=[person("charlie", "family_member")])
    assert finding(doc).means.status == status


def test_apov_without_knowledge_says_what_to_show() -> None:
    doc = base(means=[means("m1", "abuse_of_vulnerability", vulnerabilities=["debt"])])
    needed = " ".join(finding(doc).means.evidence_needed)
    assert "To establish abuse of a position of vulnerability" in needed
    assert "knew of Testperson Alpha's debt" in needed


def test_payment_to_donor_alone_is_not_a_means_and_points_to_organ_trade() -> None:
    doc = base(payments=[payment("pay1", "bravo", "alpha")])
    result = finding(doc)
    assert result.means.status == "insufficient_facts"
    assert any("not a means" in n and "pay1" in n for n in result.means.notes)


@pytest.mark.parametrize(("age", "band", "firmness", "means_status"), [
    (16, None, "established", "not_required"),
    (None, "under_18", "established", "not_required"),
    (16, None, "alleged", "insufficient_facts"),
    (19, None, "established", "insufficient_facts"),
    (None, None, "established", "insufficient_facts"),
], ids=["child-by-age", "child-by-band", "child-alleged", "adult", "age-unknown"])
def test_child_needs_no_means(age: int | None, band: str | None, firmness: str,
                              means_status: str) -> None:
    doc = base(acts=[act("a1", "recruitment")], purposes=[purpose("p1")])
    doc["persons"][0].update(age=age, age_band=band, firmness=firmness)
    result = finding(doc)
    assert result.means.status == means_status
    expected = "established" if means_status == "not_required" else (
        "insufficient_facts" if means_status == "insufficient_facts" else "not_established")
    assert result.status == expected


@pytest.mark.parametrize(("purposes", "acts", "status", "stage"), [
    ([purpose("p1", "intended")], [], "established", "intended"),
    ([purpose("p1", "attempted")], [], "established", "attempted"),
    ([], [act("r1", "removal")], "established", "completed"),
    ([], [act("r1", "removal", stage="planned")], "established", "intended"),
    ([purpose("p1", "completed", "alleged")], [], "insufficient_facts", "completed"),
    ([], [], "insufficient_facts", None),
    ([], [act("r1", "removal", present="no")], "not_established", None),
    ([purpose("p1", "unknown")], [], "established", "unknown"),
    ([], [act("r1", "removal", stage="unknown")], "established", "intended"),
], ids=["intended", "attempted", "removal-done", "removal-planned", "alleged", "none",
        "removal-absent", "stage-unknown", "removal-stage-unknown"])
def test_purpose_element(purposes: list[dict[str, Any]], acts: list[dict[str, Any]],
                         status: str, stage: str | None) -> None:
    result = finding(base(purposes=purposes, acts=acts))
    assert (result.purpose.status, result.purpose.stage) == (status, stage)
    if stage in ("intended", "attempted"):
        assert any("need not have been removed" in n for n in result.purpose.notes)


@pytest.mark.parametrize(("means_items", "child", "consent_status", "words"), [
    ([means("m1", "deception")], False, "established", "irrelevant because a means"),
    ([], True, "established", "donor was a child"),
    ([], False, "insufficient_facts", "not set aside"),
    ([means("m1", "threat", "alleged")], False, "insufficient_facts", "not set aside"),
], ids=["means-overrides", "child", "no-means", "means-alleged"])
def test_consent_is_irrelevant_once_a_means_is_established(
        means_items: list[dict[str, Any]], child: bool, consent_status: str,
        words: str) -> None:
    doc = base(means=means_items, consents=[{"id": "c1", "person": "alpha",
                                             "content": "consented", "source": "testimony",
                                             "firmness": "established"}])
    if child:
        doc["persons"][0]["age"] = 15
    result = finding(doc).consent
    assert result is not None
    assert result.status == consent_status and words in result.summary


def test_no_consent_finding_without_statements() -> None:
    assert finding(base(**FULL)).consent is None


@pytest.mark.parametrize(("firmness", "status"), [
    ("established", "established"), ("alleged", "insufficient_facts")],
    ids=["established", "alleged"])
def test_conspiracy_without_removal(firmness: str, status: str) -> None:
    doc = base(persons=[person("charlie", "organiser")], acts=[act("a1", "transport")],
               means=[means("m1", "deception")], purposes=[purpose("p1", "intended")],
               agreements=[{"id": "g1", "parties": ["bravo", "charlie"], "victims": ["alpha"],
                            "aim": "bring the donor abroad for a kidney", "source": "document",
                            "firmness": firmness}])
    result = finding(doc)
    assert result.status == "established"
    assert result.inchoate is not None and result.inchoate.status == status
    assert "although no organ was removed" in result.inchoate.summary
    parts = {o.offender: o.status for o in result.offenders}
    assert parts["charlie"] == status


@pytest.mark.parametrize(("doc", "status"), [
    (FULL, "established"),
    ({**FULL, "means": []}, "insufficient_facts"),
    ({**FULL, "acts": [act("a1", "recruitment", "alleged")]}, "insufficient_facts"),
    ({**FULL, "purposes": []}, "insufficient_facts"),
    ({**FULL, "means": [means("m1", "deception", present="no")]}, "not_established"),
], ids=["all-three", "no-means", "act-alleged", "no-purpose", "means-absent"])
def test_overall_needs_all_three_elements(doc: dict[str, Any], status: str) -> None:
    assert finding(base(**doc)).status == status


def test_findings_are_per_victim_and_counted() -> None:
    doc = base(persons=[person("delta", "donor")], **FULL)
    track = trafficking_track(CaseIndex(build(doc)))
    assert [v.victim for v in track.victims] == ["alpha", "delta"]
    assert [v.status for v in track.victims] == ["established", "insufficient_facts"]
    assert track.established_count == 1


# ---- properties ----------------------------------------------------------------------------

KINDS = ["threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
         "abuse_of_vulnerability"]
FIRMNESS = ["established", "alleged", "disputed"]


@st.composite
def means_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(KINDS))
        extra: dict[str, Any] = {}
        if kind == "abuse_of_vulnerability":
            extra = {"vulnerabilities": ["poverty"],
                     "offender_knew": draw(st.sampled_from([*FIRMNESS, None])),
                     "offender_used": draw(st.sampled_from([*FIRMNESS, None]))}
        out.append(means(f"m{i}", kind, draw(st.sampled_from(FIRMNESS)), **extra))
    return out


@st.composite
def act_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    kinds = ["recruitment", "transport", "transfer", "harbouring", "receipt", "removal"]
    return [act(f"a{i}", draw(st.sampled_from(kinds)), draw(st.sampled_from(FIRMNESS)))
            for i in range(draw(st.integers(0, 4)))]


@settings(max_examples=60, deadline=None)
@given(existing=means_lists(), kind=st.sampled_from(KINDS[:-1]))
def test_adding_an_established_means_never_unestablishes_means(
        existing: list[dict[str, Any]], kind: str) -> None:
    before = finding(base(means=existing)).means.status
    after = finding(base(means=[*existing, means("m-new", kind)])).means.status
    assert after == "established"
    assert not (before == "established" and after != "established")


@settings(max_examples=60, deadline=None)
@given(items=means_lists(), acts=act_lists(), age=st.integers(0, 17))
def test_a_child_victim_never_needs_means(items: list[dict[str, Any]],
                                          acts: list[dict[str, Any]], age: int) -> None:
    with_means = base(means=items, acts=acts, purposes=[purpose("p1")])
    with_means["persons"][0]["age"] = age
    without = base(acts=acts, purposes=[purpose("p1")])
    without["persons"][0]["age"] = age
    result = finding(with_means)
    assert result.means.status == "not_required"
    assert result.status == finding(without).status


@settings(max_examples=60, deadline=None)
@given(items=means_lists(), acts=act_lists())
def test_removing_all_acts_never_leaves_the_act_established(
        items: list[dict[str, Any]], acts: list[dict[str, Any]]) -> None:
    doc = base(means=items, acts=acts, purposes=[purpose("p1")])
    doc["acts"] = []
    result = finding(doc)
    assert result.act.status != "established"
    assert result.status != "established"
