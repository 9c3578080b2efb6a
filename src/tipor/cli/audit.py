"""`tipor audit`: check the audit log's hash chain; take and check external checkpoints."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import typer
from sqlalchemy.exc import DBAPIError

from tipor.audit import service as audit
from tipor.audit.chain import Verdict
from tipor.audit.checkpoint import to_line
from tipor.cli.common import EXIT_INPUT, EXIT_PROBLEM, console, db_session, err_console

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

AGAINST_HELP = ("A checkpoint file written by `tipor audit checkpoint`: also fail if the log "
                "ends before a checkpoint or an entry differs from one.")


@app.command()
def verify(against: Path | None = typer.Option(None, "--against", help=AGAINST_HELP)) -> None:
    """Walk the hash chain; exit 0 when intact, 1 naming the first entry altered, deleted or reordered."""
    text = _read_checkpoints(against) if against else None
    with console.status("verifying the audit chain…"), db_session() as session:
        verdict = _guarded(lambda: audit.verify(session) if text is None
                           else audit.verify_against(session, text))
    if not verdict.ok:
        _broken(verdict)
    suffix = f"; consistent with the checkpoints in {against}" if against else ""
    console.print(f"audit chain intact: {verdict.checked} entries checked{suffix}")


@app.command()
def checkpoint(out: Path = typer.Option(..., "--out", help="JSON-lines file to append the "
                                         "signed head to (keep it on another system).")) -> None:
    """Append the signed chain head (sequence, hash, time) to a file, after verifying the chain."""
    with db_session() as session:
        verdict = _guarded(lambda: audit.verify(session))
        if not verdict.ok:
            _broken(verdict, "no checkpoint written: ")
        taken = audit.take_checkpoint(session)
    try:
        _append(out, to_line(taken))
    except OSError as exc:
        err_console.print(f"[bold red]error:[/] cannot write {out}: {exc.strerror}; choose a "
                          "writable file with --out", highlight=False)
        raise typer.Exit(EXIT_INPUT) from None
    console.print(f"checkpoint of entry #{taken.seq} ({taken.hash[:12]}…) appended to {out}")


def _append(path: Path, line: str) -> None:
    # Append and fsync: a checkpoint that is not on disk protects nothing.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_checkpoints(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err_console.print(f"[bold red]error:[/] cannot read the checkpoint file {path} ({exc}); "
                          "take one with `tipor audit checkpoint --out FILE`", highlight=False)
        raise typer.Exit(EXIT_INPUT) from None


def _guarded(check: Callable[[], Verdict]) -> Verdict:
    """Run a check; missing audit tables (dropped) count as a broken log, not a traceback."""
    try:
        return check()
    except DBAPIError as exc:
        return Verdict(False, 0, f"the audit tables cannot be read ({exc.orig}); they were "
                       "dropped or the database is not migrated (`tipor db upgrade`)", None,
                       "deleted")


def _broken(verdict: Verdict, prefix: str = "") -> None:
    err_console.print(f"[bold red]{prefix}audit chain broken[/] ({verdict.kind}): "
                      f"{verdict.problem}", highlight=False)
    raise typer.Exit(EXIT_PROBLEM)
