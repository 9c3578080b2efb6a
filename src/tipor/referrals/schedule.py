"""The aftercare schedule after nephrectomy, loaded from ``data/aftercare.yaml`` and checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tipor.datafiles import load_yaml
from tipor.exceptions import ValidationFailed

_STRICT = ConfigDict(extra="forbid")


class Source(BaseModel):
    """Where an interval comes from."""

    model_config = _STRICT
    citation: str
    note: str = ""


class Check(BaseModel):
    """One check at a fixed number of days after surgery."""

    model_config = _STRICT
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    after_days: int = Field(gt=0)
    covers: list[str] = Field(min_length=1)
    source: str
    verification: Literal["unverified", "verified"]
    verified_by: str = ""


class Yearly(BaseModel):
    """Yearly checks after the listed ones."""

    model_config = _STRICT
    title: str
    from_years: int = Field(ge=1)
    until_years: int = Field(ge=1)
    covers: list[str] = Field(min_length=1)
    source: str
    verification: Literal["unverified", "verified"]
    verified_by: str = ""


class Schedule(BaseModel):
    """The whole file; references to sources and covered items must resolve."""

    model_config = _STRICT
    schema_: str = Field(alias="schema", pattern=r"^tipor\.aftercare/1$")
    name: str
    kind: str
    section: str
    sources: dict[str, Source]
    covers: dict[str, str]
    checks: list[Check] = Field(min_length=1)
    yearly: Yearly | None = None

    @model_validator(mode="after")
    def _references(self) -> Schedule:
        items: list[Check | Yearly] = [*self.checks, *([self.yearly] if self.yearly else [])]
        for item in items:
            if item.source not in self.sources:
                raise ValueError(f"{item.title}: unknown source {item.source!r}")
            unknown = [c for c in item.covers if c not in self.covers]
            if unknown:
                raise ValueError(f"{item.title}: unknown covered items {unknown}")
        days = [c.after_days for c in self.checks]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError("checks: list them in increasing, distinct after_days")
        return self


@dataclass(frozen=True)
class PlannedCheck:
    """A check with its due date for one surgery date."""

    key: str
    title: str
    due: dt.date
    covers: tuple[str, ...]
    source: str
    verification: str


def parse_schedule(raw: Any) -> Schedule:
    """Validate a loaded YAML document, or ValidationFailed naming each problem."""
    try:
        return Schedule.model_validate(raw)
    except ValidationError as exc:
        problems = [(".".join(str(p) for p in e["loc"]) or "schedule", e["msg"]) for e in exc.errors()]
        raise ValidationFailed("aftercare schedule is invalid: " + "; ".join(
            f"{p}: {m}" for p, m in problems), problems) from None


@cache
def aftercare_schedule() -> Schedule:
    """The packaged schedule (read once per process)."""
    text = (resources.files("tipor.referrals") / "data" / "aftercare.yaml").read_text(encoding="utf-8")
    return parse_schedule(load_yaml(text))


def plan_checks(schedule: Schedule, surgery: dt.date) -> list[PlannedCheck]:
    """The checks due after a surgery on ``surgery``, earliest first."""
    out = [PlannedCheck(c.id, c.title, surgery + dt.timedelta(days=c.after_days), tuple(c.covers),
                        c.source, c.verification) for c in schedule.checks]
    if schedule.yearly is not None:
        y = schedule.yearly
        for years in range(y.from_years, y.until_years + 1):
            out.append(PlannedCheck(f"year{years}", y.title.format(years=years),
                                    _add_years(surgery, years), tuple(y.covers), y.source,
                                    y.verification))
    return out


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
