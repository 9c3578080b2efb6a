"""`tipor db`: database migrations."""

from __future__ import annotations

import typer

from tipor import migrate
from tipor.cli.common import console, settings

app = typer.Typer(help="Database schema: apply migrations, show the current revision.",
                  no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision (default: latest).")) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    url = settings().db_url
    migrate.upgrade(url, revision)
    console.print(f"database at revision [bold]{migrate.current(url)}[/]")


@app.command()
def current() -> None:
    """Print the revision the database is at."""
    console.print(migrate.current(settings().db_url) or "not migrated")
