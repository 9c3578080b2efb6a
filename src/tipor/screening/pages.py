"""Screening and catalogue pages: choose a profile, answer, read the explained result, save it,
attach it to a case; browse the indicator catalogue. Every page works without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from tipor.accounts.models import User
from tipor.cases.access import view_case
from tipor.cases.tabs import render_case
from tipor.cases.work import list_observations
from tipor.catalogue.model import Catalogue
from tipor.catalogue.schema import Answer, Group, Observer, Stage, Strength
from tipor.catalogue.service import get_catalogue, indicator_detail
from tipor.context import Ctx
from tipor.exceptions import NotFound, ValidationFailed
from tipor.screening import service
from tipor.screening.models import ScreeningRequest, ScreeningResult
from tipor.security.permissions import Permission
from tipor.web.deps import CtxDep, check_csrf, require
from tipor.web.forms import FormData
from tipor.web.templating import render

router = APIRouter(include_in_schema=False)
Csrf = Depends(check_csrf)
Screener = Annotated[User, Depends(require(Permission.SCREENING_USE))]
Reader = Annotated[User, Depends(require(Permission.CATALOGUE_READ))]
FIELDS = ("answer", "note", "source")


def _lang(request: Request) -> str:
    return str(getattr(request.state, "lang", "en"))


def _base(request: Request, catalogue: Catalogue) -> dict[str, Any]:
    return {"catalogue": catalogue, "clang": _lang(request), "Answer": Answer}


@router.get("/screening")
def index(request: Request, ctx: CtxDep, user: Screener, case_id: int | None = None) -> Response:
    cat = get_catalogue()
    return render(request, "screening/index.html", _base(request, cat) | {
        "profiles": cat.profiles, "case_id": case_id,
        "recent": service.agency_screenings(ctx)})


def _stages(cat: Catalogue, profile_id: str) -> list[tuple[Stage, list[Any]]]:
    grouped: dict[Stage, list[Any]] = {}
    for ind in cat.indicators_for(profile_id):
        grouped.setdefault(ind.stage, []).append(ind)
    return [(stage, grouped[stage]) for stage in Stage if stage in grouped]


def _observer(cat: Catalogue, profile_id: str, observer: str | None) -> str | None:
    if not observer:
        return None
    cat.check_observer(observer)
    return observer


def _form_page(request: Request, cat: Catalogue, profile_id: str, observer: str | None,
               case_id: int | None, answers: dict[str, dict[str, str]],
               problems: list[tuple[str, str]] | None = None, status_code: int = 200) -> Response:
    profile = cat.profile(profile_id)
    return render(request, "screening/form.html", _base(request, cat) | {
        "profile": profile, "observer": observer, "case_id": case_id,
        "stages": _stages(cat, profile.id), "answers": answers, "problems": problems or []},
        status_code=status_code)


@router.get("/screening/saved/{screening_id}")
def saved(request: Request, ctx: CtxDep, screening_id: int) -> Response:
    item = service.open_screening(ctx, screening_id)
    return _result_page(request, ctx, item.request, item.result, saved=item)


def _document(profile_id: str, lang: str, data: dict[str, str], cat: Catalogue) -> dict[str, Any]:
    """The documented input format, from the form's answer-/note-/source- fields."""
    observations: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        kind, _, ind = key.partition("-")
        if kind in FIELDS and ind:
            observations.setdefault(ind, {})[kind] = value
    for obs in observations.values():
        obs.setdefault("answer", "unknown")
    doc: dict[str, Any] = {"profile": profile_id, "language": lang,
                           "catalogue_version": data.get("catalogue_version", cat.version),
                           "observations": observations}
    if data.get("observer"):
        doc["observer"] = data["observer"]
    return doc


