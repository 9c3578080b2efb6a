"""`tipor users unlock`: the way back in when every administrator is locked out."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from tests.conftest import Factory
from tipor.accounts import throttle
from tipor.accounts.models import LoginAttempt, Role, User
from tipor.audit.models import AuditEntry
from tipor.cli.main import app
from tipor.db import open_session
from tipor.settings import Settings

runner = CliRunner()


def test_unlock_clears_the_lock_and_is_audited(env: Settings, factory: Factory) -> None:
    admin = factory.user(Role.ADMIN, username="onlyadmin")
    db = open_session(env)
    db.add_all([LoginAttempt(username="onlyadmin", ip=f"203.0.113.{i % 200}", success=False)
                for i in range(env.login_max_failures_account)])
    db.commit()
    stored = db.get(User, admin.id)
    assert stored is not None and throttle.is_locked(db, env, stored)
    db.close()
    result = runner.invoke(app, ["users", "unlock", "onlyadmin"])
    assert result.exit_code == 0, result.output
    assert "was locked" in result.output
    db = open_session(env)
    stored = db.get(User, admin.id)
    assert stored is not None and not throttle.is_locked(db, env, stored)
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "user.unlock")).scalar_one()
    assert (entry.actor_username, entry.object_id) == ("cli", str(admin.id))
    db.close()


def test_unlock_unknown_user_exits_2(env: Settings) -> None:
    result = runner.invoke(app, ["users", "unlock", "nobody-here"])
    assert result.exit_code == 2 and "no user 'nobody-here'" in result.output
