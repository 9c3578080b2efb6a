"""A case built with the real services maps to a valid fact pattern; identities stay hidden
from users who may not read the identity section; the case tab runs the report."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.cases import conftest as case_fixtures
from tests.cases.conftest import CtxFor
from tests.conftest import Factory, csrf_from, login
from tipor.accounts.models import Agency, Role, User
from tipor.audit.models import AuditEntry
from tipor.cases import parties, timeline, work
from tipor.cases.access import view_case
from tipor.cases.enums import EventKind, OrganisationKind, PartyRole, PaymentStatus, Sex
from tipor.cases.schemas import (
    CaseCreate,
    EventCreate,
    ObservationSet,
    OrganisationCreate,
    PartyCreate,
    PaymentCreate,
)
from tipor.cases.service import create_case
from tipor.law.from_case import facts_from_case
from tipor.law.validate import parse_fact_pattern

NAME = "Fictional Kelo Ivorybrook"
# the case fixtures (tests/cases/conftest.py), reused here
ctx_for, ngo = case_fixtures.ctx_for, case_fixtures.ngo
ngo_worker, ngo_investigator = case_fixtures.ngo_worker, case_fixtures.ngo_investigator


@dataclass(frozen=True)
class _Evidences:
    element: Any
    means: Any


@dataclass(frozen=True)
class _Value:
    value: str


@dataclass(frozen=True)
class _Label:
    en: str


@dataclass(frozen=True)
class _Indicator:
    id: str
    evidences: tuple[_Evidences, ...]
    label: _Label


class _Catalogue:
    """A two-indicator stand-in, so the mapping does not depend on the catalogue's contents."""

    items = {
        "VIC-01": _Indicator("VIC-01", (_Evidences(_Value("means"), _Value("deception")),),
                             _Label("Fictional: told the kidney grows back")),
        "VIC-02": _Indicator("VIC-02", (_Evidences(_Value("means"),
                                                   _Value("abuse_of_vulnerability")),),
                             _Label("Fictional: in debt to the broker")),
    }

    def has_indicator(self, ident: str) -> bool:
        return ident in self.items

    def indicator(self, ident: str) -> _Indicator:
        return self.items[ident]


@pytest.fixture(autouse=True)
def stub_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    import tipor.catalogue.service as service

    monkeypatch.setattr(service, "get_catalogue", lambda: _Catalogue())


