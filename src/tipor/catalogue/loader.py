"""Read the catalogue files, check each against its schema and all of them against each other.

``load_catalogue`` raises ``CatalogueError`` listing every problem; ``validate_catalogue``
returns the same list (empty when fine) for ``tipor catalogue validate``. Neither caches: the
caller decides how long a catalogue lives.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tipor.catalogue.checks import (
    Problem,
    check_indicator_file,
    check_profiles,
    check_seen_in,
    check_unique_cases,
    check_unique_ids,
    file_name,
)
from tipor.catalogue.metadata import CasesFile, CatalogueMeta, ProfilesFile
from tipor.catalogue.model import Catalogue
from tipor.catalogue.schema import LANG_NAMES, Group, IndicatorFile
from tipor.datafiles import load_yaml
from tipor.exceptions import CatalogueError

M = TypeVar("M", bound=BaseModel)

HINTS: dict[str, str] = {
    "missing": "add this field",
    "extra_forbidden": "remove this field or correct its spelling",
    "enum": "use one of the listed values",
    "literal_error": "use the listed value",
    "string_too_short": "write the text (it is empty)",
    "string_pattern_mismatch": "fix the format",
    "too_short": "add at least one entry",
    "value_error": "fix as described",
}


def packaged_data() -> Traversable:
    """The catalogue shipped inside the package."""
    return resources.files("tipor.catalogue") / "data"


def _read_yaml(root: Traversable, name: str, problems: list[Problem]) -> Any:
    node = root.joinpath(*name.split("/"))
    if not node.is_file():
        problems.append((name, "file is missing; create it"))
        return None
    try:
        return load_yaml(node.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problems.append((name, f"is not valid YAML: {exc}".replace("\n", " ")))
        return None


def _where(name: str, loc: tuple[int | str, ...], raw: Any) -> str:
    """Readable location; a top-level list item is named by its ``id`` when it has one."""
    head, rest = name, loc
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw, dict):
        items = raw.get(str(loc[0]))
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        ident = item.get("id") if isinstance(item, dict) else None
        head = f"{name} [{ident}]" if ident else f"{name} [{loc[0]} #{loc[1] + 1}]"
        rest = loc[2:]
    path = "".join(f" #{k + 1}" if isinstance(k, int) else f".{k}" for k in rest).lstrip(".")
    return f"{head} {path}".strip()


def _explain(err: Mapping[str, Any]) -> str:
    loc = err["loc"]
    last = loc[-1] if loc else ""
    if err["type"] == "missing" and last in LANG_NAMES and "translations" not in loc:
        return (f"{LANG_NAMES[str(last)]} ({last}) text is missing: add it "
                "(a new translation stays `draft` until a native speaker reviews it)")
    value = err.get("input")
    got = "" if err["type"] == "missing" else f" (got {value!r:.80})"
    hint = HINTS.get(err["type"], "fix the value")
    if isinstance(value, bool):
        hint = "quote the text: YAML reads yes/no/on/off as true/false"
    return f"{err['msg']}{got}; {hint}"


def _parse(model: type[M], name: str, raw: Any, problems: list[Problem]) -> M | None:
    if raw is None:
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append((_where(name, tuple(err["loc"]), raw), _explain(err)))
        return None


def _indicator_files(root: Traversable, problems: list[Problem]) -> dict[Group, IndicatorFile]:
    folder = root / "indicators"
    present = sorted(n.name for n in folder.iterdir()) if folder.is_dir() else []
    for extra in present:
        if extra.removesuffix(".yaml") not in {g.value for g in Group}:
            problems.append((f"indicators/{extra}", "unexpected file; indicator files are "
                             f"named after a group: {', '.join(g.value for g in Group)}"))
    files: dict[Group, IndicatorFile] = {}
    for group in Group:
        name = file_name(group)
        parsed = _parse(IndicatorFile, name, _read_yaml(root, name, problems), problems)
        if parsed is not None:
            problems.extend(check_indicator_file(name, parsed))
            files[group] = parsed
    return files


def _collect(path: Path | Traversable | None) -> tuple[Catalogue | None, list[Problem]]:
    root = packaged_data() if path is None else path
    problems: list[Problem] = []
    meta = _parse(CatalogueMeta, "catalogue.yaml", _read_yaml(root, "catalogue.yaml", problems),
                  problems)
    cases = _parse(CasesFile, "cases.yaml", _read_yaml(root, "cases.yaml", problems), problems)
    profiles = _parse(ProfilesFile, "profiles.yaml", _read_yaml(root, "profiles.yaml", problems),
                      problems)
    files = _indicator_files(root, problems)
    problems.extend(check_unique_ids(files))
    if cases is not None:
        problems.extend(check_unique_cases(cases.cases))
        problems.extend(check_seen_in(files, cases.cases))
    # Profiles are judged only against a complete set of files, else every broken file would
    # also show up as spurious "profile selects too few" and "unknown include" problems.
    if profiles is not None and len(files) == len(Group):
        problems.extend(check_profiles(profiles.profiles, files))
    if problems or meta is None or cases is None or profiles is None:
        return None, problems
    return Catalogue(meta, files, profiles.profiles, cases.cases), []


def validate_catalogue(path: Path | None = None) -> list[tuple[str, str]]:
    """Every problem of the catalogue at ``path`` (default: the packaged one); empty when fine."""
    return _collect(path)[1]


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and fully validate the catalogue at ``path`` (default: the packaged one)."""
    catalogue, problems = _collect(path)
    if catalogue is None:
        where = "the packaged indicator catalogue" if path is None else f"catalogue at {path}"
        raise CatalogueError(f"{where} has {len(problems)} problem(s)", problems)
    return catalogue
