"""A timeline picture (SVG geometry) computed from a case's dated events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tipor.cases.enums import MEDICAL_EVENTS, EventKind
from tipor.cases.models import Event

WIDTH, LEFT, RIGHT = 900, 30, 30


@dataclass(frozen=True)
class Mark:
    """One event on the picture."""

    x: float
    lane: int
    label: str
    date: str
    kind: str
    approximate: bool
    width: float


def _lane(kind: EventKind) -> int:
    if kind in MEDICAL_EVENTS:
        return 2
    if kind in (EventKind.PAYMENT,):
        return 3
    if kind in (EventKind.TRAVEL, EventKind.BORDER_CROSSING, EventKind.RETURN):
        return 1
    return 0


def timeline_marks(events: list[Event]) -> tuple[list[Mark], list[tuple[float, str]]]:
    """Marks for dated events and year/month ticks; undated events are left out."""
    dated = [e for e in events if e.date_from is not None]
    if not dated:
        return [], []
    first = min(e.date_from for e in dated if e.date_from)
    last = max((e.date_to or e.date_from) for e in dated if e.date_from)
    span = max((last - first).days, 1)
    usable = WIDTH - LEFT - RIGHT

    def x_of(day: dt.date) -> float:
        return LEFT + usable * (day - first).days / span

    marks = []
    for e in dated:
        assert e.date_from is not None
        end = e.date_to or e.date_from
        marks.append(Mark(x_of(e.date_from), _lane(e.kind), e.kind.value.replace("_", " "),
                          e.date_from.isoformat(), e.kind.value, e.approximate,
                          max(x_of(end) - x_of(e.date_from), 0)))
    ticks = [(x_of(first), first.isoformat()), (x_of(last), last.isoformat())]
    return marks, ticks
