"""`tipor screen FILE`: screen a JSON or YAML input file (docs/formats/screening.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
import yaml

from tipor.catalogue.service import get_catalogue
from tipor.cli.common import EXIT_INPUT, EXIT_PROBLEM, console, err_console, fail
from tipor.datafiles import load_yaml
from tipor.exceptions import CatalogueError, ValidationFailed
from tipor.screening.formats import result_to_dict
from tipor.screening.models import ScreeningResult
from tipor.screening.service import run_document


def read_document(path: Path) -> Any:
    """The parsed JSON (``.json``) or YAML (anything else) document; ValidationFailed if not."""
    if not path.is_file():
        msg = f"{path}: no such file; give the path of a screening input (JSON or YAML)"
        raise ValidationFailed(msg, [("FILE", msg)])
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        msg = f"{path} is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {exc}"
        raise ValidationFailed(msg.replace("\n", " "), [("FILE", "unreadable")]) from None


def print_summary(result: ScreeningResult) -> None:
    """A readable summary of a result for the terminal."""
    for flag in result.urgent:
        console.print(f"[bold red]URGENT: {flag.title}[/] ({', '.join(flag.indicators)})",
                      highlight=False)
    console.print(f"[bold]Level: {result.level_title}[/] ({result.level.value}) — "
                  f"{result.level_reason}", highlight=False)
    c = result.confidence
    console.print(f"Confidence: {round(c.share * 100)}% ({c.answered}/{c.total} answered)",
                  highlight=False)
    supported = [f.title for f in result.elements if f.supported]
    console.print(f"Elements indicated: {', '.join(supported) or 'none'}", highlight=False)
    console.print("[bold]Referrals[/]")
    for r in result.next_steps.referrals:
        when = ("now" if r.within_hours == 0 else f"within {r.within_hours} h"
                if r.within_hours is not None else "no deadline")
        console.print(f"  - {r.title}: {when}", highlight=False)
    console.print("[bold]Questions still to ask[/]")
    for q in result.next_steps.questions[:10]:
        console.print(f"  - {q.indicator}: {q.question}", highlight=False)
    if len(result.next_steps.questions) > 10:
        console.print(f"  … and {len(result.next_steps.questions) - 10} more (use --json)")
    for note in result.notes:
        console.print(f"Note: {note}", highlight=False)
    console.print(f"Catalogue {result.catalogue_version}, engine {result.engine_version}",
                  highlight=False)


def _bad_input(exc: ValidationFailed) -> typer.Exit:
    """Print every problem unwrapped (values and valid choices stay whole), exit 2."""
    err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False, soft_wrap=True)
    for path, msg in exc.problems:
        if msg != exc.message:
            err_console.print(f"  {path or '(root)'}: {msg}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_INPUT)


def screen(
    file: Path = typer.Argument(..., help="Screening input, JSON or YAML."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    lang: str | None = typer.Option(None, "--lang", "-l",
                                    help="Output language (overrides the file's): en ur ar fa es fr."),
) -> None:
    """Screen a situation from FILE and print the explained result (nothing is saved)."""
    try:
        catalogue = get_catalogue()
    except CatalogueError as exc:
        raise fail(exc, EXIT_PROBLEM) from None
    try:
        _request, result = run_document(read_document(file), language=lang, catalogue=catalogue)
    except ValidationFailed as exc:
        raise _bad_input(exc) from None
    if as_json:
        typer.echo(json.dumps(result_to_dict(result), ensure_ascii=False, indent=2))
    else:
        print_summary(result)
