"""Cross-file checks of a catalogue whose files each passed their schema.

Each check returns ``(where, what is wrong and how to fix it)`` pairs so that a reviewer sees
every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping

from tipor.catalogue.metadata import Case, Profile
from tipor.catalogue.model import select_indicators
from tipor.catalogue.schema import GROUP_PREFIX, Group, Indicator, IndicatorFile

Problem = tuple[str, str]
MIN_PROFILE_INDICATORS = 5


def file_name(group: Group) -> str:
    """Relative path of a group's indicator file."""
    return f"indicators/{group.value}.yaml"


def check_indicator_file(name: str, data: IndicatorFile) -> list[Problem]:
    """File-level rules: the group matches the file name, ids carry the group's prefix."""
    problems: list[Problem] = []
    expected = name.removeprefix("indicators/").removesuffix(".yaml")
    if data.group.value != expected:
        problems.append((f"{name} group", f"says group {data.group.value!r} but the file is "
                         f"{name}; rename the file or fix `group:`"))
    prefix = GROUP_PREFIX[data.group]
    for ind in data.indicators:
        if not ind.id.startswith(prefix + "-"):
            problems.append((f"{name} [{ind.id}] id", f"ids in {name} must start with "
                             f"{prefix}- (e.g. {prefix}-01); renumber this indicator"))
        problems.extend(_question_observers(name, ind))
    return problems


def _question_observers(name: str, ind: Indicator) -> list[Problem]:
    return [
        (f"{name} [{ind.id}] questions.{obs.value}",
         f"has wording for observer {obs.value!r}, who is not in this indicator's observers "
         f"({', '.join(ind.observers)}); add the observer or remove the wording")
        for obs in ind.questions.overridden() if obs not in ind.observers
    ]


def check_unique_ids(files: Mapping[Group, IndicatorFile]) -> list[Problem]:
    """Indicator ids are unique across all files."""
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for group, data in files.items():
        for ind in data.indicators:
            here = file_name(group)
            if ind.id in seen:
                problems.append((f"{here} [{ind.id}] id", f"duplicate id, also used in "
                                 f"{seen[ind.id]}; give one of them a new number"))
            seen.setdefault(ind.id, here)
    return problems


def check_seen_in(files: Mapping[Group, IndicatorFile], cases: tuple[Case, ...]) -> list[Problem]:
    """Every ``seen_in`` names a case of ``cases.yaml``."""
    known = [c.id for c in cases]
    return [
        (f"{file_name(g)} [{ind.id}] seen_in", f"unknown case id {case!r}; valid ids: "
         f"{', '.join(known)}; cite other cases in `sources` instead")
        for g, data in files.items() for ind in data.indicators for case in ind.seen_in
        if case not in known
    ]


def check_unique_cases(cases: tuple[Case, ...]) -> list[Problem]:
    """Case ids are unique."""
    ids = [c.id for c in cases]
    return [(f"cases.yaml [{c}] id", "duplicate case id; keep one entry")
            for c in sorted({c for c in ids if ids.count(c) > 1})]


def check_profiles(
    profiles: tuple[Profile, ...], files: Mapping[Group, IndicatorFile]
) -> list[Problem]:
    """Profile ids unique, include/exclude ids exist, each profile selects enough indicators."""
    indicators = [i for data in files.values() for i in data.indicators]
    group_of = {i.id: g for g, data in files.items() for i in data.indicators}
    problems: list[Problem] = []
    ids = [p.id for p in profiles]
    for p in profiles:
        where = f"profiles.yaml [{p.id}]"
        if ids.count(p.id) > 1:
            problems.append((f"{where} id", "duplicate profile id; keep one entry"))
        for key, refs in (("include", p.include), ("exclude", p.exclude)):
            problems.extend((f"{where} {key}", f"unknown indicator id {ref!r}; remove it or "
                             "fix the number") for ref in refs if ref not in group_of)
        count = len(select_indicators(p, indicators, group_of))
        if count < MIN_PROFILE_INDICATORS:
            problems.append((where, f"selects {count} indicators, fewer than "
                             f"{MIN_PROFILE_INDICATORS}; widen groups/observers or `include` more"))
    return problems
