"""`tipor vocab`: check the vocabulary files (case file and fact pattern) against the code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from tipor.cases import enums
from tipor.cases import vocabulary as case_vocabulary
from tipor.cli.common import EXIT_INPUT, EXIT_PROBLEM, console, err_console
from tipor.law import vocabulary as fact_vocabulary
from tipor.vocabulary import Problem

app = typer.Typer(help="Vocabulary files: the values of the case file and the fact pattern.",
                  no_args_is_help=True)
#: where each vocabulary file lives under the package folder (or under --dir)
FILES: dict[str, Path] = {"case": Path("cases/data/vocabulary.yaml"),
                          "fact-pattern": Path("law/data/vocabulary.yaml")}


def _case(path: Path) -> tuple[str, list[Problem]]:
    vocab, found = case_vocabulary.case_vocabulary_problems(enums.VOCABULARIES, path)
    if vocab is None:
        return "", found
    counts = [len(v.values) for v in vocab.vocabularies.values()]
    return _summary(vocab.version, counts), found + case_vocabulary.label_problems(vocab, path)


def _fact(path: Path) -> tuple[str, list[Problem]]:
    vocab, found = fact_vocabulary.fact_vocabulary_problems(path)
    if vocab is None:
        return "", found
    return _summary(vocab.version, [len(v.values) for v in vocab.vocabularies.values()]), found


def _summary(version: str, counts: list[int]) -> str:
    return f"version {version}, {len(counts)} vocabularies, {sum(counts)} values"


CHECKS: dict[str, Callable[[Path], tuple[str, list[Problem]]]] = {
    "case": _case, "fact-pattern": _fact}


@app.command()
def validate(
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="package folder holding cases/data/ and law/data/ (default: the installed "
        "tipor package, e.g. --dir src/tipor in a checkout)", show_default=False)] = None,
) -> None:
    """Check every vocabulary file: schema, enum and Literal values, label keys. Exit 1 on a problem."""
    root = directory or Path(enums.__file__).resolve().parents[1]
    if not root.is_dir():
        err_console.print(f"[bold red]error:[/] {root} is not a folder: give the package folder "
                          "that holds cases/data/ and law/data/ (e.g. --dir src/tipor)",
                          highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INPUT)
    problems: list[Problem] = []
    for name, rel in FILES.items():
        summary, found = CHECKS[name](root / rel)
        problems += found
        if not found:
            console.print(f"{name} vocabulary {root / rel}: {summary}: valid", highlight=False,
                          soft_wrap=True)
    for where, what in problems:
        err_console.print(f"{where}: {what}", highlight=False, markup=False, soft_wrap=True)
    if problems:
        err_console.print(f"[bold red]{len(problems)} problem(s)[/]", highlight=False)
        raise typer.Exit(EXIT_PROBLEM)
