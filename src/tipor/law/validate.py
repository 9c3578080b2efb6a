"""Parse a fact pattern from a dict (JSON or YAML) and report every problem with its path.

Schema failures come from the pydantic model; references, country codes and roles that only make
sense across the whole document are checked on the raw data, so that one run lists everything
wrong (a user fixing a file should not have to resubmit once per mistake).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from pydantic import ValidationError

from tipor.exceptions import FactPatternError
from tipor.law.countries import COUNTRY_CODES
from tipor.law.facts import FORMAT_VERSION, FactPattern

Problem = tuple[str, str]

_COLLECTIONS = ("persons", "organisations", "places", "acts", "means", "purposes", "consents",
                "payments", "harms", "groups", "agreements")
_PARTY = ("person", "organisation")
# (collection, field) -> the kinds of entity the field may refer to; "donor" is a person with
# the donor role, because the engine reads these as the people whose organs are at stake.
_REFERENCES: dict[tuple[str, str], tuple[str, ...]] = {
    ("acts", "actors"): _PARTY, ("acts", "victims"): ("donor",),
    ("acts", "recipients"): _PARTY, ("acts", "place"): ("place",), ("acts", "through"): ("place",),
    ("means", "by"): _PARTY, ("means", "victims"): ("donor",), ("means", "controller"): _PARTY,
    ("purposes", "victims"): ("donor",), ("purposes", "held_by"): _PARTY,
    ("consents", "person"): ("donor",),
    ("payments", "payer"): _PARTY, ("payments", "payee"): _PARTY,
    ("payments", "donor"): ("donor",), ("payments", "place"): ("place",),
    ("payments", "via"): _PARTY,
    ("harms", "person"): ("person",), ("groups", "members"): _PARTY,
    ("agreements", "parties"): _PARTY, ("agreements", "victims"): ("donor",),
    ("agreements", "place"): ("place",),
}
_COUNTRY_FIELDS: dict[str, tuple[str, ...]] = {
    "persons": ("nationalities", "residences", "located_in"),
    "organisations": ("country",), "places": ("country",),
}


def upgrade(raw: object) -> object:
    """A version-1 document (or one without a version) rewritten as version 2.

    Version 1 had ``previous_convictions: true|false``; version 2 counts them
    (``prior_convictions``), and ``false`` becomes "not known" because version 1 could not say
    that no conviction had been checked for. Everything else in version 1 is valid version 2.
    """
    if not isinstance(raw, dict) or raw.get("format_version", 1) != 1:
        return raw
    doc = {**raw, "format_version": FORMAT_VERSION}
    persons = raw.get("persons")
    if isinstance(persons, list):
        doc["persons"] = [_upgrade_person(p) for p in persons]
    return doc


def _upgrade_person(person: object) -> object:
    if not isinstance(person, dict) or "previous_convictions" not in person:
        return person
    out = {k: v for k, v in person.items() if k != "previous_convictions"}
    if person["previous_convictions"] is True:
        out["prior_convictions"] = 1
    return out


def parse_fact_pattern(raw: object) -> FactPattern:
    """Validate ``raw`` (version 1 is upgraded first) or raise FactPatternError listing every
    problem."""
    raw = upgrade(raw)
    problems: list[Problem] = []
    pattern: FactPattern | None = None
    try:
        pattern = FactPattern.model_validate(raw)
    except ValidationError as exc:
        problems += [_pydantic_problem(err) for err in exc.errors()]
    if isinstance(raw, dict):
        problems += check_references(raw)
    if problems or pattern is None:
        raise FactPatternError(_summary(problems), sorted(set(problems), key=_sort_key))
    return pattern


def parse_fact_pattern_text(text: str) -> FactPattern:
    """Parse YAML or JSON text into a FactPattern (JSON is read as YAML)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FactPatternError("the fact pattern is not valid YAML or JSON",
                               [("(root)", str(exc))]) from None
    return parse_fact_pattern(raw)


