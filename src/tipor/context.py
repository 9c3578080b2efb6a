"""What a service call needs besides its arguments: the session, who acts, and the keys."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tipor.accounts.models import User
from tipor.audit.service import Actor
from tipor.security.crypto import Keyring


@dataclass(frozen=True)
class Ctx:
    """A unit of work: one session, one acting user (None for the system), one keyring."""

    session: Session
    actor: Actor
    keyring: Keyring
    user: User | None = None

    def require_user(self) -> User:
        """The acting user; services that need one call this."""
        if self.user is None:
            from tipor.exceptions import PermissionDenied

            raise PermissionDenied("this action needs a signed-in user")
        return self.user
