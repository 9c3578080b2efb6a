"""Screening engine on the fixture catalogue: levels, flags, elements, next steps, errors."""

from __future__ import annotations

import pytest

from tests.catalogue.factory import build_catalogue
from tipor.catalogue.schema import Answer, Element, Level, Means, Service, Urgent
from tipor.exceptions import UnknownValue, ValidationFailed
from tipor.screening import ENGINE_VERSION, ScreeningRequest, result_to_dict, screen
from tipor.screening.models import Observation, ScreeningResult
from tipor.screening.steps import merge_referrals

CAT = build_catalogue()


def run(answers: dict[str, str], profile: str = "encounter", **kw: object) -> ScreeningResult:
    obs = {k: Observation(answer=Answer(v)) for k, v in answers.items()}
    request = ScreeningRequest.model_validate(
        {"profile": profile, "catalogue_version": CAT.version, "observations": obs, **kw})
    return screen(CAT, request)


def yes(*ids: str) -> dict[str, str]:
    return dict.fromkeys(ids, "yes")


LEVELS = [
    ("nothing-answered", {}, Level.none, 0),
    ("all-no", dict.fromkeys(["BRK-01", "VIC-01", "VIC-02", "CTL-01"], "no"), Level.none, 0),
    ("one-weak", yes("VIC-03"), Level.low, 1),
    ("weak-and-medium", yes("VIC-02", "VIC-03"), Level.low, 3),
    ("two-medium", yes("VIC-02", "CTL-02"), Level.medium, 4),
    ("one-strong", yes("VIC-01"), Level.medium, 3),
    ("two-strong", yes("VIC-01", "CTL-01"), Level.high, 6),
    ("nine-points-no-strong", yes("VIC-02", "CTL-02", "DOC-01", "VIC-03", "BRK-01"),
     Level.high, 9),
    ("act-means-purpose-under-six", yes("VIC-01", "VIC-02"), Level.medium, 5),
    ("act-means-purpose-six", yes("VIC-01", "VIC-02", "VIC-03"), Level.high, 6),
]


@pytest.mark.parametrize(("answers", "level", "points"), [c[1:] for c in LEVELS],
                         ids=[c[0] for c in LEVELS])
def test_level_table(answers: dict[str, str], level: Level, points: int) -> None:
    result = run(answers)
    assert (result.level, result.points) == (level, points)
    assert result.level_reason


def test_unknown_is_not_no() -> None:
    blank, all_no = run({}), run(dict.fromkeys([i.id for i in CAT.indicators_for("encounter")],
                                               "no"))
    assert blank.level == all_no.level == Level.none
    assert blank.confidence.share == 0.0 and all_no.confidence.share == 1.0
    assert len(blank.unanswered) == 8 and all_no.unanswered == ()
    assert len(blank.next_steps.questions) == 8 and all_no.next_steps.questions == ()


def test_confidence_is_answered_share_of_profile_weight() -> None:
    c = run({"VIC-01": "yes", "VIC-02": "no"}).confidence
    assert (c.answered_weight, c.total_weight, c.answered, c.total) == (5, 18, 2, 8)
    assert c.share == 0.278


def test_urgent_flags_come_from_yes_answers_in_fixed_order() -> None:
    result = run({"CTL-01": "yes", "VIC-01": "yes", "VIC-04": "yes"})
    assert [(f.flag, f.indicators) for f in result.urgent] == [
        (Urgent.child, ("VIC-04",)), (Urgent.medical_emergency, ("VIC-01",)),
        (Urgent.immediate_danger, ("CTL-01",))]
    assert run({"VIC-01": "unknown", "VIC-04": "no"}).urgent == ()


def _referrals(result: ScreeningResult) -> list[tuple[Service, int | None]]:
    return [(r.service, r.within_hours) for r in result.next_steps.referrals]


REFERRALS = [
    ("medical-emergency-now", yes("VIC-01"), [
        (Service.medical_examination, 0), (Service.medical_aftercare, None),
        (Service.legal_aid, None), (Service.law_enforcement, None)]),
    ("child-now", yes("VIC-04"), [
        (Service.child_protection, 0), (Service.legal_aid, None),
        (Service.law_enforcement, None)]),
    ("danger-shelter-tightest", yes("CTL-01"), [
        (Service.law_enforcement, 0), (Service.shelter, 24), (Service.legal_aid, None)]),
    ("high-law-enforcement-24h", yes("VIC-02", "CTL-02", "DOC-01", "VIC-03", "BRK-01"), [
        (Service.law_enforcement, 24), (Service.legal_aid, None)]),
    ("low-no-referral", yes("VIC-03"), []),
]


@pytest.mark.parametrize(("answers", "expected"), [c[1:] for c in REFERRALS],
                         ids=[c[0] for c in REFERRALS])
def test_referral_rules(
    answers: dict[str, str], expected: list[tuple[Service, int | None]]
) -> None:
    result = run(answers)
    assert _referrals(result) == expected
    assert all(r.immediate == (r.within_hours == 0) for r in result.next_steps.referrals)


@pytest.mark.parametrize(("rules", "hours"), [
    ([(Service.shelter, 48, "a"), (Service.shelter, None, "b")], 48),
    ([(Service.shelter, None, "a"), (Service.shelter, 72, "b")], 72),
    ([(Service.shelter, None, "a"), (Service.shelter, None, "b")], None),
    ([(Service.shelter, 12, "a"), (Service.shelter, 0, "b"), (Service.shelter, 6, "c")], 0),
], ids=["deadline-beats-none", "none-then-deadline", "no-deadline", "tightest"])
def test_tightest_deadline_wins(rules: list[tuple[Service, int | None, str]],
                                hours: int | None) -> None:
    assert merge_referrals(rules)[Service.shelter][0] == hours


