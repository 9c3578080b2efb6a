"""Loader: every schema and cross-file problem is reported with file, id, field and a fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.catalogue.factory import raw_files, write_catalogue
from tipor.catalogue import load_catalogue, validate_catalogue
from tipor.exceptions import CatalogueError

Files = dict[str, Any]


def _vic(files: Files, n: int = 0) -> dict[str, Any]:
    entry: dict[str, Any] = files["indicators/victim.yaml"]["indicators"][n]
    return entry


def _drop_urdu(f: Files) -> None:
    del _vic(f, 1)["label"]["ur"]


def _empty_french_question(f: Files) -> None:
    _vic(f)["questions"]["default"]["fr"] = "  "


def _extra_key(f: Files) -> None:
    _vic(f)["strenght"] = "strong"


def _bad_observer(f: Files) -> None:
    _vic(f)["observers"] = ["police", "judge"]


def _means_without_name(f: Files) -> None:
    _vic(f)["evidences"] = [{"element": "means"}]


def _means_on_purpose(f: Files) -> None:
    _vic(f)["evidences"] = [{"element": "purpose", "means": "threat"}]


def _wrong_prefix(f: Files) -> None:
    f["indicators/control.yaml"]["indicators"][0]["id"] = "VIC-09"


def _duplicate_id(f: Files) -> None:
    f["indicators/documents.yaml"]["indicators"][0]["id"] = "DOC-01"
    f["indicators/documents.yaml"]["indicators"].append(
        dict(f["indicators/documents.yaml"]["indicators"][0]))


def _unknown_case(f: Files) -> None:
    _vic(f)["seen_in"] = ["medicus", "atlantis_2030"]


def _no_sources(f: Files) -> None:
    _vic(f)["sources"] = []


def _unknown_include(f: Files) -> None:
    f["profiles.yaml"]["profiles"][1]["include"].append("MED-99")


def _small_profile(f: Files) -> None:
    f["profiles.yaml"]["profiles"][1]["include"] = []


def _question_for_absent_observer(f: Files) -> None:
    _vic(f, 1)["questions"]["fiu"] = dict(_vic(f, 1)["questions"]["default"])


def _group_mismatch(f: Files) -> None:
    f["indicators/broker.yaml"]["group"] = "medical"


def _missing_file(f: Files) -> None:
    del f["indicators/financial.yaml"]


def _bad_yaml(f: Files) -> None:
    f["cases.yaml"] = "cases: [unclosed"


def _missing_translation_status(f: Files) -> None:
    del f["indicators/medical.yaml"]["translations"]["fa"]


CASES: list[tuple[str, Callable[[Files], None], str, str]] = [
    ("missing-language", _drop_urdu, "indicators/victim.yaml [VIC-02] label.ur",
     "Urdu (ur) text is missing"),
    ("empty-text", _empty_french_question,
     "indicators/victim.yaml [VIC-01] questions.default.fr", "write the text"),
    ("extra-key", _extra_key, "indicators/victim.yaml [VIC-01] strenght",
     "correct its spelling"),
    ("bad-enum", _bad_observer, "indicators/victim.yaml [VIC-01] observers #2", "'judge'"),
    ("means-unnamed", _means_without_name, "indicators/victim.yaml [VIC-01] evidences #1",
     "needs `means:`"),
    ("means-misplaced", _means_on_purpose, "indicators/victim.yaml [VIC-01] evidences #1",
     "only allowed with element: means"),
    ("prefix", _wrong_prefix, "indicators/control.yaml [VIC-09] id", "must start with CTL-"),
    ("duplicate-id", _duplicate_id, "indicators/documents.yaml [DOC-01] id", "duplicate id"),
    ("unknown-case", _unknown_case, "indicators/victim.yaml [VIC-01] seen_in",
     "'atlantis_2030'"),
    ("no-source", _no_sources, "indicators/victim.yaml [VIC-01] sources",
     "add at least one entry"),
    ("unknown-include", _unknown_include, "profiles.yaml [inspection] include", "'MED-99'"),
    ("profile-too-small", _small_profile, "profiles.yaml [inspection]", "fewer than 5"),
    ("question-observer", _question_for_absent_observer,
     "indicators/victim.yaml [VIC-02] questions.fiu", "not in this indicator's observers"),
    ("group-mismatch", _group_mismatch, "indicators/broker.yaml group", "rename the file"),
    ("missing-file", _missing_file, "indicators/financial.yaml", "file is missing"),
    ("bad-yaml", _bad_yaml, "cases.yaml", "not valid YAML"),
    ("translation-status", _missing_translation_status,
     "indicators/medical.yaml translations.fa", "add this field"),
]


@pytest.mark.parametrize(("breaker", "where", "what"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_problem_is_reported_with_location_and_fix(
    tmp_path: Path, breaker: Callable[[Files], None], where: str, what: str
) -> None:
    files = raw_files()
    breaker(files)
    write_catalogue(tmp_path, files)
    problems = validate_catalogue(tmp_path)
    assert any(p == where and what in m for p, m in problems), problems
    with pytest.raises(CatalogueError) as info:
        load_catalogue(tmp_path)
    assert (where, next(m for p, m in problems if p == where)) in info.value.problems


def test_fixture_catalogue_is_valid(tmp_path: Path) -> None:
    assert validate_catalogue(write_catalogue(tmp_path)) == []


def test_all_problems_are_listed_not_only_the_first(tmp_path: Path) -> None:
    files = raw_files()
    for breaker in (_drop_urdu, _extra_key, _wrong_prefix, _bad_yaml):
        breaker(files)
    write_catalogue(tmp_path, files)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(tmp_path)
    paths = {p for p, _ in info.value.problems}
    assert paths == {"indicators/victim.yaml [VIC-02] label.ur",
                     "indicators/victim.yaml [VIC-01] strenght",
                     "indicators/control.yaml [VIC-09] id", "cases.yaml"}
    assert "4 problem(s)" in info.value.message


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    write_catalogue(tmp_path)
    path = tmp_path / "profiles.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "schema_version: 1\n", encoding="utf-8")
    problems = validate_catalogue(tmp_path)
    assert any(p == "profiles.yaml" and "duplicate key 'schema_version'" in m
               for p, m in problems)


def test_yaml_boolean_text_gets_a_quoting_hint(tmp_path: Path) -> None:
    files = raw_files()
    _vic(files)["label"]["es"] = False
    write_catalogue(tmp_path, files)
    problems = dict(validate_catalogue(tmp_path))
    assert "quote the text" in problems["indicators/victim.yaml [VIC-01] label.es"]


def test_unexpected_indicator_file_is_reported(tmp_path: Path) -> None:
    files = raw_files()
    files["indicators/victims.yaml"] = files["indicators/victim.yaml"]
    write_catalogue(tmp_path, files)
    problems = dict(validate_catalogue(tmp_path))
    assert "unexpected file" in problems["indicators/victims.yaml"]
