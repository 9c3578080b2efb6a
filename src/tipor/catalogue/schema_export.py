"""JSON Schema of the indicator file format, generated from the pydantic models.

The shipped ``data/indicator-file.schema.json`` is this function's output; a test keeps them equal.
Regenerate after changing ``tipor.catalogue.schema`` by calling ``write_indicator_schema()``
(and ``tipor.screening.formats.write_schemas()`` for the screening formats).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tipor.catalogue.schema import IndicatorFile

SCHEMA_ID = "https://tipor.example/schemas/indicator-file.schema.json"
SCHEMA_FILE = Path(__file__).parent / "data" / "indicator-file.schema.json"


def indicator_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one ``indicators/<group>.yaml`` file."""
    schema = IndicatorFile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def dumps_schema(schema: dict[str, Any]) -> str:
    """Stable text form used for every shipped schema."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_indicator_schema(path: Path | None = None) -> Path:
    """Write the schema (default: the packaged file) and return where it went."""
    target = path or SCHEMA_FILE
    target.write_text(dumps_schema(indicator_file_schema()), encoding="utf-8")
    return target
