"""Reading vocabulary files: versioned YAML lists of the values a field may take.

The case file (``cases/data/vocabulary.yaml``) and the fact pattern
(``law/data/vocabulary.yaml``) each keep their vocabularies as data with a JSON Schema beside
them, while the code keeps typed enums and Literals. This module holds what both share: the
strict read (:func:`tipor.datafiles.load_yaml`, then the file's pydantic model) and the
comparison of the data's values with the code's, each problem naming the file and the value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tipor.datafiles import load_yaml
from tipor.exceptions import CatalogueError

M = TypeVar("M", bound=BaseModel)
#: (where: "file: vocabulary.value", what is wrong and how to fix it)
Problem = tuple[str, str]
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def read_vocabulary_file(path: Path, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Parse ``path`` strictly and validate it against ``model``; every problem is returned."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [(str(path), f"cannot be read ({exc.strerror or exc})")]
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return None, [(str(path), f"is not valid YAML: {exc}")]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, [(f"{path}: {'.'.join(str(p) for p in err['loc']) or '(root)'}", err["msg"])
                      for err in exc.errors()]


def compare_values(path: Path, vocabulary: str, in_data: Iterable[str], in_code: Iterable[str],
                   code_name: str) -> list[Problem]:
    """A problem for each value found in only one of the data file and the code."""
    data, code = list(in_data), list(in_code)
    where = f"{path}: {vocabulary}"
    return ([(f"{where}.{v}", f"in the data file but not in {code_name}: add it there or "
              "remove it from the file") for v in data if v not in code]
            + [(f"{where}.{v}", f"in {code_name} but not in the data file: add it to the file")
               for v in code if v not in data])


def compare_vocabularies(path: Path, in_data: Iterable[str], in_code: Iterable[str]
                         ) -> list[Problem]:
    """A problem for each vocabulary the file has and the code lacks, or the other way."""
    data, code = set(in_data), list(in_code)
    return ([(f"{path}: {name}", "vocabulary unknown to the code: remove it or add it there")
             for name in sorted(data - set(code))]
            + [(f"{path}: {name}", "vocabulary missing from the file: add it")
               for name in code if name not in data])


def refuse(problems: Sequence[Problem]) -> CatalogueError:
    """The error to raise for an invalid vocabulary file; its message names the first problem."""
    where, what = problems[0]
    more = f" (and {len(problems) - 1} more: run `tipor vocab validate`)" if len(problems) > 1 else ""
    # ``where`` starts with the file's path
    return CatalogueError(f"invalid vocabulary file: {where}: {what}{more}", list(problems))


def json_schema(model: type[BaseModel], schema_id: str) -> dict[str, Any]:
    """The JSON Schema of a vocabulary file model."""
    schema = model.model_json_schema()
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = schema_id
    return schema


def render_schema(schema: Mapping[str, Any]) -> str:
    """Stable text for a schema file."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
