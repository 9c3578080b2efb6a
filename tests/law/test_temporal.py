"""The law in force at the time: periods, windows, versions, penalty comparison, lex mitior."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.law.jur_fixtures import offence, version, years
from tipor.law.jurisdictions import Dated, Offence, Penalty, Statute
from tipor.law.temporal import (
    Period,
    applicable,
    in_force,
    lower,
    more_lenient,
    period,
    upper,
    version_at,
)

D = dt.date


def window(start: str | None, end: str | None) -> Dated:
    return Dated(in_force_from=start, in_force_to=end)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2008", D(2008, 1, 1), D(2008, 12, 31)),
    ("2008-02", D(2008, 2, 1), D(2008, 2, 29)),
    ("2009-02", D(2009, 2, 1), D(2009, 2, 28)),
    ("2008-10-20", D(2008, 10, 20), D(2008, 10, 20)),
], ids=["year", "leap-month", "month", "day"])
def test_partial_dates_cover_their_whole_unit(text: str, first: D, last: D) -> None:
    assert (lower(text), upper(text)) == (first, last)


def test_missing_or_impossible_dates_make_the_period_unknown() -> None:
    assert not period(None, None).known
    assert not period("2009-02-30", None).known and not period("2008-13", "2009").known
    assert period("2008", None) == Period(D(2008, 1, 1), D(2008, 12, 31))
    assert period("2008-10", "2009") == Period(D(2008, 10, 1), D(2009, 12, 31))


@pytest.mark.parametrize(("start", "end", "conduct", "expected", "boundary"), [
    ("2014-01-10", None, ("2015", None), "yes", ""),
    ("2014-01-10", None, ("2008", None), "no", ""),
    ("2014-01-10", None, ("2014", None), "straddles", "start"),
    ("2014-01-10", None, ("2014-01-10", None), "yes", ""),
    ("2014-01-10", None, ("2014-01-09", None), "no", ""),
    (None, None, ("2008", None), "unknown", ""),
    (None, "2013-12-31", ("2008", None), "unknown", ""),
    (None, "2013-12-31", ("2015", None), "no", ""),
    ("2000-01-01", "2013-12-31", ("2013-06", "2014-02"), "straddles", "end"),
    ("2000-01-01", "2013-12-31", ("2013-12-31", None), "yes", ""),
    ("2000-01-01", "2013-12-31", ("2014-01-01", None), "no", ""),
    ("2000-01-01", None, (None, None), "unknown", ""),
], ids=["after-start", "before-start", "year-straddles-start", "on-start", "day-before",
        "no-start", "no-start-before-end", "after-end", "straddles-end", "on-end",
        "day-after-end", "conduct-undated"])
def test_in_force_on_windows(start: str | None, end: str | None, conduct: tuple[Any, Any],
                             expected: str, boundary: str) -> None:
    answer = in_force(window(start, end), period(*conduct))
    assert answer.value == expected
    assert boundary in answer.boundary


dates = st.dates(min_value=D(1980, 1, 1), max_value=D(2040, 12, 31))


@st.composite
def versioned(draw: st.DrawFn) -> Offence:
    """An offence with 1-3 consecutive, non-overlapping versions with random penalties."""
    starts = sorted(set(draw(st.lists(dates, min_size=1, max_size=3))))
    versions = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - dt.timedelta(days=1) if i + 1 < len(starts) else draw(
            st.one_of(st.none(), st.dates(min_value=start, max_value=D(2045, 1, 1))))
        n = draw(st.integers(min_value=1, max_value=30))
        versions.append(version(f"s.{i}", years(n), start.isoformat(),
                                end.isoformat() if end else None))
    return Offence.model_validate(offence("o", ["brokering"], versions))


@settings(max_examples=150, deadline=None)
@given(versioned(), dates, st.integers(min_value=0, max_value=400))
def test_conduct_outside_every_version_is_never_in_force(o: Offence, day: D, span: int) -> None:
    when = Period(day, day + dt.timedelta(days=span))
    inside = [v for v in o.versions if v.in_force_from and v.in_force_from <= when.end
              and (v.in_force_to is None or v.in_force_to >= when.start)]
    selection = version_at(o, when)
    if not inside:
        assert selection.status == "no" and not selection.versions
    assert all(in_force(v, when).value != "yes" for v in o.versions if v not in inside)


@settings(max_examples=150, deadline=None)
@given(versioned(), dates, st.integers(min_value=1, max_value=400))
def test_a_period_straddling_a_start_always_warns(o: Offence, day: D, span: int) -> None:
    when = Period(day, day + dt.timedelta(days=span))
    straddled = [v for v in o.versions if v.in_force_from and when.start < v.in_force_from
                 <= when.end]
    selection = version_at(o, when)
    if straddled:
        assert selection.status == "straddles" and selection.warnings
        assert any("straddles" in w for w in selection.warnings)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=30),
       dates, dates)
def test_the_more_lenient_of_two_versions_is_chosen(a: int, b: int, change: D, day: D) -> None:
    o = Offence.model_validate(offence("o", ["brokering"], [
        version("old", years(a), "1970-01-01", (change - dt.timedelta(days=1)).isoformat()),
        version("new", years(b), change.isoformat())]))
    applied = applicable(o, Period(day, day))
    assert applied.penalty is not None
    if day < change:  # the old law governs; a later law applies only if more lenient
        assert applied.penalty.max_years == min(a, b)
    else:
        assert applied.penalty.max_years == b


@pytest.mark.parametrize(("a", "b", "which"), [
    ({"death": True}, {"life": True}, "b"),
    ({"life": True}, {"max_years": 14}, "b"),
    ({"max_years": 5}, {"max_years": 10}, "a"),
    ({"max_years": 10, "min_years": 5}, {"max_years": 10, "min_years": 2}, "b"),
    ({"max_years": 10}, {"max_years": 10}, "same"),
    ({"known": False}, {"max_years": 10}, "not_comparable"),
    ({}, {"max_years": 10}, "not_comparable"),
    ({"max_years": 10}, {"min_years": 5}, "not_comparable"),
], ids=["death-heavier", "life-heavier", "max-years", "min-years", "same", "unknown",
        "no-figures", "different-figures"])
def test_more_lenient(a: dict[str, Any], b: dict[str, Any], which: str) -> None:
    result = more_lenient(Penalty(text="x", **a), Penalty(text="y", **b))
    assert result.which == which
    if which == "not_comparable":
        assert "lawyer" in result.reason


INDIA_LIKE = Offence.model_validate(offence("s18", ["removal_without_authority"], [
    version("s.18 (1994)", years(5), "1995-02-04", "2014-01-09"),
    version("s.18 (2011 amendment)", years(10), "2014-01-10",
            note="Fictional note: the Constitution bars a heavier penalty retroactively.")]))


def test_heavier_later_penalty_is_not_applied_to_earlier_conduct() -> None:
    applied = applicable(INDIA_LIKE, period("2008"))
    assert applied.version is not None and applied.version.section == "s.18 (1994)"
    assert applied.penalty is not None and applied.penalty.max_years == 5
    text = " ".join(applied.notes)
    assert "heavier penalty in force from 2014-01-10 cannot be applied to 2008 conduct" in text
    assert "Fictional note: the Constitution bars" in text


def test_the_assessment_date_never_picks_the_penalty_for_earlier_conduct() -> None:
    applied = applicable(INDIA_LIKE, period("2008"), now=D(2026, 12, 2))
    assert applied.penalty is not None and applied.penalty.max_years == 5


def test_conduct_straddling_the_change_is_split_and_warned() -> None:
    applied = applicable(INDIA_LIKE, period("2013-11", "2014-03"))
    assert applied.status == "straddles"
    assert any("split the conduct" in n for n in applied.notes)
    assert applied.penalty is not None and applied.penalty.max_years == 5


def test_unknown_start_is_never_in_force_yes() -> None:
    o = Offence.model_validate(offence("o", ["brokering"], [version("s.1", years(3))]))
    applied = applicable(o, period("2010"))
    assert applied.status == "unknown"
    assert any("start date is not on file" in n for n in applied.notes)


def test_a_repealed_statute_ends_its_offences_whatever_the_versions_say() -> None:
    statute = Statute.model_validate({
        "id": "old-act", "name": "Fictional Old Act", "kind": "trafficking",
        "covers_organ_removal": "yes", "in_force_from": "2000-01-01",
        "in_force_to": "2012-12-31", "tier": "reported",
        "sources": [{"citation": "Fictional Daily", "kind": "press"}]})
    o = Offence.model_validate(offence("o", ["trafficking"], [version("s.1", years(4),
                                                                     "2000-01-01")]))
    applied = applicable(o, period("2022"), statute=statute)
    assert applied.status == "no" and applied.penalty is None
    assert "Fictional Old Act was not in force at the time" in applied.notes[0]
    assert applicable(o, period("2005"), statute=statute).status == "yes"


@pytest.mark.parametrize(("by", "end", "conduct", "expected"), [
    ("2004-04-30", "2012-12-31", ("2008", None), "yes"),        # Medicus: PCCK known in force by 2004
    ("2004-04-30", "2012-12-31", ("2003", None), "unknown"),    # before: still unknown, never yes
    ("2004-04-30", "2012-12-31", ("2004", None), "unknown"),    # the year starts before the date
    ("2004-04-30", "2012-12-31", ("2013", None), "no"),         # after the repeal
    ("2004-04-30", "2012-12-31", ("2012", "2013"), "straddles"),
    ("2001-01-01", None, ("2001", "2003"), "yes"),               # Netcare: HTA 1983 applied from 2001
], ids=["after-known", "before-known", "year-before-known", "after-end", "straddles-end",
        "whole-period-after"])
def test_known_in_force_by_a_date(by: str, end: str | None, conduct: tuple[Any, Any],
                                  expected: str) -> None:
    rule = Dated(in_force_by=by, in_force_to=end)  # type: ignore[arg-type]
    assert in_force(rule, period(*conduct)).value == expected


@given(by=dates, day=dates)
def test_known_by_never_makes_earlier_conduct_in_force(by: D, day: D) -> None:
    rule = Dated(in_force_by=by)
    answer = in_force(rule, Period(day, day)).value
    assert answer == ("yes" if day >= by else "unknown")


def test_known_by_is_refused_beside_a_start_date() -> None:
    with pytest.raises(ValueError, match="in_force_by is only for rules whose start"):
        Dated(in_force_from=D(2004, 4, 6), in_force_by=D(2004, 4, 30))
