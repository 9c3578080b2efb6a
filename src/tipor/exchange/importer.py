"""Import a case bundle: validate everything first (tipor.exchange.checks), then write it all in
the caller's transaction as a new case of the importing agency.

Who may import: a user whose role may open cases and write every section (today
investigators), since an import writes every section. Fallbacks, documented in
docs/formats/case-bundle.md: unknown users become None (listed in the result and the audit
entry); unknown agencies are an error listing them; referrals sent by the source owner become
referrals sent by the importing agency.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tipor.audit.service import record
from tipor.cases import privacy, timeline
from tipor.cases.models import (
    Case,
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
from tipor.cases.service import next_reference
from tipor.context import Ctx
from tipor.evidence import service as evidence
from tipor.evidence.models import CustodyEntry, Evidence
from tipor.evidence.service import MAX_BYTES
from tipor.evidence.store import NO_FILE, FileStore
from tipor.exceptions import IntegrityError, PermissionDenied, ValidationFailed
from tipor.exchange.checks import Resolved, validate_bundle
from tipor.exchange.schema import CaseBundle
from tipor.referrals import support
from tipor.referrals.models import Consent, Referral, ReferralChange, SupportItem
from tipor.security.permissions import ROLE_SECTIONS, Permission, Section, can


@dataclass
class ImportResult:
    """The new case and what could not be matched on this installation."""

    case: Case
    unmatched_users: list[str]
    files_stored: int
    files_missing: list[str] = field(default_factory=list)  # sha256 of metadata-only evidence


def require_importer(ctx: Ctx) -> None:
    """PermissionDenied (audited, committed) unless the user may open cases and write every section."""
    user = ctx.require_user()
    writable = {s for s, acts in ROLE_SECTIONS[user.role].items() if "write" in acts}
    missing = sorted(s.value for s in Section if s not in writable)
    if can(user, Permission.CASES_CREATE) and not missing:
        return
    actor = ctx.actor
    lacks = ", ".join(missing) if missing else "opening cases"
    raise PermissionDenied(f"your role ({user.role.value}) cannot import a case: an import writes "
                           f"every section and your role lacks: {lacks}. Ask an investigator"
                           ).keeping(lambda s: record(s, actor=actor, action="case.import",
                                                      object_type="case", outcome="denied",
                                                      detail={"missing_sections": missing}))


def _default_indicators() -> Sequence[str]:
    from tipor.cases.read_models import known_indicator_ids

    return known_indicator_ids()


def import_case(ctx: Ctx, bundle: dict[str, Any], *, store: FileStore | None = None,
                indicators: Callable[[], Sequence[str]] | None = None) -> Case:
    """Validate a decoded bundle completely, then write it as a new case (audited ``case.import``)."""
    return import_bundle(ctx, bundle, store=store, indicators=indicators).case


def import_bundle(ctx: Ctx, bundle: dict[str, Any], *, store: FileStore | None = None,
                  indicators: Callable[[], Sequence[str]] | None = None) -> ImportResult:
    """Like :func:`import_case`, returning what could not be matched too."""
    require_importer(ctx)
    user = ctx.require_user()
    resolved = validate_bundle(ctx.session, bundle, own_agency_id=user.agency_id,
                               indicators=indicators or _default_indicators)
    if resolved.files and store is None:
        raise ValidationFailed("evidence: the bundle carries files but no evidence store is "
                               "configured", [("$.evidence", "no store")])
    writer = _Writer(ctx, resolved, store)
    try:
        case = writer.write()
    except BaseException:
        writer.undo_files()
        raise
    result = ImportResult(case, resolved.unmatched_users, writer.stored, writer.missing)
    b = resolved.bundle
    record(ctx.session, actor=ctx.actor, action="case.import", object_type="case",
           object_id=case.id, detail={
               "case_id": case.id, "reference": case.reference,
               "source_reference": b.case.reference, "source_agency": b.case.agency.name,
               "exported_by": b.exported.by, "unmatched_users": result.unmatched_users,
               "files_stored": writer.stored, "files_missing": len(writer.missing)})
    return result


def _decimal(text: str) -> Decimal:
    return Decimal(text)


class _Writer:
    """Writes one validated bundle; maps bundle-local ids to new database ids."""

    def __init__(self, ctx: Ctx, resolved: Resolved, store: FileStore | None) -> None:
        self.ctx, self.r, self.store = ctx, resolved, store
        self.b: CaseBundle = resolved.bundle
        self.ids: dict[str, int] = {}
        self.fresh: list[str] = []
        self.stored = 0
        self.missing: list[str] = []

    def user(self, username: str | None) -> int | None:
        return self.r.users.get(username) if username else None

    def local(self, ref: str | None) -> int | None:
        return None if ref is None else self.ids[ref]

    def _add(self, obj: Any, local_id: str | None = None) -> Any:
        self.ctx.session.add(obj)
        self.ctx.session.flush()
        if local_id is not None:
            self.ids[local_id] = obj.id
        return obj

    def write(self) -> Case:
        case = self._case()
        for part in (self._history, self._parties, self._organisations, self._identifiers,
                     self._events, self._payments, self._observations, self._tasks, self._notes,
                     self._evidence, self._consents, self._referrals, self._support):
            part(case)
        return case

    def _case(self) -> Case:
        user = self.ctx.require_user()
        h = self.b.case
        reference = next_reference(self.ctx, user.agency, dt.date.today().year)
        case = Case(reference=reference, agency_id=user.agency_id, title=h.title, summary=h.summary,
                    status=h.status, jurisdictions=list(h.jurisdictions),
                    created_by_id=self.user(h.created_by), created_at=h.created_at)
        self._add(case)
        return case

    def _history(self, case: Case) -> None:
        for s in self.b.status_history:
            self._add(CaseStatusChange(case_id=case.id, from_status=s.from_status.value,
                                       to_status=s.to_status.value, reason=s.reason,
                                       by_user_id=self.user(s.by), at=s.at))

    def _parties(self, case: Case) -> None:
        k = self.ctx.keyring
        for p in self.b.parties:
            self._add(Party(
                case_id=case.id, roles=[r.value for r in p.roles],
                name_enc=privacy.seal(k, p.name, privacy.PARTY_NAME),
                name_bidx=privacy.index(k, p.name, privacy.PARTY_NAME),
                aliases_enc=privacy.seal(k, json.dumps(p.aliases), privacy.PARTY_ALIASES),
                birth_date_enc=(privacy.seal(k, p.birth_date.isoformat(), privacy.PARTY_BIRTH)
                                if p.birth_date else None),
                age=p.age, sex=p.sex, nationalities=list(p.nationalities),
                languages=list(p.languages), vulnerabilities=list(p.vulnerabilities)), p.id)

    def _organisations(self, case: Case) -> None:
        for o in self.b.organisations:
            self._add(Organisation(case_id=case.id, name=o.name, kind=o.kind, country=o.country,
                                   licensed_for_transplant=o.licensed_for_transplant), o.id)

    def _identifiers(self, case: Case) -> None:
        k = self.ctx.keyring
        for i in self.b.identifiers:
            value = privacy.normalise_identifier(i.kind, i.value, i.country)
            self._add(Identifier(
                case_id=case.id, kind=i.kind, country=i.country,
                value_enc=privacy.seal(k, value, privacy.IDENTIFIER_VALUE),
                value_bidx=privacy.index(k, value, privacy.IDENTIFIER_VALUE),
                masked=privacy.mask(i.kind, value), party_id=self.local(i.party),
                organisation_id=self.local(i.organisation)), i.id)

    def _events(self, case: Case) -> None:
        for e in self.b.events:
            self._add(Event(case_id=case.id, kind=e.kind, date_from=e.date_from, date_to=e.date_to,
                            approximate=e.approximate, place=e.place, country=e.country,
                            description_enc=timeline.seal_description(self.ctx.keyring,
                                                                      e.description),
                            party_ids=[self.ids[p] for p in e.parties],
                            organisation_id=self.local(e.organisation)), e.id)

    def _payments(self, case: Case) -> None:
        for p in self.b.payments:
            self._add(Payment(case_id=case.id, amount=_decimal(p.amount), currency=p.currency,
                              status=p.status, date=p.date, purpose=p.purpose,
                              payer_party_id=self.local(p.payer_party),
                              payee_party_id=self.local(p.payee_party),
                              payer_organisation_id=self.local(p.payer_organisation),
                              payee_organisation_id=self.local(p.payee_organisation)), p.id)

    def _observations(self, case: Case) -> None:
        for o in self.b.observations:
            self._add(Observation(case_id=case.id, indicator_id=o.indicator_id, answer=o.answer,
                                  note=o.note, source=o.source))

    def _tasks(self, case: Case) -> None:
        for t in self.b.tasks:
            self._add(Task(case_id=case.id, title=t.title, owner_id=self.user(t.owner), due=t.due,
                           status=t.status), t.id)

    def _notes(self, case: Case) -> None:
        for n in self.b.notes:
            self._add(Note(case_id=case.id, section=n.section, author_id=self.user(n.author),
                           body_enc=privacy.seal(self.ctx.keyring, n.body, privacy.NOTE_BODY),
                           created_at=n.created_at), n.id)

    def _evidence(self, case: Case) -> None:
        for e in self.b.evidence:
            blob = self._store_file(e.id, e.sha256)
            texts = evidence.seal_texts(self.ctx.keyring, filename=e.filename,
                                        description=e.description)
            item = self._add(Evidence(case_id=case.id, sha256=e.sha256, blob=blob,
                                      content_type=e.content_type, size=e.size,
                                      uploaded_by_id=self.user(e.uploaded_by), **texts), e.id)
            for c in e.custody:
                self._add(CustodyEntry(evidence_id=item.id, from_holder=c.from_holder,
                                       to_holder=c.to_holder, at=c.at, place=c.place, note=c.note,
                                       recorded_by_id=self.user(c.recorded_by)))

    def _store_file(self, local_id: str, sha256: str) -> str:
        """The store name of the record's file: sealed from the bundle, else copied from this
        agency's own copy of the same content; NO_FILE (reported missing) when neither exists."""
        data = self.r.files.get(local_id)
        if data is None:
            return self._own_copy(sha256)
        assert self.store is not None
        stored = self.store.put(io.BytesIO(data), MAX_BYTES, self.ctx.keyring)
        self.fresh.append(stored.name)
        if stored.sha256 != sha256:  # checked before; a store that disagrees is a bug, not bad input
            raise ValidationFailed(f"evidence {local_id}: stored file hashes to {stored.sha256}",
                                   [(f"$.evidence.{local_id}", "hash changed while storing")])
        self.stored += 1
        return stored.name

    def _own_copy(self, sha256: str) -> str:
        # Only a file the importing agency already holds: a bundle that merely names another
        # agency's hash must not open that agency's file.
        agency_id = self.ctx.require_user().agency_id
        rows = self.ctx.session.execute(select(Evidence).join(Case, Case.id == Evidence.case_id)
                                        .where(Evidence.sha256 == sha256,
                                               Case.agency_id == agency_id)).scalars().all()
        if self.store is None:
            rows = []
        for row in rows:
            assert self.store is not None
            try:
                name = self.store.reseal(self.ctx.keyring, evidence.stored_name(row), sha256,
                                         new_name=self.store.new_name())
            except IntegrityError:
                continue
            self.fresh.append(name)
            return name
        self.missing.append(sha256)
        return NO_FILE

    def undo_files(self) -> None:
        """Remove files this import wrote (its database rows are rolled back by the caller)."""
        if self.store is not None:
            for name in self.fresh:
                self.store.remove(name)

    def _agency(self, name: str) -> int:
        return self.r.agencies[name]

    def _consents(self, case: Case) -> None:
        for c in self.b.consents:
            self._add(Consent(case_id=case.id, party_id=self.ids[c.party], purpose=c.purpose,
                              agency_id=self._agency(c.agency.name) if c.agency else None,
                              service=c.service, method=c.method, note=c.note,
                              recorded_by_id=self.user(c.recorded_by), given_at=c.given_at,
                              withdrawn_at=c.withdrawn_at), c.id)

    def _referrals(self, case: Case) -> None:
        for r in self.b.referrals:
            source = r.from_agency == self.b.case.agency
            ref = self._add(Referral(
                case_id=case.id, party_id=self.ids[r.party],
                from_agency_id=case.agency_id if source else self._agency(r.from_agency.name),
                to_agency_id=self._agency(r.to_agency.name) if r.to_agency else None,
                service=r.service, provider=r.provider, sections=[s.value for s in r.sections],
                status=r.status, follow_up=r.follow_up, reason=r.reason,
                consent_override=r.consent_override, created_by_id=self.user(r.created_by)), r.id)
            for c in r.changes:
                self._add(ReferralChange(referral_id=ref.id, from_status=c.from_status,
                                         to_status=c.to_status, note=c.note, follow_up=c.follow_up,
                                         by_user_id=self.user(c.by), at=c.at))

    def _support(self, case: Case) -> None:
        k = self.ctx.keyring
        for s in self.b.support_items:
            self._add(SupportItem(
                case_id=case.id, party_id=self.ids[s.party], referral_id=self.local(s.referral),
                kind=s.kind, section=s.section.value, title_enc=support.seal_title(k, s.title),
                due=s.due, done_at=s.done_at,
                result_enc=(privacy.seal(k, s.result, privacy.SUPPORT_RESULT)
                            if s.result is not None else None)), s.id)
