"""Bundles in transit: sealed by default, clear only by explicit choice; opened before import.

Shared by the API and the CLI so both apply the same rules: a passphrase is checked before
anything is read or audited; a clear export is audited as its own action.
"""

from __future__ import annotations

import json
from typing import Any

from tipor.context import Ctx
from tipor.evidence.store import FileStore
from tipor.exceptions import ValidationFailed
from tipor.exchange.bundle import bundle_bytes, export_case
from tipor.exchange.importer import ImportResult, import_bundle
from tipor.exchange.seal import BUNDLE_TYPE, check_passphrase, is_envelope, open_envelope, seal


def export_for_transfer(ctx: Ctx, case_id: int, *, include_files: bool, store: FileStore | None,
                        passphrase: str | None, clear: bool) -> dict[str, Any]:
    """The sealed envelope of the case's bundle, or the clear bundle when ``clear`` is chosen."""
    if not clear:
        check_passphrase(passphrase)
    bundle = export_case(ctx, case_id, include_files=include_files, store=store, clear=clear)
    if clear:
        return bundle
    assert passphrase is not None
    return seal(bundle_bytes(bundle), passphrase, BUNDLE_TYPE)


def unwrap(data: object, passphrase: str | None) -> dict[str, Any]:
    """The bundle inside ``data``: opened with the passphrase if it is an envelope."""
    if not is_envelope(data):
        if not isinstance(data, dict):
            raise ValidationFailed("bundle: expected a JSON object (a case bundle or an encrypted "
                                   "envelope)", [("$", "not an object")])
        return data
    assert isinstance(data, dict)
    raw = open_envelope(data, passphrase, expect=BUNDLE_TYPE)
    try:
        inner = json.loads(raw)
    except ValueError:
        raise ValidationFailed("bundle: the decrypted content is not JSON", [("$", "not JSON")]) from None
    if not isinstance(inner, dict):
        raise ValidationFailed("bundle: the decrypted content is not a case bundle", [("$", "not an object")])
    return inner


def import_for_transfer(ctx: Ctx, data: object, *, passphrase: str | None,
                        store: FileStore | None) -> ImportResult:
    """Open (if sealed), validate completely, then import; nothing is written on any problem."""
    return import_bundle(ctx, unwrap(data, passphrase), store=store)


def parse_json(text: str | bytes, what: str = "file") -> object:
    """Decode JSON, or ValidationFailed saying where it breaks."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"{what}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg})", [(what, "not JSON")]) from None
