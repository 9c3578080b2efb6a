"""The case file over JSON: cases, people, identifiers, timeline, payments, tasks, notes,
indicator observations (evidence files: ``tipor/evidence/api.py``). Every route enforces
section rights through CaseView."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict

from tipor.cases import lifecycle, parties, service, timeline, work
from tipor.cases.access import view_case
from tipor.cases.enums import CaseStatus, IdentifierKind, TaskStatus
from tipor.cases.read_models import case_detail, known_indicator_ids
from tipor.cases.schemas import (
    CaseCreate,
    CaseRead,
    CaseUpdate,
    EventCreate,
    IdentifierCreate,
    IdentifierRead,
    NoteCreate,
    ObservationSet,
    OrganisationCreate,
    PartyCreate,
    PartyRead,
    PartyUpdate,
    PaymentCreate,
    TaskCreate,
    Transition,
)
from tipor.fields import Version
from tipor.web.deps import CtxDep, check_csrf

router = APIRouter(prefix="/cases", tags=["cases"], dependencies=[Depends(check_csrf)])


class CasePage(BaseModel):
    """A page of cases."""

    total: int
    page: int
    per_page: int
    items: list[CaseRead]


class Created(BaseModel):
    """The id and version of something just created, and any warnings."""

    id: int
    version: int
    warnings: list[str] = []


class VersionBody(BaseModel):
    """A task status change."""

    model_config = ConfigDict(extra="forbid")
    status: TaskStatus
    version: Version


@router.get("", operation_id="cases-list")
def list_cases(
    ctx: CtxDep, q: Annotated[str, Query(max_length=200)] = "",
    status_: Annotated[CaseStatus | None, Query(alias="status")] = None,
    identifier_kind: IdentifierKind | None = None,
    identifier: Annotated[str, Query(max_length=300)] = "",
    identifier_country: Annotated[str, Query(max_length=2)] = "",
    person_name: Annotated[str, Query(max_length=300)] = "",
    page: Annotated[int, Query(ge=1)] = 1, per_page: Annotated[int, Query(ge=1, le=200)] = 25,
) -> CasePage:
    """Cases you may open; exact search on encrypted identifiers and names via blind indexes."""
    query = service.CaseQuery(text=q, status=status_, identifier_kind=identifier_kind,
                              identifier=identifier, identifier_country=identifier_country,
                              person_name=person_name, page=page, per_page=per_page)
    rows, total = service.list_cases(ctx, query)
    return CasePage(total=total, page=page, per_page=per_page,
                    items=[CaseRead.model_validate(c) for c in rows])


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="cases-create")
def create_case(ctx: CtxDep, body: CaseCreate) -> CaseRead:
    """Open a case in your agency (reference from the agency's scheme)."""
    return CaseRead.model_validate(service.create_case(ctx, body))


@router.get("/{case_id}", operation_id="cases-read")
def read_case(ctx: CtxDep, case_id: int) -> dict[str, Any]:
    """The case with every section you may read (identity reads are audited)."""
    view = service.open_case(ctx, case_id)
    return case_detail(ctx, view)


@router.patch("/{case_id}", operation_id="cases-update")
def update_case(ctx: CtxDep, case_id: int, body: CaseUpdate) -> CaseRead:
    """Edit the header; a stale version gets 409 with both values."""
    view = view_case(ctx, case_id)
    return CaseRead.model_validate(service.update_case(ctx, view, body))


@router.post("/{case_id}/transition", operation_id="cases-transition")
def transition(ctx: CtxDep, case_id: int, body: Transition) -> CaseRead:
    """Move the case through its lifecycle, with a reason."""
    view = view_case(ctx, case_id)
    lifecycle.transition(ctx, view, to=body.to, reason=body.reason, version=body.version)
    return CaseRead.model_validate(view.case)


@router.post("/{case_id}/parties", status_code=201, operation_id="parties-create")
def add_party(ctx: CtxDep, case_id: int, body: PartyCreate) -> Created:
    """Add a person (identity section)."""
    party = parties.add_party(ctx, view_case(ctx, case_id), body)
    return Created(id=party.id, version=party.version)


@router.patch("/{case_id}/parties/{party_id}", operation_id="parties-update")
def update_party(ctx: CtxDep, case_id: int, party_id: int, body: PartyUpdate) -> PartyRead:
    """Change a person; 409 on a stale version."""
    view = view_case(ctx, case_id)
    parties.update_party(ctx, view, party_id, body)
    return next(p for p in parties.read_parties(ctx, view) if p.id == party_id)


@router.post("/{case_id}/organisations", status_code=201, operation_id="organisations-create")
def add_organisation(ctx: CtxDep, case_id: int, body: OrganisationCreate) -> Created:
    """Add an organisation (legal section)."""
    org = parties.add_organisation(ctx, view_case(ctx, case_id), body)
    return Created(id=org.id, version=org.version)


@router.post("/{case_id}/identifiers", status_code=201, operation_id="identifiers-create")
def add_identifier(ctx: CtxDep, case_id: int, body: IdentifierCreate) -> IdentifierRead:
    """Add a validated, normalised, encrypted identifier."""
    view = view_case(ctx, case_id)
    ident = parties.add_identifier(ctx, view, body)
    return IdentifierRead(id=ident.id, kind=ident.kind, masked=ident.masked, value=None,
                          party_id=ident.party_id, organisation_id=ident.organisation_id)


@router.post("/{case_id}/events", status_code=201, operation_id="events-create")
def add_event(ctx: CtxDep, case_id: int, body: EventCreate) -> Created:
    """Add a timeline event; an unusual date order needs ``confirm_order``."""
    event, warnings = timeline.add_event(ctx, view_case(ctx, case_id), body)
    return Created(id=event.id, version=event.version, warnings=warnings)


@router.post("/{case_id}/payments", status_code=201, operation_id="payments-create")
def add_payment(ctx: CtxDep, case_id: int, body: PaymentCreate) -> Created:
    """Record money promised or paid (financial section)."""
    payment = timeline.add_payment(ctx, view_case(ctx, case_id), body)
    return Created(id=payment.id, version=payment.version)


@router.post("/{case_id}/observations", status_code=201, operation_id="observations-set")
def set_observation(ctx: CtxDep, case_id: int, body: ObservationSet) -> Created:
    """Record an indicator from the catalogue as observed yes / no / unknown."""
    obs = work.set_observation(ctx, view_case(ctx, case_id), body, known_indicator_ids)
    return Created(id=obs.id, version=obs.version)


@router.post("/{case_id}/tasks", status_code=201, operation_id="tasks-create")
def add_task(ctx: CtxDep, case_id: int, body: TaskCreate) -> Created:
    """Add a task with an owner and a deadline."""
    task = work.add_task(ctx, view_case(ctx, case_id), body)
    return Created(id=task.id, version=task.version)


@router.patch("/{case_id}/tasks/{task_id}", operation_id="tasks-update")
def set_task(ctx: CtxDep, case_id: int, task_id: int, body: VersionBody) -> Created:
    """Mark a task done or open; 409 on a stale version."""
    task = work.set_task_status(ctx, view_case(ctx, case_id), task_id, body.status,
                                body.version)
    return Created(id=task.id, version=task.version)


@router.post("/{case_id}/notes", status_code=201, operation_id="notes-create")
def add_note(ctx: CtxDep, case_id: int, body: NoteCreate) -> Created:
    """Add an encrypted note to a section."""
    note = work.add_note(ctx, view_case(ctx, case_id), body)
    return Created(id=note.id, version=note.version)


@router.get("/{case_id}/history", operation_id="cases-history")
def history(ctx: CtxDep, case_id: int) -> list[dict[str, Any]]:
    """Status changes with reasons, oldest first."""
    from tipor.cases.read_models import status_history

    return status_history(ctx, view_case(ctx, case_id))

