"""Inchoate forms: attempted or planned conduct matches an offence only through the general
part of the jurisdiction in force at the time (attempt for attempted conduct; conspiracy or
preparation for planned conduct where an agreement is on file)."""

from __future__ import annotations

from dataclasses import dataclass

from tipor.law.conduct import ConductItem
from tipor.law.index import CaseIndex
from tipor.law.jurisdictions import GeneralPartRule, Jurisdiction, Offence
from tipor.law.temporal import Period, in_force

_FORMS_FOR_STAGE: dict[str, tuple[str, ...]] = {
    "attempted": ("attempt",), "planned": ("conspiracy", "preparation")}


@dataclass(frozen=True)
class Form:
    """How conduct meets an offence: directly ("") or through a general-part form."""

    form: str = ""
    section: str = ""
    note: str = ""
    blocked: bool = False


def form_for(case: CaseIndex, profile: Jurisdiction, offence: Offence, actor: str,
             item: ConductItem, when: Period) -> Form:
    """The form through which ``item`` meets ``offence``, or why it cannot."""
    if item.stage == "completed":
        return Form()
    if item.stage == "unknown":
        return Form(note="the stage of the conduct (completed, attempted, planned) is unknown: "
                         "establish it")
    if item.stage == "planned" and not _agreed(case, actor, item):
        return Form(blocked=True, note=f"{item.conduct} was only planned and no agreement is on "
                                       "file: no conspiracy or preparation can be matched")
    for form in _FORMS_FOR_STAGE[item.stage]:
        found = _provision(profile, offence, form, when)
        if found is not None:
            rule, note = found
            return Form(form, rule.section, note)
    wanted = " or ".join(_FORMS_FOR_STAGE[item.stage])
    return Form(blocked=True, note=f"{item.conduct} was {item.stage}, and no {wanted} provision "
                                   f"of {profile.code}'s general part reaching {offence.id} is "
                                   "on file for that time")


def _agreed(case: CaseIndex, actor: str, item: ConductItem) -> bool:
    return any(actor in g.parties and (not g.victims or set(g.victims) & set(item.victims)
                                       or not item.victims) for g in case.facts.agreements)


def _provision(profile: Jurisdiction, offence: Offence, form: str, when: Period
               ) -> tuple[GeneralPartRule, str] | None:
    if form not in offence.forms:
        return None
    rules = [(g, in_force(g, when)) for g in profile.general_part if g.form == form]
    live = [(g, a) for g, a in rules if a.value == "yes"]
    if live:
        return live[0][0], ""
    maybe = [(g, a) for g, a in rules if a.value in ("unknown", "straddles")]
    if maybe:
        g, a = maybe[0]
        return g, a.note(f"{g.section}")
    return None
