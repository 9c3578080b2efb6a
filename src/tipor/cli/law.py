"""`tipor law`: the jurisdiction profiles behind legal qualification."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tipor.cli.common import EXIT_INPUT, EXIT_PROBLEM, console, err_console, fail
from tipor.exceptions import CatalogueError, TiporError
from tipor.law.jurisdictions import data_dir, load_jurisdictions
from tipor.law.service import get_jurisdictions, jurisdiction_summaries

app = typer.Typer(help="Jurisdiction profiles for legal qualification.", no_args_is_help=True)


@app.command()
def jurisdictions() -> None:
    """List the jurisdiction profiles with how many of their rules are verified."""
    try:
        rows = jurisdiction_summaries()
    except TiporError as exc:
        raise fail(exc, EXIT_PROBLEM) from None
    table = Table(title=f"Jurisdiction profiles (data {get_jurisdictions().data_version})")
    for column in ("code", "name", "scope", "verified", "unverified", "disputed"):
        table.add_column(column, justify="right" if column.endswith("ed") else "left")
    for row in rows:
        counts = row["verification"]
        table.add_row(row["code"], row["name"], _short(row["scope"]), str(counts["verified"]),
                      str(counts["unverified"]), str(counts["disputed"]))
    console.print(table)
    console.print("Unverified and disputed rules are shown as such in every report; they are "
                  "not settled law.")


@app.command()
def validate(
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="folder of profile files to check (default: the shipped profiles)",
        show_default=False)] = None,
) -> None:
    """Validate every jurisdiction file: exit 0 when all are valid, 1 listing every problem."""
    if directory is not None and not directory.is_dir():
        err_console.print(f"[bold red]error:[/] {directory} is not a folder", highlight=False)
        raise typer.Exit(EXIT_INPUT)
    try:
        data = load_jurisdictions(directory or data_dir())
    except CatalogueError as exc:
        err_console.print(f"[bold red]{exc.message}[/]", highlight=False)
        for path, msg in exc.problems:
            err_console.print(f"  {path}: {msg}", highlight=False, markup=False)
        raise typer.Exit(EXIT_PROBLEM) from None
    console.print(f"{len(data.codes)} jurisdiction profiles valid ({', '.join(data.codes)}); "
                  f"data {data.data_version}", highlight=False)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
