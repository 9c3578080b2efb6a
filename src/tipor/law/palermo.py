"""Trafficking track: Palermo Protocol art. 3 (act, means, purpose of organ removal), per donor.

Sources: domain.md §1.6 and §2.1. Consent is irrelevant once a means is established (3(b)); a
child needs no means (3(c)); the purpose is met by an intended, attempted or completed removal;
a payment to the donor alone is not a means, a payment to a person having control over the
victim is; abuse of a position of vulnerability needs the offender's knowledge and use of it.
"""

from __future__ import annotations

from tipor.law.facts import TRAFFICKING_ACTS, Act, Means, Person
from tipor.law.index import CaseIndex, Status, absent, assess, best, firm, presence, support
from tipor.law.report import Finding, OffenderFinding, TraffickingTrack, VictimFinding

INSTRUMENT = "UN Trafficking in Persons Protocol (Palermo, 2000), art. 3"
_STAGE_RANK = {"unknown": -1, "intended": 0, "attempted": 1, "completed": 2}
# a removal on file at an unknown stage was at least intended
_REMOVAL_STAGE = {"completed": "completed", "attempted": "attempted", "planned": "intended",
                  "unknown": "intended"}


def trafficking_track(case: CaseIndex) -> TraffickingTrack:
    """The trafficking finding for every donor in the fact pattern."""
    victims = [victim_finding(case, donor) for donor in case.donors()]
    # an entry may stand for a group of donors ("24 donors"): count persons, not entries
    count = sum(case.count(v.victim) for v in victims if v.status == "established")
    pending = sum(case.count(v.victim) for v in victims if v.status == "insufficient_facts")
    total = sum(case.count(v.victim) for v in victims)
    summary = (f"Trafficking for organ removal established for {count} of {total} "
               f"donor(s); {pending} more worth investigating.")
    return TraffickingTrack(instrument=INSTRUMENT, victims=victims, established_count=count,
                            summary=summary)


def victim_finding(case: CaseIndex, donor: Person) -> VictimFinding:
    """Act, means and purpose for one donor, and the overall finding."""
    child = case.child_status(donor)
    act = act_element(case, donor)
    means = means_element(case, donor, child)
    purpose = purpose_element(case, donor)
    status = overall(act.status, means.status, purpose.status)
    return VictimFinding(
        victim=donor.id, label=donor.label, child=child, status=status, act=act, means=means,
        purpose=purpose, consent=consent_finding(case, donor, means, child),
        vulnerability=vulnerability_finding(case, donor),
        inchoate=inchoate_finding(case, donor, purpose),
        offenders=offender_findings(case, donor, status))


def overall(act: Status, means: Status, purpose: Status) -> Status:
    """All three elements must hold; a means that is not required counts as held."""
    parts = [act, purpose] + ([] if means == "not_required" else [means])
    if all(p == "established" for p in parts):
        return "established"
    if any(p == "not_established" for p in parts):
        return "not_established"
    return "insufficient_facts"


def act_element(case: CaseIndex, donor: Person) -> Finding:
    """Recruitment, transport, transfer, harbouring or receipt of the donor."""
    acts = [a for a in case.facts.acts if a.kind in TRAFFICKING_ACTS and donor.id in a.victims]
    pro = [(a.id, _act_support(a)) for a in acts if presence(a) is not None]
    status, ids = assess(pro, absent(acts))
    kinds = sorted({a.kind for a in acts if a.id in ids})
    if status == "established":
        return Finding(element="act", status=status, rests_on=ids,
                       summary=f"Act established: {', '.join(kinds)} of {donor.label}.")
    need = (f"To establish the act, show that someone recruited, transported, transferred, "
            f"harboured or received {donor.label}: travel and visa records, tickets, lodging, "
            f"messages, witness accounts")
    if status == "not_established":
        return Finding(element="act", status=status, rests_on=ids,
                       summary=f"The facts show no act ({', '.join(ids)}: did not happen).")
    if ids:
        return Finding(element="act", status=status, rests_on=ids,
                       summary=f"Act alleged ({', '.join(kinds)}) but not established.",
                       evidence_needed=[need + f"; corroborate {', '.join(ids)}."])
    return Finding(element="act", status=status, summary="No act on file: insufficient facts.",
                   evidence_needed=[need + "."])


def _act_support(act: Act) -> Status:
    """A done act supports the element; an attempt, a plan or an unknown stage is only worth
    investigating."""
    return (presence(act) or "not_established") if act.stage == "completed" else (
        "insufficient_facts")


def vulnerability_finding(case: CaseIndex, donor: Person) -> Finding:
    """The donor's particular vulnerability, as the organ-trade aggravation also reads it."""
    status, ids = vulnerability(case, donor)
    words = {"established": "established", "insufficient_facts": "not shown either way",
             "not_established": "excluded by the facts"}
    return Finding(element="vulnerability", status=status, rests_on=ids,
                   summary=f"Particular vulnerability of {donor.label}: {words[status]}.")


