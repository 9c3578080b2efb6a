"""Screening input parsing, result dumping and the shipped JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.catalogue.factory import build_catalogue
from tipor.catalogue.schema import Answer
from tipor.catalogue.schema_export import dumps_schema
from tipor.exceptions import ValidationFailed
from tipor.screening import parse_screening_input, result_to_dict, screen
from tipor.screening.formats import (
    DATA,
    INPUT_SCHEMA,
    RESULT_SCHEMA,
    input_schema,
    result_schema,
)

CAT = build_catalogue()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "formats" / "screening.md"

YAML_INPUT = """
profile: encounter
observer: police
language: ur
catalogue_version: "2026.11.1"
observations:
  VIC-01: yes
  VIC-02: {answer: no, note: "says the job was real", source: "interview, Testperson Alpha"}
  CTL-01: unknown
  DOC-01: {answer: yes}
"""


def test_yaml_shorthand_and_booleans_are_read_as_answers() -> None:
    request = parse_screening_input(yaml.safe_load(YAML_INPUT))
    assert {k: v.answer for k, v in request.observations.items()} == {
        "VIC-01": Answer.yes, "VIC-02": Answer.no, "CTL-01": Answer.unknown,
        "DOC-01": Answer.yes}
    assert request.observations["VIC-02"].source == "interview, Testperson Alpha"
    assert (request.language, request.observer, request.schema_version) == ("ur", "police", 1)


BAD = [
    ("bad-answer", {"observations": {"VIC-01": "maybe"}}, "observations.VIC-01.answer",
     ["'maybe'", "'yes', 'no' or 'unknown'"]),
    ("bad-answer-object", {"observations": {"VIC-01": {"answer": "probably"}}},
     "observations.VIC-01.answer", ["'probably'", "'yes', 'no' or 'unknown'"]),
    ("missing-profile", {"profile": None}, "profile", ["profile is required"]),
    ("extra-field", {"colour": "red"}, "colour", ["Extra inputs are not permitted", "'red'"]),
    ("extra-observation-field", {"observations": {"VIC-01": {"answer": "yes", "who": "x"}}},
     "observations.VIC-01.who", ["Extra inputs"]),
    ("wrong-schema-version", {"schema_version": 2}, "schema_version", ["1", "got 2"]),
]


@pytest.mark.parametrize(("change", "path", "words"), [c[1:] for c in BAD],
                         ids=[c[0] for c in BAD])
def test_input_errors_name_path_value_and_choices(
    change: dict[str, object], path: str, words: list[str]
) -> None:
    doc: dict[str, object] = {"profile": "encounter", "catalogue_version": "2026.11.1", **change}
    doc = {k: v for k, v in doc.items() if v is not None}
    with pytest.raises(ValidationFailed) as info:
        parse_screening_input(doc)
    problems = dict(info.value.problems)
    assert path in problems, problems
    assert all(w in problems[path] for w in words), problems[path]


def test_every_problem_is_listed() -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_screening_input({"observations": {"A": "maybe", "B": "perhaps"}})
    paths = {p for p, _ in info.value.problems}
    assert {"profile", "catalogue_version", "observations.A.answer",
            "observations.B.answer"} <= paths


def test_non_mapping_input_is_rejected() -> None:
    with pytest.raises(ValidationFailed, match="must be a mapping"):
        parse_screening_input(["VIC-01", "yes"])


@pytest.mark.parametrize(("name", "make"), [(INPUT_SCHEMA, input_schema),
                                            (RESULT_SCHEMA, result_schema)],
                         ids=["input", "result"])
def test_shipped_schemas_equal_generated(name: str, make: object) -> None:
    assert callable(make)
    assert (DATA / name).read_text(encoding="utf-8") == dumps_schema(make()), \
        "regenerate with tipor.screening.formats.write_schemas()"


def test_result_dict_is_json_and_fits_the_result_schema() -> None:
    request = parse_screening_input(yaml.safe_load(YAML_INPUT))
    out = result_to_dict(screen(CAT, request))
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out
    jsonschema.validate(out, json.loads((DATA / RESULT_SCHEMA).read_text(encoding="utf-8")))
    assert out["level"] == "medium" and out["urgent"][0]["flag"] == "medical_emergency"


def test_input_schema_accepts_json_input_and_rejects_bad_answer() -> None:
    schema = json.loads((DATA / INPUT_SCHEMA).read_text(encoding="utf-8"))
    good = {"profile": "encounter", "catalogue_version": "2026.11.1",
            "observations": {"VIC-01": "yes", "VIC-02": {"answer": "no"}}}
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "observations": {"VIC-01": "maybe"}}, schema)


def _doc_blocks(lang: str) -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    return [b.split("\n", 1)[1] for b in text.split("```")[1::2] if b.startswith(lang + "\n")]


def test_documented_input_examples_are_valid() -> None:
    schema = json.loads((DATA / INPUT_SCHEMA).read_text(encoding="utf-8"))
    yaml_blocks, json_blocks = _doc_blocks("yaml"), _doc_blocks("json")
    assert yaml_blocks and json_blocks
    for block in yaml_blocks:
        parse_screening_input(yaml.safe_load(block))
    for block in json_blocks:
        doc = json.loads(block)
        jsonschema.validate(doc, schema)
        parse_screening_input(doc)
