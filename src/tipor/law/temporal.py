"""The law in force at the time of the conduct: periods, windows, versions and lex mitior.

Pure. A conduct period comes from ISO partial dates: a year covers the whole year, a month the
whole month; a missing date makes the period unknown. A validity window is inclusive at both
ends; a window with no ``in_force_from`` is in force from an unknown date, so it never answers
"yes". The assessment date is never used to pick a penalty for earlier conduct: the version in
force at the time applies, and a later version only where it is more lenient (lex mitior).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from tipor.law.jurisdictions import Dated, Offence, OffenceVersion, Penalty, Statute

InForce = Literal["yes", "no", "unknown", "straddles"]
Which = Literal["a", "b", "same", "not_comparable"]
LEX_MITIOR = ("lex mitior: a later, heavier penalty is never applied to earlier conduct, and a "
              "later, more lenient one is; confirm how this state applies the rule")


def lower(date: str) -> dt.date:
    """The first day a partial ISO date ("2008", "2008-10", "2008-10-20") covers."""
    parts = [int(p) for p in date.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def upper(date: str) -> dt.date:
    """The last day a partial ISO date covers."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    month = parts[1] if len(parts) > 1 else 12
    return dt.date(parts[0], month, calendar.monthrange(parts[0], month)[1])


@dataclass(frozen=True)
class Period:
    """When the conduct happened, inclusive; None at either end means unknown."""

    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def known(self) -> bool:
        """Whether both ends are known."""
        return self.start is not None and self.end is not None

    def text(self) -> str:
        """The period for a sentence."""
        if not self.known:
            return "an unknown date"
        return f"{self.start}" if self.start == self.end else f"{self.start} to {self.end}"


def period(start: str | None, end: str | None = None) -> Period:
    """The period from the earliest and latest partial dates of the facts (either may be given)."""
    first, last = start or end, end or start
    if first is None or last is None:
        return Period()
    try:
        lo, hi = lower(first), upper(last)
    except ValueError:  # an impossible date (2009-02-30): treat as unknown, never guess
        return Period()
    return Period(min(lo, hi), max(lo, hi))


@dataclass(frozen=True)
class Answer:
    """Whether a window was in force over a period; ``boundary`` names a start or end straddled."""

    value: InForce
    boundary: str = ""

    def note(self, what: str) -> str:
        """A sentence for the report, or "" when the answer is a plain yes."""
        if self.value == "straddles":
            return (f"the conduct straddles the {self.boundary} of {what}: split the conduct "
                    "at that date and assess each part under the law then in force")
        if self.value == "unknown":
            return f"whether {what} was in force at the time is unknown: {self.boundary}"
        if self.value == "no":
            return f"{what} was not in force at the time ({self.boundary})"
        return ""


def in_force(window: Dated, when: Period) -> Answer:
    """Whether ``window`` was in force over ``when`` (yes, no, unknown, straddles)."""
    start, end = window.in_force_from, window.in_force_to
    span = f"in force {start or 'from an unknown date'} to {end or 'no end'}"
    if when.start is None or when.end is None:
        return Answer("unknown", "the dates of the conduct are unknown: record them")
    if (end is not None and when.start > end) or (start is not None and when.end < start):
        return Answer("no", span)
    if start is None:
        known_by = window.in_force_by
        if known_by is not None and when.start >= known_by:
            return _within_end(end, when, f"in force by {known_by} (start not on file) to "
                                          f"{end or 'no end'}")
        if known_by is not None:
            return Answer("unknown", f"its start date is not on file; it is known in force "
                                     f"only from {known_by}")
        return Answer("unknown", "its start date is not on file")
    if when.start < start <= when.end:
        return Answer("straddles", f"start ({start})")
    if end is not None and when.start <= end < when.end:
        return Answer("straddles", f"end ({end})")
    return Answer("yes", span)


def _within_end(end: dt.date | None, when: Period, span: str) -> Answer:
    if end is not None and when.end is not None and when.start is not None \
            and when.start <= end < when.end:
        return Answer("straddles", f"end ({end})")
    return Answer("yes", span)


@dataclass(frozen=True)
class Selection:
    """The versions of an offence that may govern the conduct, and why."""

    status: InForce
    versions: tuple[OffenceVersion, ...]
    warnings: tuple[str, ...] = field(default=())


def version_at(offence: Offence, when: Period, statute: Statute | None = None) -> Selection:
    """The version in force at the time of the conduct, or several when the period straddles.

    A version counts only while its statute is in force too (a repealed act ends every offence
    in it, whatever the versions say)."""
    if statute is not None and in_force(statute, when).value == "no":
        return Selection("no", (), (f"{statute.name} was not in force at the time "
                                    f"({_window(statute)})",))
    answers = [(v, in_force(v, when)) for v in _ordered(offence.versions)]
    found = [v for v, a in answers if a.value == "yes"]
    if found:
        return Selection("yes", tuple(found))
    straddled = [(v, a) for v, a in answers if a.value == "straddles"]
    if straddled:
        warns = tuple(a.note(f"{v.section} ({_window(v)})") for v, a in straddled)
        return Selection("straddles", tuple(v for v, _ in straddled), warns)
    unknown = [(v, a) for v, a in answers if a.value == "unknown"]
    if unknown:
        warns = tuple(dict.fromkeys(a.note(f"{v.section}") for v, a in unknown))
        return Selection("unknown", tuple(v for v, _ in unknown), warns)
    return Selection("no", (), tuple(a.note(f"{v.section}") for v, a in answers))


