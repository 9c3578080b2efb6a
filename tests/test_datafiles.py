"""The strict YAML reader and the versioned, schema-checked translation files."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
import yaml

from tipor.datafiles import load_yaml
from tipor.i18n import data_version, label_file_problems, read_label_file

DATA = resources.files("tipor.i18n") / "data"
LABEL_FILES = sorted(p.name for p in DATA.iterdir()
                     if p.name.endswith(".yaml") and not p.name.startswith("_"))


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",
    "outer:\n  inner: x\n  inner: y\n",
    "- id: X\n  label: one\n  label: two\n",
])
def test_duplicate_keys_are_refused_with_the_line(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as err:
        load_yaml(text)
    assert "duplicate key" in str(err.value) and "line" in str(err.value)


def test_distinct_keys_load_as_safe_load_would() -> None:
    text = "a: 1\nb: [x, y]\nc: {d: e}\n"
    assert load_yaml(text) == yaml.safe_load(text)


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']")


@pytest.mark.parametrize("name", LABEL_FILES)
def test_every_label_file_matches_its_schema(name: str) -> None:
    schema = json.loads((DATA / "label-file.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(load_yaml((DATA / name).read_text(encoding="utf-8")), schema)
    assert read_label_file(name)


@pytest.mark.parametrize("data,fragment", [
    (["a", "b"], "mapping"),
    ({"Case.Title": "x"}, "dotted lower-case"),
    ({"case.title": True}, "non-empty string"),
    ({"case.title": "  "}, "non-empty string"),
])
def test_bad_label_tables_are_named(data: object, fragment: str) -> None:
    assert any(fragment in p for p in label_file_problems(data))


def test_label_files_are_versioned() -> None:
    assert data_version().startswith("i18n-")
