"""Export one case as a bundle (tipor.case-bundle v1): everything in it, ids made bundle-local.

Who may export: a user of the owning agency whose role reads every case section (today
investigators and prosecutors), because the bundle carries every section in clear. Others get
PermissionDenied naming the sections they lack; the refusal is audited and committed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select

from tipor.accounts.models import Agency, User
from tipor.audit.service import record
from tipor.cases import privacy, timeline
from tipor.cases.access import CaseView, view_case
from tipor.cases.models import (
    CaseStatusChange,
    Event,
    Identifier,
    Note,
    Observation,
    Organisation,
    Party,
    Payment,
    Task,
)
from tipor.context import Ctx
from tipor.db import utcnow
from tipor.evidence import service as evidence
from tipor.evidence.models import CustodyEntry, Evidence
from tipor.evidence.store import FileStore
from tipor.exceptions import PermissionDenied, ValidationFailed
from tipor.exchange.schema import FORMAT, VERSION
from tipor.referrals import support
from tipor.referrals.models import Consent, Referral, ReferralChange, SupportItem
from tipor.security.permissions import Section

Row = TypeVar("Row")


def require_exporter(ctx: Ctx, case_id: int, what: str = "export") -> CaseView:
    """The case view if this user may export the whole case; else PermissionDenied (audited)."""
    view = view_case(ctx, case_id)
    missing = sorted(s.value for s in Section if not view.can(s))
    if view.owner and not missing:
        return view
    user = ctx.require_user()
    reason = ("only the owning agency can " + what + " this case") if not view.owner else (
        f"your role ({user.role.value}) cannot read every section of the case; it lacks: "
        + ", ".join(missing) + ". Ask an investigator or prosecutor of the owning agency")
    actor = ctx.actor
    raise PermissionDenied(f"you may not {what} this case: {reason}").keeping(
        lambda s: record(s, actor=actor, action=f"case.{what}", object_type="case",
                         object_id=case_id, outcome="denied", detail={"missing_sections": missing}))


@dataclass
class _Ids:
    """Database ids → bundle-local ids, per record kind."""

    maps: dict[str, dict[int, str]] = field(default_factory=dict)

    def assign(self, prefix: str, ids: Iterable[int]) -> None:
        self.maps[prefix] = {db_id: f"{prefix}{n}" for n, db_id in enumerate(ids, start=1)}

    def get(self, prefix: str, db_id: int | None) -> str | None:
        return None if db_id is None else self.maps[prefix].get(db_id)


class _Names:
    """Usernames and agency references, loaded on demand."""

    def __init__(self, ctx: Ctx) -> None:
        self.session = ctx.session
        self._users: dict[int, str] = {}
        self._agencies: dict[int, dict[str, str]] = {}

    def user(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self._users:
            found = self.session.get(User, user_id)
            self._users[user_id] = found.username if found else ""
        return self._users[user_id] or None

    def agency(self, agency_id: int | None) -> dict[str, str] | None:
        if agency_id is None:
            return None
        if agency_id not in self._agencies:
            found = self.session.get(Agency, agency_id)
            assert found is not None
            self._agencies[agency_id] = agency_ref(found)
        return self._agencies[agency_id]


def agency_ref(agency: Agency) -> dict[str, str]:
    """How a bundle names an agency."""
    return {"name": agency.name, "kind": agency.kind.value, "country": agency.country}


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _rows(ctx: Ctx, model: type[Row], *where: Any, order: Any = None) -> Sequence[Row]:
    column = order if order is not None else model.id  # type: ignore[attr-defined]
    return ctx.session.execute(select(model).where(*where).order_by(column)).scalars().all()


def export_case(ctx: Ctx, case_id: int, *, include_files: bool, store: FileStore | None = None,
                clear: bool = False) -> dict[str, Any]:
    """The case as a bundle dict; audited as ``case.export`` (``case.export_clear`` if clear).

    With ``include_files`` the evidence files are embedded (base64) after their hashes are
    verified against the store; a file that no longer matches raises IntegrityError.
    """
    view = require_exporter(ctx, case_id)
    if include_files and store is None:
        raise ValidationFailed("include_files: no evidence store configured for this export",
                               [("include_files", "no store")])
    bundle = build_bundle(ctx, view, store if include_files else None)
    record(ctx.session, actor=ctx.actor, action="case.export_clear" if clear else "case.export",
           object_type="case", object_id=case_id,
           detail={"case_id": case_id, "include_files": include_files, "encrypted": not clear,
                   "counts": {k: len(v) for k, v in bundle.items() if isinstance(v, list)}})
    return bundle


def build_bundle(ctx: Ctx, view: CaseView, store: FileStore | None = None) -> dict[str, Any]:
    """The bundle of a case the caller has checked may be exported (not audited here)."""
    return _Builder(ctx, view, store).build()


class _Builder:
    """Walks one case and writes the bundle dict."""

    def __init__(self, ctx: Ctx, view: CaseView, store: FileStore | None) -> None:
        self.ctx, self.view, self.store = ctx, view, store
        self.case = view.case
        self.ids = _Ids()
        self.names = _Names(ctx)

    def _of_case(self, model: type[Row], order: Any = None) -> Sequence[Row]:
        return _rows(self.ctx, model, model.case_id == self.case.id,  # type: ignore[attr-defined]
                     order=order)

    def build(self) -> dict[str, Any]:
        parties = self._of_case(Party)
        orgs = self._of_case(Organisation)
        referrals = self._of_case(Referral)
        self.ids.assign("p", (p.id for p in parties))
        self.ids.assign("o", (o.id for o in orgs))
        self.ids.assign("r", (r.id for r in referrals))
        user = self.ctx.require_user()
        return {
            "format": FORMAT, "version": VERSION,
            "exported": {"at": utcnow().isoformat(), "by": user.username,
                         "agency": agency_ref(user.agency), "include_files": self.store is not None},
            "case": self._header(),
            "status_history": self._history(),
            "parties": [self._party(p) for p in parties],
            "organisations": [self._organisation(o) for o in orgs],
            "identifiers": self._identifiers(),
            "events": self._events(),
            "payments": self._payments(),
            "observations": [{"indicator_id": o.indicator_id, "answer": o.answer, "note": o.note,
                              "source": o.source}
                             for o in self._of_case(Observation, Observation.indicator_id)],
            "tasks": self._tasks(),
            "notes": self._notes(),
            "evidence": self._evidence(),
            "consents": self._consents(),
            "referrals": [self._referral(r) for r in referrals],
            "support_items": self._support(),
        }

    def _header(self) -> dict[str, Any]:
        c = self.case
        return {"reference": c.reference, "title": c.title, "summary": c.summary,
                "status": c.status.value, "jurisdictions": list(c.jurisdictions),
                "agency": self.names.agency(c.agency_id),
                "created_by": self.names.user(c.created_by_id), "created_at": _iso(c.created_at)}

    def _history(self) -> list[dict[str, Any]]:
        rows = self._of_case(CaseStatusChange, CaseStatusChange.id)
        return [{"from_status": r.from_status, "to_status": r.to_status, "reason": r.reason,
                 "by": self.names.user(r.by_user_id), "at": _iso(r.at)} for r in rows]

    def _party(self, p: Party) -> dict[str, Any]:
        k = self.ctx.keyring
        aliases = privacy.unseal(k, p.aliases_enc, privacy.PARTY_ALIASES)
        return {"id": self.ids.get("p", p.id), "roles": list(p.roles),
                "name": privacy.unseal(k, p.name_enc, privacy.PARTY_NAME),
                "aliases": json.loads(aliases or "[]"),
                "birth_date": privacy.unseal(k, p.birth_date_enc, privacy.PARTY_BIRTH),
                "age": p.age, "sex": p.sex.value, "nationalities": list(p.nationalities),
                "languages": list(p.languages), "vulnerabilities": list(p.vulnerabilities)}

    def _organisation(self, o: Organisation) -> dict[str, Any]:
        return {"id": self.ids.get("o", o.id), "name": o.name, "kind": o.kind.value,
                "country": o.country, "licensed_for_transplant": o.licensed_for_transplant}

    def _identifiers(self) -> list[dict[str, Any]]:
        rows = self._of_case(Identifier)
        self.ids.assign("i", (i.id for i in rows))
        return [{"id": self.ids.get("i", i.id), "kind": i.kind.value,
                 "value": privacy.unseal(self.ctx.keyring, i.value_enc, privacy.IDENTIFIER_VALUE),
                 "country": i.country, "party": self.ids.get("p", i.party_id),
                 "organisation": self.ids.get("o", i.organisation_id)} for i in rows]

    def _events(self) -> list[dict[str, Any]]:
        rows = self._of_case(Event)
        self.ids.assign("e", (e.id for e in rows))
        return [{"id": self.ids.get("e", e.id), "kind": e.kind.value, "date_from": _iso(e.date_from),
                 "date_to": _iso(e.date_to), "approximate": e.approximate, "place": e.place,
                 "country": e.country,
                 "description": self.ctx.keyring.decrypt(e.description_enc,
                                                         purpose=timeline.DESCRIPTION),
                 "parties": [self.ids.get("p", pid) for pid in e.party_ids
                             if self.ids.get("p", pid) is not None],
                 "organisation": self.ids.get("o", e.organisation_id)} for e in rows]

    def _payments(self) -> list[dict[str, Any]]:
        rows = self._of_case(Payment)
        self.ids.assign("pay", (p.id for p in rows))
        return [{"id": self.ids.get("pay", p.id), "amount": _amount(p.amount),
                 "currency": p.currency, "status": p.status.value, "date": _iso(p.date),
                 "payer_party": self.ids.get("p", p.payer_party_id),
                 "payee_party": self.ids.get("p", p.payee_party_id),
                 "payer_organisation": self.ids.get("o", p.payer_organisation_id),
                 "payee_organisation": self.ids.get("o", p.payee_organisation_id),
                 "purpose": p.purpose} for p in rows]

    def _tasks(self) -> list[dict[str, Any]]:
        rows = self._of_case(Task)
        self.ids.assign("t", (t.id for t in rows))
        return [{"id": self.ids.get("t", t.id), "title": t.title, "owner": self.names.user(t.owner_id),
                 "due": _iso(t.due), "status": t.status.value} for t in rows]

    def _notes(self) -> list[dict[str, Any]]:
        rows = self._of_case(Note)
        self.ids.assign("n", (n.id for n in rows))
        return [{"id": self.ids.get("n", n.id), "section": n.section,
                 "body": privacy.unseal(self.ctx.keyring, n.body_enc, privacy.NOTE_BODY),
                 "author": self.names.user(n.author_id), "created_at": _iso(n.created_at)}
                for n in rows]

    def _evidence(self) -> list[dict[str, Any]]:
        rows = self._of_case(Evidence)
        self.ids.assign("ev", (e.id for e in rows))
        return [self._evidence_item(e) for e in rows]

    def _evidence_item(self, e: Evidence) -> dict[str, Any]:
        custody = _rows(self.ctx, CustodyEntry, CustodyEntry.evidence_id == e.id,
                        order=CustodyEntry.id)
        content = None
        if self.store is not None:
            data = self.store.read_verified(self.ctx.keyring, evidence.stored_name(e), e.sha256)
            content = base64.b64encode(data).decode()
        evidence.reveal_texts(self.ctx.keyring, e)
        return {"id": self.ids.get("ev", e.id), "sha256": e.sha256, "filename": e.filename,
                "content_type": e.content_type, "size": e.size, "description": e.description,
                "uploaded_by": self.names.user(e.uploaded_by_id),
                "custody": [{"from_holder": c.from_holder, "to_holder": c.to_holder, "at": _iso(c.at),
                             "place": c.place, "note": c.note,
                             "recorded_by": self.names.user(c.recorded_by_id)} for c in custody],
                "content_base64": content}

    def _consents(self) -> list[dict[str, Any]]:
        rows = self._of_case(Consent)
        self.ids.assign("c", (c.id for c in rows))
        return [{"id": self.ids.get("c", c.id), "party": self.ids.get("p", c.party_id),
                 "purpose": c.purpose.value, "agency": self.names.agency(c.agency_id),
                 "service": c.service.value if c.service else None, "method": c.method,
                 "note": c.note, "recorded_by": self.names.user(c.recorded_by_id),
                 "given_at": _iso(c.given_at), "withdrawn_at": _iso(c.withdrawn_at)} for c in rows]

    def _referral(self, r: Referral) -> dict[str, Any]:
        changes = _rows(self.ctx, ReferralChange, ReferralChange.referral_id == r.id,
                        order=ReferralChange.id)
        return {"id": self.ids.get("r", r.id), "party": self.ids.get("p", r.party_id),
                "from_agency": self.names.agency(r.from_agency_id),
                "to_agency": self.names.agency(r.to_agency_id), "service": r.service.value,
                "provider": r.provider, "sections": list(r.sections), "status": r.status.value,
                "follow_up": _iso(r.follow_up), "reason": r.reason,
                "consent_override": r.consent_override, "created_by": self.names.user(r.created_by_id),
                "changes": [{"from_status": c.from_status, "to_status": c.to_status, "note": c.note,
                             "follow_up": _iso(c.follow_up), "by": self.names.user(c.by_user_id),
                             "at": _iso(c.at)} for c in changes]}

    def _support(self) -> list[dict[str, Any]]:
        rows = self._of_case(SupportItem)
        self.ids.assign("s", (s.id for s in rows))
        return [{"id": self.ids.get("s", s.id), "party": self.ids.get("p", s.party_id),
                 "referral": self.ids.get("r", s.referral_id), "kind": s.kind, "section": s.section,
                 "title": self.ctx.keyring.decrypt(s.title_enc, purpose=support.TITLE),
                 "due": _iso(s.due), "done_at": _iso(s.done_at),
                 "result": privacy.unseal(self.ctx.keyring, s.result_enc, privacy.SUPPORT_RESULT)}
                for s in rows]


def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def bundle_bytes(bundle: dict[str, Any]) -> bytes:
    """The canonical JSON bytes of a bundle (what is sealed or written in clear)."""
    return json.dumps(bundle, ensure_ascii=False, indent=1).encode()