def vulnerability(case: CaseIndex, donor: Person) -> tuple[Status, list[str]]:
    """Whether the donor was particularly vulnerable: a child, or a position of vulnerability
    the offender knew of and used (rated exactly as for the means element)."""
    abuses = [m for m in case.facts.means
              if m.kind == "abuse_of_vulnerability" and donor.id in m.victims]
    pairs = [(m.id, _rate_means(case, m, donor)[0]) for m in abuses if m.present != "no"]
    if case.minor(donor) != "not_established":
        pairs.append((donor.id, case.minor(donor)))
    return assess(pairs, absent(abuses))


def means_element(case: CaseIndex, donor: Person, child: Status) -> Finding:
    """The means used against the donor, unless the donor is a child."""
    relevant = [m for m in case.facts.means if donor.id in m.victims]
    rated = [(m, *_rate_means(case, m, donor)) for m in relevant if m.present != "no"]
    status, ids = assess(((m.id, s) for m, s, _ in rated if s != "excluded"), absent(relevant))
    notes = [n for _, _, n in rated if n]
    needs = [n for m, s, n in rated if s == "insufficient_facts" and n
             and m.kind == "abuse_of_vulnerability"]
    if child == "established":
        return Finding(element="means", status="not_required", rests_on=[donor.id],
                       summary=f"{donor.label} was under 18: no means is needed (art. 3(c)).",
                       notes=notes)
    notes += _payment_notes(case, donor) if status != "established" else []
    if status == "established":
        kinds = sorted({m.kind for m, s, _ in rated if m.id in ids})
        return Finding(element="means", status=status, rests_on=ids, notes=notes,
                       summary=f"Means established: {', '.join(kinds).replace('_', ' ')}.")
    return _means_gap(donor, child, status, ids, notes, needs)


def _means_gap(donor: Person, child: Status, status: Status, ids: list[str], notes: list[str],
               needs: list[str]) -> Finding:
    evidence = needs or [
        f"To establish a means, show threat, force (drugging, confinement), coercion, abduction, "
        f"fraud or deception of "
        f"{donor.label} (about payment, risk, the procedure, or that a kidney grows back), abuse "
        f"of power or of a position of vulnerability the offender knew of and used, or a payment "
        f"to someone who had control over {donor.label}."]
    if child == "insufficient_facts":
        status = best([status, "insufficient_facts"])
        ids = sorted({*ids, donor.id})
        evidence.append(f"Establish {donor.label}'s age (birth record, identity papers, medical "
                        f"age assessment): if under 18, no means is needed.")
    if status == "not_established":
        return Finding(element="means", status=status, rests_on=ids, notes=notes,
                       summary=f"The facts show no means used ({', '.join(ids)}).")
    summary = ("Means alleged but not established." if ids
               else "No means on file: insufficient facts.")
    return Finding(element="means", status=status, rests_on=ids, summary=summary, notes=notes,
                   evidence_needed=evidence)


def _rate_means(case: CaseIndex, means: Means, donor: Person) -> tuple[str, str]:
    """(status this means supports, note or evidence text)."""
    if means.kind == "payment_to_controller" and means.controller == donor.id:
        return "excluded", (f"{means.id}: a payment to the donor is not a means under art. 3(a); "
                            f"only payments to a person having control over the victim are.")
    if means.kind != "abuse_of_vulnerability":
        return presence(means) or "not_established", ""
    if means.present == "unknown":
        return "insufficient_facts", (
            f"Whether {donor.label}'s vulnerability was abused ({means.id}) is unknown: show "
            f"that {case.labels(means.by)} knew of it and used it.")
    parts = [means.firmness, means.offender_knew or "missing", means.offender_used or "missing"]
    if all(p == "established" for p in parts):
        return "established", ""
    vulns = ", ".join(means.vulnerabilities).replace("_", " ")
    return "insufficient_facts", (
        f"To establish abuse of a position of vulnerability ({means.id}), show that "
        f"{case.labels(means.by)} knew of {donor.label}'s {vulns} and used it, so that "
        f"{donor.label} had no real or acceptable alternative but to agree: e.g. how the donor "
        f"was found and approached, messages, witness accounts of the recruitment.")


def _payment_notes(case: CaseIndex, donor: Person) -> list[str]:
    paid = sorted(p.id for p in case.facts.payments
                  if p.payee == donor.id and p.purpose == "organ")
    if not paid:
        return []
    return [f"Payments or promises to {donor.label} ({', '.join(paid)}) are not a means on their "
            f"own (art. 3(a)); without another means, consider the organ-trade track."]


