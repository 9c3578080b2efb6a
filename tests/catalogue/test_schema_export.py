"""The shipped JSON Schema equals the generated one and checks real files."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.catalogue.factory import INDICATORS, indicator_file
from tipor.catalogue.loader import packaged_data
from tipor.catalogue.schema_export import dumps_schema, indicator_file_schema


def test_shipped_schema_equals_generated() -> None:
    shipped = (packaged_data() / "indicator-file.schema.json").read_text(encoding="utf-8")
    assert shipped == dumps_schema(indicator_file_schema()), \
        "regenerate with tipor.catalogue.schema_export.write_indicator_schema()"


def test_schema_accepts_a_valid_file_and_rejects_a_missing_language() -> None:
    schema = json.loads((packaged_data() / "indicator-file.schema.json").read_text("utf-8"))
    good = json.loads(json.dumps(indicator_file("victim", INDICATORS["victim"])))
    jsonschema.validate(good, schema)
    del good["indicators"][0]["label"]["fa"]
    with pytest.raises(jsonschema.ValidationError, match="'fa' is a required property"):
        jsonschema.validate(good, schema)
