"""Organ-trade track: trafficking in human organs with or without trafficking means.

Offences of the Council of Europe Convention CETS No. 216, whose content the 2018 Declaration of
Istanbul definitions restate (verified); the article numbers themselves come from general
knowledge (domain.md §2.2 tags them [K]) and are labelled unverified.
"""

from __future__ import annotations

from tipor.law.facts import COERCIVE_MEANS, Act, Person
from tipor.law.index import CaseIndex, Status, assess, best, firm, presence, weakest
from tipor.law.report import Finding, OrganTradeFinding, OrganTradeTrack
from tipor.law.trade_aggravation import aggravations

INSTRUMENT = ("Council of Europe Convention against Trafficking in Human Organs (CETS No. 216) "
              "and Declaration of Istanbul (2018 edition)")
_COERCIVE = COERCIVE_MEANS | {"fraud", "deception", "abuse_of_power"}
_GAIN = {"organ", "agent_fee", "undue_advantage", "other"}
_RECRUIT_FOR_GAIN = {"solicitation", "recruitment_for_gain", "brokering", "advertising"}
# (title, article, DoI definition it matches)
OFFENCES: dict[str, tuple[str, str, str]] = {
    "illicit_removal": ("Illicit removal of organs", "CETS 216 art. 4",
                        "Declaration of Istanbul 2018, organ trafficking (a)"),
    "use_of_illicit_organs": ("Use of illicitly removed organs", "CETS 216 art. 5",
                              "Declaration of Istanbul 2018, organ trafficking (b)"),
    "implantation_outside_system": (
        "Implantation outside the domestic system or in breach of its principles",
        "CETS 216 art. 6", "Declaration of Istanbul 2018, organ trafficking (b)"),
    "solicitation_for_gain": ("Illicit solicitation or recruitment of donors or recipients "
                              "for gain", "CETS 216 art. 7(1)",
                              "Declaration of Istanbul 2018, organ trafficking (d)"),
    "undue_advantage": ("Offering or receiving undue advantages", "CETS 216 art. 7(2)-(3)",
                        "Declaration of Istanbul 2018, organ trafficking (c)"),
    "falsified_documents": ("Falsifying kinship or consent documents",
                            "national transplant law (e.g. India THOA s.19); no CETS 216 "
                            "article of its own", "WHO Guiding Principle 3 (related donors)"),
}
_NEED: dict[str, str] = {
    "illicit_removal": "show the removal (surgical and hospital records) and that the donor gave "
                       "no free, informed and specific consent, or that the donor or a third "
                       "party was offered or received financial gain (payment records, "
                       "messages, the donor's account)",
    "use_of_illicit_organs": "show that the organ implanted or used came from an illicit "
                             "removal (matching donor and recipient records, HLA reports)",
    "implantation_outside_system": "show that the transplant took place outside the authorised "
                                   "system or that its approval was obtained by deception "
                                   "(authorisation committee files, forged kinship papers)",
    "solicitation_for_gain": "show that someone sought donors or recipients for financial gain "
                             "(advertisements, recruiter messages, agent fees)",
    "undue_advantage": "show an advantage offered to or received by a health professional, "
                       "official or employee to facilitate removal or implantation",
    "falsified_documents": "show that kinship, consent or identity documents were falsified "
                           "(originals, civil registers, document examiner's report)",
}


def organ_trade_track(case: CaseIndex, tip_offenders: dict[str, Status]) -> OrganTradeTrack:
    """Every organ-trade finding and the aggravating circumstances."""
    findings = (_removals(case) + _uses(case) + _implantations(case)
                + _act_offences(case, "solicitation_for_gain", _solicitations(case))
                + _act_offences(case, "undue_advantage", _advantages(case))
                + _act_offences(case, "falsified_documents",
                                [a for a in case.facts.acts if a.kind == "falsifying_documents"]))
    found = sum(1 for f in findings if f.finding.status == "established")
    return OrganTradeTrack(
        instrument=INSTRUMENT, findings=findings,
        aggravations=aggravations(case, findings, tip_offenders),
        summary=f"{found} organ-trade finding(s) established out of {len(findings)} assessed.")


def removal_finding_for(track_findings: list[OrganTradeFinding], donor: str) -> Status:
    """The strongest illicit-removal status for a donor."""
    return best(f.finding.status for f in track_findings
                if f.offence == "illicit_removal" and donor in f.victims)


def _make(case: CaseIndex, key: str, subject: str, actors: list[str], victims: list[str],
          finding: Finding) -> OrganTradeFinding:
    title, article, definition = OFFENCES[key]
    return OrganTradeFinding(
        offence=key, title=title, article=article, definition=definition, subject=subject,
        article_verification="unverified" if article.startswith("CETS") else "verified",
        actors=sorted(set(actors)), victims=sorted(set(victims)), finding=finding)


def _gap(key: str, status: Status, ids: list[str], summary: str) -> Finding:
    return Finding(element=key, status=status, rests_on=ids, summary=summary,
                   evidence_needed=[f"To establish {OFFENCES[key][0].lower()}, {_NEED[key]}."])


