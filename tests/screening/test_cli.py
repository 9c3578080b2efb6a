"""`tipor catalogue validate|list` and `tipor screen FILE`: exit codes 0/1/2 and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from tests.catalogue.factory import raw_files, write_catalogue
from tests.screening.test_service import app_catalogue, strong_request
from tipor.catalogue.model import Catalogue
from tipor.cli import catalogue as catalogue_cli
from tipor.cli.screen import screen as screen_command
from tipor.screening import screen
from tipor.screening.formats import result_to_dict

__all__ = ["app_catalogue"]
runner = CliRunner()


def _screen_app() -> typer.Typer:
    app = typer.Typer()
    app.command()(screen_command)
    app.command("noop", hidden=True)(lambda: None)  # keep `screen` a named sub-command
    return app


def _run_screen(*args: str) -> object:
    return runner.invoke(_screen_app(), ["screen", *args])


def test_validate_exit_codes(tmp_path: Path) -> None:
    good = write_catalogue(tmp_path / "good")
    ok = runner.invoke(catalogue_cli.app, ["validate", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "valid" in ok.output
    files = raw_files()
    files["indicators/victim.yaml"]["indicators"][0]["strength"] = "enormous"
    del files["indicators/control.yaml"]["indicators"][0]["sources"]
    bad = write_catalogue(tmp_path / "bad", files)
    failed = runner.invoke(catalogue_cli.app, ["validate", str(bad)])
    assert failed.exit_code == 1
    assert "2 problem(s)" in failed.output
    assert "VIC-01" in failed.output and "CTL-01" in failed.output


def test_list_table_group_and_language(app_catalogue: Catalogue) -> None:
    group = app_catalogue.group_of(app_catalogue.indicators[0].id).value
    result = runner.invoke(catalogue_cli.app, ["list", "--group", group, "--lang", "ur"])
    assert result.exit_code == 0, result.output
    wanted = [i for i in app_catalogue.indicators if app_catalogue.group_of(i.id).value == group]
    assert f"{len(wanted)} indicator(s)" in result.output
    assert all(i.id in result.output for i in wanted)
    bad_group = runner.invoke(catalogue_cli.app, ["list", "--group", "aliens"])
    assert bad_group.exit_code == 2 and "aliens" in bad_group.output
    assert "broker" in bad_group.output
    bad_lang = runner.invoke(catalogue_cli.app, ["list", "--lang", "xx"])
    assert bad_lang.exit_code == 2 and "'xx'" in bad_lang.output and "ur" in bad_lang.output


def test_screen_json_matches_engine(tmp_path: Path, app_catalogue: Catalogue) -> None:
    request = strong_request(app_catalogue)
    path = tmp_path / "input.json"
    path.write_text(request.model_dump_json(), encoding="utf-8")
    result = _run_screen(str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == result_to_dict(screen(app_catalogue, request))
    ur = _run_screen(str(path), "--json", "--lang", "ur")
    expected = screen(app_catalogue, request.model_copy(update={"language": "ur"}))
    assert json.loads(ur.output) == result_to_dict(expected)


def test_screen_yaml_summary(tmp_path: Path, app_catalogue: Catalogue) -> None:
    request = strong_request(app_catalogue)
    doc = {"profile": request.profile, "catalogue_version": app_catalogue.version,
           "observations": dict.fromkeys(request.observations, True)}  # YAML's bare yes
    path = tmp_path / "input.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = _run_screen(str(path))
    assert result.exit_code == 0, result.output
    level = screen(app_catalogue, request).level_title
    assert f"Level: {level}" in result.output and "Referrals" in result.output


def test_screen_bad_input_exits_2(tmp_path: Path, app_catalogue: Catalogue) -> None:
    request = strong_request(app_catalogue)
    doc = json.loads(request.model_dump_json())
    ind = next(iter(doc["observations"]))
    cases = {
        "answer": ({**doc, "observations": {ind: "maybe"}}, ["maybe", "'yes', 'no' or 'unknown'"]),
        "indicator": ({**doc, "observations": {"XXX-99": "yes"}}, ["XXX-99", app_catalogue.indicators[0].id]),
        "profile": ({**doc, "profile": "nowhere"}, ["nowhere", app_catalogue.profiles[0].id]),
    }
    for name, (body, needles) in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(body), encoding="utf-8")
        result = _run_screen(str(path))
        assert result.exit_code == 2, (name, result.output)
        for needle in needles:
            assert needle in result.output, (name, needle, result.output)
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    bad_lang = _run_screen(str(path), "--lang", "xx")
    assert bad_lang.exit_code == 2 and "'xx'" in bad_lang.output
    assert _run_screen(str(tmp_path / "missing.json")).exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert _run_screen(str(broken)).exit_code == 2
