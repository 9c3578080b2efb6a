"""Optimistic locking shared by every service: refuse an update based on a stale version."""

from __future__ import annotations

from typing import Protocol

from tipor.exceptions import Conflict


class HasVersion(Protocol):
    """Any row with a ``version`` column."""

    version: int


def plain(value: object) -> object:
    """Enum members as their values, for messages and JSON."""
    return getattr(value, "value", value)


def check_version(obj: HasVersion, expected: int, changes: dict[str, object]) -> None:
    """Conflict (409) naming the current and the submitted values when ``expected`` is stale."""
    if obj.version == expected:
        return
    current = {k: plain(getattr(obj, k, None)) for k in changes}
    raise Conflict(
        f"this record was changed by someone else (you edited version {expected}, it is now "
        f"version {obj.version}); review the current values and apply your change again",
        {"current": current, "yours": {k: plain(v) for k, v in changes.items()},
         "version": obj.version},
    )
