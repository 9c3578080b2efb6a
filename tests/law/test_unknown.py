"""Unknown is not false: an element with no facts either way is insufficient facts, never
"not established" (issue 8)."""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.law.factories import act, base, build, means, payment, purpose
from tipor.law.engine import qualify
from tipor.law.jurisdictions import load_jurisdictions
from tipor.law.report import QualificationReport

FIRMNESS = ["established", "alleged", "disputed"]
PRESENCE = ["yes", "no", "unknown"]


@cache
def _jurisdictions() -> Any:
    return load_jurisdictions()


def report(doc: dict[str, Any]) -> QualificationReport:
    return qualify(build(doc), _jurisdictions())


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Any]:
    """A synthetic pattern in which each kind of fact may be missing entirely."""
    doc = base()
    if draw(st.booleans()):
        doc["acts"] = [act(f"a{i}", draw(st.sampled_from(["recruitment", "transport",
                                                          "harbouring"])),
                           draw(st.sampled_from(FIRMNESS)),
                           present=draw(st.sampled_from(PRESENCE)),
                           stage=draw(st.sampled_from(["completed", "attempted", "unknown"])))
                       for i in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        doc["means"] = [means(f"m{i}", draw(st.sampled_from(["threat", "deception", "force"])),
                              draw(st.sampled_from(FIRMNESS)),
                              present=draw(st.sampled_from(PRESENCE)))
                        for i in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        doc["purposes"] = [purpose("p1", draw(st.sampled_from(["intended", "unknown"])),
                                   draw(st.sampled_from(FIRMNESS)))]
    if draw(st.booleans()):
        doc["payments"] = [payment("pay1", "bravo", "alpha", firmness=draw(
            st.sampled_from(FIRMNESS)))]
    return doc


@settings(max_examples=60, deadline=None)
@given(doc=facts())
def test_an_element_with_no_facts_is_never_not_established(doc: dict[str, Any]) -> None:
    [victim] = report(doc).trafficking.victims
    if not doc.get("acts"):
        assert victim.act.status == "insufficient_facts" and victim.act.evidence_needed
    if not doc.get("means"):
        assert victim.means.status == "insufficient_facts" and victim.means.evidence_needed
    if not doc.get("purposes"):
        assert victim.purpose.status == "insufficient_facts"
    if not (doc.get("acts") and doc.get("means") and doc.get("purposes")):
        assert victim.status != "not_established" or any(
            f.status == "not_established" and f.rests_on
            for f in (victim.act, victim.means, victim.purpose))


@settings(max_examples=40, deadline=None)
@given(doc=facts())
def test_not_established_always_rests_on_facts(doc: dict[str, Any]) -> None:
    rep = report(doc)
    [victim] = rep.trafficking.victims
    for f in (victim.act, victim.means, victim.purpose):
        assert f.status != "not_established" or f.rests_on
    for t in rep.organ_trade.findings:
        if t.subject == "(none)":
            assert t.finding.status == "insufficient_facts"


def test_an_empty_pattern_finds_nothing_not_established() -> None:
    rep = report(base())
    [victim] = rep.trafficking.victims
    assert {victim.act.status, victim.means.status, victim.purpose.status,
            victim.status} == {"insufficient_facts"}
    assert all(t.finding.status == "insufficient_facts" for t in rep.organ_trade.findings)
    aggs = {a.kind: a.status for a in rep.organ_trade.aggravations}
    assert aggs["organised_group"] == aggs["death_or_serious_harm"] == "insufficient_facts"
    assert any("medically examined" in e.text for e in rep.evidence_needed)