def purpose_element(case: CaseIndex, donor: Person) -> Finding:
    """Removal of an organ intended, attempted or completed."""
    removals = [a for a in case.facts.acts if a.kind == "removal" and donor.id in a.victims]
    pairs: list[tuple[str, Status, str]] = [
        (p.id, firm(p.firmness), p.stage) for p in case.facts.purposes if donor.id in p.victims]
    pairs += [(a.id, presence(a) or "not_established", _REMOVAL_STAGE[a.stage])
              for a in removals if presence(a) is not None]
    status, ids = assess(((i, s) for i, s, _ in pairs), absent(removals))
    if status == "not_established":
        return Finding(element="purpose", status=status, rests_on=ids,
                       summary=f"The facts show no removal of an organ ({', '.join(ids)}).")
    if not ids:
        return Finding(element="purpose", status=status,
                       summary="No purpose of organ removal on file: insufficient facts.",
                       evidence_needed=[_purpose_need(donor)])
    stage = max((st for i, _, st in pairs if i in ids), key=_STAGE_RANK.__getitem__)
    notes = [] if stage == "completed" else [
        "The organ need not have been removed: an intended or attempted removal meets the "
        "purpose element (as in R v Ekweremadu, 2023)."]
    if status == "established":
        return Finding(element="purpose", status=status, rests_on=ids, stage=stage, notes=notes,
                       summary=f"Purpose of organ removal established ({stage}).")
    return Finding(element="purpose", status=status, rests_on=ids, stage=stage, notes=notes,
                   summary=f"Purpose of organ removal alleged ({stage}).",
                   evidence_needed=[_purpose_need(donor)])


def _purpose_need(donor: Person) -> str:
    return (f"To establish the purpose, show that removal of an organ from {donor.label} was "
            f"intended, attempted or done: medical work-up, HLA or cross-match tests, hospital "
            f"bookings, surgical records, a nephrectomy scar, messages about a kidney.")


def consent_finding(case: CaseIndex, donor: Person, means: Finding,
                    child: Status) -> Finding | None:
    """What the donor's consent statements mean in law, if there are any."""
    ids = sorted(c.id for c in case.facts.consents if c.person == donor.id)
    if not ids:
        return None
    if child == "established":
        return Finding(element="consent", status="established", rests_on=ids,
                       summary="Consent is irrelevant: the donor was a child (art. 3(c), (d)).")
    if means.status == "established":
        return Finding(element="consent", status="established", rests_on=ids + means.rests_on,
                       summary="Consent is irrelevant because a means is established "
                               "(art. 3(b)).")
    return Finding(
        element="consent", status=means.status, rests_on=ids,
        summary="Consent statements exist and no means is established, so consent is not set "
                "aside; examine whether it was free, informed and specific (CETS 216 art. 4).",
        evidence_needed=["Show a means (see means) to make the donor's consent irrelevant."])


def inchoate_finding(case: CaseIndex, donor: Person, purpose: Finding) -> Finding | None:
    """Conspiracy: an agreement to traffic the donor, whether or not the organ was removed."""
    deals = [g for g in case.facts.agreements if donor.id in g.victims]
    if not deals:
        return None
    status, ids = support((g.id, firm(g.firmness)) for g in deals)
    parties = case.labels(p for g in deals if g.id in ids for p in g.parties)
    removed = purpose.stage == "completed"
    word = "established" if status == "established" else "alleged"
    summary = (f"Agreement among {parties} {word}: conspiracy"
               f"{'' if removed else ', although no organ was removed'}.")
    needs = [] if status == "established" else [
        f"To establish conspiracy, show the agreement between {parties}: messages, payments "
        f"split between them, joint arrangements for travel and hospital appointments."]
    return Finding(element="conspiracy", status=status, rests_on=ids, summary=summary,
                   evidence_needed=needs, stage=purpose.stage)


def offender_findings(case: CaseIndex, donor: Person, overall_status: Status
                      ) -> list[OffenderFinding]:
    """Each participant's part: acts, means, agreements and purposes concerning the donor."""
    parts: dict[str, list[tuple[str, Status]]] = {}
    for a in case.facts.acts:
        if a.kind in TRAFFICKING_ACTS and donor.id in a.victims and presence(a) is not None:
            for actor in a.actors:
                parts.setdefault(actor, []).append((a.id, presence(a) or "not_established"))
    for m in case.facts.means:
        if donor.id in m.victims and presence(m) is not None:
            for actor in m.by:
                parts.setdefault(actor, []).append((m.id, presence(m) or "not_established"))
    for g in case.facts.agreements:
        if donor.id in g.victims:
            for actor in g.parties:
                parts.setdefault(actor, []).append((g.id, firm(g.firmness)))
    return [_offender(case, actor, facts, overall_status)
            for actor, facts in sorted(parts.items()) if actor != donor.id]


def _offender(case: CaseIndex, actor: str, facts: list[tuple[str, Status]],
              overall_status: Status) -> OffenderFinding:
    own, ids = support(facts)
    status: Status = "not_established" if overall_status == "not_established" else (
        "established" if own == "established" and overall_status == "established"
        else "insufficient_facts")
    words = {"established": "established", "insufficient_facts": "worth investigating",
             "not_established": "not established"}
    return OffenderFinding(offender=actor, label=case.label(actor), status=status,
                           rests_on=ids or sorted({i for i, _ in facts}),
                           summary=f"Part of {case.label(actor)}: {words[status]}.")
