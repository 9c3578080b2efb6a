"""Screening documents: parse an input document (from JSON or YAML) and dump a result.

The formats are described in docs/formats/screening.md; their JSON Schemas are shipped in
``tipor/screening/data`` and generated from ``tipor.screening.models`` by the functions below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tipor.catalogue.schema_export import dumps_schema
from tipor.exceptions import ValidationFailed
from tipor.screening.models import ScreeningRequest, ScreeningResult

DATA = Path(__file__).parent / "data"
SCHEMA_BASE = "https://tipor.example/schemas/"
INPUT_SCHEMA = "screening-input.schema.json"
RESULT_SCHEMA = "screening-result.schema.json"


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(root)"


def _problem(err: dict[str, Any]) -> tuple[str, str]:
    path = _dotted(tuple(err["loc"]))
    if err["type"] == "missing":
        return path, f"{path} is required"
    return path, f"{err['msg']} (got {err.get('input')!r:.80})"


def parse_screening_input(document: object) -> ScreeningRequest:
    """A typed request from a parsed JSON/YAML document; ``ValidationFailed`` lists all problems."""
    if not isinstance(document, dict):
        msg = f"a screening input must be a mapping (JSON object), got {type(document).__name__}"
        raise ValidationFailed(msg, [("(root)", msg)])
    try:
        return ScreeningRequest.model_validate(document)
    except ValidationError as exc:
        problems = [_problem(dict(e)) for e in exc.errors(include_url=False)]
        raise ValidationFailed(f"the screening input has {len(problems)} problem(s)",
                               problems) from None


def result_to_dict(result: ScreeningResult) -> dict[str, Any]:
    """The JSON-ready form of a result (see screening-result.schema.json)."""
    return result.model_dump(mode="json")


def input_schema() -> dict[str, Any]:
    """JSON Schema of a screening input document."""
    schema = ScreeningRequest.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + INPUT_SCHEMA, **schema}


def result_schema() -> dict[str, Any]:
    """JSON Schema of a screening result document."""
    schema = ScreeningResult.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + RESULT_SCHEMA, **schema}


def write_schemas(folder: Path | None = None) -> list[Path]:
    """Regenerate both shipped schemas (default: the package's data folder)."""
    target = folder or DATA
    written = []
    for name, schema in ((INPUT_SCHEMA, input_schema()), (RESULT_SCHEMA, result_schema())):
        (target / name).write_text(dumps_schema(schema), encoding="utf-8")
        written.append(target / name)
    return written
