"""Cross-field checks of a jurisdiction profile, and a walk over every rule in it.

The model checks each field; these checks need the whole profile: pinpoints on primary rules,
placeholder sources, overlapping versions of one offence, and references between rules. Every
problem names the rule's path and the fix, so ``tipor law validate`` can list them all at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from tipor.law.countries import COUNTRY_CODES
from tipor.law.jurisdictions import PRIMARY_KINDS, Jurisdiction, Offence, Rule

Problem = tuple[str, str]
_ROLES = ("seller", "broker", "recipient", "medical_staff", "facility")


def iter_rules(profile: Jurisdiction) -> Iterator[tuple[str, Rule]]:
    """Every rule of a profile with its path (``offences[in-thoa-s18].versions[0]``)."""
    for path, _, rule in described_rules(profile):
        yield path, rule


def described_rules(profile: Jurisdiction) -> Iterator[tuple[str, str, Rule]]:
    """Every rule with its path and a one-line statement of what it says (for review lists)."""
    for s in profile.statutes:
        yield f"statutes[{s.id}]", s.name, s
    for g in profile.general_part:
        yield f"general_part[{g.form}:{g.section}]", f"{g.form}, {g.section}: {g.text}", g
    for o in profile.offences:
        for i, v in enumerate(o.versions):
            yield (f"offences[{o.id}].versions[{i}]",
                   f"{o.name}, {v.section}: {v.penalty.text}", v)
    for b in profile.procedural_bars:
        yield f"procedural_bars[{b.id}]", f"{b.kind}: {b.text}", b
    for role in _ROLES:
        rule = getattr(profile.liability, role)
        yield f"liability.{role}", f"{role} liable: {rule.value}", rule
    for basis in ("offender_nationality", "victim_nationality"):
        reach = getattr(profile.extraterritorial, basis)
        yield f"extraterritorial.{basis}", f"reach by {basis.replace('_', ' ')}: {reach.value}", reach
    yield "cets216", f"CETS 216: {profile.cets216.status}", profile.cets216
    yield "non_punishment", f"non-punishment: {profile.non_punishment.value}", profile.non_punishment
    for i, lc in enumerate(profile.lawful_conduct):
        yield f"lawful_conduct[{i}:{lc.conduct}]", f"{lc.conduct} lawful if {lc.condition}", lc
    for r in profile.special_rules:
        yield f"special_rules[{r.id}]", r.text, r


def check_profile(profile: Jurisdiction) -> list[Problem]:
    """Every cross-field problem of one profile."""
    problems: list[Problem] = []
    for path, rule in iter_rules(profile):
        problems += [(path, msg) for msg in check_tier(rule)]
    problems += _check_ids(profile)
    for offence in profile.offences:
        problems += _check_offence(profile, offence)
    problems += _check_bars(profile)
    problems += _check_statutes(profile)
    problems += _check_codes(profile)
    return problems


def _check_codes(profile: Jurisdiction) -> list[Problem]:
    out: list[Problem] = []
    if profile.code not in COUNTRY_CODES:
        out.append(("code", f"{profile.code} is not an ISO 3166-1 alpha-2 code (or XK): use the "
                            "state's two-letter code"))
    for code in profile.subdivisions:
        if not code.startswith(profile.code + "-") or len(code) < 4 or len(code) > 6:
            out.append((f"subdivisions[{code}]", f"{code} is not an ISO 3166-2 subdivision of "
                                                 f"{profile.code}: write it as {profile.code}-XX"))
    return out


def check_tier(rule: Rule) -> list[str]:
    """Why a rule's tier is not justified by its sources, if it is not."""
    out = []
    if rule.tier != "unverified" and all(s.is_placeholder for s in rule.sources):
        out.append(f"tier is {rule.tier} but every source is a placeholder: set tier "
                   "unverified, or cite the text you read")
    if rule.tier == "primary":
        if not (rule.pinpoint.strip() or any(s.pinpoint.strip() for s in rule.sources)):
            out.append("tier primary needs a pinpoint citation (act, section, subsection): add "
                       "`pinpoint:` or lower the tier")
        primary = [s for s in rule.sources if s.kind in PRIMARY_KINDS and not s.is_placeholder]
        if not primary:
            out.append("tier primary needs a source of kind statute, gazette or judgment: add the "
                       "text you read, or lower the tier to official/reported")
        elif not any(s.url or len(s.citation) >= 8 for s in primary):
            out.append("tier primary needs a URL or an official citation for the text read")
    return out


