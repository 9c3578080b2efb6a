"""Build a fact pattern from a case file, conservatively.

Every fact carries its source (``reference: "case file: event #12"``) and a firmness. The case
file does not record how firmly a fact is established, so every fact is ``alleged`` until the
user, having checked it against the evidence, raises it in the form: the engine then finds
"insufficient facts" (worth investigating) but never "established" on case-file entries alone.
The mapping is documented in ``docs/formats/fact-pattern.md`` ("From a case file").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tipor.audit.service import record
from tipor.cases import parties, timeline, work
from tipor.cases.access import CaseView
from tipor.cases.enums import EventKind, OrganisationKind
from tipor.cases.models import Event, Observation, Party, Payment
from tipor.context import Ctx
from tipor.exceptions import TiporError
from tipor.law.countries import COUNTRY_CODES
from tipor.law.facts import FORMAT_VERSION, FactPattern
from tipor.law.validate import parse_fact_pattern
from tipor.security.permissions import Section

FIRMNESS = "alleged"
PARTY_ROLES = {"presumed_victim": "donor", "recipient": "recipient", "broker": "broker",
               "recruiter": "recruiter", "surgeon": "surgeon", "anaesthetist": "anaesthetist",
               "nephrologist": "nephrologist", "coordinator": "coordinator",
               "interpreter": "interpreter", "transporter": "transporter",
               "financier": "financier", "witness": "witness"}
ORG_ROLES: dict[OrganisationKind, str] = {
    OrganisationKind.HOSPITAL: "facility", OrganisationKind.CLINIC: "facility",
    OrganisationKind.LABORATORY: "laboratory", OrganisationKind.INSURER: "insurer",
    OrganisationKind.TRAVEL_AGENCY: "travel_agency",
    OrganisationKind.MEDICAL_TOURISM_AGENCY: "travel_agency",
    OrganisationKind.FRONT_BUSINESS: "front_business"}
EVENT_ACTS = {EventKind.RECRUITMENT: "recruitment", EventKind.TRAVEL: "transport",
              EventKind.BORDER_CROSSING: "transport", EventKind.LODGING: "harbouring"}
PURPOSE_EVENTS = {EventKind.MEDICAL_WORKUP: "intended", EventKind.HLA_TEST: "intended",
                  EventKind.SURGERY: "completed"}
#: Roles whose holders may be named as the offenders behind an observed means.
OFFENDER_ROLES = ("broker", "recruiter", "transporter", "financier", "coordinator")
PAYMENT_PURPOSES = (("organ", ("organ", "kidney", "liver")), ("agent_fee", ("fee", "commission")),
                    ("surgery", ("surgery", "operation", "hospital")),
                    ("travel", ("travel", "ticket", "visa")), ("expenses", ("expense", "lodging")),
                    ("undue_advantage", ("bribe",)))
VULNERABILITIES = {"poverty", "debt", "unemployment", "refugee", "irregular_status", "illiteracy",
                   "disability", "dependency", "addiction", "homelessness", "age"}


@dataclass
class CaseMapping:
    """The generated document, the parsed pattern, and what was left out and why."""

    raw: dict[str, Any]
    pattern: FactPattern
    notes: list[str] = field(default_factory=list)
    identities_shown: bool = False


@dataclass
class _Builder:
    view: CaseView
    doc: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    donors: set[str] = field(default_factory=set)
    recipients: set[str] = field(default_factory=set)
    known: set[str] = field(default_factory=set)

    def add(self, collection: str, item: dict[str, Any]) -> None:
        self.doc.setdefault(collection, []).append(item)
        self.known.add(item["id"])

    def refs(self, ids: Iterable[str]) -> list[str]:
        return [i for i in ids if i in self.known]


def _fact(ident: str, source: str, what: str) -> dict[str, Any]:
    return {"id": ident, "source": source, "firmness": FIRMNESS, "reference": f"case file: {what}"}


def _countries(codes: Iterable[str], b: _Builder, where: str) -> list[str]:
    good = []
    for code in codes:
        code = (code or "").strip().upper()
        if code in COUNTRY_CODES:
            good.append(code)
        elif code:
            b.notes.append(f"{where}: country code {code!r} is not ISO 3166-1 and was left out")
    return sorted(set(good))


def facts_from_case(ctx: Ctx, view: CaseView) -> CaseMapping:
    """The case as a fact pattern, as far as this user may read it (needs the legal section)."""
    view.require(Section.LEGAL)
    case = view.case
    b = _Builder(view, {"format_version": FORMAT_VERSION, "title": case.title,
                        "reference": case.reference})
    b.doc["jurisdictions"] = _countries(case.jurisdictions or [], b, "case jurisdictions")
    shown = _persons(ctx, b)
    _organisations(ctx, b)
    for event in timeline.list_events(ctx, view):
        _event(b, event)
    for payment in timeline.list_payments(ctx, view):
        _payment(b, payment)
    _observations(ctx, b)
    b.notes.append("The case file holds no consent statements: add any in the form.")
    if not view.can(Section.FINANCIAL):
        b.notes.append("Payments left out: you may not read the financial section.")
    if not view.can(Section.MEDICAL):
        b.notes.append("Medical steps (work-up, cross-match, surgery) left out: you may not read "
                       "the medical section.")
    return CaseMapping(b.doc, parse_fact_pattern(b.doc), b.notes, shown)


def _persons(ctx: Ctx, b: _Builder) -> bool:
    view = b.view
    rows = sorted(view.case.parties, key=lambda p: p.id)
    identity = view.can(Section.IDENTITY)
    names = {r.id: r.name for r in parties.read_parties(ctx, view)} if identity else {}
    if not identity and rows:
        b.notes.append("Names, ages and nationalities left out: you may not read the identity "
                       "section; persons carry pseudonymous labels.")
    for party in rows:
        b.add("persons", _person(b, party, names.get(party.id) if identity else None, identity))
    return identity and bool(rows)


def _person(b: _Builder, party: Party, name: str | None, identity: bool) -> dict[str, Any]:
    ident = f"p{party.id}"
    roles = sorted({PARTY_ROLES[r] for r in party.roles if r in PARTY_ROLES}) or ["witness"]
    label = f"{name} (P-{party.id})" if name else parties.party_label(party)
    item = {**_fact(ident, "other", f"person #{party.id}"), "label": label, "roles": roles}
    if identity:
        if party.age is not None:
            item["age"] = party.age
        if party.sex and party.sex.value != "unknown":
            item["sex"] = party.sex.value
        item["nationalities"] = _countries(party.nationalities or [], b, f"person #{party.id}")
    if "donor" in roles:
        b.donors.add(ident)
    if "recipient" in roles:
        b.recipients.add(ident)
    return item


def _organisations(ctx: Ctx, b: _Builder) -> None:
    for org in parties.list_organisations(ctx, b.view):
        role = ORG_ROLES.get(org.kind)
        if role is None:
            b.notes.append(f"Organisation #{org.id} ({org.kind.value}) left out: its legal role "
                           "is unclear; add it in the form with a role.")
            continue
        item = {**_fact(f"o{org.id}", "other", f"organisation #{org.id}"), "label": org.name,
                "kind": org.kind.value, "roles": [role]}
        countries = _countries([org.country], b, f"organisation #{org.id}")
        if countries:
            item["country"] = countries[0]
        b.add("organisations", item)


def _date(value: dt.date | None, approximate: bool) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m") if approximate else value.isoformat()


def _place(b: _Builder, event: Event) -> str | None:
    countries = _countries([event.country], b, f"event #{event.id}")
    if not countries:
        return None
    ident = f"pl{event.id}"
    b.add("places", {"id": ident, "label": event.place or countries[0], "country": countries[0]})
    return ident


def _event(b: _Builder, event: Event) -> None:
    people = b.refs(f"p{i}" for i in event.party_ids or [])
    victims = [p for p in people if p in b.donors]
    others = [p for p in people if p not in b.donors and p not in b.recipients]
    org = b.refs([f"o{event.organisation_id}"] if event.organisation_id else [])
    what, ident = f"event #{event.id}", f"e{event.id}"
    base = {**_fact(ident, "other", what), "note": (event.description or "")[:500]}
    if event.kind in EVENT_ACTS:
        act = {**base, "kind": EVENT_ACTS[event.kind], "actors": others + org, "victims": victims,
               "place": _place(b, event), "date": _date(event.date_from, event.approximate),
               "date_to": _date(event.date_to, event.approximate)}
        b.add("acts", {k: v for k, v in act.items() if v not in (None, "")})
    elif event.kind == EventKind.THREAT:
        if victims and others:
            b.add("means", {**base, "kind": "threat", "by": others, "victims": victims})
        else:
            b.notes.append(f"Threat ({what}) left out: it names no donor and no one who threatened.")
    elif event.kind in PURPOSE_EVENTS:
        _medical(b, event, base, victims, others + org)
    else:
        b.notes.append(f"{event.kind.value.replace('_', ' ').capitalize()} ({what}) is not a "
                       "legal act and was left out.")


def _medical(b: _Builder, event: Event, base: dict[str, Any], victims: list[str],
             actors: list[str]) -> None:
    what = f"event #{event.id}"
    if not victims:
        b.notes.append(f"{event.kind.value.replace('_', ' ').capitalize()} ({what}) names no "
                       "donor and was left out.")
        return
    b.add("purposes", {**base, "id": f"u{event.id}", "victims": victims,
                       "stage": PURPOSE_EVENTS[event.kind]})
    if event.kind == EventKind.SURGERY:
        recipients = b.refs(f"p{i}" for i in event.party_ids or [] if f"p{i}" in b.recipients)
        act = {**base, "kind": "removal", "actors": actors, "victims": victims,
               "recipients": recipients, "place": _place(b, event),
               "date": _date(event.date_from, event.approximate)}
        b.add("acts", {k: v for k, v in act.items() if v not in (None, "")})


def _payment(b: _Builder, payment: Payment) -> None:
    def ref(party_id: int | None, org_id: int | None) -> str | None:
        found = b.refs([f"p{party_id}"] if party_id else [f"o{org_id}"] if org_id else [])
        return found[0] if found else None

    payer = ref(payment.payer_party_id, payment.payer_organisation_id)
    payee = ref(payment.payee_party_id, payment.payee_organisation_id)
    donor = next((p for p in (payee, payer) if p in b.donors), None)
    text = (payment.purpose or "").lower()
    purpose = next((k for k, words in PAYMENT_PURPOSES if any(w in text for w in words)), "other")
    item = {**_fact(f"pay{payment.id}", "other", f"payment #{payment.id}"), "payer": payer,
            "payee": payee, "donor": donor, "amount": float(payment.amount),
            "currency": payment.currency.upper(), "status": payment.status.value,
            "purpose": purpose, "date": _date(payment.date, False), "note": payment.purpose}
    b.add("payments", {k: v for k, v in item.items() if v not in (None, "")})


def _observations(ctx: Ctx, b: _Builder) -> None:
    from tipor.catalogue.service import get_catalogue

    observations = [o for o in work.list_observations(ctx, b.view) if o.answer == "yes"]
    if not observations:
        return
    try:
        catalogue = get_catalogue()
    except TiporError as exc:
        b.notes.append(f"Indicator observations left out: the indicator catalogue could not be "
                       f"loaded ({exc.message}).")
        return
    offenders = [p["id"] for p in b.doc.get("persons", [])
                 if set(p["roles"]) & set(OFFENDER_ROLES)]
    for obs in observations:
        if not catalogue.has_indicator(obs.indicator_id):
            continue
        indicator = catalogue.indicator(obs.indicator_id)
        for ev in indicator.evidences:
            if ev.element.value == "means" and ev.means is not None:
                _means(b, obs, ev.means.value, indicator.label.en, offenders)


def _means(b: _Builder, obs: Observation, kind: str, label: str, offenders: list[str]) -> None:
    what = f"indicator observation #{obs.id} ({obs.indicator_id})"
    kind = "payment_to_controller" if kind == "payments_to_controller" else kind
    if not b.donors or not offenders:
        b.notes.append(f"Means {kind.replace('_', ' ')} from {what} left out: the case names "
                       "no donor or no broker, recruiter, transporter, financier or coordinator.")
        return
    item = {**_fact(f"m{obs.id}-{kind}", "observation", what), "kind": kind, "by": offenders,
            "victims": sorted(b.donors), "note": f"indicator: {label}"[:500]}
    if kind == "payment_to_controller":
        b.notes.append(f"Means payment to a controller from {what} left out: the case does not "
                       "say who had control; add it in the form.")
        return
    if kind == "abuse_of_vulnerability":
        vulns = _vulnerabilities(b)
        if not vulns:
            b.notes.append(f"Abuse of vulnerability from {what} left out: no vulnerability of "
                           "the donors is recorded that you may read; add it in the form.")
            return
        item["vulnerabilities"] = vulns
    b.add("means", item)


def _vulnerabilities(b: _Builder) -> list[str]:
    if not b.view.can(Section.IDENTITY):
        return []
    found = {v.strip().lower() for p in b.view.case.parties if f"p{p.id}" in b.donors
             for v in p.vulnerabilities or []}
    return sorted(found & VULNERABILITIES)


def audit_mapping(ctx: Ctx, view: CaseView, mapping: CaseMapping) -> None:
    """Record that the case was turned into a fact pattern (and whether identities were shown)."""
    record(ctx.session, actor=ctx.actor, action="law.facts_from_case", object_type="case",
           object_id=view.case.id, detail={"identities_shown": mapping.identities_shown,
                                           "facts": sum(len(v) for v in mapping.raw.values()
                                                        if isinstance(v, list))})
