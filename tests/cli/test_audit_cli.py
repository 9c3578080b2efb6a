"""`tipor audit checkpoint` and `tipor audit verify --against` against real databases."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from tipor.cli.main import app
from tipor.db import open_session
from tipor.settings import Settings

runner = CliRunner()


def _cut_to(settings: Settings, keep: int) -> None:
    db = open_session(settings)
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
        db.execute(text("ALTER TABLE audit_head DISABLE TRIGGER USER"))
    else:
        for name in ("audit_entries_no_delete", "audit_head_no_rewind"):
            db.execute(text(f"DROP TRIGGER {name}"))
    kept = db.execute(text("SELECT hash FROM audit_entries WHERE seq = :s"), {"s": keep}).scalar()
    db.execute(text("DELETE FROM audit_entries WHERE seq > :s"), {"s": keep})
    db.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": keep, "h": kept})
    db.commit()
    db.close()


def test_checkpoint_then_verify_against(env: Settings, tmp_path: Path) -> None:
    assert runner.invoke(app, ["demo", "seed", "--cases", "0"]).exit_code == 0
    file = tmp_path / "checkpoints.jsonl"
    for _ in range(2):
        taken = runner.invoke(app, ["audit", "checkpoint", "--out", str(file)])
        assert taken.exit_code == 0 and "appended" in taken.output, taken.output
    lines = [json.loads(line) for line in file.read_text().splitlines()]
    assert len(lines) == 2 and lines[0]["seq"] > 3 and len(lines[0]["mac"]) == 64
    ok = runner.invoke(app, ["audit", "verify", "--against", str(file)])
    assert ok.exit_code == 0 and "consistent with the checkpoints" in ok.output
    _cut_to(env, keep=3)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0  # the chain alone is fooled
    cut = runner.invoke(app, ["audit", "verify", "--against", str(file)])
    assert cut.exit_code == 1 and "deleted" in cut.output and "#3" in cut.output


def test_verify_against_a_missing_file_exits_2(env: Settings, tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "verify", "--against", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "tipor audit checkpoint" in result.output


def test_checkpoint_of_a_broken_chain_is_refused(env: Settings, tmp_path: Path) -> None:
    assert runner.invoke(app, ["demo", "seed", "--cases", "0"]).exit_code == 0
    _cut_to(env, keep=3)
    db = open_session(env)
    db.execute(text("DELETE FROM audit_entries WHERE seq = 2"))
    db.commit()
    db.close()
    file = tmp_path / "cp.jsonl"
    result = runner.invoke(app, ["audit", "checkpoint", "--out", str(file)])
    assert result.exit_code == 1 and "no checkpoint written" in result.output
    assert not file.exists()