def _check_ids(profile: Jurisdiction) -> list[Problem]:
    seen: dict[str, str] = {}
    out: list[Problem] = []
    groups = (("statutes", profile.statutes), ("offences", profile.offences),
              ("procedural_bars", profile.procedural_bars),
              ("special_rules", profile.special_rules))
    for name, items in groups:
        for item in items:
            if item.id in seen:
                out.append((f"{name}[{item.id}]", f"id {item.id} is also used in "
                                                  f"{seen[item.id]}: ids must be unique"))
            seen[item.id] = name
    return out


def _check_offence(profile: Jurisdiction, offence: Offence) -> list[Problem]:
    path = f"offences[{offence.id}]"
    out: list[Problem] = []
    if profile.statute(offence.statute) is None:
        known = ", ".join(s.id for s in profile.statutes)
        out.append((f"{path}.statute", f"no statute with id {offence.statute!r}; statute ids: "
                                       f"{known}"))
    out += [(f"{path}.territorial_extent", msg)
            for msg in _extent_problems(profile, offence.territorial_extent)]
    if set(offence.liable) & set(offence.exempt):
        both = ", ".join(sorted(set(offence.liable) & set(offence.exempt)))
        out.append((f"{path}.exempt", f"{both} both liable and exempt: keep one"))
    out += [(f"{path}.versions", msg) for msg in overlaps(offence)]
    return out


def overlaps(offence: Offence) -> list[str]:
    """Problems with the order of an offence's versions (overlaps, several unknown starts)."""
    out = []
    versions = sorted(offence.versions, key=lambda v: v.in_force_from or dt.date.min)
    if sum(1 for v in versions if v.in_force_from is None) > 1:
        out.append("more than one version has no in_force_from: give each later version its "
                   "start date")
    for earlier, later in zip(versions, versions[1:], strict=False):
        start = later.in_force_from
        if start is None:
            continue
        if earlier.in_force_to is None or earlier.in_force_to >= start:
            end = earlier.in_force_to or "open"
            out.append(f"versions overlap: {earlier.section} ({earlier.in_force_from} to {end}) "
                       f"and {later.section} (from {start}): end the earlier version the day "
                       "before the later one starts")
    return out


def _extent_problems(profile: Jurisdiction, extent: list[str]) -> list[str]:
    out = []
    for code in extent:
        if not code.startswith(profile.code + "-"):
            out.append(f"{code} is not a subdivision of {profile.code}")
        elif code not in profile.subdivisions:
            out.append(f"{code} is not listed under subdivisions: add it with its name")
    return out


def _check_bars(profile: Jurisdiction) -> list[Problem]:
    ids = {o.id for o in profile.offences}
    return [(f"procedural_bars[{b.id}].offences", f"no offence with id {ident!r}")
            for b in profile.procedural_bars for ident in b.offences if ident not in ids]


def _check_statutes(profile: Jurisdiction) -> list[Problem]:
    out: list[Problem] = []
    for s in profile.statutes:
        if s.kind == "trafficking" and s.covers_organ_removal is None:
            out.append((f"statutes[{s.id}].covers_organ_removal",
                        "a trafficking statute must say whether it covers organ removal "
                        "(yes, no, disputed, unknown)"))
        out += [(f"statutes[{s.id}].territorial_extent", msg)
                for msg in _extent_problems(profile, s.territorial_extent)]
    return out
