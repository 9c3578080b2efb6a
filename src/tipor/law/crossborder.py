"""Cross-border analysis: who can claim each actor, double criminality, gaps, and sellers.

Bases of jurisdiction: territory of each act (a general principle), nationality of the offender
and nationality of the victim where a state's profile says its law reaches that far (domain.md
§1.6). Double criminality asks, for a requesting and a requested state, whether the actor's
conduct is criminal in both at the time it happened: each side uses the version of its law in
force then, compares conduct (not offence labels), drops offences that do not reach the actor or
whose requirements fail, and treats conduct lawful only under conditions as lawful only when the
facts meet them.
"""

from __future__ import annotations

from itertools import product

from tipor.law.applicability import (
    lawfulness,
    liable_roles,
    may_cover,
    reaches,
    requirement,
    requirements,
    version_covers,
)
from tipor.law.conduct import ConductItem, ConductMap
from tipor.law.index import CaseIndex
from tipor.law.jurisdictions import Jurisdiction, JurisdictionSet, Offence, Tier
from tipor.law.report import (
    ActorClaims,
    Claim,
    ConductCheck,
    CrossBorderTrack,
    DoubleCriminality,
    SellerStatus,
    TraffickingTrack,
)
from tipor.law.sellers import seller_statuses
from tipor.law.temporal import InForce, Period, period, version_at
from tipor.law.views import tag, tier_label

_NO = ("not_in_force", "lawful", "not_criminal")


def crossborder_track(case: CaseIndex, jset: JurisdictionSet, conduct: ConductMap,
                      tip: TraffickingTrack) -> CrossBorderTrack:
    """Claims, double criminality and gaps for every actor; the position of every donor."""
    donors = {d.id for d in case.donors()}
    actors = [actor_claims(case, jset, a, items) for a, items in sorted(conduct.items())
              if a not in donors]
    pairs = [dc for ac in actors for dc in double_criminality(case, jset, ac, conduct[ac.actor])]
    sellers = seller_statuses(case, jset, conduct, tip)
    return CrossBorderTrack(actors=actors, double_criminality=pairs, sellers=sellers,
                            gaps=_gaps(case, jset, actors, conduct, pairs, sellers))


def actor_claims(case: CaseIndex, jset: JurisdictionSet, actor: str,
                 items: dict[str, ConductItem]) -> ActorClaims:
    """Every state that could claim the actor, on every basis."""
    claims = _territory(items) + _nationality(case, jset, actor, items) + _victims(
        case, jset, items)
    claims.sort(key=lambda c: (c.jurisdiction, c.basis))
    return ActorClaims(actor=actor, label=case.label(actor), roles=case.roles(actor),
                       conduct=sorted(items), claims=claims,
                       claimants=sorted({c.jurisdiction for c in claims if c.status == "yes"}))


def _territory(items: dict[str, ConductItem]) -> list[Claim]:
    out = []
    for code in sorted({c for i in items.values() for c in i.countries}):
        here = [i for i in items.values() if code in i.countries]
        firm_here = [i for i in here if i.status == "established"]
        ids = sorted({f for i in (firm_here or here) for f in i.rests_on})
        kinds = ", ".join(sorted(i.conduct for i in here))
        out.append(Claim(jurisdiction=code, basis="territory",
                         status="yes" if firm_here else "possible", tier="general_principle",
                         tier_label=tier_label("general_principle"),
                         detail=f"conduct on its territory: {kinds}", rests_on=ids))
    return out + _unidentified(items)


UNIDENTIFIED = "unidentified"


def _unidentified(items: dict[str, ConductItem]) -> list[Claim]:
    """A state known only by its region ("a Gulf state") may claim conduct on its territory:
    the claim stands, and names the data needed to identify the state."""
    out = []
    for region in sorted({r for i in items.values() for r in i.regions}):
        here = [i for i in items.values() if region in i.regions]
        kinds = ", ".join(sorted(i.conduct for i in here))
        name = region.replace("_", " ")
        out.append(Claim(
            jurisdiction=f"{UNIDENTIFIED}: {name}", basis="territory", status="possible",
            tier="general_principle", tier_label=tier_label("general_principle"),
            detail=(f"a state in the region '{name}' (not identified) could claim conduct on its "
                    f"territory ({kinds}); data needed: identify the state (place of the acts, "
                    "travel and border records, the clinic's address, payment records)"),
            rests_on=sorted({f for i in here for f in i.rests_on})))
    return out


def _reach(jset: JurisdictionSet, code: str, basis: str) -> tuple[str, Tier, str]:
    """(value, tier, note) of a state's reach abroad on one basis."""
    profile = jset.get(code)
    if profile is None:
        return "unknown", "unverified", f"no national profile for {code}: reach unknown"
    rule = getattr(profile.extraterritorial, basis)
    return (rule.value, rule.effective_tier,
            rule.note or f"{basis.replace('_', ' ')}: {rule.value}")


