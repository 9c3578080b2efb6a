"""Case headers: create with the agency's reference scheme, list and search, edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from tipor.accounts.models import Agency
from tipor.audit.models import AuditEntry
from tipor.audit.service import case_entries, record
from tipor.cases import privacy
from tipor.cases.access import CaseView, view_case, visible_condition
from tipor.cases.enums import CaseStatus, IdentifierKind
from tipor.cases.models import Case, Identifier, Party
from tipor.cases.schemas import CaseCreate, CaseUpdate
from tipor.context import Ctx
from tipor.exceptions import PermissionDenied, ValidationFailed
from tipor.security.permissions import Permission, can
from tipor.versioning import check_version


def next_reference(ctx: Ctx, agency: Agency, year: int) -> str:
    """The agency's next reference, PREFIX-YEAR-NNNN; the agency row lock keeps it unique."""
    ctx.session.execute(select(Agency.id).where(Agency.id == agency.id).with_for_update())
    stem = f"{agency.case_prefix}-{year}-"
    # Longest first, then highest: "…-10000" sorts below "…-9999" as text but is the later one.
    last = ctx.session.execute(
        select(Case.reference).where(Case.reference.like(f"{stem}%"))
        .order_by(func.length(Case.reference).desc(), Case.reference.desc()).limit(1)
    ).scalar_one_or_none()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{number:04d}"


def create_case(ctx: Ctx, data: CaseCreate) -> Case:
    """Open a case in the user's agency with the next reference of its scheme."""
    user = ctx.require_user()
    if not can(user, Permission.CASES_CREATE):
        raise PermissionDenied(f"your role ({user.role.value}) cannot open cases")
    reference = next_reference(ctx, user.agency, dt.date.today().year)
    case = Case(reference=reference, agency_id=user.agency_id, title=data.title,
                summary=data.summary, jurisdictions=data.jurisdictions, created_by_id=user.id)
    ctx.session.add(case)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="case.create", object_type="case",
           object_id=case.id, detail={"reference": reference})
    return case


def update_case(ctx: Ctx, view: CaseView, data: CaseUpdate) -> Case:
    """Edit title, summary or jurisdictions if the version is current."""
    if not view.manage:
        raise PermissionDenied("only the owning agency's case staff can edit the case header")
    changes = data.model_dump(exclude={"version"}, exclude_none=True)
    check_version(view.case, data.version, changes)
    for key, value in changes.items():
        setattr(view.case, key, value)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="case.update", object_type="case",
           object_id=view.case.id, detail={"fields": sorted(changes)})
    return view.case


@dataclass(frozen=True)
class CaseQuery:
    """Search and filters for the case list."""

    text: str = ""
    status: CaseStatus | None = None
    identifier_kind: IdentifierKind | None = None
    identifier: str = ""
    identifier_country: str = ""
    person_name: str = ""
    page: int = 1
    per_page: int = 25


def list_cases(ctx: Ctx, query: CaseQuery) -> tuple[Sequence[Case], int]:
    """Cases this user may open, filtered, newest first, with the total count.

    Exact search on encrypted values (an identifier or a person's full name) goes through
    their blind indexes; the search itself is audited, since it reveals whether a value exists.
    """
    user = ctx.require_user()
    if not can(user, Permission.CASES_READ):
        raise PermissionDenied(f"your role ({user.role.value}) cannot list cases")
    stmt = select(Case).where(visible_condition(user))
    if query.text:
        like = f"%{query.text.strip()}%"
        stmt = stmt.where(or_(Case.reference.ilike(like), Case.title.ilike(like)))
    if query.status is not None:
        stmt = stmt.where(Case.status == query.status)
    stmt = _exact_filters(ctx, stmt, query)
    total = ctx.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = ctx.session.execute(stmt.order_by(Case.id.desc()).offset(
        (max(query.page, 1) - 1) * query.per_page).limit(query.per_page)).scalars().all()
    return rows, int(total)


def _exact_filters(ctx: Ctx, stmt: Select[Case], query: CaseQuery) -> Select[Case]:
    if query.identifier and query.identifier_kind is not None:
        value = privacy.normalise_identifier(query.identifier_kind, query.identifier,
                                             query.identifier_country)
        bidx = privacy.index(ctx.keyring, value, privacy.IDENTIFIER_VALUE)
        stmt = stmt.where(Case.id.in_(select(Identifier.case_id).where(
            Identifier.kind == query.identifier_kind, Identifier.value_bidx == bidx)))
        record(ctx.session, actor=ctx.actor, action="case.search_identifier",
               object_type="identifier", detail={"kind": query.identifier_kind.value})
    elif query.identifier and query.identifier_kind is None:
        raise ValidationFailed("identifier_kind: choose what kind of identifier to search for",
                               [("identifier_kind", "required with identifier")])
    if query.person_name:
        bidx = privacy.index(ctx.keyring, query.person_name, privacy.PARTY_NAME)
        stmt = stmt.where(Case.id.in_(select(Party.case_id).where(Party.name_bidx == bidx)))
        record(ctx.session, actor=ctx.actor, action="case.search_name", object_type="party")
    return stmt


def open_case(ctx: Ctx, case_id: int) -> CaseView:
    """The case with this user's rights (NotFound if hidden); the opening is audited."""
    view = view_case(ctx, case_id)
    record(ctx.session, actor=ctx.actor, action="case.open", object_type="case",
           object_id=case_id, detail={"owner": view.owner})
    return view


def audit_trail(ctx: Ctx, view: CaseView, *, limit: int = 500) -> Sequence[AuditEntry]:
    """The case's audit trail, newest first; only the owning agency sees it."""
    if not view.owner:
        raise PermissionDenied("only the owning agency sees a case's audit trail")
    return case_entries(ctx.session, view.case.id, limit=limit)
