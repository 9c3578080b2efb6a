"""The shipped fact-pattern schema matches the model, and the case files satisfy it."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import yaml

from tipor.law.engine import qualify
from tipor.law.jurisdictions import load_jurisdictions
from tipor.law.schema import fact_pattern_json_schema, shipped_schemas
from tipor.law.validate import parse_fact_pattern

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


@pytest.mark.parametrize("rel", sorted(shipped_schemas()))
def test_shipped_schema_file_equals_generated(rel: str) -> None:
    shipped = (files("tipor.law") / "data" / rel).read_text(encoding="utf-8")
    assert shipped == shipped_schemas()[rel], f"regenerate {rel} from the model"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_files_validate_against_the_json_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")),
                        fact_pattern_json_schema())


def test_schema_rejects_an_unknown_role() -> None:
    doc = {"title": "x", "persons": [{"id": "a", "label": "Testperson Alpha", "roles": ["wizard"],
                                      "source": "testimony", "firmness": "established"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, fact_pattern_json_schema())


def test_schema_is_json_serialisable() -> None:
    assert json.loads(json.dumps(fact_pattern_json_schema()))["title"] == "FactPattern"


def test_the_documented_example_parses_and_qualifies() -> None:
    doc = Path(__file__).parents[2] / "docs" / "formats" / "fact-pattern.md"
    text = doc.read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    report = qualify(parse_fact_pattern(yaml.safe_load(example)), load_jurisdictions())
    [victim] = report.trafficking.victims
    assert victim.status == "established"
    assert any("knew of Testperson Alpha's debt" in n for n in victim.means.notes)
