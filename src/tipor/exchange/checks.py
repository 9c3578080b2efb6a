"""Validation of a case bundle before anything is written, collecting every problem with its path.

Three stages: the JSON Schema (every structural problem listed); the pydantic models (formats
such as dates); then the content, against this installation: references between records,
known agencies, known indicator ids, identifiers re-validated (E.164 phones, IBAN check digits),
dates in order and evidence files matching their SHA-256. A later stage runs only when the
earlier ones pass, since it needs the structure they guarantee.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import jsonschema
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tipor.accounts.models import Agency, User
from tipor.cases import privacy
from tipor.exceptions import ValidationFailed
from tipor.exchange.schema import AgencyRef, CaseBundle, shipped_schema


def json_path(parts: Iterable[object]) -> str:
    """``$.parties[0].name`` from a sequence of keys and indexes."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@dataclass
class Resolved:
    """What the content checks found on this installation, for the writer."""

    bundle: CaseBundle
    agencies: dict[str, int]                      # agency name → id
    users: dict[str, int]                         # username → id (known ones only)
    unmatched_users: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)   # evidence local id → content


def structure(data: object) -> CaseBundle:
    """Schema and model validation; ValidationFailed listing every problem with its path."""
    validator = jsonschema.Draft202012Validator(shipped_schema())
    problems = [(json_path(e.absolute_path), e.message)
                for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))]
    if problems:
        raise _failed(problems)
    try:
        return CaseBundle.model_validate(data)
    except ValidationError as exc:
        raise _failed([(json_path(e["loc"]), e["msg"]) for e in exc.errors()]) from None


def _failed(problems: Sequence[tuple[str, str]]) -> ValidationFailed:
    noun = "problem" if len(problems) == 1 else "problems"
    return ValidationFailed(f"the case bundle has {len(problems)} {noun}; nothing was imported. "
                            "Fix each one listed by its JSON path and import again", problems)


