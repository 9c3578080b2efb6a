"""Jurisdiction profiles: every file validates, every rule has a source, bad files are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tipor.exceptions import CatalogueError
from tipor.law.jurisdictions import (
    Rule,
    data_dir,
    jurisdiction_json_schema,
    load_jurisdictions,
    missing_sources,
    parse_profile,
)

REQUIRED = {"PK", "IN", "NP", "BD", "AF", "IR", "IQ", "EG", "XK", "CR", "GB", "ZA", "IL", "TR"}
PROFILE_FILES = sorted(p.name for p in data_dir().iterdir()
                       if p.name.endswith(".yaml") and not p.name.startswith("_"))


def raw_profile(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((data_dir() / name).read_text(encoding="utf-8"))
    return data


def test_every_required_jurisdiction_is_profiled() -> None:
    assert REQUIRED <= set(load_jurisdictions().codes)


def test_data_version_names_declared_version_and_content_hash() -> None:
    version = load_jurisdictions().data_version
    assert version.startswith("jur-1+") and len(version.split("+")[1]) == 12
    assert load_jurisdictions().data_version == version


@pytest.mark.parametrize("name", PROFILE_FILES)
def test_each_file_validates_against_the_shipped_json_schema(name: str) -> None:
    schema = json.loads((data_dir() / "jurisdiction.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(raw_profile(name), schema)


@pytest.mark.parametrize("name", PROFILE_FILES)
def test_every_rule_in_each_file_has_a_source(name: str) -> None:
    assert missing_sources(raw_profile(name)) == []
    profile = parse_profile(name, raw_profile(name))
    rules = _rules(profile)
    assert len(rules) >= 10
    assert all(r.sources and all(s.citation.strip() for s in r.sources) for r in rules)


def _rules(model: object) -> list[Rule]:
    found: list[Rule] = []
    if isinstance(model, Rule):
        found.append(model)
    if hasattr(model, "__pydantic_fields__"):
        for key in type(model).model_fields:  # type: ignore[attr-defined]
            found += _rules(getattr(model, key))
    elif isinstance(model, list):
        for item in model:
            found += _rules(item)
    return found


def test_shipped_schema_equals_generated() -> None:
    shipped = json.loads((data_dir() / "jurisdiction.schema.json").read_text(encoding="utf-8"))
    assert shipped == jurisdiction_json_schema()


@pytest.mark.parametrize(("name", "code", "expected"), [
    ("PK", "trafficking_statute", "disputed"),
    ("NP", "trafficking_statute", "yes"),
    ("ZA", "trafficking_statute", "yes"),
    ("GB", "trafficking_statute", "yes"),
], ids=["pakistan-disputed", "nepal-yes", "south-africa-yes", "uk-yes"])
def test_organ_removal_coverage_follows_the_reference(name: str, code: str,
                                                      expected: str) -> None:
    profile = load_jurisdictions().get(name)
    assert profile is not None
    assert profile.trafficking_statute.covers_organ_removal == expected


def test_disputed_or_general_knowledge_is_never_marked_verified() -> None:
    jset = load_jurisdictions()
    pk, tr = jset.get("PK"), jset.get("TR")
    assert pk is not None and tr is not None
    assert pk.trafficking_statute.verification == "disputed"
    # Turkey's code text has been read (audit #51-52); what must never show as verified is a rule
    # that rests on placeholders only.
    placeholder_only = [r for code in jset.codes for r in _rules(jset.get(code))
                        if all(s.is_placeholder for s in r.sources)]
    assert placeholder_only and all(r.verification != "verified" for r in placeholder_only)


def test_nepal_reaches_offences_against_its_citizens_abroad() -> None:
    np = load_jurisdictions().get("NP")
    assert np is not None
    assert np.extraterritorial.victim_nationality.value == "yes"
    assert np.extraterritorial.victim_nationality.verification == "verified"


def _copy_profiles(tmp_path: Path, edit: Any) -> Path:
    for name in ["_meta.yaml", "NP.yaml"]:
        (tmp_path / name).write_text((data_dir() / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    data = yaml.safe_load((tmp_path / "NP.yaml").read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / "NP.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("edit", "path", "words"), [
    pytest.param(lambda d: d["offences"][0].update(sources=[]), "NP.yaml: offences[0]",
                 "no source", id="empty-sources"),
    pytest.param(lambda d: d["liability"]["seller"].pop("sources"), "NP.yaml: liability.seller",
                 "no source", id="missing-sources"),
    pytest.param(lambda d: d["cets216"].update(sources=[{"citation": " "}]), "NP.yaml: cets216",
                 "no source", id="blank-citation"),
    pytest.param(lambda d: d["offences"][0].update(verification="probably"),
                 "NP.yaml: offences[0].verification", "input should be", id="bad-verification"),
    pytest.param(lambda d: d["offences"][0].update(covers=["jaywalking"]),
                 "NP.yaml: offences[0].covers[0]", "input should be", id="unknown-conduct"),
    pytest.param(lambda d: d.update(code="NE"), "NP.yaml: code", "does not match",
                 id="code-mismatch"),
])
def test_invalid_profiles_are_refused_with_paths(tmp_path: Path, edit: Any, path: str,
                                                 words: str) -> None:
    folder = _copy_profiles(tmp_path, edit)
    with pytest.raises(CatalogueError) as info:
        load_jurisdictions(folder)
    matching = [m.lower() for p, m in info.value.problems if p == path]
    assert any(words in m for m in matching), info.value.problems


def test_a_valid_copy_loads(tmp_path: Path) -> None:
    folder = _copy_profiles(tmp_path, lambda d: None)
    assert load_jurisdictions(folder).codes == ("NP",)


def test_broken_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "NP.yaml").write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_jurisdictions(tmp_path)
    assert info.value.problems[0][0] == "NP.yaml"
