"""`tipor users`: create, list and unlock accounts from the command line (e.g. the first admin,
or an administrator locked out by failed sign-ins).

The command line acts as the system (a ``Ctx`` without a user): whoever can run it on the
server already holds the database, and the first administrator has nobody to create them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from rich.table import Table
from sqlalchemy import select

from tipor.accounts import service, throttle
from tipor.accounts.models import Agency, AgencyKind, Role
from tipor.accounts.schemas import AgencyCreate, UserCreate
from tipor.audit.service import Actor
from tipor.cli.common import EXIT_INPUT, console, db_session, err_console, fail, settings
from tipor.context import Ctx
from tipor.exceptions import NotFound, TiporError, ValidationFailed
from tipor.security.crypto import Keyring

app = typer.Typer(help="User accounts: create the first admin, list users, unlock sign-in.",
                  no_args_is_help=True)


@contextmanager
def _system() -> Iterator[Ctx]:
    """A unit of work acting as the system ("cli" in the audit log); committed on success."""
    current = settings()
    keyring = Keyring.from_settings(current.data_keys, current.blind_index_key)
    with db_session() as session:
        yield Ctx(session=session, actor=Actor.system("cli"), keyring=keyring)


def _agency(ctx: Ctx, name: str, kind: AgencyKind, country: str) -> Agency:
    found = ctx.session.execute(select(Agency).where(Agency.name == name)).scalar_one_or_none()
    if found is not None:
        return found
    if not country:
        raise ValidationFailed(f"the agency {name!r} is new: give its country with --country "
                               "(an ISO 3166-1 alpha-2 code such as PK, IQ or XK)",
                               [("--country", "required for a new agency")])
    return service.create_agency(ctx, data=AgencyCreate(name=name, kind=kind, country=country))


@app.command()
def create(
    username: str = typer.Option(..., help="Login name: lower-case letters, digits, . _ -"),
    name: str = typer.Option(..., "--name", help="The person's full name."),
    agency: str = typer.Option(..., help="Agency name; created if it does not exist."),
    role: Role = typer.Option(Role.ADMIN, help="The user's role."),
    agency_kind: AgencyKind = typer.Option(AgencyKind.INTERNATIONAL_ORGANISATION,
                                           help="Kind, if the agency is new."),
    country: str = typer.Option("", help="ISO 3166-1 alpha-2 code (e.g. PK, XK): required if "
                                "the agency is new."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True,
                                 help="At least 12 characters; prompted if not given."),
) -> None:
    """Create a user (by default an admin, who must set up a second factor at first sign-in)."""
    try:
        with _system() as ctx:
            owner = _agency(ctx, agency, agency_kind, country)
            user = service.create_user(ctx, data=UserCreate(
                username=username, display_name=name, agency_id=owner.id, role=role,
                password=password))
            console.print(f"created user [bold]{user.username}[/] ({user.role.value}) "
                          f"in agency {owner.name!r}")
    except ValidationError as exc:
        for err in exc.errors():
            err_console.print(f"[bold red]error:[/] {'.'.join(map(str, err['loc']))}: {err['msg']}")
        raise typer.Exit(EXIT_INPUT) from None
    except TiporError as exc:
        raise fail(exc) from None


@app.command("list")
def list_users() -> None:
    """List every user with agency, role and second-factor status."""
    with _system() as ctx:
        table = Table("username", "name", "agency", "role", "2FA", "active")
        for user in service.list_users(ctx):
            table.add_row(user.username, user.display_name, user.agency.name, user.role.value,
                          "yes" if user.totp_enabled else "no", "yes" if user.is_active else "no")
        console.print(table)


@app.command()
def unlock(username: str = typer.Argument(..., help="The locked account's username.")) -> None:
    """Let an account locked by failed sign-ins try again now (audited as the CLI)."""
    try:
        with _system() as ctx:
            user = service.get_user_by_username(ctx.session, username)
            if user is None:
                raise NotFound(f"there is no user {username!r}; `tipor users list` shows them")
            was_locked = throttle.is_locked(ctx.session, settings(), user)
            service.unlock_user(ctx, user_id=user.id)
            state = "was locked" if was_locked else "was not locked"
            console.print(f"unlocked [bold]{user.username}[/] ({state}); failed sign-ins so "
                          "far no longer count against the account")
    except TiporError as exc:
        raise fail(exc) from None