class _Check:
    """Collects content problems of one parsed bundle."""

    def __init__(self, session: Session, bundle: CaseBundle, own_agency_id: int,
                 indicators: Callable[[], Sequence[str]]) -> None:
        self.session, self.b, self.own = session, bundle, own_agency_id
        self.indicators = indicators
        self.problems: list[tuple[str, str]] = []
        self.ids: dict[str, set[str]] = {}
        self.resolved = Resolved(bundle, {}, {})

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def run(self) -> Resolved:
        self._unique()
        self._references()
        self._agencies()
        self._users()
        self._identifiers()
        self._dates()
        self._observations()
        self._evidence()
        if self.problems:
            raise _failed(self.problems)
        return self.resolved

    def _unique(self) -> None:
        for name in ("parties", "organisations", "identifiers", "events", "payments", "tasks",
                     "notes", "evidence", "consents", "referrals", "support_items"):
            seen: set[str] = set()
            for n, rec in enumerate(getattr(self.b, name)):
                if rec.id in seen:
                    self.add(f"$.{name}[{n}].id", f"duplicate id {rec.id!r}")
                seen.add(rec.id)
            self.ids[name] = seen

    def _ref(self, path: str, value: str | None, kind: str) -> None:
        if value is not None and value not in self.ids[kind]:
            self.add(path, f"refers to {value!r}, which is not among the bundle's {kind}")

    def _references(self) -> None:
        b = self.b
        for n, i in enumerate(b.identifiers):
            self._ref(f"$.identifiers[{n}].party", i.party, "parties")
            self._ref(f"$.identifiers[{n}].organisation", i.organisation, "organisations")
        for n, e in enumerate(b.events):
            for m, pid in enumerate(e.parties):
                self._ref(f"$.events[{n}].parties[{m}]", pid, "parties")
            self._ref(f"$.events[{n}].organisation", e.organisation, "organisations")
        for n, p in enumerate(b.payments):
            for side in ("payer", "payee"):
                self._ref(f"$.payments[{n}].{side}_party", getattr(p, f"{side}_party"), "parties")
                self._ref(f"$.payments[{n}].{side}_organisation", getattr(p, f"{side}_organisation"),
                          "organisations")
        for name in ("consents", "referrals", "support_items"):
            for n, rec in enumerate(getattr(b, name)):
                self._ref(f"$.{name}[{n}].party", rec.party, "parties")
        for n, s in enumerate(b.support_items):
            self._ref(f"$.support_items[{n}].referral", s.referral, "referrals")

    def _agency_refs(self) -> list[tuple[str, AgencyRef]]:
        refs: list[tuple[str, AgencyRef]] = []
        for n, c in enumerate(self.b.consents):
            if c.agency is not None:
                refs.append((f"$.consents[{n}].agency", c.agency))
        for n, r in enumerate(self.b.referrals):
            if r.from_agency != self.b.case.agency:  # the source owner becomes the importer
                refs.append((f"$.referrals[{n}].from_agency", r.from_agency))
            if r.to_agency is not None:
                refs.append((f"$.referrals[{n}].to_agency", r.to_agency))
        return refs

    def _agencies(self) -> None:
        refs = self._agency_refs()
        names = sorted({a.name for _, a in refs})
        found = {a.name: a for a in self.session.execute(
            select(Agency).where(Agency.name.in_(names))).scalars()} if names else {}
        unknown = sorted(n for n in names if n not in found)
        for path, ref in refs:
            agency = found.get(ref.name)
            if agency is None:
                self.add(path, f"unknown agency {ref.name!r}; create it first (unknown agencies: "
                               + ", ".join(unknown) + ")")
            elif agency.kind != ref.kind or agency.country != ref.country:
                self.add(path, f"agency {ref.name!r} exists here as {agency.kind.value}/"
                               f"{agency.country}, not {ref.kind.value}/{ref.country}")
        self.resolved.agencies = {n: a.id for n, a in found.items()}

    def _users(self) -> None:
        b = self.b
        names = {b.case.created_by, *(s.by for s in b.status_history), *(t.owner for t in b.tasks),
                 *(n.author for n in b.notes), *(e.uploaded_by for e in b.evidence),
                 *(c.recorded_by for e in b.evidence for c in e.custody),
                 *(c.recorded_by for c in b.consents), *(r.created_by for r in b.referrals),
                 *(c.by for r in b.referrals for c in r.changes)}
        wanted = sorted(n for n in names if n)
        found = {u.username: u.id for u in self.session.execute(
            select(User).where(User.username.in_(wanted))).scalars()} if wanted else {}
        self.resolved.users = found
        self.resolved.unmatched_users = [n for n in wanted if n not in found]

    def _identifiers(self) -> None:
        for n, i in enumerate(self.b.identifiers):
            try:
                privacy.normalise_identifier(i.kind, i.value, i.country)
            except ValidationFailed as exc:
                self.add(f"$.identifiers[{n}].value", exc.message.removeprefix("value: "))

    def _dates(self) -> None:
        for n, e in enumerate(self.b.events):
            if e.date_from and e.date_to and e.date_to < e.date_from:
                self.add(f"$.events[{n}].date_to", f"{e.date_to} is before date_from {e.date_from}")
        for n, code in enumerate(self.b.case.jurisdictions):
            if len(code) != 2 or not code.isalpha() or not code.isupper():
                self.add(f"$.case.jurisdictions[{n}]", f"{code!r} is not a two-letter ISO country code")

    def _observations(self) -> None:
        if not self.b.observations:
            return
        known = set(self.indicators())
        seen: set[str] = set()
        for n, o in enumerate(self.b.observations):
            if o.indicator_id not in known:
                self.add(f"$.observations[{n}].indicator_id",
                         f"unknown indicator {o.indicator_id!r} in this installation's catalogue")
            if o.indicator_id in seen:
                self.add(f"$.observations[{n}].indicator_id", f"{o.indicator_id!r} appears twice")
            seen.add(o.indicator_id)

    def _evidence(self) -> None:
        for n, e in enumerate(self.b.evidence):
            if e.content_base64 is None:
                continue
            path = f"$.evidence[{n}].content_base64"
            try:
                data = base64.b64decode(e.content_base64.encode(), validate=True)
            except (binascii.Error, ValueError):
                self.add(path, "not valid base64")
                continue
            actual = hashlib.sha256(data).hexdigest()
            if actual != e.sha256:
                self.add(path, f"the file's SHA-256 is {actual}, not the declared {e.sha256}: the "
                               "file or its record was altered; do not import it")
            elif len(data) != e.size:
                self.add(f"$.evidence[{n}].size", f"the file has {len(data)} bytes, not {e.size}")
            else:
                self.resolved.files[e.id] = data


def validate_bundle(session: Session, data: object, *, own_agency_id: int,
                    indicators: Callable[[], Sequence[str]]) -> Resolved:
    """Check a decoded bundle completely; ValidationFailed lists every problem with its path."""
    bundle = structure(data)
    return _Check(session, bundle, own_agency_id, indicators).run()
