"""Catalogue queries: lookups, profile selection and order, texts, translation status, filter."""

from __future__ import annotations

import dataclasses

import pytest

from tests.catalogue.factory import build_catalogue
from tipor.catalogue.schema import Group, TranslationStatus
from tipor.exceptions import UnknownValue

CAT = build_catalogue()


def test_indicators_are_in_group_then_file_order() -> None:
    assert [i.id for i in CAT.indicators] == [
        "VIC-01", "VIC-02", "VIC-03", "VIC-04", "CTL-01", "CTL-02", "REC-01", "BRK-01",
        "MED-01", "FIN-01", "DOC-01"]


@pytest.mark.parametrize(("profile", "expected"), [
    # recruitment (medium before weak), documents (strong first), housing, transplant
    ("encounter", ["BRK-01", "VIC-02", "VIC-03", "VIC-04", "DOC-01", "CTL-01", "CTL-02",
                   "VIC-01"]),
    # CTL-02 matches observer and group but is excluded; REC/FIN/VIC/DOC come via include
    ("inspection", ["DOC-01", "MED-01", "VIC-01", "REC-01", "FIN-01"]),
], ids=["observers-and-groups", "include-exclude"])
def test_profile_selection_and_order(profile: str, expected: list[str]) -> None:
    assert [i.id for i in CAT.indicators_for(profile)] == expected


@pytest.mark.parametrize(("call", "kind", "bad"), [
    (lambda: CAT.indicator("VIC-99"), "indicator", "VIC-99"),
    (lambda: CAT.profile("nope"), "profile", "nope"),
    (lambda: CAT.indicators_for("nope"), "profile", "nope"),
    (lambda: CAT.case("atlantis"), "case", "atlantis"),
    (lambda: CAT.label("VIC-01", "de"), "language", "de"),
    (lambda: CAT.question("VIC-01", "judge", "en"), "observer", "judge"),
    (lambda: CAT.filter(group="villains"), "group", "villains"),
    (lambda: CAT.title("stages", "flight", "en"), "stages", "flight"),
], ids=["indicator", "profile", "indicators_for", "case", "language", "observer", "group",
        "title-code"])
def test_unknown_values_name_the_value_and_the_valid_ones(call, kind, bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownValue) as info:
        call()
    assert info.value.kind == kind and info.value.value == bad
    assert repr(bad) in info.value.message and "valid values:" in info.value.message
    assert info.value.valid


def test_valid_lists_are_real_choices() -> None:
    with pytest.raises(UnknownValue) as info:
        CAT.profile("nope")
    assert info.value.valid == ["encounter", "inspection"]


@pytest.mark.parametrize(("observer", "lang", "expected"), [
    ("police", "en", "police VIC-01?"),
    ("police", "ur", "police VIC-01? [ur]"),
    ("ngo", "fr", "question VIC-01? [fr]"),
    (None, "en", "question VIC-01?"),
], ids=["own-wording", "own-wording-urdu", "falls-back", "no-observer"])
def test_question_wording(observer: str | None, lang: str, expected: str) -> None:
    assert CAT.question("VIC-01", observer, lang) == expected


def test_texts_titles_and_labels() -> None:
    assert CAT.label("CTL-01", "ar") == "label CTL-01 [ar]"
    assert CAT.text(CAT.profile("encounter").title, "es") == "Encounter [es]"
    assert CAT.title("stages", "transplant", "en") == "Transplant"
    assert CAT.title("levels", "none", "fr") == "Aucun indice"
    assert CAT.version == "2026.11.1"
    assert [(lang.code, lang.direction) for lang in CAT.languages if lang.direction == "rtl"] \
        == [("ur", "rtl"), ("ar", "rtl"), ("fa", "rtl")]


def test_translation_status_per_file_and_language() -> None:
    assert CAT.translation_status("victim", "en") is TranslationStatus.source
    assert CAT.translation_status("victim", "ur") is TranslationStatus.draft
    assert CAT.indicator_translation_status("MED-01", "fa") is TranslationStatus.draft
    assert CAT.group_of("MED-01") is Group.medical


def test_filter_by_group_and_language() -> None:
    rows = CAT.filter(group="control", lang="ur")
    assert [(r.id, r.label, r.translation) for r in rows] == [
        ("CTL-01", "label CTL-01 [ur]", TranslationStatus.draft),
        ("CTL-02", "label CTL-02 [ur]", TranslationStatus.draft)]
    assert len(CAT.filter()) == len(CAT.indicators)
    assert CAT.filter()[0].translation is TranslationStatus.source


def test_catalogue_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CAT.profiles = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        CAT.files[Group.victim] = CAT.files[Group.control]  # type: ignore[index]
    with pytest.raises(ValueError, match="frozen"):
        CAT.indicator("VIC-01").strength = "weak"  # type: ignore[misc, assignment]