def _removals(case: CaseIndex) -> list[OrganTradeFinding]:
    acts = [a for a in case.facts.acts if a.kind == "removal"]
    if not acts:
        return [_make(case, "illicit_removal", "(none)", [], [],
                      _gap("illicit_removal", "insufficient_facts", [],
                           "No removal on file: insufficient facts."))]
    return [_make(case, "illicit_removal", a.id, a.actors, a.victims, removal_finding(case, a))
            for a in sorted(acts, key=lambda a: a.id)]


def removal_finding(case: CaseIndex, act: Act) -> Finding:
    """Art. 4: removal without valid consent, or for gain to the donor or a third party."""
    condition, cond_ids, notes = removal_condition(case, act)
    if act.present == "no":
        gone: Status = "not_established" if act.firmness == "established" else (
            "insufficient_facts")
        return Finding(element="illicit_removal", status=gone, rests_on=[act.id], notes=notes,
                       summary="The facts show this removal did not take place.")
    if act.stage == "planned":
        return Finding(element="illicit_removal", status="not_established", rests_on=[act.id],
                       stage="planned", notes=notes,
                       summary="Removal planned only: no removal or attempt; see solicitation "
                               "and conspiracy.",
                       evidence_needed=["To charge an attempt (art. 9), show that the removal "
                                        "had begun (admission, anaesthesia, surgery started); "
                                        "otherwise rely on preparatory offences and "
                                        "conspiracy."])
    status = weakest([presence(act) or "not_established", condition])
    ids = sorted({act.id, *cond_ids})
    stage = {"attempted": "attempted (art. 9)", "unknown": "stage unknown"}.get(
        act.stage, "completed")
    if act.stage == "unknown":
        status = weakest([status, "insufficient_facts"])
        notes = [*notes, "Establish how far the removal went (completed, begun or only "
                         "planned): hospital admission, anaesthesia and surgical records."]
    if status == "established":
        return Finding(element="illicit_removal", status=status, rests_on=ids, stage=stage,
                       notes=notes, summary=f"Illicit removal established ({stage}).")
    finding = _gap("illicit_removal", status, ids, f"Illicit removal not established ({stage}).")
    return finding.model_copy(update={"notes": notes})


def removal_condition(case: CaseIndex, act: Act) -> tuple[Status, list[str], list[str]]:
    """Art. 4's condition for one removal: no valid consent, or gain; (status, ids, notes)."""
    donors = [p for p in case.donors() if p.id in act.victims]
    consent_status, consent_ids, consent_notes = _no_valid_consent(case, donors, act)
    gain_status, gain_ids, gain_notes = _financial_gain(case, donors)
    condition, cond_ids = assess([(i, consent_status) for i in consent_ids]
                                 + [(i, gain_status) for i in gain_ids])
    return condition, cond_ids, consent_notes + gain_notes


def _no_valid_consent(case: CaseIndex, donors: list[Person], act: Act
                      ) -> tuple[Status, list[str], list[str]]:
    ids = {d.id for d in donors}
    pairs: list[tuple[str, Status]] = []
    notes: list[str] = []
    for c in (c for c in case.facts.consents if c.person in ids):
        other = bool(c.procedure and act.procedure and c.procedure != act.procedure)
        if other:
            notes.append(f"{c.id}: consent was given to {c.procedure}, but {act.procedure} "
                         f"was performed: the consent does not cover this removal.")
        if c.content == "unknown":
            pairs.append((c.id, "insufficient_facts"))
            notes.append(f"{c.id}: what {case.label(c.person)} said about the removal is "
                         f"unknown: ask whether they agreed, to what, and whether they knew "
                         f"the risks.")
        elif other or c.content != "consented" or c.informed is False or c.specific is False:
            pairs.append((c.id, firm(c.firmness)))
    pairs += [(m.id, presence(m) or "not_established") for m in case.facts.means
              if m.kind in _COERCIVE and ids.intersection(m.victims) and m.present != "no"]
    pairs += [(d.id, case.minor(d)) for d in donors if case.minor(d) != "not_established"]
    status, used = assess(pairs)
    if any(i in ids for i in used) and status != "not_established":
        notes.append("No valid consent: a child cannot give it.")
    return status, used, notes


def _financial_gain(case: CaseIndex, donors: list[Person]
                    ) -> tuple[Status, list[str], list[str]]:
    ids = {d.id for d in donors}
    pays = [p for p in case.facts.payments if p.purpose in _GAIN
            and (p.payee in ids or p.donor in ids)]
    status, used = assess((p.id, firm(p.firmness)) for p in pays)
    notes = []
    if used:
        to_donor = any(p.payee in ids for p in pays if p.id in used)
        who = "the donor" if to_donor else "a third party"
        notes.append(f"Financial gain or comparable advantage to {who} (promised or paid).")
    return status, used, notes


