"""Entry point: assembles the command groups listed in tipor.cli.commands."""

from __future__ import annotations

import typer

from tipor.cli.commands import GROUPS, TOP_LEVEL
from tipor.cli.common import EXIT_CONFIG, EXIT_INPUT, err_console
from tipor.exceptions import ConfigError, TiporError

app = typer.Typer(
    name="tipor", no_args_is_help=True, add_completion=False,
    help="tipor: case intelligence and referral against trafficking for organ removal.",
    pretty_exceptions_enable=False,
)
for name, group in GROUPS:
    app.add_typer(group, name=name)
for command in TOP_LEVEL:
    app.command()(command)


def main() -> None:
    """Run the CLI; known errors become a message and an exit code, never a traceback."""
    try:
        app(standalone_mode=True)
    except ConfigError as exc:
        err_console.print(f"[bold red]configuration error:[/] {exc.message}", highlight=False)
        raise SystemExit(EXIT_CONFIG) from None
    except TiporError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
        raise SystemExit(EXIT_INPUT) from None
