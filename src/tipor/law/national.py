"""National track: per jurisdiction, candidate offences with penalties, who may be liable, and
the state's stance (CETS 216, non-punishment, special rules), each with its sources and
verification status. Unverified rules are shown as such, never as settled law."""

from __future__ import annotations

from tipor.law.case import CaseIndex, Status, best
from tipor.law.conduct import ConductItem, ConductMap
from tipor.law.crossborder import actor_claims, in_force_label
from tipor.law.jurisdictions import Jurisdiction, JurisdictionSet, Offence, Rule
from tipor.law.report import ActorUnderOffence, CandidateOffence, JurisdictionFinding, RuleView

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
            notes=[f"tipor holds no profile for {code}: its law was not assessed."])
    return JurisdictionFinding(
        code=code, name=profile.name, profiled=True, scope=profile.scope, connection=connection,
        trafficking_statute=view(profile.trafficking_statute, profile.trafficking_statute.name,
                                 profile.trafficking_statute.covers_organ_removal),
        transplant_statute=view(profile.transplant_statute, profile.transplant_statute.name),
        candidate_offences=_candidates(case, jset, conduct, profile),
        liability={role: view(getattr(profile.liability, role), role,
                              getattr(profile.liability, role).value) for role in _ROLES},
        cets216=view(profile.cets216, "CETS 216 status", profile.cets216.status),
        non_punishment=view(profile.non_punishment, "non-punishment of victims",
                            profile.non_punishment.value),
        special_rules=[view(r, r.text) for r in profile.special_rules]
        + [view(r, f"lawful: {r.conduct}: {r.condition}", "lawful")
           for r in profile.lawful_conduct],
        notes=_notes(profile))


def view(rule: Rule, text: str, value: str = "") -> RuleView:
    """A rule as shown in the report."""
    return RuleView(text=text, value=value, verification=rule.verification,
                    sources=list(rule.sources), note=rule.note)


def _notes(profile: Jurisdiction) -> list[str]:
    cover = profile.trafficking_statute.covers_organ_removal
    if cover == "yes":
        return []
    return [f"Whether the trafficking statute covers organ removal is {cover}: rely on "
            f"transplant-law offences, or confirm the statute's text first."]


def _candidates(case: CaseIndex, jset: JurisdictionSet, conduct: ConductMap,
                profile: Jurisdiction) -> list[CandidateOffence]:
    out = []
    for offence in profile.offences:
        actors = [a for a in (_actor(case, jset, profile, offence, actor, items)
                              for actor, items in sorted(conduct.items())) if a]
        if actors:
            out.append(CandidateOffence(
                offence=offence.id, name=offence.name, statute=offence.statute,
                section=offence.section, penalty=offence.penalty.text,
                verification=offence.verification, sources=list(offence.sources),
                note=offence.note, actors=actors))
    return out


def _actor(case: CaseIndex, jset: JurisdictionSet, profile: Jurisdiction, offence: Offence,
           actor: str, items: dict[str, ConductItem]) -> ActorUnderOffence | None:
    matching = [i for c, i in sorted(items.items()) if c in offence.covers]
    if not matching:
        return None
    claims = [c for c in actor_claims(case, jset, actor, items).claims
              if c.jurisdiction == profile.code]
    if not claims:
        return None
    years = tuple(sorted({y for i in matching for y in i.years}))
    in_force = in_force_label(offence.in_force_from, years)
    status: Status = best(i.status for i in matching)
    return ActorUnderOffence(
        actor=actor, label=case.label(actor), conduct=[i.conduct for i in matching],
        status=status, jurisdiction_basis=[f"{c.basis} ({c.status})" for c in claims],
        in_force=in_force, rests_on=sorted({f for i in matching for f in i.rests_on}),
        note=_in_force_note(offence, in_force))


def _in_force_note(offence: Offence, in_force: str) -> str:
    if in_force == "no":
        return f"not in force at the time (in force from {offence.in_force_from})"
    if in_force == "unknown":
        return "dates of the conduct unknown: check the law in force at the time"
    return ""
