"""`tipor keys`: which data keys the stored values and evidence files use, and rotation."""

from __future__ import annotations

from collections import Counter

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from tipor.audit.service import Actor
from tipor.cli.common import EXIT_INPUT, EXIT_PROBLEM, console, db_session, err_console, fail, settings
from tipor.evidence.rotation import MISSING, count_files, file_status
from tipor.evidence.store import CLEAR, FileStore
from tipor.exceptions import ConfigError
from tipor.keys.rotation import RotationReport, count_values, key_status, rotate
from tipor.security.crypto import Keyring

EVIDENCE_FILES = "evidence files"

app = typer.Typer(help="Data keys (TIPOR_DATA_KEYS): status and rotation.", no_args_is_help=True)


def _keyring() -> Keyring:
    current = settings()
    try:
        return Keyring.from_settings(current.data_keys, current.blind_index_key)
    except ConfigError as exc:
        raise fail(exc, EXIT_INPUT) from None


@app.command()
def status() -> None:
    """How many encrypted values use each key id, per column, and how many evidence files."""
    keyring = _keyring()
    with db_session() as session:
        found = key_status(session)
        found[EVIDENCE_FILES] = file_status(session, FileStore(settings().evidence_dir))
    table = Table("column", "key id", "values", "note")
    for column, counts in found.items():
        if not counts:
            table.add_row(column, "-", "0", "")
        for kid, n in sorted(counts.items()):
            table.add_row(column, kid, str(n), _note(keyring, kid))
    console.print(table)
    console.print(f"current key: [bold]{keyring.current_id}[/] (first in TIPOR_DATA_KEYS)")


def _note(keyring: Keyring, kid: str) -> str:
    if kid == keyring.current_id:
        return "current"
    if kid == CLEAR:
        return "NOT ENCRYPTED (stored before encryption): run `tipor keys rotate`"
    if kid == MISSING:
        return "FILE MISSING from the evidence folder: restore it from a backup"
    if keyring.knows(kid):
        return "old key: run `tipor keys rotate`"
    return "UNKNOWN key: cannot decrypt"


@app.command("rotate")
def rotate_cmd(
    batch: int = typer.Option(500, min=1, max=100_000, help="Rows per committed batch."),
) -> None:
    """Re-encrypt every value and evidence file with the current (first) key; safe to run again."""
    keyring = _keyring()
    store = FileStore(settings().evidence_dir)
    with db_session() as session:
        total = count_values(session) + count_files(session)
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn()]
        with Progress(*columns, console=err_console, transient=True) as progress:
            task = progress.add_task(f"re-encrypting with {keyring.current_id}", total=total)

            def advance(column: str, n: int) -> None:
                progress.update(task, advance=n, description=f"{column} → {keyring.current_id}")

            report = rotate(session, keyring, actor=Actor.system("cli"), batch=batch,
                            on_progress=advance, store=store)
    _print_report(report)


def _print_report(report: RotationReport) -> None:
    table = Table("column", "values", "re-encrypted", "key ids found")
    for name, col in report.columns.items():
        table.add_row(name, str(col.seen), str(col.rewritten), _ids(col.key_ids))
    files = report.files
    if files is not None:
        table.add_row(EVIDENCE_FILES, str(files.seen), str(files.rewritten), _ids(files.key_ids))
    console.print(table)
    console.print(f"{report.rewritten} value(s) re-encrypted with key [bold]{report.current}[/]")
    if files is not None:
        console.print(f"{files.rewritten} evidence file(s) re-sealed, {files.converted} of them "
                      f"stored in clear before; {files.clear_removed} clear copy(ies) deleted")
    if report.failures:
        for line in report.failures[:20]:
            err_console.print(f"[bold red]cannot decrypt:[/] {line}", highlight=False)
        err_console.print(f"{len(report.failures)} value(s) or file(s) left as they were: add "
                          "their key to TIPOR_DATA_KEYS (or restore the file) and run again")
        raise typer.Exit(EXIT_PROBLEM)


def _ids(counts: Counter[str]) -> str:
    return ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())) or "-"
