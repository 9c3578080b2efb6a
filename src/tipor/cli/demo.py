"""`tipor demo`: synthetic demo data for trying tipor out."""

from __future__ import annotations

import typer
from rich.table import Table

from tipor.accounts.auth import totp_secret
from tipor.accounts.service import get_user_by_username
from tipor.cli.common import EXIT_CONFIG, EXIT_INPUT, console, db_session, err_console, fail, settings
from tipor.demo.seed import seed_demo
from tipor.exceptions import TiporError
from tipor.security import totp
from tipor.security.crypto import Keyring

app = typer.Typer(help="Synthetic, clearly fictional demo data.", no_args_is_help=True)


def _keyring() -> Keyring:
    current = settings()
    return Keyring.from_settings(current.data_keys, current.blind_index_key)


@app.command()
def seed(
    cases: int = typer.Option(12, min=0, max=10000, help="How many fictional cases to create."),
    seed: int = typer.Option(7, help="Random seed: the same seed gives the same data."),
) -> None:
    """Load demo agencies, one account per role, and fictional cases; print the accounts."""
    if settings().mode == "production":
        err_console.print("[bold red]error:[/] refusing to load demo data in production mode")
        raise typer.Exit(EXIT_CONFIG)
    try:
        with console.status("seeding demo data…"), db_session() as session:
            accounts = seed_demo(session, seed=seed, cases=cases, keyring=_keyring())
    except TiporError as exc:
        raise fail(exc) from None
    table = Table("username", "role", "agency", title="Demo accounts (synthetic; for trying tipor only)")
    for acc in accounts:
        table.add_row(acc.username, acc.role, acc.agency)
    console.print(table, crop=False)
    console.print(f"Password for every demo account: [bold]{accounts[0].password}[/]", soft_wrap=True)
    secret = next(a.totp_secret for a in accounts if a.totp_secret)
    console.print(f"The admin also needs a TOTP code: add the secret [bold]{secret}[/] to an "
                  "authenticator app, or run [bold].venv/bin/tipor demo totp admin[/] for the "
                  "current code.", soft_wrap=True)
    console.print(f"Loaded {cases} fictional cases.", soft_wrap=True)


@app.command("totp")
def totp_code(username: str = typer.Argument(..., help="A demo account with a second factor.")) -> None:
    """Print the current TOTP code of a demo account (development mode only)."""
    if settings().mode == "production":
        err_console.print("[bold red]error:[/] not available in production mode")
        raise typer.Exit(EXIT_CONFIG)
    with db_session() as session:
        user = get_user_by_username(session, username)
        secret = totp_secret(user, _keyring()) if user else None
    if secret is None:
        err_console.print(f"[bold red]error:[/] {username!r} has no second factor set up")
        raise typer.Exit(EXIT_INPUT)
    console.print(totp.current_code(secret))