def _summary(problems: list[Problem]) -> str:
    count = len(set(problems))
    return f"the fact pattern has {count} problem{'s' if count != 1 else ''}"


def _sort_key(problem: Problem) -> tuple[str, str]:
    return problem


def format_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """Render a location as ``persons[2].nationalities[0]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def _pydantic_problem(err: Any) -> Problem:
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    path = format_path(loc)
    if err["type"] == "literal_error" and len(loc) >= 2 and "roles" in loc:
        return path, f"unknown role {err['input']!r}: {err['msg'].lower()}"
    if err["type"] == "missing":
        return path, "required field is missing"
    if err["type"] == "extra_forbidden":
        return path, "unknown field"
    return path, str(err["msg"])


def _items(raw: dict[str, Any], collection: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = raw.get(collection)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _kinds(item: dict[str, Any], collection: str) -> set[str]:
    kinds = {collection.rstrip("s") if collection != "places" else "place"}
    roles = item.get("roles")
    if collection == "persons" and isinstance(roles, list) and "donor" in roles:
        kinds.add("donor")
    return kinds


def _index(raw: dict[str, Any], problems: list[Problem]) -> dict[str, set[str]]:
    """Map each id to what it names, recording duplicates."""
    index: dict[str, set[str]] = {}
    for collection in _COLLECTIONS:
        for i, item in _items(raw, collection):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in index:
                problems.append((f"{collection}[{i}].id", f"duplicate id {ident!r}"))
            index.setdefault(ident, set()).update(_kinds(item, collection))
    return index


def check_references(raw: dict[str, Any]) -> list[Problem]:
    """Problems that need the whole document: ids, references and country codes."""
    problems: list[Problem] = []
    index = _index(raw, problems)
    for (collection, fld), allowed in _REFERENCES.items():
        for i, item in _items(raw, collection):
            for path, ref in _refs(item.get(fld), f"{collection}[{i}].{fld}"):
                problem = _reference_problem(ref, allowed, index)
                if problem:
                    problems.append((path, problem))
    problems += _country_problems(raw)
    problems += _means_problems(raw)
    return problems


def _refs(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for j, ref in enumerate(value):
            if isinstance(ref, str):
                yield f"{path}[{j}]", ref


def _reference_problem(ref: str, allowed: tuple[str, ...], index: dict[str, set[str]]) -> str:
    kinds = index.get(ref)
    wanted = " or ".join(allowed)
    if kinds is None:
        return f"refers to {ref!r}, which does not exist (expected a {wanted})"
    if kinds.isdisjoint(allowed):
        if "donor" in allowed and "person" in kinds:
            return f"{ref!r} is not a donor: add the role 'donor' to that person"
        return f"{ref!r} is a {'/'.join(sorted(kinds))}, expected a {wanted}"
    return ""


def _country_problems(raw: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for collection, fields in _COUNTRY_FIELDS.items():
        for i, item in _items(raw, collection):
            for fld in fields:
                for path, code in _refs(item.get(fld), f"{collection}[{i}].{fld}"):
                    problems += _country_problem(path, code)
    for path, code in _refs(raw.get("jurisdictions"), "jurisdictions"):
        problems += _country_problem(path, code)
    return problems


def _country_problem(path: str, code: str) -> list[Problem]:
    if len(code) == 2 and code.isupper() and code not in COUNTRY_CODES:
        return [(path, f"unknown jurisdiction code {code!r} "
                       "(use ISO 3166-1 alpha-2; XK for Kosovo)")]
    return []


def _means_problems(raw: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for i, item in _items(raw, "means"):
        if item.get("kind") == "payment_to_controller" and not item.get("controller"):
            problems.append((f"means[{i}].controller",
                             "a payment means needs the person having control over the victim"))
        if item.get("kind") == "abuse_of_vulnerability" and not item.get("vulnerabilities"):
            problems.append((f"means[{i}].vulnerabilities",
                             "abuse of a position of vulnerability needs the vulnerability"))
    return problems