def _uses(case: CaseIndex) -> list[OrganTradeFinding]:
    out = []
    removals = _removals(case)
    for act in sorted((a for a in case.facts.acts if a.kind in ("implantation", "use")),
                      key=lambda a: a.id):
        linked_removals = [f for f in removals if set(act.victims) & set(f.victims)]
        source = best(f.finding.status for f in linked_removals) if linked_removals else (
            "insufficient_facts")
        status = weakest([presence(act) or "not_established", source])
        linked = [i for f in removals if set(act.victims) & set(f.victims)
                  for i in f.finding.rests_on]
        ids = sorted({act.id, *linked}) if status != "not_established" else []
        finding = (Finding(element="use_of_illicit_organs", status=status, rests_on=ids,
                           summary="Use of an illicitly removed organ established.")
                   if status == "established" else
                   _gap("use_of_illicit_organs", status, ids,
                        "Use of an illicitly removed organ not established."))
        out.append(_make(case, "use_of_illicit_organs", act.id, act.actors, act.victims, finding))
    return out


def _implantations(case: CaseIndex) -> list[OrganTradeFinding]:
    out = []
    for act in sorted((a for a in case.facts.acts if a.kind in ("implantation", "removal")),
                      key=lambda a: a.id):
        forged = [f for f in case.facts.acts if f.kind == "falsifying_documents"
                  and set(f.victims) & set(act.victims)]
        pairs = [(f.id, firm(f.firmness)) for f in forged]
        if act.authorisation in ("unauthorised", "obtained_by_deception"):
            pairs.append((act.id, firm(act.firmness)))
        against = [(act.id, firm(act.firmness))] if act.authorisation == "authorised" else []
        condition, ids = assess(pairs, against)
        status = weakest([presence(act) or "not_established", condition]) if (
            act.stage != "planned") else "not_established"
        if act.stage == "unknown":
            status = weakest([status, "insufficient_facts"])
        ids = sorted({act.id, *ids}) if status != "not_established" else []
        finding = (Finding(element="implantation_outside_system", status=status, rests_on=ids,
                           summary="Transplant outside the authorised system, or approved on "
                                   "deception, established.")
                   if status == "established" else
                   _gap("implantation_outside_system", status, ids,
                        "Transplant outside the system not established."))
        out.append(_make(case, "implantation_outside_system", act.id, act.actors,
                         act.victims, finding))
    return out


def _solicitations(case: CaseIndex) -> list[Act]:
    return [a for a in case.facts.acts if a.kind in _RECRUIT_FOR_GAIN
            or (a.kind == "recruitment" and case.gain_payments(a.actors))]


def _gain_to_actors(case: CaseIndex, act: Act) -> tuple[Status, list[str]]:
    """A plain recruitment is for gain only if its actors gained: paid per donor (agent fee or
    organ money) or keeping a margin on what they passed to the donor."""
    if act.kind != "recruitment":
        return "established", []
    return assess((p.id, firm(p.firmness)) for p in case.gain_payments(act.actors))


def _advantages(case: CaseIndex) -> list[Act]:
    return [a for a in case.facts.acts
            if a.kind in ("offering_undue_advantage", "receiving_undue_advantage")]


def _act_offences(case: CaseIndex, key: str, acts: list[Act]) -> list[OrganTradeFinding]:
    if key == "undue_advantage":
        return _advantage_findings(case, acts)
    if not acts:
        return [_make(case, key, "(none)", [], [],
                      _gap(key, "insufficient_facts", [], "Nothing on file: insufficient facts."))]
    out = []
    for act in sorted(acts, key=lambda a: a.id):
        gain, paid = _gain_to_actors(case, act)
        status = weakest([presence(act) or "not_established", gain])
        finding = (Finding(element=key, status=status, rests_on=sorted({act.id, *paid}),
                           summary=f"{OFFENCES[key][0]} established ({act.kind}).")
                   if status == "established" else
                   _gap(key, status, sorted({act.id, *paid}),
                        f"{OFFENCES[key][0]} alleged ({act.kind})."))
        out.append(_make(case, key, act.id, act.actors, act.victims, finding))
    return out


def _advantage_findings(case: CaseIndex, acts: list[Act]) -> list[OrganTradeFinding]:
    pays = [p for p in case.facts.payments if p.purpose == "undue_advantage"]
    pairs = [(a.id, presence(a) or "not_established") for a in acts] + [
        (p.id, firm(p.firmness)) for p in pays]
    status, ids = assess(pairs)
    actors = [x for a in acts for x in a.actors] + [
        x for p in pays for x in (p.payer, p.payee) if x]
    finding = (Finding(element="undue_advantage", status=status, rests_on=ids,
                       summary="Undue advantage offered or received established.")
               if status == "established" else
               _gap("undue_advantage", status, ids, "Undue advantage not established."))
    subject = ",".join(sorted(i for i, _ in pairs)) or "(none)"
    return [_make(case, "undue_advantage", subject, actors, [], finding)]