def _ordered(versions: Sequence[OffenceVersion]) -> list[OffenceVersion]:
    return sorted(versions, key=lambda v: v.in_force_from or dt.date.min)


def _window(rule: Dated) -> str:
    start = rule.in_force_from or (f"unknown start, in force by {rule.in_force_by}"
                                   if rule.in_force_by else "unknown start")
    return f"{start} to {rule.in_force_to or 'no end'}"


def window_text(rule: Dated) -> str:
    """A validity window for display."""
    return _window(rule)


@dataclass(frozen=True)
class Leniency:
    """Which of two penalties is more lenient, or why they cannot be compared."""

    which: Which
    reason: str


def more_lenient(a: Penalty, b: Penalty) -> Leniency:
    """Compare penalties: death > life > max_years > min_years; unknown ones are not comparable."""
    if not (_comparable(a) and _comparable(b)):
        return Leniency("not_comparable", "a penalty is unknown or has no figures to compare: a "
                                          "lawyer must compare the texts")
    for name, x, y in (("death", a.death, b.death), ("life", a.life, b.life)):
        if x != y:
            return Leniency("b" if x else "a", f"one penalty includes {name}, the other not")
    for name in ("max_years", "min_years"):
        x, y = getattr(a, name), getattr(b, name)
        if x is None and y is None:
            continue
        if x is None or y is None:
            return Leniency("not_comparable", f"{name.replace('_', ' ')} known for one penalty "
                                              "only: a lawyer must compare the texts")
        if x != y:
            return Leniency("a" if x < y else "b", f"{name.replace('_', ' ')} {x:g} vs {y:g}")
    return Leniency("same", "the penalties have the same figures")


def _comparable(p: Penalty) -> bool:
    return p.known and p.text.strip().lower() != "unknown" and (
        p.death or p.life or p.max_years is not None or p.min_years is not None)


@dataclass(frozen=True)
class Applied:
    """The version whose penalty applies to the conduct, with the temporal notes to show."""

    status: InForce
    version: OffenceVersion | None
    penalty: Penalty | None
    notes: tuple[str, ...]


def applicable(offence: Offence, when: Period, now: dt.date | None = None,
               statute: Statute | None = None) -> Applied:
    """The version and penalty that apply to conduct over ``when``, assessed at ``now``.

    ``now`` None stands for "the latest version is the law now". Several candidate versions
    (straddled or dates unknown) show the most lenient penalty among them, with a warning.
    """
    sel = version_at(offence, when, statute)
    if not sel.versions:
        return Applied("no", None, None, sel.warnings)
    chosen, notes = _most_lenient(sel.versions)
    if sel.status != "yes":
        return Applied(sel.status, chosen, chosen.penalty, sel.warnings + notes)
    current = _current(offence, now)
    if current is None or current == chosen:
        return Applied("yes", chosen, chosen.penalty, ())
    return _lex_mitior(chosen, current, when)


def _most_lenient(versions: Sequence[OffenceVersion]) -> tuple[OffenceVersion, tuple[str, ...]]:
    best = versions[0]
    for v in versions[1:]:
        cmp = more_lenient(best.penalty, v.penalty)
        if cmp.which == "b":
            best = v
        elif cmp.which == "not_comparable":
            return versions[0], ("the penalties of these versions cannot be compared: "
                                 f"{cmp.reason}",)
    if len(versions) == 1:
        return best, ()
    return best, (f"until the dates are settled, the most lenient penalty ({best.section}) is "
                  "shown",)


def _current(offence: Offence, now: dt.date | None) -> OffenceVersion | None:
    if now is None:
        return _ordered(offence.versions)[-1]
    live = version_at(offence, Period(now, now))
    return live.versions[0] if live.status == "yes" else None


def _lex_mitior(then: OffenceVersion, now: OffenceVersion, when: Period) -> Applied:
    cmp = more_lenient(then.penalty, now.penalty)
    profile_note = " ".join(n for n in (now.note, then.note) if n)
    extra = f" {profile_note}" if profile_note else ""
    year = when.start.year if when.start else "the"
    since = now.in_force_from.isoformat() if now.in_force_from else "a later date"
    if cmp.which == "a":
        text = (f"the heavier penalty in force from {since} cannot be applied to {year} "
                f"conduct ({LEX_MITIOR}).{extra}")
        return Applied("yes", then, then.penalty, (text,))
    if cmp.which == "b":
        text = (f"the law changed after the conduct ({now.section}, from {since}) and its "
                f"penalty is more lenient, so it is the one shown ({LEX_MITIOR}).{extra}")
        return Applied("yes", then, now.penalty, (text,))
    if cmp.which == "not_comparable":
        return Applied("yes", then, then.penalty,
                       (f"the law changed after the conduct ({now.section}, from {since}); "
                        f"{cmp.reason}. The penalty shown is the one in force at the time.",))
    return Applied("yes", then, then.penalty, ())
