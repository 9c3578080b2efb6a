"""Encrypted attributes: unreadable until their service decrypts them, never assignable in clear."""

from __future__ import annotations

import pytest

from tipor.cases.enums import EventKind
from tipor.cases.models import Event
from tipor.security.sealed import NotRevealed, reveal


def test_unrevealed_attribute_is_loud_and_clear_assignment_refused() -> None:
    event = Event(kind=EventKind.SURGERY, description_enc="v1:k1:x")
    with pytest.raises(NotRevealed, match="Event.description is stored encrypted"):
        _ = event.description
    with pytest.raises(TypeError, match="set description_enc"):
        event.description = "Fictional clear text"
    with pytest.raises(TypeError, match="set description_enc"):
        Event(kind=EventKind.SURGERY, description="Fictional clear text")
    reveal(event, "description", "Fictional surgery")
    assert event.description == "Fictional surgery" and event.description_enc == "v1:k1:x"
    with pytest.raises(TypeError, match="not an encrypted attribute"):
        reveal(event, "place", "Fictional place")
