"""`tipor qualify FILE`: qualify a fact pattern (YAML or JSON) and print the report."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.text import Text

from tipor.cli.common import EXIT_INPUT, console, err_console, fail
from tipor.exceptions import TiporError, ValidationFailed
from tipor.law.engine import qualify as run
from tipor.law.render import render_text
from tipor.law.report import QualificationReport
from tipor.law.service import get_jurisdictions, normalise_codes
from tipor.law.validate import parse_fact_pattern_text

_WARN = ("[unverified]", "[disputed]", "unverified", "disputed")


def qualify(
    file: Annotated[Path, typer.Argument(help="fact pattern file (YAML or JSON)", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    jurisdiction: Annotated[list[str] | None, typer.Option(
        "--jurisdiction", "-j", help="assess only this state (ISO code); repeat for more")] = None,
) -> None:
    """Qualify a fact pattern: elements of the offences, per jurisdiction, with evidence gaps.

    Exit 0 with the report; 2 when the file cannot be read or fails its schema (every problem
    is listed with its path), or names an unknown jurisdiction.
    """
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(ValidationFailed(f"cannot read {file}: {exc}")) from None
    try:
        facts = parse_fact_pattern_text(text)
        report = run(facts, get_jurisdictions(), normalise_codes(jurisdiction))
    except TiporError as exc:
        raise fail(exc, EXIT_INPUT) from None
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    print_report(report)


def print_report(report: QualificationReport) -> None:
    """The readable report: the notice in a panel, headings bold, uncertain law highlighted."""
    console.print(Panel(Text(report.notice), title="Notice: supports, does not replace, legal "
                        "judgement", border_style="yellow"))
    for line in render_text(report).splitlines():
        style = ""
        if line[:1].isdigit() or line.startswith(("QUALIFICATION", "EVIDENCE")):
            style = "bold"
        elif any(w in line for w in _WARN):
            style = "yellow"
        console.print(Text(line, style=style), soft_wrap=True)
    text = render_text(report)
    if any(f"[{w}" in text for w in ("official summary", "press or NGO", "unverified", "disputed")):
        err_console.print(Text("Only rules labelled [verified (statute text)] were checked against "
                               "the statute; official summaries, press reports and unverified "
                               "rules are not settled law: confirm them against the primary text "
                               "(`tipor law review` lists them).", style="yellow"))
