"""`tipor cases ...` and `tipor keys ...` through Typer's runner: exit codes and messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import Factory
from tests.exchange.conftest import INDICATORS, Built, counts
from tipor.accounts.models import Agency, Role, User
from tipor.cli import cases, keys
from tipor.db import open_session
from tipor.evidence.rotation import file_status
from tipor.evidence.store import FileStore
from tipor.exchange import importer
from tipor.exchange.htcds import HEADER
from tipor.keys.rotation import key_status
from tipor.security.crypto import new_data_key
from tipor.settings import Settings, reset_settings

runner = CliRunner()
cli = typer.Typer()
cli.add_typer(cases.app, name="cases")
cli.add_typer(keys.app, name="keys")
PHRASE = "fictional cli passphrase"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[Settings]:
    monkeypatch.setenv("TIPOR_DATABASE_URL", settings.db_url)
    monkeypatch.setenv("TIPOR_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("TIPOR_MODE", "development")
    monkeypatch.setattr(importer, "_default_indicators", lambda: INDICATORS)
    reset_settings()
    yield settings
    reset_settings()


@pytest.fixture
def phrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "phrase.txt"
    path.write_text(PHRASE + "\n", encoding="utf-8")
    return path


def _export(built: Built, user: User, out: Path, *extra: str) -> object:
    return runner.invoke(cli, ["cases", "export", str(built.case_id), "--as", user.username,
                               "--out", str(out), *extra])


def test_export_sealed_then_import(env: Settings, built: Built, ngo_investigator: User, ngo: Agency,
                                   phrase_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "case.json"
    result = runner.invoke(cli, ["cases", "export", str(built.case_id), "--as", ngo_investigator.username,
                                 "--out", str(out), "--passphrase-file", str(phrase_file), "--with-files"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["format"] == "tipor.sealed"
    before = counts(env)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("fictional wrong passphrase\n")
    bad = runner.invoke(cli, ["cases", "import", str(out), "--agency", ngo.name, "--as",
                              ngo_investigator.username, "--passphrase-file", str(wrong)])
    assert bad.exit_code == 2 and "wrong passphrase" in bad.output and "Traceback" not in bad.output
    assert counts(env) == before
    good = runner.invoke(cli, ["cases", "import", str(out), "--agency", ngo.name, "--as",
                               ngo_investigator.username], input=PHRASE + "\n")
    assert good.exit_code == 0, good.output
    assert "imported as case" in good.output and counts(env)["cases"] == before["cases"] + 1


def test_clear_export_warns_and_is_audited(env: Settings, built: Built, ngo_investigator: User,
                                           tmp_path: Path) -> None:
    out = tmp_path / "clear.json"
    result = runner.invoke(cli, ["cases", "export", str(built.case_id), "--as", ngo_investigator.username,
                                 "--out", str(out), "--clear"])
    assert result.exit_code == 0 and "NOT encrypted" in result.output
    assert json.loads(out.read_text())["format"] == "tipor.case-bundle"
    from sqlalchemy import select

    from tipor.audit.models import AuditEntry
    db = open_session(env)
    assert "case.export_clear" in db.execute(select(AuditEntry.action)).scalars().all()
    db.close()


def test_bad_input_exits_2_with_a_message(env: Settings, built: Built, ngo_investigator: User,
                                          ngo_worker: User, ngo: Agency, factory: Factory,
                                          tmp_path: Path, phrase_file: Path) -> None:
    out = tmp_path / "x.json"
    unknown = runner.invoke(cli, ["cases", "export", str(built.case_id), "--as", "nobody", "--clear"])
    assert unknown.exit_code == 2 and "no active user 'nobody'" in unknown.output
    short = runner.invoke(cli, ["cases", "export", str(built.case_id), "--as", ngo_investigator.username],
                          input="short\nshort\n")
    assert short.exit_code == 2 and "at least 12" in short.output
    refused = runner.invoke(cli, ["cases", "export", str(built.case_id), "--as", ngo_worker.username,
                                  "--clear"])
    assert refused.exit_code == 2 and "lacks" in refused.output
    assert _export(built, ngo_investigator, out, "--clear").exit_code == 0
    other = factory.user(Role.INVESTIGATOR, agency=factory.agency(name="Fictional Other Agency"))
    wrong_agency = runner.invoke(cli, ["cases", "import", str(out), "--agency", ngo.name, "--as",
                                       other.username])
    assert wrong_agency.exit_code == 2 and "belongs to" in wrong_agency.output
    bundle = json.loads(out.read_text())
    bundle["identifiers"][0]["value"] = "not a phone"
    bundle["events"][0]["parties"] = ["p9"]
    out.write_text(json.dumps(bundle))
    broken = runner.invoke(cli, ["cases", "import", str(out), "--agency", ngo.name, "--as",
                                 ngo_investigator.username])
    assert broken.exit_code == 2
    assert "$.identifiers[0].value" in broken.output and "$.events[0].parties[0]" in broken.output
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    assert runner.invoke(cli, ["cases", "import", str(garbage), "--agency", ngo.name, "--as",
                               ngo_investigator.username]).exit_code == 2


def test_htcds_csv(env: Settings, built: Built, ngo_investigator: User, tmp_path: Path,
                   phrase_file: Path) -> None:
    out = tmp_path / "htcds.csv"
    clear = runner.invoke(cli, ["cases", "htcds", str(built.case_id), "--as", ngo_investigator.username,
                                "--out", str(out), "--clear"])
    assert clear.exit_code == 0, clear.output
    assert out.read_text().splitlines()[0] == ",".join(HEADER)
    sealed = runner.invoke(cli, ["cases", "htcds", str(built.case_id), "--as", ngo_investigator.username,
                                 "--out", str(out), "--passphrase-file", str(phrase_file)])
    assert sealed.exit_code == 0 and json.loads(out.read_text())["content_type"] == "text/csv"


def test_keys_status_and_rotate(env: Settings, built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    status = runner.invoke(cli, ["keys", "status"], env={"COLUMNS": "200"})
    assert status.exit_code == 0 and "k1" in status.output
    assert any("evidence files" in line and " 1 " in line for line in status.output.splitlines())
    monkeypatch.setenv("TIPOR_DATA_KEYS", f"k2:{new_data_key()},{env.data_keys}")
    reset_settings()
    rotated = runner.invoke(cli, ["keys", "rotate", "--batch", "3"])
    assert rotated.exit_code == 0, rotated.output
    assert "re-encrypted with key k2" in rotated.output and "1 evidence file(s) re-sealed" in rotated.output
    db = open_session(env)
    assert all(set(c) <= {"k2"} for c in key_status(db).values())
    assert file_status(db, FileStore(env.evidence_dir)) == {"k2": 1}
    db.close()
    again = runner.invoke(cli, ["keys", "rotate"])
    assert again.exit_code == 0 and "0 value(s) re-encrypted" in again.output
    monkeypatch.setenv("TIPOR_DATA_KEYS", "broken")
    reset_settings()
    assert runner.invoke(cli, ["keys", "status"]).exit_code == 2



def test_as_user_is_case_insensitive_as_sign_in_is(env: Settings, built: Built, ngo_investigator: User,
                                                   phrase_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "case.json"
    result = runner.invoke(cli, ["cases", "export", str(built.case_id), "--as",
                                 ngo_investigator.username.upper(), "--out", str(out),
                                 "--passphrase-file", str(phrase_file)])
    assert result.exit_code == 0, result.output
    assert out.exists()
