"""`tipor vocab validate`: 0 when every vocabulary file is fine, 1 listing every problem,
2 for a folder that does not exist."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from tipor.cli.main import app
from tipor.cli.vocab import FILES

runner = CliRunner()
PACKAGE = Path(__file__).parents[2] / "src" / "tipor"


def _copy(tmp_path: Path) -> Path:
    for rel in FILES.values():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PACKAGE / rel, tmp_path / rel)
    return tmp_path


def test_the_shipped_files_are_valid() -> None:
    done = runner.invoke(app, ["vocab", "validate"])
    assert done.exit_code == 0, done.output
    assert "case vocabulary" in done.output and "fact-pattern vocabulary" in done.output
    assert done.output.count(": valid") == 2


def test_a_copy_of_the_source_folder_is_valid(tmp_path: Path) -> None:
    done = runner.invoke(app, ["vocab", "validate", "--dir", str(_copy(tmp_path))])
    assert done.exit_code == 0, done.output


def test_every_problem_of_every_file_is_listed(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    case = root / FILES["case"]
    case.write_text(case.read_text(encoding="utf-8").replace(
        "      done: {label: task.status.done}\n",
        "      done: {label: task.status.done}\n      blocked: {label: task.status.blocked}\n"),
        encoding="utf-8")
    law = root / FILES["fact-pattern"]
    law.write_text(law.read_text(encoding="utf-8").replace(
        '      death: {definition: "the donor died", source: "domain §2.2 CETS 216 Art. 13 [K]"}\n',
        ""), encoding="utf-8")
    done = runner.invoke(app, ["vocab", "validate", "--dir", str(root)])
    assert done.exit_code == 1, done.output
    assert f"{case}: task_status.blocked: in the data file but not in " \
           "tipor.cases.enums.TaskStatus" in done.output
    assert f"{case}: task_status.blocked: label key 'task.status.blocked'" in done.output
    assert f"{law}: harm_kind.death: in tipor.law.facts.HarmKind but not in the data file" \
        in done.output
    assert "3 problem(s)" in done.output


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / FILES["fact-pattern"]).unlink()
    done = runner.invoke(app, ["vocab", "validate", "--dir", str(root)])
    assert done.exit_code == 1 and "cannot be read" in done.output


def test_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    done = runner.invoke(app, ["vocab", "validate", "--dir", str(tmp_path / "nowhere")])
    assert done.exit_code == 2
    assert "is not a folder" in done.output and "Traceback" not in done.output
