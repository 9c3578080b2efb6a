"""Case pages: the list with search, the case tabs owned by the case file, and their forms.

Other packages own their tabs (evidence: ``tipor/evidence/pages.py``, referrals:
``tipor/referrals/pages.py``); ``cases/tabs.py`` lists every tab."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from tipor.accounts.models import User
from tipor.cases import lifecycle, parties, service, timeline, work
from tipor.cases.access import CaseView, view_case
from tipor.cases.enums import (
    CaseStatus,
    EventKind,
    IdentifierKind,
    OrganisationKind,
    PartyRole,
    PaymentStatus,
    Sex,
    TaskStatus,
)
from tipor.cases.picture import timeline_marks
from tipor.cases.read_models import known_indicator_ids, status_history
from tipor.cases.schemas import (
    CaseCreate,
    CaseUpdate,
    EventCreate,
    IdentifierCreate,
    NoteCreate,
    ObservationSet,
    OrganisationCreate,
    PartyCreate,
    PaymentCreate,
    TaskCreate,
)
from tipor.cases.tabs import render_case
from tipor.context import Ctx
from tipor.exceptions import Conflict, ValidationFailed
from tipor.security.permissions import Permission, can
from tipor.web.deps import CtxDep, check_csrf
from tipor.web.forms import FormData, parse
from tipor.web.templating import render

router = APIRouter(prefix="/cases", include_in_schema=False)
Csrf = Depends(check_csrf)
LISTS = ("roles", "nationalities", "languages", "vulnerabilities", "aliases", "jurisdictions",
         "party_ids")


def _form(data: dict[str, str], multi: dict[str, list[str]] | None = None) -> dict[str, object]:
    """Form fields as model input: comma lists split, checkboxes as booleans."""
    out: dict[str, object] = dict(data)
    for key in LISTS:
        if key in out:
            out[key] = [v.strip() for v in str(out[key]).split(",") if v.strip()]
    for key, values in (multi or {}).items():
        out[key] = values
    for key in ("approximate", "confirm_order"):
        if key in out:
            out[key] = out[key] == "on"
    return out


def _redirect(case_id: int, tab: str = "") -> Response:
    return RedirectResponse(f"/cases/{case_id}{tab}", status_code=303)


@router.get("")
def case_list(
    request: Request, ctx: CtxDep, q: str = "", status: str = "", identifier_kind: str = "",
    identifier: str = "", identifier_country: str = "", person_name: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    filters = {"q": q, "status": status, "identifier_kind": identifier_kind,
               "identifier": identifier, "identifier_country": identifier_country,
               "person_name": person_name}
    problems: list[tuple[str, str]] = []
    try:
        query = service.CaseQuery(
            text=q, status=CaseStatus(status) if status else None,
            identifier_kind=IdentifierKind(identifier_kind) if identifier_kind else None,
            identifier=identifier, identifier_country=identifier_country,
            person_name=person_name, page=page)
        rows, total = service.list_cases(ctx, query)
    except (ValidationFailed, ValueError) as exc:
        rows, total = [], 0
        problems = getattr(exc, "problems", []) or [("", str(exc))]
    user = ctx.require_user()
    return render(request, "cases/list.html", {
        "cases": rows, "total": total, "page": page, "pages": max(1, math.ceil(total / 25)),
        "filters": filters, "problems": problems, "statuses": list(CaseStatus),
        "identifier_kinds": list(IdentifierKind), "my_agency_id": user.agency_id,
        "form": {}, "may_create": can(user, Permission.CASES_CREATE)},
        status_code=422 if problems else 200)


@router.post("", dependencies=[Csrf])
def case_create(request: Request, ctx: CtxDep, data: FormData) -> Response:
    try:
        case = service.create_case(ctx, parse(CaseCreate, _form(data)))
    except ValidationFailed as exc:
        ctx.session.rollback()
        return render(request, "cases/list.html", {
            "cases": [], "total": 0, "page": 1, "pages": 1, "filters": {}, "form": data,
            "problems": exc.problems, "statuses": list(CaseStatus), "may_create": True,
            "identifier_kinds": list(IdentifierKind), "my_agency_id": None}, status_code=422)
    return _redirect(case.id)


def _summary(request: Request, ctx: Ctx, view: CaseView, extra: dict[str, Any] | None = None,
             status_code: int = 200) -> Response:
    from tipor.catalogue.service import get_catalogue

    catalogue = get_catalogue()
    context = {"history": status_history(ctx, view),
               "people": parties.read_parties(ctx, view) if view.read else [],
               "observations": work.list_observations(ctx, view),
               "indicators": catalogue.indicators, "catalogue": catalogue}
    return render_case(request, view, "cases/summary.html", "summary", context | (extra or {}),
                       status_code=status_code)


@router.get("/{case_id}")
def case_summary(request: Request, ctx: CtxDep, case_id: int) -> Response:
    return _summary(request, ctx, service.open_case(ctx, case_id))


def _failed(request: Request, ctx: Ctx, case_id: int, exc: ValidationFailed | Conflict,
            renderer: Any, data: dict[str, str]) -> Response:
    ctx.session.rollback()
    view = view_case(ctx, case_id)
    problems = exc.problems if isinstance(exc, ValidationFailed) else [("version", exc.message)]
    response: Response = renderer(request, ctx, view, {"problems": problems, "form": data,
                                                       "error": exc.message},
                                  409 if isinstance(exc, Conflict) else 422)
    return response


@router.post("/{case_id}/transition", dependencies=[Csrf])
def case_transition(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    view = view_case(ctx, case_id)
    try:
        target = CaseStatus(data.get("to", ""))
        lifecycle.transition(ctx, view, to=target, reason=data.get("reason", ""),
                             version=int(data.get("version", "0")))
    except ValueError:
        exc = ValidationFailed("to: choose a status", [("to", "unknown status")])
        return _failed(request, ctx, case_id, exc, _summary, data)
    except (ValidationFailed, Conflict) as err:
        return _failed(request, ctx, case_id, err, _summary, data)
    return _redirect(case_id)


@router.post("/{case_id}/edit", dependencies=[Csrf])
def case_edit(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    view = view_case(ctx, case_id)
    try:
        service.update_case(ctx, view, parse(CaseUpdate, _form(data)))
    except (ValidationFailed, Conflict) as exc:
        return _failed(request, ctx, case_id, exc, _summary, data)
    return _redirect(case_id)


@router.post("/{case_id}/observations", dependencies=[Csrf])
def case_observation(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    view = view_case(ctx, case_id)
    try:
        work.set_observation(ctx, view, parse(ObservationSet, dict(data)), known_indicator_ids)
    except ValidationFailed as exc:
        return _failed(request, ctx, case_id, exc, _summary, data)
    return _redirect(case_id)


def _people(request: Request, ctx: Ctx, view: CaseView, extra: dict[str, Any] | None = None,
            status_code: int = 200) -> Response:
    return render_case(request, view, "cases/people.html", "people", {
        "people": parties.read_parties(ctx, view),
        "identifiers": parties.read_identifiers(ctx, view),
        "organisations": parties.list_organisations(ctx, view), "roles": list(PartyRole),
        "sexes": list(Sex), "org_kinds": list(OrganisationKind),
        "identifier_kinds": list(IdentifierKind), "form": {}} | (extra or {}),
        status_code=status_code)


@router.get("/{case_id}/people")
def case_people(request: Request, ctx: CtxDep, case_id: int) -> Response:
    return _people(request, ctx, service.open_case(ctx, case_id))


@router.post("/{case_id}/people", dependencies=[Csrf])
def case_add_person(request: Request, ctx: CtxDep, case_id: int, data: FormData,
                    roles: Annotated[list[str] | None, Form()] = None) -> Response:
    return _add(request, ctx, case_id, "/people", _people, data, lambda view: parties.add_party(
        ctx, view, parse(PartyCreate, _form(data, {"roles": roles or []}))))


def _add(request: Request, ctx: Ctx, case_id: int, tab: str, renderer: Any,
         data: dict[str, str], action: Any) -> Response:
    view = view_case(ctx, case_id)
    try:
        action(view)
    except (ValidationFailed, Conflict) as exc:
        return _failed(request, ctx, case_id, exc, renderer, data)
    return _redirect(case_id, tab)


@router.post("/{case_id}/organisations", dependencies=[Csrf])
def case_add_org(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    fields = _form(data)
    if "licensed_for_transplant" in fields:
        fields["licensed_for_transplant"] = {"yes": True, "no": False}.get(
            str(fields["licensed_for_transplant"]))
    return _add(request, ctx, case_id, "/people", _people, data, lambda view: parties.add_organisation(
        ctx, view, parse(OrganisationCreate, fields)))


@router.post("/{case_id}/identifiers", dependencies=[Csrf])
def case_add_identifier(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    return _add(request, ctx, case_id, "/people", _people, data, lambda view: parties.add_identifier(
        ctx, view, parse(IdentifierCreate, _form(data))))


def _timeline(request: Request, ctx: Ctx, view: CaseView, extra: dict[str, Any] | None = None,
              status_code: int = 200) -> Response:
    events = timeline.list_events(ctx, view)
    marks, ticks = timeline_marks(events)
    return render_case(request, view, "cases/timeline.html", "timeline", {
        "events": events, "marks": marks, "ticks": ticks,
        "payments": timeline.list_payments(ctx, view), "event_kinds": list(EventKind),
        "payment_statuses": list(PaymentStatus), "people": parties.read_parties(ctx, view),
        "form": {}} | (extra or {}), status_code=status_code)


@router.get("/{case_id}/timeline")
def case_timeline(request: Request, ctx: CtxDep, case_id: int) -> Response:
    return _timeline(request, ctx, service.open_case(ctx, case_id))


@router.post("/{case_id}/events", dependencies=[Csrf])
def case_add_event(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    return _add(request, ctx, case_id, "/timeline", _timeline, data, lambda view: timeline.add_event(
        ctx, view, parse(EventCreate, _form(data))))


@router.post("/{case_id}/payments", dependencies=[Csrf])
def case_add_payment(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    return _add(request, ctx, case_id, "/timeline", _timeline, data, lambda view: timeline.add_payment(
        ctx, view, parse(PaymentCreate, _form(data))))


def _tasks(request: Request, ctx: Ctx, view: CaseView, extra: dict[str, Any] | None = None,
           status_code: int = 200) -> Response:
    colleagues = ctx.session.execute(select(User).where(
        User.agency_id == ctx.require_user().agency_id, User.is_active.is_(True))
        .order_by(User.display_name)).scalars().all()
    return render_case(request, view, "cases/tasks.html", "tasks", {
        "tasks": work.list_tasks(ctx, view), "notes": work.read_notes(ctx, view),
        "colleagues": colleagues, "form": {}} | (extra or {}), status_code=status_code)


@router.get("/{case_id}/tasks")
def case_tasks(request: Request, ctx: CtxDep, case_id: int) -> Response:
    return _tasks(request, ctx, service.open_case(ctx, case_id))


@router.post("/{case_id}/tasks", dependencies=[Csrf])
def case_add_task(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    return _add(request, ctx, case_id, "/tasks", _tasks, data, lambda view: work.add_task(
        ctx, view, parse(TaskCreate, dict(data))))


@router.post("/{case_id}/tasks/{task_id}", dependencies=[Csrf])
def case_task_status(request: Request, ctx: CtxDep, case_id: int, task_id: int,
                     data: FormData) -> Response:
    def action(view: CaseView) -> object:
        try:
            status, version = TaskStatus(data.get("status", "")), int(data.get("version", "0"))
        except ValueError:
            raise ValidationFailed("status: choose open or done", [("status", "unknown")]) from None
        return work.set_task_status(ctx, view, task_id, status, version)

    return _add(request, ctx, case_id, "/tasks", _tasks, data, action)


@router.post("/{case_id}/notes", dependencies=[Csrf])
def case_add_note(request: Request, ctx: CtxDep, case_id: int, data: FormData) -> Response:
    return _add(request, ctx, case_id, "/tasks", _tasks, data, lambda view: work.add_note(
        ctx, view, parse(NoteCreate, dict(data))))


@router.get("/{case_id}/audit")
def case_audit(request: Request, ctx: CtxDep, case_id: int) -> Response:
    view = view_case(ctx, case_id)
    rows = service.audit_trail(ctx, view)
    return render_case(request, view, "cases/audit.html", "audit", {"rows": rows})