def build_case(ctx_for: CtxFor, user: User) -> int:
    """A fictional case through the real services: people, a clinic, events, money, indicators."""
    ctx = ctx_for(user)
    case = create_case(ctx, CaseCreate(title="Fictional guesthouse case",
                                       jurisdictions=["pk", "in"]))
    view = view_case(ctx, case.id)
    donor = parties.add_party(ctx, view, PartyCreate(
        roles=[PartyRole.VICTIM], name=NAME, age=24, nationalities=["PK"], sex=Sex.FEMALE,
        vulnerabilities=["debt", "sleeps badly"]))
    broker = parties.add_party(ctx, view, PartyCreate(
        roles=[PartyRole.BROKER, PartyRole.RECRUITER], name="Fictional Broker Tansel",
        nationalities=["pk"]))
    recipient = parties.add_party(ctx, view, PartyCreate(
        roles=[PartyRole.RECIPIENT], name="Fictional Recipient Ode", nationalities=["GB"]))
    clinic = parties.add_organisation(ctx, view, OrganisationCreate(
        name="Fictional Clinic", kind=OrganisationKind.CLINIC, country="in"))
    parties.add_organisation(ctx, view, OrganisationCreate(
        name="Fictional Charity", kind=OrganisationKind.CHARITY, country="PK"))
    events = [
        EventCreate(kind=EventKind.RECRUITMENT, date_from=dt.date(2023, 4, 2), place="Fictional village",
                    country="PK", party_ids=[donor.id, broker.id], description="approached"),
        EventCreate(kind=EventKind.TRAVEL, date_from=dt.date(2023, 5, 1), approximate=True,
                    country="IN", party_ids=[donor.id, broker.id]),
        EventCreate(kind=EventKind.HLA_TEST, date_from=dt.date(2023, 5, 3), country="IN",
                    party_ids=[donor.id], organisation_id=clinic.id),
        EventCreate(kind=EventKind.SURGERY, date_from=dt.date(2023, 5, 9), country="IN",
                    party_ids=[donor.id, recipient.id], organisation_id=clinic.id),
        EventCreate(kind=EventKind.THREAT, date_from=dt.date(2023, 5, 20), country="PK",
                    party_ids=[donor.id, broker.id]),
        EventCreate(kind=EventKind.RETURN, date_from=dt.date(2023, 5, 21), country="PK",
                    party_ids=[donor.id]),
    ]
    for event in events:
        timeline.add_event(ctx, view, event)
    timeline.add_payment(ctx, view, PaymentCreate(
        amount=Decimal("1500"), currency="usd", status=PaymentStatus.PROMISED,
        payer_party_id=broker.id, payee_party_id=donor.id, purpose="for the kidney"))
    timeline.add_payment(ctx, view, PaymentCreate(
        amount=Decimal("20000"), currency="USD", status=PaymentStatus.PAID,
        payer_party_id=recipient.id, payee_party_id=broker.id, purpose="agent commission"))
    known = lambda: ["VIC-01", "VIC-02", "VIC-03"]  # noqa: E731
    work.set_observation(ctx, view, ObservationSet(indicator_id="VIC-01", answer="yes"), known)
    work.set_observation(ctx, view, ObservationSet(indicator_id="VIC-02", answer="yes"), known)
    work.set_observation(ctx, view, ObservationSet(indicator_id="VIC-03", answer="no"), known)
    ctx.session.commit()
    return case.id


def test_case_maps_to_a_valid_pattern(ctx_for: CtxFor, ngo_investigator: User) -> None:
    case_id = build_case(ctx_for, ngo_investigator)
    ctx = ctx_for(ngo_investigator)
    mapping = facts_from_case(ctx, view_case(ctx, case_id))
    pattern = parse_fact_pattern(json.loads(json.dumps(mapping.raw)))
    assert pattern == mapping.pattern
    donor = next(p for p in pattern.persons if "donor" in p.roles)
    assert NAME in donor.label and donor.age == 24 and donor.nationalities == ["PK"]
    assert donor.sex == "female" and pattern.format_version == 2
    assert mapping.identities_shown
    assert {a.kind for a in pattern.acts} == {"recruitment", "transport", "removal"}
    removal = next(a for a in pattern.acts if a.kind == "removal")
    assert removal.victims == [donor.id] and removal.actors == [pattern.organisations[0].id]
    assert [p.stage for p in pattern.purposes] == ["intended", "completed"]
    assert {m.kind for m in pattern.means} == {"threat", "deception", "abuse_of_vulnerability"}
    vuln = next(m for m in pattern.means if m.kind == "abuse_of_vulnerability")
    assert vuln.vulnerabilities == ["debt"] and vuln.offender_knew is None
    purposes = {p.purpose for p in pattern.payments}
    assert purposes == {"organ", "agent_fee"}
    assert next(p for p in pattern.payments if p.purpose == "organ").donor == donor.id
    every = [*pattern.persons, *pattern.organisations, *pattern.acts, *pattern.means,
             *pattern.purposes, *pattern.payments]
    assert all(f.firmness == "alleged" for f in every)
    assert all(f.reference.startswith("case file: ") for f in every)
    transport = next(a for a in pattern.acts if a.kind == "transport")
    assert transport.date == "2023-05"  # approximate dates keep only the month
    assert pattern.jurisdictions == ["IN", "PK"]
    assert any("Charity" in n or "charity" in n for n in mapping.notes)
    assert any("Return" in n for n in mapping.notes)


