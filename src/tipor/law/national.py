"""National track: per jurisdiction, candidate offences in the version in force at the time of the
conduct (section, penalty, tier, pinpoint, window, temporal notes), only for participants the
law reaches, with the procedural bars that condition prosecution; then the statutes, liability
table and the state's stance (CETS 216, non-punishment, special rules), each with its tier.
Only primary rules are shown as verified law."""

from __future__ import annotations

from dataclasses import dataclass

from tipor.law.applicability import (
    Test,
    in_extent,
    liable_roles,
    may_cover,
    reaches,
    requirement,
    requirements,
    version_covers,
)
from tipor.law.conduct import ConductItem, ConductMap
from tipor.law.crossborder import actor_claims
from tipor.law.forms import Form, form_for
from tipor.law.index import CaseIndex, Status, best
from tipor.law.jurisdictions import Jurisdiction, JurisdictionSet, Offence
from tipor.law.report import ActorUnderOffence, CandidateOffence, JurisdictionFinding
from tipor.law.sellers import PRINCIPLE
from tipor.law.temporal import Applied, applicable, period, window_text
from tipor.law.views import pinpoint, rule_view, tag, tier_label

_ROLES = ("seller", "broker", "recipient", "medical_staff", "facility")


def connected_jurisdictions(case: CaseIndex) -> dict[str, list[str]]:
    """Every state connected to the facts, with how it is connected."""
    links: dict[str, set[str]] = {}
    for act in case.facts.acts:
        for code in case.act_countries(act):
            links.setdefault(code, set()).add("place of acts")
    for p in case.facts.payments:
        paid_in = case.country(p.place)
        if paid_in:
            links.setdefault(paid_in, set()).add("place of payments")
    for person in case.facts.persons:
        for code in person.nationalities:
            links.setdefault(code, set()).add("nationality of persons")
    for org in case.facts.organisations:
        if org.country:
            links.setdefault(org.country, set()).add("seat of organisations")
    for code in case.facts.jurisdictions:
        links.setdefault(code, set()).add("named in the fact pattern")
    return {code: sorted(why) for code, why in sorted(links.items())}


def national_track(case: CaseIndex, jset: JurisdictionSet, conduct: ConductMap,
                   codes: list[str]) -> list[JurisdictionFinding]:
    """The national findings for the selected jurisdictions."""
    links = connected_jurisdictions(case)
    return [jurisdiction_finding(case, jset, conduct, code, links.get(code, []))
            for code in codes]


def jurisdiction_finding(case: CaseIndex, jset: JurisdictionSet, conduct: ConductMap,
                         code: str, connection: list[str]) -> JurisdictionFinding:
    """One jurisdiction's candidate offences, liability table and stance."""
    profile = jset.get(code)
    if profile is None:
        return JurisdictionFinding(
            code=code, name=code, profiled=False, connection=connection,
            notes=[f"no national profile for {code}: assessed on international law only "
                   "(tracks 1 and 2); its national law was not assessed."])
    notes: list[str] = []
    return JurisdictionFinding(
        code=code, name=profile.name, profiled=True, scope=profile.scope, connection=connection,
        statutes=[rule_view(s, s.name, s.covers_organ_removal or "") for s in profile.statutes],
        candidate_offences=_candidates(case, jset, conduct, profile, notes),
        general_part=[rule_view(g, f"{g.form} ({g.section}): {g.text}", g.penalty_rule)
                      for g in profile.general_part],
        procedural_bars=[rule_view(b, b.text, b.kind) for b in profile.procedural_bars],
        liability={role: rule_view(getattr(profile.liability, role), role,
                                   getattr(profile.liability, role).value) for role in _ROLES},
        cets216=rule_view(profile.cets216, "CETS 216 status", profile.cets216.status),
        non_punishment=rule_view(profile.non_punishment, "non-punishment of victims",
                                 profile.non_punishment.value),
        special_rules=[rule_view(r, r.text) for r in profile.special_rules]
        + [rule_view(r, f"lawful only if: {r.conduct}: {r.condition}", "conditional")
           for r in profile.lawful_conduct],
        notes=_coverage_notes(profile) + sorted(set(notes)))


def _coverage_notes(profile: Jurisdiction) -> list[str]:
    return [f"Whether {s.name} covers organ removal is {s.covers_organ_removal}: rely on "
            "transplant-law offences, or confirm the statute's text first."
            for s in profile.statutes_of("trafficking") if s.covers_organ_removal != "yes"]


@dataclass(frozen=True)
class _Entry:
    """One actor's matching conduct under one version of an offence."""

    key: tuple[str, str]
    applied: Applied
    actor: ActorUnderOffence


def _candidates(case: CaseIndex, jset: JurisdictionSet, conduct: ConductMap,
                profile: Jurisdiction, notes: list[str]) -> list[CandidateOffence]:
    out = []
    for offence in profile.offences:
        entries = [e for actor, items in sorted(conduct.items())
                   for e in _entries(case, jset, profile, offence, actor, items, notes)]
        groups: dict[tuple[str, str], list[_Entry]] = {}
        for e in entries:
            groups.setdefault(e.key, []).append(e)
        out += [_candidate(profile, offence, group) for group in groups.values()]
    return out