def _nationality(case: CaseIndex, jset: JurisdictionSet, actor: str,
                 items: dict[str, ConductItem]) -> list[Claim]:
    abroad = {c for i in items.values() for c in i.countries}
    person = case.person(actor)
    out = []
    for code in case.nationalities(actor):
        if abroad and abroad <= {code}:
            continue  # everything happened at home: territory covers it
        value, tier, note = _reach(jset, code, "offender_nationality")
        if value == "no":
            continue
        sure = value == "yes" and person is not None and person.firmness == "established"
        out.append(Claim(jurisdiction=code, basis="offender_nationality",
                         status="yes" if sure else "possible", tier=tier,
                         tier_label=tier_label(tier), detail=note, rests_on=[actor]))
    return out


def _victims(case: CaseIndex, jset: JurisdictionSet, items: dict[str, ConductItem]
             ) -> list[Claim]:
    abroad = {c for i in items.values() for c in i.countries}
    by_code: dict[str, set[str]] = {}
    for victim in {v for i in items.values() for v in i.victims}:
        for code in case.nationalities(victim):
            if code not in abroad:
                by_code.setdefault(code, set()).add(victim)
    out = []
    for code, victims in sorted(by_code.items()):
        value, tier, note = _reach(jset, code, "victim_nationality")
        if value != "no":
            out.append(Claim(jurisdiction=code, basis="victim_nationality",
                             status="yes" if value == "yes" else "possible",
                             tier=tier, tier_label=tier_label(tier),
                             detail=note, rests_on=sorted(victims)))
    return out


def criminal_in(case: CaseIndex, jset: JurisdictionSet, code: str, item: ConductItem,
                actor: str) -> tuple[str, InForce, str]:
    """(status, in force at the time, detail) for an actor's conduct in a state.

    Status: yes, straddles (criminal for part of the period), in_force_unknown, not_in_force,
    not_criminal (no offence reaches the actor), lawful, conditional, not_on_file, no_profile.
    """
    profile = jset.get(code)
    if profile is None:
        return "no_profile", "unknown", f"no national profile for {code}"
    when = period(item.start, item.end)
    lawful_status, lawful_detail = lawfulness(case, profile, item, actor, when)
    if lawful_status in ("lawful", "conditional"):
        return lawful_status, "yes", lawful_detail
    offences = [o for o in profile.offences if may_cover(o, item.conduct)]
    if not offences:
        return "not_on_file", "unknown", f"no offence on file in {code}"
    reached, why_not = _reaching(case, profile, offences, item, actor)
    if not reached:
        return "not_criminal", "unknown", f"not criminal for this participant in {code}: {why_not}"
    status, answer, detail = _in_force_answer(profile, reached, item, when)
    prefix = f"{lawful_detail}; " if lawful_detail else ""
    return status, answer, prefix + detail




def _reaching(case: CaseIndex, profile: Jurisdiction, offences: list[Offence],
              item: ConductItem, actor: str) -> tuple[list[Offence], str]:
    roles = liable_roles(case, actor)
    out, why = [], []
    for o in offences:
        reqs = requirements(o, profile.statute(o.statute))
        tests = [reaches(o, roles)] + [requirement(case, r, item) for r in reqs]
        failed = [t.note for t in tests if t.value == "no"]
        if failed:
            why += failed
        else:
            out.append(o)
    return out, "; ".join(why)


def _in_force_answer(profile: Jurisdiction, offences: list[Offence], item: ConductItem,
                     when: Period) -> tuple[str, InForce, str]:
    code = profile.code
    picks = [(o, version_at(o, when, profile.statute(o.statute))) for o in offences]
    picks = [(o, s) for o, s in picks
             if not s.versions or any(version_covers(o, v, item.conduct) for v in s.versions)]
    if not picks:
        return ("not_criminal", "yes",
                f"the version in force in {code} at the time does not cover {item.conduct}")
    order: tuple[tuple[str, InForce], ...] = (
        ("yes", "yes"), ("straddles", "straddles"), ("in_force_unknown", "unknown"))
    for status, answer in order:
        live = [(o, s) for o, s in picks if s.status == answer]
        if live:
            names = ", ".join(f"{o.id} {v.section} {tag(v)}" for o, s in live
                              for v in s.versions)
            warn = "; ".join(w for _, s in live for w in s.warnings)
            word = {"yes": "criminal", "straddles": "criminal for part of the period",
                    "unknown": "in force unknown"}[answer]
            return status, answer, f"{word} in {code}: {names}" + (f" ({warn})" if warn else "")
    windows = ", ".join(f"{o.id} from {_first_start(o)}" for o, _ in picks)
    return "not_in_force", "no", f"not in force at the time in {code} ({windows})"


