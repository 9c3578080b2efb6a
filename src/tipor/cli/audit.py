"""`tipor audit`: check the audit log's hash chain."""

from __future__ import annotations

import typer

from tipor.audit import service as audit
from tipor.cli.common import EXIT_PROBLEM, console, db_session, err_console

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Walk the hash chain; exit 0 when intact, 1 naming the first entry altered, deleted or reordered."""
    with console.status("verifying the audit chain…"), db_session() as session:
        verdict = audit.verify(session)
    if verdict.ok:
        console.print(f"audit chain intact: {verdict.checked} entries checked")
        return
    err_console.print(f"[bold red]audit chain broken[/] ({verdict.kind}): {verdict.problem}",
                      highlight=False)
    raise typer.Exit(EXIT_PROBLEM)
