"""`tipor catalogue`: check the indicator catalogue and list its indicators."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from tipor.catalogue import load_catalogue, validate_catalogue
from tipor.catalogue.service import get_catalogue
from tipor.cli.common import EXIT_PROBLEM, console, err_console, fail
from tipor.exceptions import CatalogueError, UnknownValue

app = typer.Typer(help="Indicator catalogue: validate the data files, list indicators.",
                  no_args_is_help=True)


@app.command()
def validate(
    path: Path | None = typer.Argument(None, help="Catalogue folder (default: the packaged one)."),
) -> None:
    """Check every catalogue file; exit 1 listing every problem, 0 when valid."""
    problems = validate_catalogue(path)
    where = str(path) if path else "packaged catalogue"
    if problems:
        err_console.print(f"[bold red]{where}: {len(problems)} problem(s)[/]", highlight=False,
                          soft_wrap=True)
        for place, message in problems:
            err_console.print(f"  {place}: {message}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_PROBLEM)
    catalogue = load_catalogue(path)
    console.print(f"{where}: valid (version {catalogue.version}, "
                  f"{len(catalogue.indicators)} indicators, {len(catalogue.profiles)} profiles)",
                  highlight=False)


@app.command("list")
def list_indicators(
    group: str | None = typer.Option(None, "--group", "-g", help="Only this group, e.g. victim."),
    lang: str = typer.Option("en", "--lang", "-l", help="Label language: en ur ar fa es fr."),
) -> None:
    """List indicators (id, group, stage, strength, label, translation status) as a table."""
    try:
        catalogue = get_catalogue()
        rows = catalogue.filter(group, lang)
    except CatalogueError as exc:
        raise fail(exc, EXIT_PROBLEM) from None
    except UnknownValue as exc:
        raise fail(exc) from None
    table = Table(title=f"Indicator catalogue {catalogue.version} ({lang})")
    table.add_column("id", no_wrap=True, min_width=7)
    for column in ("group", "stage", "strength", "label", "translation"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row.id, row.group.value, row.stage.value, row.strength.value, row.label,
                      row.translation.value)
    console.print(table)
    console.print(f"{len(rows)} indicator(s)", highlight=False)
