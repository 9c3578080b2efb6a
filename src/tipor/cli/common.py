"""What every CLI command shares: settings, a session, the console, error exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from tipor.db import open_session, unit_of_work
from tipor.exceptions import TiporError, ValidationFailed
from tipor.settings import Settings, get_settings

console = Console()
err_console = Console(stderr=True)

#: Exit codes: 0 fine, 1 a check found a problem, 2 bad input or usage, 3 configuration.
EXIT_PROBLEM, EXIT_INPUT, EXIT_CONFIG = 1, 2, 3


def settings() -> Settings:
    """The settings for this run, refusing unsafe production settings."""
    current = get_settings()
    current.check()
    return current


@contextmanager
def db_session() -> Iterator[Session]:
    """A command's unit of work: committed on success, rolled back on any error (keeping only
    what a refusal asks to keep)."""
    session = open_session(settings())
    try:
        with unit_of_work(session):
            yield session
    finally:
        session.close()


def fail(exc: TiporError, code: int = EXIT_INPUT) -> typer.Exit:
    """Print a TiporError for a person and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
    if isinstance(exc, ValidationFailed):
        for path, msg in exc.problems:
            if msg != exc.message:
                err_console.print(f"  {path or '(root)'}: {msg}", highlight=False)
    return typer.Exit(code)