def test_referral_reasons_name_indicators_and_rules() -> None:
    ref = run(yes("VIC-01")).next_steps.referrals[0]
    assert ref.reasons == ("VIC-01", "rule: medical emergency")
    assert ref.title == "Medical examination"


def test_questions_strongest_first_in_language_and_observer_wording() -> None:
    result = run({"VIC-02": "yes"}, language="ur", observer="police")
    questions = result.next_steps.questions
    assert [q.indicator for q in questions] == [
        "VIC-04", "CTL-01", "VIC-01", "BRK-01", "DOC-01", "CTL-02", "VIC-03"]
    assert questions[2].question == "police VIC-01? [ur]"
    assert questions[0].question == "question VIC-04? [ur]"
    assert result.level_title == "کم" and result.contributions[0].label == "label BRK-01 [ur]"


def test_evidence_from_yes_and_strong_unknowns() -> None:
    steps = run({"VIC-02": "yes", "CTL-01": "no"}).next_steps.evidence
    assert [(s.indicator, s.because) for s in steps] == [
        ("VIC-02", "answered_yes"), ("VIC-04", "strong_unknown"), ("VIC-01", "strong_unknown")]
    assert steps[0].items == ("record for VIC-02",)


def test_legal_elements_supported_and_open() -> None:
    found = {(f.element, f.means): f for f in run({"VIC-02": "yes", "VIC-04": "no"}).elements}
    act = found[(Element.act, None)]
    assert (act.supported, act.supported_by, act.acts) == (True, ("VIC-02",), ("recruitment",))
    assert act.open_questions == ("BRK-01",)
    assert found[(Element.means, None)].supported_by == ("VIC-02",)
    assert found[(Element.means, Means.deception)].supported
    assert not found[(Element.means, Means.coercion)].supported
    assert found[(Element.means, Means.coercion)].open_questions == ("CTL-01",)
    purpose = found[(Element.purpose, None)]
    assert (purpose.supported, purpose.open_questions) == (False, ("VIC-01",))
    assert found[(Element.organ_trade, None)].open_questions == ()
    assert len(found) == 4 + len(Means)


def test_indicator_outside_profile_is_counted_and_reported() -> None:
    result = run({"MED-01": "yes"})
    assert result.outside_profile == ("MED-01",)
    assert result.level == Level.medium and result.points == 3
    outside = [c for c in result.contributions if c.indicator == "MED-01"]
    assert len(outside) == 1 and not outside[0].in_profile
    assert result.confidence.answered == 0
    assert any("not part of profile 'encounter'" in n for n in result.notes)


def test_notes_explain_child_and_consent() -> None:
    notes = " ".join(run(yes("VIC-04", "VIC-02")).notes)
    assert "Art. 3(c)" in notes and "Art. 3(b)" in notes


def test_note_and_source_are_kept() -> None:
    obs = {"VIC-01": Observation(answer=Answer.yes, note="fresh scar", source="officer Test")}
    request = ScreeningRequest(profile="encounter", catalogue_version=CAT.version,
                               observations=obs)
    row = next(c for c in screen(CAT, request).contributions if c.indicator == "VIC-01")
    assert (row.note, row.source, row.points) == ("fresh scar", "officer Test", 3)


def test_result_records_versions_and_is_reproducible() -> None:
    answers = {"VIC-01": "yes", "CTL-02": "no", "MED-01": "unknown"}
    first, second = run(answers), run(dict(reversed(list(answers.items()))))
    assert first == second and result_to_dict(first) == result_to_dict(second)
    assert (first.engine_version, first.catalogue_version) == (ENGINE_VERSION, "2026.11.1")
    assert ENGINE_VERSION == "screening-1"


ERRORS = [
    ("profile", {"profile": "nowhere"}, UnknownValue, ["'nowhere'", "encounter, inspection"]),
    ("language", {"language": "de"}, UnknownValue, ["'de'", "en, ur, ar, fa, es, fr"]),
    ("observer", {"observer": "judge"}, UnknownValue, ["'judge'", "police", "border_officer"]),
    ("version", {"catalogue_version": "2025.1.1"}, ValidationFailed,
     ["'2025.1.1'", "'2026.11.1'"]),
]


@pytest.mark.parametrize(("overrides", "error", "words"), [c[1:] for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_bad_request_names_bad_value_and_valid_ones(
    overrides: dict[str, str], error: type[Exception], words: list[str]
) -> None:
    fields = {"profile": "encounter", "catalogue_version": CAT.version, **overrides}
    with pytest.raises(error) as info:
        screen(CAT, ScreeningRequest.model_validate(fields))
    assert type(info.value) is error
    assert all(w in str(info.value) for w in words), str(info.value)


def test_unknown_indicator_ids_are_all_listed() -> None:
    with pytest.raises(UnknownValue) as info:
        run({"VIC-77": "yes", "XYZ-01": "no"})
    assert info.value.value == "VIC-77" and "VIC-01" in info.value.valid
    assert [p for p, _ in info.value.problems] == ["observations.VIC-77", "observations.XYZ-01"]