def _entries(case: CaseIndex, jset: JurisdictionSet, profile: Jurisdiction, offence: Offence,
             actor: str, items: dict[str, ConductItem], notes: list[str]) -> list[_Entry]:
    matching = [i for c, i in sorted(items.items()) if may_cover(offence, c)]
    if not matching:
        return []
    claims = [f"{c.basis} ({c.status})" for c in actor_claims(case, jset, actor, items).claims
              if c.jurisdiction == profile.code]
    if not claims:
        return []
    who = reaches(offence, liable_roles(case, actor))
    if who.value == "no":
        notes.append(f"{case.label(actor)}: {who.note}.")
        return []
    out = []
    for item in matching:
        entry = _entry(case, profile, offence, actor, item, claims, notes)
        if entry is not None:
            out.append(_with_note(entry, who.note))
    return out


def _entry(case: CaseIndex, profile: Jurisdiction, offence: Offence, actor: str,
           item: ConductItem, claims: list[str], notes: list[str]) -> _Entry | None:
    checks = _checks(case, profile, offence, item)
    failed = [t for t in checks if t.value == "no"]
    if failed:
        notes += [f"{offence.id} does not cover {case.label(actor)}'s {item.conduct}: {t.note}."
                  for t in failed]
        return None
    when = period(item.start, item.end)
    form = form_for(case, profile, offence, actor, item, when)
    if form.blocked:
        notes.append(f"{case.label(actor)}: {form.note}")
        return None
    applied = applicable(offence, when, statute=profile.statute(offence.statute))
    if applied.version and not version_covers(offence, applied.version, item.conduct):
        notes.append(f"{offence.id} {applied.version.section} does not cover {item.conduct}.")
        return None
    actor_view = ActorUnderOffence(
        actor=actor, label=case.label(actor), conduct=[item.conduct], status=item.status,
        jurisdiction_basis=claims, in_force=applied.status, rests_on=sorted(item.rests_on),
        form=form.form, charge=_charge(form, offence),
        notes=[t.note for t in checks if t.value == "unknown"] + ([form.note] if form.note
                                                                    else [])
        + _non_punishment(case, profile, actor))
    return _Entry(_key(applied), applied, actor_view)  # temporal notes go on the candidate


def _non_punishment(case: CaseIndex, profile: Jurisdiction, actor: str) -> list[str]:
    """A donor exposed to an offence: the principle and the state's own rule, with its tier."""
    if "donor" not in case.roles(actor):
        return []
    rule = profile.non_punishment
    return [f"{PRINCIPLE}; {profile.code} non-punishment rule: {rule.value} {tag(rule)}"]


def _checks(case: CaseIndex, profile: Jurisdiction, offence: Offence, item: ConductItem
            ) -> list[Test]:
    statute = profile.statute(offence.statute)
    reqs = requirements(offence, statute)
    extent = offence.territorial_extent or (statute.territorial_extent if statute else [])
    return [requirement(case, r, item) for r in reqs] + [
        in_extent(case, item, profile.code, extent)]


def _with_note(entry: _Entry, note: str) -> _Entry:
    if not note:
        return entry
    actor = entry.actor.model_copy(update={"notes": [note, *entry.actor.notes]})
    return _Entry(entry.key, entry.applied, actor)


def _key(applied: Applied) -> tuple[str, str]:
    v = applied.version
    ident = f"{v.section}@{v.in_force_from}" if v else "none"
    return ident, applied.penalty.text if applied.penalty else ""


def _charge(form: Form, offence: Offence) -> str:
    if not form.form:
        return ""
    return f"{form.form} ({form.section}) to commit {offence.name}"


def _candidate(profile: Jurisdiction, offence: Offence, group: list[_Entry]
               ) -> CandidateOffence:
    applied = group[0].applied
    version = applied.version or offence.versions[-1]
    statute = profile.statute(offence.statute)
    tier = version.effective_tier
    bars = [rule_view(b, b.text, b.kind) for b in profile.procedural_bars
            if offence.id in b.offences]
    temporal = list(dict.fromkeys(n for e in group for n in e.applied.notes))
    penalty = applied.penalty.text if applied.penalty else (
        "not applicable: the offence was not in force at the time")
    return CandidateOffence(
        offence=offence.id, name=offence.name, statute=statute.name if statute else offence.statute,
        section=version.section, penalty=penalty, tier=tier, tier_label=tier_label(tier),
        pinpoint=pinpoint(version), disputed=version.disputed, window=window_text(version),
        sources=list(version.sources), note=version.note, temporal_notes=temporal,
        procedural_bars=bars,
        territorial_extent=offence.territorial_extent or (
            statute.territorial_extent if statute else []),
        actors=_merge_actors([e.actor for e in group]))


def _merge_actors(actors: list[ActorUnderOffence]) -> list[ActorUnderOffence]:
    merged: dict[tuple[str, str], ActorUnderOffence] = {}
    for a in actors:
        prev = merged.get((a.actor, a.form))
        if prev is None:
            merged[(a.actor, a.form)] = a
            continue
        status: Status = best([prev.status, a.status])
        merged[(a.actor, a.form)] = prev.model_copy(update={
            "conduct": sorted({*prev.conduct, *a.conduct}), "status": status,
            "rests_on": sorted({*prev.rests_on, *a.rests_on}),
            "notes": list(dict.fromkeys([*prev.notes, *a.notes]))})
    return list(merged.values())
