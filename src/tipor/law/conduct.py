"""What each actor did, in the vocabulary national offences are written in.

The tracks' findings and the payments are turned into conduct items (``trafficking``,
``brokering``, ``selling_organ`` …, see ``jurisdictions.Conduct``) with where and when they
happened, so that national offences and double criminality can be matched against them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tipor.law.companions import Raw, companion_raw, raw
from tipor.law.facts import Person
from tipor.law.index import CaseIndex, Status, assess, best, firm, presence, weakest, year_of
from tipor.law.organ_trade import removal_condition
from tipor.law.palermo import means_element
from tipor.law.report import OrganTradeTrack, TraffickingTrack

ConductStage = Literal["completed", "attempted", "planned", "unknown"]
_STAGE_RANK = {"unknown": 0, "planned": 1, "attempted": 2, "completed": 3}
_PURPOSE_STAGE = {"intended": "planned", "attempted": "attempted", "completed": "completed",
                  "unknown": "unknown"}
# organ-trade offence -> conduct for (any actor, medical person, facility organisation);
# removals are taken from the acts themselves, so that plans and attempts keep their conduct
_TRADE_CONDUCT: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "implantation_outside_system": ((), ("performing_commercial_transplant",),
                                    ("facility_commercial_transplant",)),
    "use_of_illicit_organs": ((), ("performing_commercial_transplant",),
                              ("facility_commercial_transplant",)),
    "solicitation_for_gain": (("brokering",), (), ()),
    "undue_advantage": (("undue_advantage",), (), ()),
    "falsified_documents": (("falsifying_documents",), (), ()),
}
_REMOVAL_CONDUCT = (("removal_without_authority",),
                    ("performing_commercial_transplant", "unlawful_surgery"),
                    ("facility_commercial_transplant",))
# means that make a donor a victim rather than a seller, whatever their firmness
_OVERBORNE = ("drugging",)


@dataclass(frozen=True)
class ConductItem:
    """One kind of conduct by one actor, merged over the facts that show it.

    ``stage`` is the most advanced stage among the facts it rests on; ``start`` and ``end``
    the earliest and latest (partial) ISO date among them; ``regions`` the regions of
    unidentified states where it happened.
    """

    conduct: str
    status: Status
    rests_on: tuple[str, ...]
    countries: tuple[str, ...]
    years: tuple[int, ...]
    victims: tuple[str, ...]
    stage: ConductStage = "completed"
    start: str | None = None
    end: str | None = None
    regions: tuple[str, ...] = ()
    note: str = ""


ConductMap = dict[str, dict[str, ConductItem]]


def derive_conduct(case: CaseIndex, tip: TraffickingTrack, trade: OrganTradeTrack) -> ConductMap:
    """Each actor's conduct, from the trafficking and organ-trade findings, the acts and the
    payments."""
    items: list[Raw] = []
    for victim in tip.victims:
        for o in victim.offenders:
            if o.status != "not_established":
                # the offence took place wherever its act and purpose did, for every participant
                where = [*o.rests_on, *victim.act.rests_on, *victim.purpose.rests_on]
                items.append(raw(o.offender, "trafficking", o.status, o.rests_on,
                                 [victim.victim], where))
    items += _removal_raw(case) + _trade_raw(case, trade) + _payment_raw(case, trade)
    items += companion_raw(case)
    merged = _merge(case, items)
    _add_derived(case, merged)
    return merged


def _removal_raw(case: CaseIndex) -> list[Raw]:
    """Every removal on file, completed, attempted, planned or of unknown stage."""
    out: list[Raw] = []
    anyone, medical, facility = _REMOVAL_CONDUCT
    for act in sorted(case.facts.acts, key=lambda a: a.id):
        done = presence(act)
        if act.kind != "removal" or done is None:
            continue
        condition, ids, _ = removal_condition(case, act)
        status = weakest([done, condition])
        for actor in act.actors:
            kinds = list(anyone)
            if case.is_medical(actor):
                kinds += [k for k in medical if k != "unlawful_surgery"
                          or act.stage == "completed"]
            if "facility" in case.roles(actor) and case.is_organisation(actor):
                kinds += list(facility)
            out += [raw(actor, k, status, [act.id, *ids], act.victims, [act.id])
                    for k in kinds]
    return out


def _trade_raw(case: CaseIndex, trade: OrganTradeTrack) -> list[Raw]:
    out: list[Raw] = []
    for f in trade.findings:
        if f.finding.status == "not_established" or f.offence not in _TRADE_CONDUCT:
            continue
        anyone, medical, facility = _TRADE_CONDUCT[f.offence]
        for actor in f.actors:
            kinds = list(anyone)
            if case.is_medical(actor):
                kinds += list(medical)
            if "facility" in case.roles(actor) and case.is_organisation(actor):
                kinds += list(facility)
            out += [raw(actor, k, f.finding.status, f.finding.rests_on, f.victims,
                        f.subject.split(",")) for k in kinds]
    return out


def _payment_raw(case: CaseIndex, trade: OrganTradeTrack) -> list[Raw]:
    illicit = {v: f.finding.status for f in trade.findings if f.offence == "illicit_removal"
               and f.finding.status != "not_established" for v in f.victims}
    out: list[Raw] = []
    for p in case.facts.payments:
        status, victims = firm(p.firmness), [d for d in (p.donor,) if d]
        stage = "completed" if p.status == "paid" else "planned"
        if p.purpose == "organ" and p.payee and p.payee == p.donor:
            out += _sale(case, p.payee, p.id, status, p.status)
        if p.purpose == "organ" and p.payer:
            out.append(raw(p.payer, "buying_organ", status, [p.id], victims, stage=stage))
        if p.payee and p.payee != p.donor and (p.purpose == "agent_fee" or (
                p.purpose == "organ" and "broker" in case.roles(p.payee))):
            out.append(raw(p.payee, "brokering", status, [p.id], victims, stage=stage))
        if p.payee and case.is_organisation(p.payee) and p.donor in illicit and p.purpose in (
                "surgery", "organ"):
            out.append(raw(p.payee, "facility_commercial_transplant",
                           weakest([status, illicit[p.donor]]), [p.id], victims, stage=stage))
    return out


def _sale(case: CaseIndex, donor: str, pay: str, status: Status, paid: str) -> list[Raw]:
    """A donor's sale: only a paid sale by a donor not shown to be a victim; a promise alone
    is not a sale."""
    person = case.person(donor)
    if person is None or victim_of_means(case, person) != "not_established":
        return []
    if paid == "promised":
        return [raw(donor, "selling_organ", weakest([status, "insufficient_facts"]), [pay],
                    [donor], stage="planned",
                    note="payment promised only: an offer, not a sale")]
    return [raw(donor, "selling_organ", status, [pay], [donor], stage="completed")]


def victim_of_means(case: CaseIndex, donor: Person) -> Status:
    """Whether the facts make the donor a victim rather than a seller: a trafficking means
    established against them, a refusal or withdrawal of consent, drugging, or their being a
    child. Established or alleged refusals and drugging count: an unwilling donor never sells.
    """
    means = means_element(case, donor, case.child_status(donor))
    pairs = [(i, "established") for i in means.rests_on] if means.status in (
        "established", "not_required") else []
    pairs += [(m.id, "established") for m in case.facts.means if donor.id in m.victims
              and m.kind in _OVERBORNE and m.present != "no" and m.firmness != "disputed"]
    pairs += [(c.id, "established") for c in case.facts.consents if c.person == donor.id
              and c.content in ("refused", "withdrew") and c.firmness != "disputed"]
    if case.minor(donor) == "established":
        pairs.append((donor.id, "established"))
    status, _ = assess(pairs)
    return "established" if status == "established" else "not_established"


def _merge(case: CaseIndex, items: list[Raw]) -> ConductMap:
    grouped: dict[tuple[str, str], list[Raw]] = {}
    for r in items:
        grouped.setdefault((r.actor, r.conduct), []).append(r)
    out: ConductMap = {}
    for (actor, conduct), entries in sorted(grouped.items()):
        status = best(e.status for e in entries)
        top = [e for e in entries if e.status == status]
        ids = sorted({i for e in top for i in e.ids})
        victims = sorted({v for e in entries for v in e.victims})
        where = sorted({w for e in top for w in e.where})
        countries, years, regions = _where_when(case, where)
        start, end = _span(case, where)
        out.setdefault(actor, {})[conduct] = ConductItem(
            conduct, status, tuple(ids), countries, years, tuple(victims),
            _stage(case, top), start, end, regions,
            "; ".join(sorted({e.note for e in top if e.note})))
    return out


def _stage(case: CaseIndex, entries: list[Raw]) -> ConductStage:
    """The most advanced stage among the entries (given, or read from their facts)."""
    stages = [s for e in entries for s in ([e.stage] if e.stage else _fact_stages(case, e.where))]
    if not stages:
        return "unknown"
    top = max(stages, key=_STAGE_RANK.__getitem__)
    return top  # type: ignore[return-value]


def _fact_stages(case: CaseIndex, ids: Iterable[str]) -> list[str]:
    wanted = set(ids)
    stages: list[str] = [a.stage for a in case.facts.acts if a.id in wanted]
    stages += [_PURPOSE_STAGE[p.stage] for p in case.facts.purposes if p.id in wanted]
    stages += ["completed" if p.status == "paid" else "planned"
               for p in case.facts.payments if p.id in wanted]
    return stages


def _where_when(case: CaseIndex, ids: list[str]
                ) -> tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]:
    countries: set[str] = set()
    years: set[int] = set()
    regions: set[str] = set()
    for act in case.facts.acts:
        if act.id in ids:
            countries.update(case.act_countries(act))
            regions.update(case.act_regions(act))
            years.update(y for y in (year_of(act.date), year_of(act.date_to)) if y)
    for g in case.facts.agreements:
        if g.id in ids:
            countries.update(c for c in (case.country(g.place),) if c)
            regions.update(case.regions(g.place))
    for p in case.facts.payments:
        if p.id in ids:
            countries.update(c for c in (case.country(p.place),) if c)
            regions.update(case.regions(p.place))
            years.update(y for y in (year_of(p.date), year_of(p.date_to)) if y)
    return tuple(sorted(countries)), tuple(sorted(years)), tuple(sorted(regions))


def _span(case: CaseIndex, ids: list[str]) -> tuple[str | None, str | None]:
    """Earliest and latest (partial) ISO date among the acts and payments relied on."""
    wanted = set(ids)
    pairs = [(a.date, a.date_to) for a in case.facts.acts if a.id in wanted]
    pairs += [(p.date, p.date_to) for p in case.facts.payments if p.id in wanted]
    dates = sorted(d for pair in pairs for d in pair if d)
    return (dates[0], dates[-1]) if dates else (None, None)


def _add_derived(case: CaseIndex, merged: ConductMap) -> None:
    """Organised crime and abuse of office attach to actors who already did something."""
    for g in sorted(case.facts.groups, key=lambda g: g.id):
        active = [m for m in sorted(set(g.members)) if m in merged]
        if len(set(g.members)) < 3 or not active:
            continue
        for m in active:
            own = best(i.status for i in merged[m].values())
            merged[m]["organised_crime"] = _attached(
                merged[m], "organised_crime", weakest([own, firm(g.firmness)]), (g.id,))
    for actor in sorted(merged):
        if "official" in case.roles(actor) and "abuse_of_office" not in merged[actor]:
            own = best(i.status for i in merged[actor].values())
            merged[actor]["abuse_of_office"] = _attached(
                merged[actor], "abuse_of_office", own, (actor,))


def _attached(items: dict[str, ConductItem], conduct: str, status: Status,
              rests_on: tuple[str, ...]) -> ConductItem:
    """Conduct that attaches to what the actor did: its place, time and stage are theirs."""
    starts = sorted(i.start for i in items.values() if i.start)
    ends = sorted(i.end for i in items.values() if i.end)
    stage = max((i.stage for i in items.values()), key=_STAGE_RANK.__getitem__)
    return ConductItem(conduct, status, rests_on, _all(items, "countries"), _years(items), (),
                       stage, starts[0] if starts else None, ends[-1] if ends else None,
                       _all(items, "regions"))


def _all(items: dict[str, ConductItem], attr: str) -> tuple[str, ...]:
    return tuple(sorted({c for i in items.values() for c in getattr(i, attr)}))


def _years(items: dict[str, ConductItem]) -> tuple[int, ...]:
    return tuple(sorted({y for i in items.values() for y in i.years}))
