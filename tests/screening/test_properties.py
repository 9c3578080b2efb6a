"""Invariants: a new yes never lowers the level; unknown → no never raises it; determinism."""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.catalogue.factory import GROUPS, PREFIX, build_catalogue, ind
from tipor.catalogue import Catalogue, load_catalogue
from tipor.catalogue.schema import Answer, Level, Means, Stage, Strength, Urgent
from tipor.screening import ScreeningRequest, screen
from tipor.screening.models import Observation

RANK = {level: n for n, level in enumerate(Level)}
ANSWERS = st.sampled_from(list(Answer))

EVIDENCES = st.lists(
    st.one_of(
        st.sampled_from([{"element": "act"}, {"element": "purpose"},
                         {"element": "organ_trade"}]),
        st.sampled_from([{"element": "means", "means": m.value} for m in Means]),
    ),
    min_size=1, max_size=3,
)


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    """Random catalogues of 5–14 indicators, all seen by police, with one profile over all."""
    count = draw(st.integers(min_value=5, max_value=14))
    groups: dict[str, list[dict[str, Any]]] = {g: [] for g in GROUPS}
    for n in range(count):
        group = draw(st.sampled_from(GROUPS))
        urgent = draw(st.none() | st.sampled_from([u.value for u in Urgent]))
        extra = {"urgent": urgent} if urgent else {}
        groups[group].append(ind(
            f"{PREFIX[group]}-{n + 10}", observers=["police"],
            stage=draw(st.sampled_from([s.value for s in Stage])),
            strength=draw(st.sampled_from([s.value for s in Strength])),
            evidences=draw(EVIDENCES), **extra))
    profile = {"id": "all", "title": {"en": "x", "ur": "x", "ar": "x", "fa": "x", "es": "x",
                                      "fr": "x"},
               "observers": ["police"], "groups": GROUPS}
    profile["description"] = profile["title"]
    return build_catalogue({g: items for g, items in groups.items() if items}, [profile])


def _level(cat: Catalogue, profile: str, answers: dict[str, Answer]) -> Level:
    obs = {k: Observation(answer=v) for k, v in answers.items()}
    return screen(cat, ScreeningRequest(profile=profile, catalogue_version=cat.version,
                                        observations=obs)).level


def _check_invariants(cat: Catalogue, profile: str, data: st.DataObject) -> None:
    ids = [i.id for i in cat.indicators_for(profile)]
    answers = {i: data.draw(ANSWERS, label=i) for i in ids if data.draw(st.booleans())}
    before = _level(cat, profile, answers)
    target = data.draw(st.sampled_from(ids), label="changed")
    if answers.get(target) is not Answer.yes:
        assert RANK[_level(cat, profile, {**answers, target: Answer.yes})] >= RANK[before]
    if answers.get(target, Answer.unknown) is Answer.unknown:
        assert RANK[_level(cat, profile, {**answers, target: Answer.no})] <= RANK[before]


@settings(max_examples=150, deadline=None)
@given(cat=catalogues(), data=st.data())
def test_invariants_on_generated_catalogues(cat: Catalogue, data: st.DataObject) -> None:
    _check_invariants(cat, "all", data)


@cache
def _real() -> Catalogue:
    return load_catalogue()


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_invariants_on_packaged_catalogue(data: st.DataObject) -> None:
    cat = _real()
    profile = data.draw(st.sampled_from([p.id for p in cat.profiles]), label="profile")
    _check_invariants(cat, profile, data)


@settings(max_examples=50, deadline=None)
@given(cat=catalogues(), data=st.data())
def test_same_input_same_output(cat: Catalogue, data: st.DataObject) -> None:
    ids = [i.id for i in cat.indicators_for("all")]
    answers = {i: Observation(answer=data.draw(ANSWERS)) for i in ids}
    request = ScreeningRequest(profile="all", catalogue_version=cat.version,
                               observations=answers)
    again = ScreeningRequest(profile="all", catalogue_version=cat.version,
                             observations=dict(reversed(list(answers.items()))))
    assert screen(cat, request) == screen(cat, again)
