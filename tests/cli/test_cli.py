"""The `tipor` command line against real databases."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import select, text
from typer.testing import CliRunner

from tipor.accounts.models import User
from tipor.cli.main import app
from tipor.db import open_session
from tipor.settings import Settings

runner = CliRunner()


def test_every_command_has_help() -> None:
    for args in (["--help"], ["db", "--help"], ["users", "create", "--help"],
                 ["audit", "verify", "--help"], ["demo", "seed", "--help"], ["serve", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.output, args


def test_db_upgrade_is_idempotent(env: Settings) -> None:
    from tests.test_migrations import migrate_head

    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0 and migrate_head() in result.output


def test_users_create_first_admin(env: Settings) -> None:
    result = runner.invoke(app, ["users", "create", "--username", "firstadmin", "--name",
                                 "Fictional First Admin", "--agency", "Fictional Ministry",
                                 "--country", "np", "--password", "First-Admin-Pass-1!"])
    assert result.exit_code == 0, result.output
    db = open_session(env)
    user = db.execute(select(User).where(User.username == "firstadmin")).scalar_one()
    assert user.role.value == "admin" and user.agency.country == "NP"
    db.close()


def test_users_create_weak_password_exits_2_and_stores_nothing(env: Settings) -> None:
    result = runner.invoke(app, ["users", "create", "--username", "weak", "--name", "Fictional W",
                                 "--agency", "Fictional Agency", "--country", "np",
                                 "--password", "weak"])
    assert result.exit_code == 2 and "password" in result.output
    db = open_session(env)
    assert db.execute(select(User)).first() is None
    assert db.execute(text("SELECT count(*) FROM agencies")).scalar_one() == 0
    db.close()


def test_audit_verify_exit_codes(env: Settings) -> None:
    assert runner.invoke(app, ["demo", "seed", "--cases", "0"]).exit_code == 0
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    db = open_session(env)
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
    else:
        db.execute(text("DROP TRIGGER audit_entries_no_update"))
    db.execute(text("UPDATE audit_entries SET outcome = 'failure' WHERE seq = 2"))
    db.commit()
    db.close()
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "#2" in broken.output and "altered" in broken.output


def test_demo_seed_is_deterministic_and_fictional(env: Settings) -> None:
    first = runner.invoke(app, ["demo", "seed", "--seed", "3", "--cases", "0"])
    assert first.exit_code == 0, first.output
    db = open_session(env)
    names = sorted(db.execute(select(User.display_name)).scalars())
    roles = {u.role.value for u in db.execute(select(User)).scalars()}
    db.close()
    assert all(name.startswith("Fictional ") for name in names)
    assert roles == {"admin", "investigator", "prosecutor", "clinician", "caseworker",
                     "helpline_operator", "analyst", "trainer"}
    again = runner.invoke(app, ["demo", "seed", "--seed", "3"])
    assert again.exit_code == 2 and "already holds demo data" in again.output
    code = runner.invoke(app, ["demo", "totp", "admin"])
    assert code.exit_code == 0 and code.output.strip().isdigit()


def test_production_mode_with_default_secrets_exits_3(settings: Settings) -> None:
    env = {"TIPOR_MODE": "production", "TIPOR_DATABASE_URL": settings.db_url, "PATH": ""}
    out = subprocess.run([sys.executable, "-m", "tipor.cli", "db", "upgrade"], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 3
    assert "TIPOR_SECRET_KEY" in out.stderr and "Traceback" not in out.stderr
