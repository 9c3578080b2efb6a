"""`tipor qualify FILE` and `tipor law jurisdictions|validate`, through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

from tests.law.jur_fixtures import offence, profile, version, write, years
from tipor.cli import law
from tipor.cli.qualify import qualify as qualify_command
from tipor.law.engine import qualify
from tipor.law.jurisdictions import load_jurisdictions
from tipor.law.validate import parse_fact_pattern

CASES = Path(__file__).parent / "cases"
PUBLIC = sorted(p.name for p in CASES.glob("*.yaml"))
runner = CliRunner()


def qualify_app() -> typer.Typer:
    app = typer.Typer()
    app.command()(qualify_command)
    return app


@pytest.mark.parametrize("name", PUBLIC)
def test_public_cases_exit_0_with_notice_and_labels(name: str) -> None:
    result = runner.invoke(qualify_app(), [str(CASES / name)])
    assert result.exit_code == 0, result.output
    assert "supports legal judgement and does not replace it" in result.output
    assert "[unverified]" in result.output or "[press or NGO report]" in result.output
    assert "QUALIFICATION REPORT" in result.output


def test_four_public_cases_present() -> None:
    assert PUBLIC == ["costa_rica.yaml", "ekweremadu.yaml", "medicus.yaml", "netcare.yaml"]


@pytest.mark.parametrize("name", PUBLIC)
def test_json_equals_engine(name: str) -> None:
    result = runner.invoke(qualify_app(), [str(CASES / name), "--json"])
    assert result.exit_code == 0, result.output
    raw = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    expected = qualify(parse_fact_pattern(raw), load_jurisdictions()).to_dict()
    assert json.loads(result.stdout) == expected


def test_json_with_chosen_jurisdictions(tmp_path: Path) -> None:
    path = CASES / "netcare.yaml"
    result = runner.invoke(qualify_app(), [str(path), "--json", "-j", "za", "--jurisdiction", "BR"])
    assert result.exit_code == 0, result.output  # BR: a valid state without a profile
    national = {j["code"]: j["profiled"] for j in json.loads(result.stdout)["national"]}
    assert national == {"BR": False, "ZA": True}
    result = runner.invoke(qualify_app(), [str(path), "--json", "-j", "za", "-j", "QQ"])
    assert result.exit_code == 2  # QQ is no ISO 3166-1 code
    assert "'QQ'" in result.output and "ZA" in result.output
    result = runner.invoke(qualify_app(), [str(path), "--json", "-j", "za", "-j", "IL"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["jurisdictions"] == ["IL", "ZA"]


def test_broken_file_lists_every_problem_with_its_path(tmp_path: Path) -> None:
    doc = {
        "title": "Fictional broken pattern",
        "persons": [
            {"id": "alpha", "label": "Testperson Alpha", "roles": ["donor", "wizard"],
             "nationalities": ["QQ"], "source": "testimony", "firmness": "established"},
            {"id": "bravo", "label": "Testperson Bravo", "roles": ["broker"],
             "source": "rumour", "firmness": "established"},
        ],
        "acts": [{"id": "a1", "kind": "recruitment", "actors": ["ghost"], "victims": ["bravo"],
                  "source": "testimony", "firmness": "established"}],
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(qualify_app(), [str(path)])
    assert result.exit_code == 2
    for where in ("persons[0].roles[1]", "persons[1].source", "acts[0].actors[0]",
                  "acts[0].victims[0]"):
        assert where in result.output, where
    assert "ghost" in result.output and "does not exist" in result.output
    assert "is not a donor" in result.output


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    result = runner.invoke(qualify_app(), [str(bad)])
    assert result.exit_code == 2 and "not valid YAML" in result.output
    result = runner.invoke(qualify_app(), [str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "cannot read" in result.output


def test_unknown_jurisdiction_names_it_and_the_valid_ones() -> None:
    result = runner.invoke(qualify_app(), [str(CASES / "medicus.yaml"), "--jurisdiction", "ZZ"])
    assert result.exit_code == 2
    assert "'ZZ'" in result.output
    for code in ("XK", "PK", "ZA"):
        assert code in result.output


def test_law_jurisdictions_counts_rules_by_tier() -> None:
    result = runner.invoke(law.app, ["jurisdictions"])
    assert result.exit_code == 0, result.output
    assert "Kosovo" in result.output and "XK" in result.output
    for column in ("primary", "official", "reported", "unverified", "disputed"):
        assert column in result.output
    assert "primary = verified (statute text)" in result.output


def _synthetic(tmp_path: Path) -> Path:
    return write(tmp_path / "jur", profile("IN", [offence("in-s18", ["removal_without_authority"], [
        version("s.18", years(5), "1995-02-04", "2014-01-09", tier="primary"),
        version("s.18 (amended)", years(10), "2014-01-10")])]))


def test_law_validate_ok(tmp_path: Path) -> None:
    result = runner.invoke(law.app, ["validate", "--dir", str(_synthetic(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "1 jurisdiction profiles valid (IN)" in result.output


def _edit(folder: Path, change: Any) -> None:
    raw = yaml.safe_load((folder / "IN.yaml").read_text(encoding="utf-8"))
    change(raw)
    (folder / "IN.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")


def _no_pinpoint(d: dict[str, Any]) -> None:
    first = d["offences"][0]["versions"][0]
    first.pop("pinpoint")
    first["sources"][0]["pinpoint"] = ""


@pytest.mark.parametrize(("change", "rule", "fix"), [
    (_no_pinpoint, "IN.yaml: offences[in-s18].versions[0]", "add `pinpoint:` or lower the tier"),
    (lambda d: d["offences"][0]["versions"][0].update(in_force_to="2015-01-01"),
     "IN.yaml: offences[in-s18].versions", "end the earlier version the day before"),
    (lambda d: d["offences"][0]["versions"][1].update(in_force_to="2010-01-01"),
     "IN.yaml: offences[0].versions[1]", "swap them or correct the date"),
    (lambda d: d["offences"][0].update(exempt=["wizard"]), "IN.yaml: offences[0].exempt[0]",
     "use one of the values listed"),
    (lambda d: d["offences"][0].update(covers=["jaywalking"]),
     "IN.yaml: offences[0].covers[0]", "use one of the values listed"),
    (lambda d: d.update(code="ZZ"), "IN.yaml: code", "rename the file"),
], ids=["primary-without-pinpoint", "overlapping-versions", "to-before-from", "unknown-role",
        "unknown-conduct", "unknown-state-code"])
def test_law_validate_names_file_rule_and_fix(tmp_path: Path, change: Any, rule: str,
                                             fix: str) -> None:
    folder = _synthetic(tmp_path)
    _edit(folder, change)
    result = runner.invoke(law.app, ["validate", "--dir", str(folder)])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert f"{rule}:" in out and fix in out, result.output


def test_law_validate_refuses_a_missing_folder(tmp_path: Path) -> None:
    result = runner.invoke(law.app, ["validate", "--dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "is not a folder" in " ".join(result.output.split())


def test_law_review_lists_every_rule_below_primary(tmp_path: Path) -> None:
    folder = _synthetic(tmp_path)
    result = runner.invoke(law.app, ["review", "--dir", str(folder), "--jurisdiction", "in"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "[ ] offences[in-s18].versions[1]: Fictional offence in-s18, s.18 (amended)" in out
    assert "tier: press or NGO report" in out and "Fictional Daily" in out
    assert "last review: not yet reviewed" in out
    assert "offences[in-s18].versions[0]" not in out  # primary: not on the checklist
    as_json = runner.invoke(law.app, ["review", "--dir", str(folder), "--json"])
    assert as_json.exit_code == 0
    [india] = json.loads(as_json.stdout)["jurisdictions"]
    paths = {r["path"] for r in india["rules"]}
    assert "offences[in-s18].versions[1]" in paths and "cets216" in paths
    assert all(r["tier"] != "primary" for r in india["rules"])


def test_law_review_of_an_unknown_jurisdiction_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(law.app, ["review", "--dir", str(_synthetic(tmp_path)), "-j", "QQ"])
    assert result.exit_code == 2 and "no jurisdiction profile 'QQ'" in result.output


def test_shipped_review_exits_0() -> None:
    assert runner.invoke(law.app, ["review", "--json"]).exit_code == 0
