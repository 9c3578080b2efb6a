"""`tipor keys`: which data keys the stored values use, and rotation to the current key."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from tipor.audit.service import Actor
from tipor.cli.common import EXIT_INPUT, EXIT_PROBLEM, console, db_session, err_console, fail, settings
from tipor.exceptions import ConfigError
from tipor.exchange.keys import count_values, key_status, rotate
from tipor.security.crypto import Keyring

app = typer.Typer(help="Data keys (TIPOR_DATA_KEYS): status and rotation.", no_args_is_help=True)


def _keyring() -> Keyring:
    current = settings()
    try:
        return Keyring.from_settings(current.data_keys, current.blind_index_key)
    except ConfigError as exc:
        raise fail(exc, EXIT_INPUT) from None


@app.command()
def status() -> None:
    """How many encrypted values use each key id, per column."""
    keyring = _keyring()
    known = {kid for kid, _ in keyring.keys}
    with db_session() as session:
        found = key_status(session)
    table = Table("column", "key id", "values", "note")
    for column, counts in found.items():
        if not counts:
            table.add_row(column, "-", "0", "")
        for kid, n in sorted(counts.items()):
            note = "current" if kid == keyring.current_id else (
                "old key: run `tipor keys rotate`" if kid in known else "UNKNOWN key: cannot decrypt")
            table.add_row(column, kid, str(n), note)
    console.print(table)
    console.print(f"current key: [bold]{keyring.current_id}[/] (first in TIPOR_DATA_KEYS)")


@app.command("rotate")
def rotate_cmd(
    batch: int = typer.Option(500, min=1, max=100_000, help="Rows per committed batch."),
) -> None:
    """Re-encrypt every value with the current (first) key; safe to run again (idempotent)."""
    keyring = _keyring()
    with db_session() as session:
        total = count_values(session)
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn()]
        with Progress(*columns, console=err_console, transient=True) as progress:
            task = progress.add_task(f"re-encrypting with {keyring.current_id}", total=total)
            report = rotate(session, keyring, actor=Actor.system("cli"), batch=batch,
                            on_progress=lambda _col, n: progress.advance(task, n))
    table = Table("column", "values", "re-encrypted", "key ids found")
    for name, col in report.columns.items():
        ids = ", ".join(f"{k}: {n}" for k, n in sorted(col.key_ids.items())) or "-"
        table.add_row(name, str(col.seen), str(col.rewritten), ids)
    console.print(table)
    console.print(f"{report.rewritten} value(s) re-encrypted with key [bold]{report.current}[/]")
    if report.failures:
        for line in report.failures[:20]:
            err_console.print(f"[bold red]cannot decrypt:[/] {line}", highlight=False)
        err_console.print(f"{len(report.failures)} value(s) left as they were: add their key to "
                          "TIPOR_DATA_KEYS and run again")
        raise typer.Exit(EXIT_PROBLEM)