def test_identity_hidden_without_identity_access(ctx_for: CtxFor, factory: Factory,
                                                 ngo: Agency, ngo_investigator: User) -> None:
    analyst = factory.user(Role.ANALYST, agency=ngo)
    case_id = build_case(ctx_for, ngo_investigator)
    ctx = ctx_for(analyst)
    view = view_case(ctx, case_id)
    mapping = facts_from_case(ctx, view)
    text = json.dumps(mapping.raw)
    assert "Fictional Kelo" not in text and "Broker Tansel" not in text
    assert not mapping.identities_shown
    labels = [p.label for p in mapping.pattern.persons]
    assert all(label.startswith("P-") for label in labels)
    assert all(p.age is None and p.nationalities == [] and p.sex == "unknown"
               for p in mapping.pattern.persons)
    assert any("identity section" in n for n in mapping.notes)
    # the analyst may not read medical steps: no removal, no purpose from the surgery
    assert "removal" not in {a.kind for a in mapping.pattern.acts}
    identity_reads = ctx.session.execute(select(AuditEntry).where(
        AuditEntry.action == "identity.read", AuditEntry.actor_id == analyst.id)).scalars().all()
    assert identity_reads == []


def test_case_tab_shows_pattern_and_runs_report(client: TestClient, ctx_for: CtxFor,
                                                ngo_investigator: User) -> None:
    case_id = build_case(ctx_for, ngo_investigator)
    login(client, ngo_investigator.username)
    tab = client.get(f"/cases/{case_id}/qualification")
    assert tab.status_code == 200, tab.text[:2000]
    assert 'aria-current="page" id="tab-qualification"' in tab.text
    assert NAME in tab.text and 'id="mapping-notes"' in tab.text
    match = __import__("re").search(r'name="draft" value="([^"]*)"', tab.text)
    assert match
    draft = __import__("html").unescape(match.group(1))
    report = client.post(f"/cases/{case_id}/qualification", data={
        "action": "run", "draft": draft, "csrf_token": csrf_from(tab.text)})
    assert report.status_code == 200, report.text[:2000]
    assert 'id="report"' in report.text and "does not replace" in report.text
    assert "insufficient facts" in report.text  # alleged facts never establish an element
    ctx = ctx_for(ngo_investigator)
    entries = ctx.session.execute(select(AuditEntry).where(
        AuditEntry.action.in_(["law.qualify", "law.facts_from_case"]))).scalars().all()
    assert sorted(e.action for e in entries) == ["law.facts_from_case", "law.qualify"]
    assert all(e.object_id == str(case_id) for e in entries)


def test_case_tab_caseworker_sees_pattern_but_cannot_run(client: TestClient, ctx_for: CtxFor,
                                                         ngo_worker: User,
                                                         ngo_investigator: User) -> None:
    case_id = build_case(ctx_for, ngo_investigator)
    login(client, ngo_worker.username)
    tab = client.get(f"/cases/{case_id}/qualification")
    assert tab.status_code == 200 and 'id="no-run"' in tab.text
    # the draft the tab itself offers is a valid fact pattern: only the permission can refuse it
    # (an empty draft would be refused as invalid input, so it could not show a missing check)
    match = __import__("re").search(r'name="draft" value="([^"]*)"', tab.text)
    assert match
    draft = __import__("html").unescape(match.group(1))
    parse_fact_pattern(json.loads(draft))
    refused = client.post(f"/cases/{case_id}/qualification", data={
        "action": "run", "draft": draft, "csrf_token": csrf_from(tab.text)})
    assert refused.status_code == 403, refused.text[:2000]
    assert 'id="report"' not in refused.text
    ctx = ctx_for(ngo_worker)
    runs = ctx.session.execute(select(AuditEntry).where(
        AuditEntry.action == "law.qualify")).scalars().all()
    assert runs == []
