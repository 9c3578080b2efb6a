"""`tipor qualify FILE` and `tipor law jurisdictions|validate`, through Typer's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from tipor.cli import law
from tipor.cli.qualify import qualify as qualify_command
from tipor.law.engine import qualify
from tipor.law.jurisdictions import data_dir, load_jurisdictions
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
    assert "[unverified]" in result.output
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


def test_law_jurisdictions_lists_profiles_with_counts() -> None:
    result = runner.invoke(law.app, ["jurisdictions"])
    assert result.exit_code == 0, result.output
    assert "unverified" in result.output and "Kosovo" in result.output
    assert "XK" in result.output


def test_law_validate_ok_and_broken(tmp_path: Path) -> None:
    result = runner.invoke(law.app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    folder = tmp_path / "jur"
    shutil.copytree(str(data_dir()), folder)
    raw = yaml.safe_load((folder / "PK.yaml").read_text(encoding="utf-8"))
    raw["trafficking_statute"]["sources"] = []
    del raw["liability"]
    (folder / "PK.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = runner.invoke(law.app, ["validate", "--dir", str(folder)])
    assert result.exit_code == 1
    assert "PK.yaml: trafficking_statute" in result.output and "no source" in result.output
    assert "PK.yaml: liability" in result.output
    result = runner.invoke(law.app, ["validate", "--dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
