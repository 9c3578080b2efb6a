"""JSON Schemas generated from the models, and their shipped copies.

The shipped files (``data/fact-pattern.schema.json``, ``data/jurisdictions/
jurisdiction.schema.json``) are what other tools read; tests check they equal what these
functions generate, so the model and the published schema cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

from tipor.law.facts import FactPattern
from tipor.law.jurisdictions import jurisdiction_json_schema


def fact_pattern_json_schema() -> dict[str, Any]:
    """The JSON Schema of a fact pattern."""
    schema = FactPattern.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://tipor.invalid/schemas/fact-pattern.schema.json"
    return schema


def render_schema(schema: dict[str, Any]) -> str:
    """Stable text for a schema file."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def shipped_schemas() -> dict[str, str]:
    """Path under ``tipor/law/data`` -> the text that file must contain."""
    return {
        "fact-pattern.schema.json": render_schema(fact_pattern_json_schema()),
        "jurisdictions/jurisdiction.schema.json": render_schema(jurisdiction_json_schema()),
    }