def _case_id(data: dict[str, str]) -> int | None:
    raw = data.get("case_id", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationFailed(f"case_id: {raw!r} is not a case number; choose a case from the list",
                               [("case_id", "not a number")])
    return int(raw)


@router.post("/screening/saved", dependencies=[Csrf])
def save(request: Request, ctx: CtxDep, user: Screener, data: FormData) -> Response:
    try:
        screening_request = ScreeningRequest.model_validate_json(data.get("input_json", ""))
    except ValueError:
        raise ValidationFailed("the answers to save were missing or damaged; run the screening "
                               "again", [("input_json", "not a screening input")]) from None
    item = service.save_screening(ctx, screening_request, case_id=_case_id(data))
    return RedirectResponse(f"/screening/saved/{item.row.id}", status_code=303)


@router.post("/screening/saved/{screening_id}/attach", dependencies=[Csrf])
def attach(request: Request, ctx: CtxDep, screening_id: int, data: FormData) -> Response:
    case_id = _case_id(data)
    if case_id is None:
        raise ValidationFailed("case_id: choose the case to attach this screening to",
                               [("case_id", "required")])
    service.attach_screening(ctx, screening_id, case_id)
    return RedirectResponse(f"/cases/{case_id}/screenings", status_code=303)


@router.get("/screening/{profile_id}")
def form(request: Request, ctx: CtxDep, user: Screener, profile_id: str, observer: str = "",
         case_id: int | None = None) -> Response:
    """The form; for a case, pre-filled with the indicators already observed in that case."""
    cat = get_catalogue()
    answers = _case_answers(ctx, case_id) if case_id is not None else {}
    return _form_page(request, cat, profile_id, _observer(cat, profile_id, observer), case_id,
                      answers)


def _case_answers(ctx: Ctx, case_id: int) -> dict[str, dict[str, str]]:
    """The case's indicator observations as form answers (needs the legal section)."""
    view = view_case(ctx, case_id)
    return {o.indicator_id: {"answer": o.answer, "note": o.note, "source": o.source}
            for o in list_observations(ctx, view)}


@router.post("/screening/{profile_id}", dependencies=[Csrf])
def submit(request: Request, ctx: CtxDep, user: Screener, profile_id: str,
           data: FormData) -> Response:
    cat = get_catalogue()
    cat.profile(profile_id)
    observer = _observer(cat, profile_id, data.get("observer"))
    try:
        screening_request, result = service.run_document(
            _document(profile_id, _lang(request), data, cat), catalogue=cat)
    except ValidationFailed as exc:
        answers = _document(profile_id, _lang(request), data, cat)["observations"]
        return _form_page(request, cat, profile_id, observer, _case_id(data), answers,
                          exc.problems or [("", exc.message)], status_code=422)
    return _result_page(request, ctx, screening_request, result, case_id=_case_id(data))


def _result_page(request: Request, ctx: Ctx, screening_request: ScreeningRequest,
                 result: ScreeningResult, *, saved: service.SavedScreening | None = None,
                 case_id: int | None = None) -> Response:
    cat = get_catalogue()
    cases = service.attachable_cases(ctx) if saved is None or saved.row.case_id is None else []
    return render(request, "screening/result.html", _base(request, cat) | {
        "result": result, "profile": _profile_or_none(cat, result.profile), "saved": saved,
        "input_json": screening_request.model_dump_json(), "cases": cases,
        "case_id": case_id, "same_catalogue": result.catalogue_version == cat.version})


def _profile_or_none(cat: Catalogue, profile_id: str) -> Any:
    try:
        return cat.profile(profile_id)
    except ValidationFailed:
        return None


@router.get("/cases/{case_id}/screenings")
def case_tab(request: Request, ctx: CtxDep, case_id: int) -> Response:
    view = view_case(ctx, case_id)
    rows = service.case_screenings(ctx, case_id)
    cat = get_catalogue()
    return render_case(request, view, "screening/case_tab.html", "screenings",
                       _base(request, cat) | {"screenings": rows,
                                              "profiles": {p.id: p for p in cat.profiles}})


def _choice(value: str, enum: type[Any]) -> str:
    if value and value not in {m.value for m in enum}:
        raise ValidationFailed(f"{value!r} is not one of: {', '.join(m.value for m in enum)}",
                               [("filter", f"unknown value {value!r}")])
    return value


@router.get("/catalogue")
def catalogue(request: Request, user: Reader, group: str = "", observer: str = "",
              stage: str = "", strength: str = "") -> Response:
    cat = get_catalogue()
    filters = {"group": _choice(group, Group), "observer": _choice(observer, Observer),
               "stage": _choice(stage, Stage), "strength": _choice(strength, Strength)}
    rows = [i for i in cat.indicators
            if (not group or cat.group_of(i.id).value == group)
            and (not observer or observer in {o.value for o in i.observers})
            and (not stage or i.stage.value == stage)
            and (not strength or i.strength.value == strength)]
    return render(request, "catalogue/list.html", _base(request, cat) | {
        "rows": rows, "filters": filters, "groups": [g for g in Group if g in cat.files],
        "observers": list(Observer), "stages": list(Stage), "strengths": list(Strength)})


@router.get("/catalogue/{indicator_id}")
def indicator(request: Request, user: Reader, indicator_id: str) -> Response:
    cat = get_catalogue()
    if not cat.has_indicator(indicator_id):
        raise NotFound(f"indicator {indicator_id!r} is not in catalogue version {cat.version}")
    detail = indicator_detail(cat, indicator_id, _lang(request))
    return render(request, "catalogue/indicator.html", _base(request, cat) | {
        "ind": cat.indicator(indicator_id), "detail": detail})
