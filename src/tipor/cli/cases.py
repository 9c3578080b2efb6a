"""`tipor cases`: export and import case bundles, HTCDS CSV. The CLI acts as a named user."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipor.accounts.auth import actor_for
from tipor.accounts.models import Agency, User
from tipor.accounts.service import get_user_by_username
from tipor.cli.common import EXIT_INPUT, EXIT_PROBLEM, console, db_session, err_console, fail, settings
from tipor.context import Ctx
from tipor.evidence.store import FileStore
from tipor.exceptions import IntegrityError, TiporError, ValidationFailed
from tipor.exchange.bundle import bundle_bytes
from tipor.exchange.htcds import export_htcds_for_transfer
from tipor.exchange.seal import check_passphrase
from tipor.exchange.transfer import export_for_transfer, import_for_transfer, parse_json
from tipor.security.crypto import Keyring

app = typer.Typer(help="Case exchange: encrypted bundles, import, HTCDS CSV.", no_args_is_help=True)

AS_USER = typer.Option(..., "--as", help="Act as this user (permissions and audit are theirs).")
PASS_FILE = typer.Option(None, "--passphrase-file", help="Read the passphrase from this file's "
                         "first line; without it you are prompted.")
CLEAR_WARNING = ("[bold yellow]warning:[/] this export is NOT encrypted: it holds names, "
                 "identifiers and medical facts in clear. Store and send it only over protected "
                 "channels, and delete it when done. The clear export is recorded in the audit log.")


def _user(session: Session, username: str) -> User:
    user = get_user_by_username(session, username)  # case-insensitive, as sign-in is
    if user is None or not user.is_active:
        raise ValidationFailed(f"--as: no active user {username!r}; list users with "
                               "`tipor users list`", [("--as", "unknown user")])
    return user


@contextmanager
def _ctx(username: str) -> Iterator[Ctx]:
    current = settings()
    keyring = Keyring.from_settings(current.data_keys, current.blind_index_key)
    with db_session() as session:
        user = _user(session, username)
        yield Ctx(session=session, actor=actor_for(user, "cli"), keyring=keyring, user=user)


def _store() -> FileStore:
    return FileStore(settings().evidence_dir)


def _passphrase(path: Path | None, *, confirm: bool) -> str:
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValidationFailed(f"--passphrase-file: cannot read {path} ({exc.strerror})",
                                   [("--passphrase-file", "unreadable")]) from None
        return lines[0] if lines else ""
    value: str = typer.prompt("passphrase", hide_input=True, confirmation_prompt=confirm)
    return value


def _exit(exc: TiporError) -> typer.Exit:
    return fail(exc, EXIT_PROBLEM if isinstance(exc, IntegrityError) else EXIT_INPUT)


def _write(out: Path | None, data: bytes) -> None:
    if out is None:
        typer.echo(data.decode())
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise ValidationFailed(f"--out: cannot write {out} ({exc.strerror})",
                               [("--out", "unwritable")]) from None


@app.command("export")
def export(
    case_id: int = typer.Argument(..., help="The case's id."),
    username: str = AS_USER,
    out: Path | None = typer.Option(None, "--out", help="Write here (default: standard output)."),
    passphrase_file: Path | None = PASS_FILE,
    clear: bool = typer.Option(False, "--clear", help="Export WITHOUT encryption (audited)."),
    with_files: bool = typer.Option(False, "--with-files", help="Embed the evidence files."),
) -> None:
    """Export one case as a bundle, encrypted with a passphrase unless --clear."""
    try:
        phrase = None if clear else check_passphrase(_passphrase(passphrase_file, confirm=True))
        with _ctx(username) as ctx:
            payload = export_for_transfer(ctx, case_id, include_files=with_files, store=_store(),
                                          passphrase=phrase, clear=clear)
            _write(out, bundle_bytes(payload))
    except TiporError as exc:
        raise _exit(exc) from None
    if clear:
        err_console.print(CLEAR_WARNING)
    if out is not None:
        err_console.print(f"case {case_id} exported to {out} ({'clear' if clear else 'encrypted'})")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A bundle (.json) or an encrypted envelope."),
    agency: str = typer.Option(..., "--agency", help="The importing agency (the new owner)."),
    username: str = AS_USER,
    passphrase_file: Path | None = PASS_FILE,
) -> None:
    """Validate a bundle completely, then create it as a new case; nothing is written on any problem."""
    try:
        try:
            data = parse_json(file.read_bytes(), "file")
        except OSError as exc:
            raise ValidationFailed(f"file: cannot read {file} ({exc.strerror})",
                                   [("file", "unreadable")]) from None
        phrase = None
        if isinstance(data, dict) and data.get("format") == "tipor.sealed":
            phrase = _passphrase(passphrase_file, confirm=False)
        with _ctx(username) as ctx:
            _check_agency(ctx, agency)
            result = import_for_transfer(ctx, data, passphrase=phrase, store=_store())
            reference = result.case.reference
    except TiporError as exc:
        raise _exit(exc) from None
    console.print(f"imported as case [bold]{reference}[/] (id {result.case.id})")
    if result.unmatched_users:
        err_console.print("users not found here (left empty): " + ", ".join(result.unmatched_users))
    if result.files_missing:
        err_console.print(f"{len(result.files_missing)} evidence file(s) not included: transfer "
                          "them separately and check their SHA-256")


def _check_agency(ctx: Ctx, name: str) -> None:
    user = ctx.require_user()
    agency = ctx.session.execute(select(Agency).where(Agency.name == name)).scalar_one_or_none()
    if agency is None:
        raise ValidationFailed(f"--agency: no agency named {name!r}", [("--agency", "unknown agency")])
    if agency.id != user.agency_id:
        raise ValidationFailed(f"--as: user {user.username!r} belongs to {user.agency.name!r}, not "
                               f"{name!r}; act as a user of the importing agency",
                               [("--as", "not in the importing agency")])


@app.command("htcds")
def htcds(
    case_ids: list[int] = typer.Argument(..., help="One or more case ids."),
    out: Path = typer.Option(..., "--out", help="Where to write the CSV (or its envelope)."),
    username: str = AS_USER,
    passphrase_file: Path | None = PASS_FILE,
    clear: bool = typer.Option(False, "--clear", help="Write the CSV WITHOUT encryption (audited)."),
) -> None:
    """HTCDS v2 CSV, one row per person, encrypted with a passphrase unless --clear."""
    try:
        phrase = None if clear else check_passphrase(_passphrase(passphrase_file, confirm=True))
        with _ctx(username) as ctx:
            payload = export_htcds_for_transfer(ctx, case_ids, passphrase=phrase, clear=clear)
            data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            _write(out, data)
    except TiporError as exc:
        raise _exit(exc) from None
    if clear:
        err_console.print(CLEAR_WARNING)
    err_console.print(f"{len(case_ids)} case(s) written to {out} ({'clear' if clear else 'encrypted'})")