def _first_start(offence: Offence) -> str:
    starts = [v.in_force_from for v in offence.versions if v.in_force_from]
    return str(min(starts)) if starts else "an unknown date"


def double_criminality(case: CaseIndex, jset: JurisdictionSet, claims: ActorClaims,
                       items: dict[str, ConductItem]) -> list[DoubleCriminality]:
    """Each (claiming state, state where the actor is) pair, conduct by conduct."""
    requesting = sorted({c.jurisdiction for c in claims.claims
                         if not c.jurisdiction.startswith(UNIDENTIFIED)})
    requested = case.whereabouts(claims.actor)
    out = []
    for a, b in product(requesting, requested):
        if a == b:
            continue
        checks = [_check(case, jset, a, b, item, claims.actor)
                  for _, item in sorted(items.items())]
        result = _result(checks)
        out.append(DoubleCriminality(
            actor=claims.actor, label=claims.label, requesting=a, requested=b, result=result,
            checks=checks, summary=_dc_summary(claims.label, a, b, result, checks)))
    return out


def _check(case: CaseIndex, jset: JurisdictionSet, a: str, b: str, item: ConductItem,
           actor: str) -> ConductCheck:
    in_a, when_a, detail_a = criminal_in(case, jset, a, item, actor)
    in_b, when_b, detail_b = criminal_in(case, jset, b, item, actor)
    return ConductCheck(conduct=item.conduct, requesting=in_a, requested=in_b,
                        requesting_in_force=when_a, requested_in_force=when_b,
                        detail=f"{detail_a}; {detail_b}")


def _result(checks: list[ConductCheck]) -> str:
    if any(c.requesting == "yes" and c.requested == "yes" for c in checks):
        return "satisfied"
    live = [c for c in checks if c.requesting == "yes"]
    if live and all(c.requested in _NO for c in live):
        return "fails"
    return "uncertain"


def _dc_summary(label: str, a: str, b: str, result: str, checks: list[ConductCheck]) -> str:
    if result == "satisfied":
        both = [c.conduct for c in checks if c.requesting == c.requested == "yes"]
        return f"{label}: {a} -> {b} satisfied ({', '.join(both)} criminal in both)."
    if result == "fails":
        gaps = [f"{c.conduct} ({c.requested})" for c in checks if c.requesting == "yes"]
        return f"{label}: {a} -> {b} fails: not criminal in {b} at the time: {', '.join(gaps)}."
    sides = "; ".join(f"{c.conduct}: {a} {c.requesting.replace('_', ' ')}, {b} "
                      f"{c.requested.replace('_', ' ')}" for c in checks)
    return f"{label}: {a} -> {b} uncertain ({sides})."


def _gaps(case: CaseIndex, jset: JurisdictionSet, actors: list[ActorClaims],
          conduct: ConductMap, pairs: list[DoubleCriminality], sellers: list[SellerStatus]
          ) -> list[str]:
    gaps = [f"Double criminality fails: {dc.summary}" for dc in pairs if dc.result == "fails"]
    for ac in actors:
        gaps += _nationality_gaps(case, jset, ac, conduct[ac.actor])
        gaps += [f"{ac.label}: {c.detail}." for c in ac.claims
                 if c.jurisdiction.startswith(UNIDENTIFIED)]
    for s in sellers:
        gaps += [f"{s.label} shows signs of being a trafficking victim but may be prosecuted "
                 f"in {e.jurisdiction} for selling an organ ({', '.join(e.offences)})."
                 for e in s.jurisdictions if e.exposure == "at_risk"]
    return gaps


def _nationality_gaps(case: CaseIndex, jset: JurisdictionSet, ac: ActorClaims,
                      items: dict[str, ConductItem]) -> list[str]:
    out = []
    for code in case.nationalities(ac.actor):
        abroad = sorted({c for i in items.values() for c in i.countries} - {code})
        if not abroad or _claims(ac, code, "offender_nationality", "yes"):
            continue
        value, tier, _ = _reach(jset, code, "offender_nationality")
        if "buying_organ" in items:
            out.append(f"{code} does not, on the data held, criminalise its national "
                       f"{ac.label} buying an organ abroad ({', '.join(abroad)}); reach by "
                       f"nationality: {value} [{tier_label(tier)}].")
        elif jset.get(code) is not None:
            out.append(f"{code} cannot, on the data held, prosecute its national {ac.label} "
                       f"for conduct abroad ({', '.join(abroad)}); reach by nationality: "
                       f"{value} [{tier_label(tier)}].")
    return out


def _claims(ac: ActorClaims, code: str, basis: str, status: str) -> bool:
    return any(c.jurisdiction == code and c.basis == basis and c.status == status
               for c in ac.claims)


def profile_name(jset: JurisdictionSet, code: str) -> str:
    """A state's name from its profile, or its code."""
    profile: Jurisdiction | None = jset.get(code)
    return profile.name if profile else code

