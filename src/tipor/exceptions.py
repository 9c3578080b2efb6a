"""Every error tipor raises on purpose, in one tree.

    TiporError                      base; ``message`` is written for a person to act on
    ├── ConfigError                 settings missing or unsafe (e.g. default secret in production)
    ├── ValidationFailed            input does not fit; carries ``problems`` as (path, message) pairs
    │   ├── CatalogueError          an indicator catalogue or profile file is invalid
    │   ├── UnknownValue            an id, code or choice that does not exist (lists the valid ones)
    │   └── FactPatternError        a legal fact pattern fails its schema or references
    ├── NotFound                    the object does not exist (or is hidden from this user)
    ├── PermissionDenied            the user may not do this
    ├── AuthenticationFailed        login failed; deliberately says nothing about why
    ├── Throttled                   too many attempts; ``retry_after`` seconds
    ├── Conflict                    a stale version or a duplicate; carries the conflicting fields
    ├── Unavailable                 the database is busy (lock or pool timeout); ``retry_after``
    └── IntegrityError              stored data failed a check (audit chain, evidence hash)

Interfaces map these to HTTP statuses and CLI exit codes in one place each
(``tipor.web.errors`` and ``tipor.cli.main``); services and engines never know about HTTP.

Services never commit. Some refusals must still leave a trace (a failed sign-in counts towards
the throttle; a denied access is audited): the service attaches those writes to the error as
``after_rollback`` steps, and the unit of work (``tipor.db.settle``) rolls back everything else,
then applies the steps in a transaction of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any


class TiporError(Exception):
    """Base class: ``message`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        #: Writes to keep although the request fails, applied by the unit of work after rollback.
        self.after_rollback: list[Callable[[Any], object]] = []

    def keeping(self, step: Callable[[Any], object]) -> TiporError:
        """Attach a write (a function of the session) to apply after the rollback; returns self."""
        self.after_rollback.append(step)
        return self


class ConfigError(TiporError):
    """Settings are missing or unsafe for the chosen mode."""


class ValidationFailed(TiporError):
    """Input does not fit; ``problems`` lists each (path, message)."""

    def __init__(self, message: str, problems: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.problems: list[tuple[str, str]] = list(problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message] + [f"  {path or '(root)'}: {msg}" for path, msg in self.problems]
        return "\n".join(lines)


class CatalogueError(ValidationFailed):
    """An indicator catalogue or screening profile file is invalid."""


class UnknownValue(ValidationFailed):
    """A value that names nothing known; the message lists the valid choices."""

    def __init__(self, kind: str, value: object, valid: Sequence[str], path: str = "") -> None:
        shown = ", ".join(valid[:40]) + (" …" if len(valid) > 40 else "")
        msg = f"unknown {kind} {value!r}; valid values: {shown}"
        super().__init__(msg, [(path or kind, msg)])
        self.kind = kind
        self.value = value
        self.valid = list(valid)


class FactPatternError(ValidationFailed):
    """A legal fact pattern fails its schema or refers to something that does not exist."""


class NotFound(TiporError):
    """The object does not exist, or this user may not know that it does."""


class PermissionDenied(TiporError):
    """The user is not allowed to do this."""


class AuthenticationFailed(TiporError):
    """Login failed; the message never says whether the account exists."""


class Throttled(TiporError):
    """Too many attempts; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Conflict(TiporError):
    """A stale version or a duplicate; ``fields`` names what conflicts."""

    def __init__(self, message: str, fields: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


class Unavailable(TiporError):
    """The database could not take this request now (lock, pool or deadlock); retry later.

    ``retryable`` says whether nothing of the request was committed, so it may be re-run.
    """

    def __init__(self, message: str, retry_after: int = 1, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.retryable = retryable


class IntegrityError(TiporError):
    """Stored data failed an integrity check (audit chain, evidence hash)."""
