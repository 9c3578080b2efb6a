"""Jurisdiction profiles (format 2): every shipped file validates, tiers follow the sources, and
bad files are refused naming the file, the rule and the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.law.jur_fixtures import offence, profile, rule, version, write, years
from tipor.exceptions import CatalogueError
from tipor.law.jurisdictions import data_dir, jurisdiction_json_schema, load_jurisdictions
from tipor.law.profile_checks import iter_rules

REQUIRED = {"PK", "IN", "NP", "BD", "AF", "IR", "IQ", "EG", "XK", "CR", "GB", "ZA", "IL", "TR"}
PROFILE_FILES = sorted(p.name for p in data_dir().iterdir()
                       if p.name.endswith(".yaml") and not p.name.startswith("_"))


def raw_profile(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((data_dir() / name).read_text(encoding="utf-8"))
    return data


def test_every_required_jurisdiction_is_profiled() -> None:
    assert REQUIRED <= set(load_jurisdictions().codes)


def test_data_version_names_declared_version_and_content_hash() -> None:
    version_ = load_jurisdictions().data_version
    declared, digest = version_.split("+")
    assert declared.startswith("jur-") and len(digest) == 12
    assert load_jurisdictions().data_version == version_


@pytest.mark.parametrize("name", PROFILE_FILES)
def test_each_file_validates_against_the_shipped_json_schema(name: str) -> None:
    schema = json.loads((data_dir() / "jurisdiction.schema.json").read_text(encoding="utf-8"))
    # YAML reads an unquoted 2014-01-10 as a date; in JSON the same value is an ISO string.
    document = json.loads(json.dumps(raw_profile(name), default=str))
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())


def test_shipped_schema_equals_generated() -> None:
    shipped = json.loads((data_dir() / "jurisdiction.schema.json").read_text(encoding="utf-8"))
    assert shipped == jurisdiction_json_schema()


def test_placeholder_only_rules_are_never_above_unverified_in_shipped_data() -> None:
    for code, p in load_jurisdictions().profiles.items():
        for path, r in iter_rules(p):
            if all(s.is_placeholder for s in r.sources):
                assert r.effective_tier == "unverified", (code, path)
            if r.effective_tier == "primary":
                assert r.verified and (r.pinpoint or any(s.pinpoint for s in r.sources)), path


def _good() -> dict[str, Any]:
    return profile("IN", [offence("in-s18", ["removal_without_authority"], [
        version("s.18", years(5), "1995-02-04", "2014-01-09"),
        version("s.18", years(10), "2014-01-10")])])


def _primary_without_pinpoint(d: dict[str, Any]) -> None:
    d["offences"][0]["versions"][1] = version("s.18", years(10), "2014-01-10", tier="primary")
    d["offences"][0]["versions"][1].pop("pinpoint")
    d["offences"][0]["versions"][1]["sources"][0]["pinpoint"] = ""


@pytest.mark.parametrize(("edit", "path", "words"), [
    pytest.param(_primary_without_pinpoint, "IN.yaml: offences[in-s18].versions[1]",
                 "needs a pinpoint citation", id="primary-without-pinpoint"),
    pytest.param(lambda d: d["offences"][0]["versions"][0].update(in_force_to="2014-02-01"),
                 "IN.yaml: offences[in-s18].versions", "end the earlier version",
                 id="overlapping-versions"),
    pytest.param(lambda d: d["offences"][0]["versions"][0].update(in_force_to="1990-01-01"),
                 "IN.yaml: offences[0].versions[0]", "swap them or correct the date",
                 id="to-before-from"),
    pytest.param(lambda d: d["offences"][0].update(liable=["hangman"]),
                 "IN.yaml: offences[0].liable[0]", "use one of the values listed",
                 id="unknown-role"),
    pytest.param(lambda d: d["offences"][0].update(covers=["jaywalking"]),
                 "IN.yaml: offences[0].covers[0]", "use one of the values listed",
                 id="unknown-conduct"),
    pytest.param(lambda d: d.update(code="QQ"), "QQ.yaml: code", "not an iso 3166-1",
                 id="unknown-state-code"),
    pytest.param(lambda d: d.update(subdivisions={"PK-PB": "Punjab"}),
                 "IN.yaml: subdivisions[PK-PB]", "write it as in-xx", id="foreign-subdivision"),
    pytest.param(lambda d: d["liability"]["seller"].update(sources=[]),
                 "IN.yaml: liability.seller.sources", "at least 1", id="no-source"),
    pytest.param(lambda d: d["cets216"].update(tier="primary", pinpoint="art. 1"),
                 "IN.yaml: cets216", "every source is a placeholder", id="placeholder-tier"),
    pytest.param(lambda d: d.update(procedural_bars=[rule(
        "reported", id="bar", kind="cognizance", offences=["nope"], text="complaint only")]),
                 "IN.yaml: procedural_bars[bar].offences", "no offence with id", id="bad-bar"),
])
def test_invalid_profiles_are_refused_with_file_rule_and_fix(tmp_path: Path, edit: Any,
                                                             path: str, words: str) -> None:
    doc = _good()
    edit(doc)
    folder = tmp_path / "jur"
    folder.mkdir()
    (folder / f"{doc['code']}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_jurisdictions(folder)
    matching = [m.lower() for p, m in info.value.problems if p == path]
    assert any(words in m for m in matching), info.value.problems


def test_a_valid_synthetic_profile_loads(tmp_path: Path) -> None:
    assert load_jurisdictions(write(tmp_path, _good())).codes == ("IN",)


def test_broken_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "NP.yaml").write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_jurisdictions(tmp_path)
    assert info.value.problems[0][0] == "NP.yaml"


@pytest.mark.parametrize(("name", "expected"), [
    ("PK", "disputed"), ("NP", "yes"), ("ZA", "yes"), ("GB", "yes"),
], ids=["pakistan-disputed", "nepal-yes", "south-africa-yes", "uk-yes"])
def test_organ_removal_coverage_of_the_current_trafficking_statute(name: str, expected: str) -> None:
    profile = load_jurisdictions().get(name)
    assert profile is not None
    current = [s for s in profile.statutes_of("trafficking") if s.in_force_to is None]
    assert current and current[-1].covers_organ_removal == expected
