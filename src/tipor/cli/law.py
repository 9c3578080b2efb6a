"""`tipor law`: the jurisdiction profiles behind legal qualification."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.table import Table

from tipor.cli.common import EXIT_INPUT, EXIT_PROBLEM, console, err_console, fail
from tipor.exceptions import CatalogueError, TiporError
from tipor.law.jurisdictions import TIERS, JurisdictionSet, data_dir, load_jurisdictions
from tipor.law.service import get_jurisdictions, jurisdiction_summaries, review_list
from tipor.law.views import tier_label

app = typer.Typer(help="Jurisdiction profiles for legal qualification.", no_args_is_help=True)


@app.command()
def jurisdictions() -> None:
    """List the jurisdiction profiles with how many of their rules are at each tier."""
    try:
        rows = jurisdiction_summaries()
    except TiporError as exc:
        raise fail(exc, EXIT_PROBLEM) from None
    table = Table(title=f"Jurisdiction profiles (data {get_jurisdictions().data_version})")
    for column in ("code", "name"):
        table.add_column(column)
    for column in (*TIERS, "disputed"):
        table.add_column(column, justify="right")
    for row in rows:
        counts = row["tiers"]
        table.add_row(row["code"], _short(row["name"], 24),
                      *(str(counts[c]) for c in (*TIERS, "disputed")))
    console.print(table)
    console.print("; ".join(f"{t} = {tier_label(t)}" for t in TIERS), highlight=False)
    console.print("Only primary rules are verified against the statute text; every other tier "
                  "is shown as such in every report and is not settled law. "
                  "`tipor law review` lists them.")


@app.command()
def review(
    jurisdiction: Annotated[str | None, typer.Option(
        "--jurisdiction", "-j", help="one jurisdiction code (default: every profile)",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="folder of profile files (default: the shipped profiles)",
        show_default=False)] = None,
) -> None:
    """List, per jurisdiction, every rule below primary as a checklist for a lawyer."""
    data = _load(directory)
    try:
        found = review_list(jurisdiction, data)
    except TiporError as exc:
        raise fail(exc, EXIT_INPUT) from None
    if as_json:
        typer.echo(json.dumps({"data_version": data.data_version, "jurisdictions": found},
                              indent=2, ensure_ascii=False))
        return
    for j in found:
        console.print(f"\n[bold]{j['code']} {j['name']}[/]: {len(j['rules'])} rules below "
                      "primary", highlight=False)
        for r in j["rules"]:
            console.print(_review_line(r), highlight=False, markup=False)


def _review_line(row: dict[str, Any]) -> str:
    cites = "; ".join(s["citation"] + (f" <{s['url']}>" if s.get("url") else "")
                      for s in row["sources"])
    review = row["last_review"]
    last = (f"{review['on']} by {review['by']}: {review['outcome']}" if review
            else "not yet reviewed")
    disputed = " (disputed)" if row["disputed"] else ""
    return (f"[ ] {row['path']}: {row['text']}\n      tier: {row['tier_label']}{disputed}; "
            f"sources: {cites}\n      last review: {last}")


@app.command()
def validate(
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="folder of profile files to check (default: the shipped profiles)",
        show_default=False)] = None,
) -> None:
    """Validate every jurisdiction file: exit 0 when all are valid, 1 listing every problem."""
    data = _load(directory)
    console.print(f"{len(data.codes)} jurisdiction profiles valid ({', '.join(data.codes)}); "
                  f"data {data.data_version}", highlight=False)


def _load(directory: Path | None) -> JurisdictionSet:
    """The profiles in ``directory`` (default: shipped); exit 2 or 1 naming every problem."""
    if directory is not None and not directory.is_dir():
        err_console.print(f"[bold red]error:[/] {directory} is not a folder", highlight=False)
        raise typer.Exit(EXIT_INPUT)
    if directory is None:
        try:
            return get_jurisdictions()
        except CatalogueError as exc:
            _problems(exc)
    try:
        return load_jurisdictions(directory or data_dir())
    except CatalogueError as exc:
        _problems(exc)


def _problems(exc: CatalogueError) -> NoReturn:
    err_console.print(f"[bold red]{exc.message}[/]", highlight=False)
    for path, msg in exc.problems:
        err_console.print(f"  {path}: {msg}", highlight=False, markup=False)
    raise typer.Exit(EXIT_PROBLEM) from None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
