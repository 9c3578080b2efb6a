"""Field types shared by the request schemas: strict scalars, database-sized integers, bounded
lists and plausible dates.

API bodies are validated strictly: ``"1"`` is not an integer, ``1`` is not text and only
``true``/``false`` are booleans. HTML forms submit text, so ``tipor.web.forms.parse`` validates
with ``strict=False``, which relaxes exactly these field-level rules and nothing else.

Errors raised here use an i18n key as their pydantic error type (``input.…``), so the web layer
can show them in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict
from pydantic_core import PydanticCustomError

from tipor.i18n import translate

#: PostgreSQL's ``integer``: ids and versions above this cannot name a row.
MAX_INT = 2**31 - 1
#: Longest list in a request (aliases, nationalities …) and longest item in such a list.
MAX_ITEMS = 50
MAX_ITEM_LENGTH = 200



def _json_integer(value: object) -> object:
    # JSON Schema counts 3.0 as an integer: accept it as 3, but never "3", 3.5 or true
    return int(value) if isinstance(value, float) and value.is_integer() else value


#: A whole number as JSON writes it (``3`` or ``3.0``), never text or a boolean.
Whole = Annotated[int, BeforeValidator(_json_integer), Strict()]
Id = Annotated[Whole, Field(ge=1, le=MAX_INT)]
Version = Annotated[Whole, Field(ge=0, le=MAX_INT)]
Flag = Annotated[bool, Strict()]
Item = Annotated[str, Field(max_length=MAX_ITEM_LENGTH)]

EARLIEST_DUE = dt.date(2000, 1, 1)
EARLIEST_BIRTH = dt.date(1900, 1, 1)
DUE_YEARS_AHEAD = 10


def refuse(key: str, **values: Any) -> PydanticCustomError:
    """A validation error whose type is the i18n ``key`` and whose text is the English label."""
    return PydanticCustomError(key, translate(key, "en"), {k: str(v) for k, v in values.items()})


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) or (
        isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit())


def _iso_only(value: object) -> object:
    # lax pydantic reads 0 or "0" as a Unix timestamp (1970-01-01): refuse numbers outright
    if _numeric(value):
        raise refuse("input.date_format")
    return value


def _iso_time_only(value: object) -> object:
    if _numeric(value):
        raise refuse("input.datetime_format")
    return value


def today() -> dt.date:
    """Today's date where it is latest on Earth (UTC+14), so no time zone's today is 'future'."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()


def _plausible_due(value: dt.date) -> dt.date:
    latest = today() + dt.timedelta(days=round(365.25 * DUE_YEARS_AHEAD))
    if value < EARLIEST_DUE:
        raise refuse("input.due_too_early", earliest=EARLIEST_DUE.isoformat())
    if value > latest:
        raise refuse("input.due_too_late", years=DUE_YEARS_AHEAD, latest=latest.isoformat())
    return value


def _past(value: dt.date) -> dt.date:
    if value > today():
        raise refuse("input.date_in_future")
    return value


def _birth(value: dt.date) -> dt.date:
    if value > today():
        raise refuse("input.birth_in_future")
    if value < EARLIEST_BIRTH:
        raise refuse("input.birth_too_early", earliest=EARLIEST_BIRTH.isoformat())
    return value


def _true_false(value: object) -> object:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise refuse("input.bool_type")


#: A boolean query parameter: exactly ``true`` or ``false`` (not 1, yes or on).
QueryFlag = Annotated[bool, BeforeValidator(_true_false)]
#: A calendar date written as YYYY-MM-DD (never a number).
Date = Annotated[dt.date, BeforeValidator(_iso_only)]
#: A moment written as ISO 8601 (never a number).
DateTime = Annotated[dt.datetime, BeforeValidator(_iso_time_only)]
#: A deadline or follow-up: from 2000 to ten years ahead.
DueDate = Annotated[dt.date, BeforeValidator(_iso_only), AfterValidator(_plausible_due)]
#: Something that already happened: not after today.
PastDate = Annotated[dt.date, BeforeValidator(_iso_only), AfterValidator(_past)]
#: A date of birth: not in the future, not before 1900.
BirthDate = Annotated[dt.date, BeforeValidator(_iso_only), AfterValidator(_birth)]
