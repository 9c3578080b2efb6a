"""Legal qualification pages: the step-by-step fact-pattern form (/qualify), the report, the
case tab (/cases/{id}/qualification) and the jurisdiction browser (/law/jurisdictions).

The form keeps no server-side draft: the whole fact pattern travels in a hidden JSON field,
each "add" button posts one item plus that draft, and the page comes back with the item added.
Nothing is stored; only running a qualification is audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from tipor.accounts.models import User
from tipor.cases.access import CaseView
from tipor.cases.service import open_case
from tipor.cases.tabs import render_case
from tipor.context import Ctx
from tipor.exceptions import FactPatternError, ValidationFailed
from tipor.law import facts as F
from tipor.law.from_case import audit_mapping, facts_from_case
from tipor.law.jurisdictions import TIERS
from tipor.law.report import NOTICE, QualificationReport
from tipor.law.service import get_jurisdictions, get_profile, run_qualification, tier_counts
from tipor.law.validate import format_path, parse_fact_pattern, parse_fact_pattern_text
from tipor.security.permissions import Permission, Section, can
from tipor.web.csrf import FIELD
from tipor.web.deps import CtxDep, CurrentUser, check_csrf, require
from tipor.web.templating import render

router = APIRouter(include_in_schema=False)
Qualifier = Annotated[User, Depends(require(Permission.LAW_QUALIFY))]
Csrf = Depends(check_csrf)
MAX_UPLOAD = 2_000_000

S, INT, N, L, M, B = "str", "int", "number", "codes", "multi", "bool"
FACT = {"source": S, "firmness": S, "reference": S, "note": S}
#: collection -> (id prefix, model, fields and how to read them from the form)
SPECS: dict[str, tuple[str, type[BaseModel], dict[str, str]]] = {
    "persons": ("p", F.Person, {"label": S, "roles": M, "age": INT, "age_band": S,
                                "nationalities": L, "residences": L, "located_in": L,
                                "count": INT, "sex": S, "qualification": S,
                                "prior_convictions": INT, "prior_charges": INT, **FACT}),
    "organisations": ("o", F.Organisation, {"label": S, "kind": S, "roles": M, "country": S,
                                            **FACT}),
    "places": ("pl", F.Place, {"label": S, "country": S, "region": S}),
    "acts": ("a", F.Act, {"kind": S, "present": S, "actors": M, "victims": M, "recipients": M,
                          "place": S, "through": M, "date": S, "date_to": S, "stage": S,
                          "authorisation": S, "organ": S, "procedure": S, "documents": M,
                          **FACT}),
    "means": ("m", F.Means, {"kind": S, "present": S, "by": M, "victims": M, "about": M,
                             "vulnerabilities": M, "offender_knew": S, "offender_used": S,
                             "controller": S, **FACT}),
    "purposes": ("u", F.Purpose, {"victims": M, "held_by": M, "stage": S, "organ": S, **FACT}),
    "consents": ("c", F.ConsentStatement, {"person": S, "content": S, "informed": B,
                                           "specific": B, "procedure": S, **FACT}),
    "payments": ("pay", F.Payment, {"payer": S, "payee": S, "donor": S, "amount": N,
                                    "currency": S, "status": S, "purpose": S, "place": S,
                                    "via": M, "date": S, "date_to": S, **FACT}),
}
STEPS = ("persons", "organisations", "places", "acts", "means", "purposes", "consents",
         "payments")
CHOICES: dict[str, tuple[str, ...]] = {name: get_args(value) for name, value in {
    "person_roles": F.PersonRole, "organisation_roles": F.OrganisationRole,
    "organisation_kinds": F.OrganisationKind, "age_bands": F.AgeBand, "act_kinds": F.ActKind,
    "stages": F.Stage, "authorisations": F.Authorisation, "documents": F.FalsifiedDocument,
    "means_kinds": F.MeansKind, "topics": F.DeceptionTopic, "vulnerabilities": F.Vulnerability,
    "purpose_stages": F.PurposeStage, "consent_contents": F.ConsentContent,
    "payment_statuses": F.PaymentStatus, "payment_purposes": F.PaymentPurpose,
    "sources": F.SourceKind, "firmness": F.Firmness, "sexes": F.Sex,
    "qualifications": F.Qualification, "presences": F.Presence, "regions": F.Region}.items()}


@dataclass
class Submitted:
    """A builder form as posted: every value of every field, and an uploaded file's text."""

    fields: dict[str, list[str]]
    upload: str = ""

    def one(self, name: str) -> str:
        values = [v for v in self.fields.get(name, []) if v.strip()]
        return values[-1].strip() if values else ""

    def many(self, name: str) -> list[str]:
        return [v.strip() for v in self.fields.get(name, []) if v.strip()]


async def submitted(request: Request) -> Submitted:
    """Read the multi-valued form (checkbox lists) and an optional uploaded fact-pattern file."""
    form = await request.form()
    fields: dict[str, list[str]] = {}
    upload = ""
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            raw = await value.read(MAX_UPLOAD + 1)
            if raw and len(raw) <= MAX_UPLOAD:
                upload = raw.decode("utf-8", errors="replace")
            elif raw:
                raise ValidationFailed("file: the file is larger than 2 MB",
                                       [("file", "too large")])
        elif key != FIELD:
            fields.setdefault(key, []).append(str(value))
    return Submitted(fields, upload)


Posted = Annotated[Submitted, Depends(submitted)]


@dataclass
class Builder:
    """What the builder page shows: the draft, problems, and the step to keep open."""

    draft: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    open_step: str = ""
    form: dict[str, list[str]] = field(default_factory=dict)
    pasted: str = ""
    notes: list[str] = field(default_factory=list)


def empty_draft(title: str = "") -> dict[str, Any]:
    """A new fact pattern with nothing in it yet."""
    return {"format_version": F.FORMAT_VERSION, "title": title}


def load_draft(text: str) -> dict[str, Any]:
    """The draft from its hidden field (a fresh one if it is missing or unreadable)."""
    try:
        data = json.loads(text) if text else None
    except json.JSONDecodeError:
        data = None
    return data if isinstance(data, dict) else empty_draft()


def next_id(draft: dict[str, Any], prefix: str) -> str:
    """The first unused id ``<prefix><n>`` across the whole draft."""
    used = {str(item.get("id")) for key in SPECS for item in draft.get(key, [])
            if isinstance(item, dict)}
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def _value(kind: str, post: Submitted, name: str) -> Any:
    if kind == M:
        return post.many(name)
    text = post.one(name)
    if kind == L:
        return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]
    if kind == B:
        return {"on": True, "yes": True, "true": True, "no": False, "false": False}.get(
            text.lower())
    if not text:
        return None
    if kind in (INT, N):
        try:
            return int(text) if kind == INT else float(text)
        except ValueError:
            return text  # the model names the field and the problem
    return text.upper() if name in ("country", "currency") else text


def build_item(collection: str, post: Submitted, ident: str) -> dict[str, Any]:
    """One item from its sub-form, keeping only the fields that were filled in."""
    item: dict[str, Any] = {"id": ident}
    for name, kind in SPECS[collection][2].items():
        value = _value(kind, post, name)
        if value not in (None, [], ""):
            item[name] = value
    return item


def add_item(b: Builder, collection: str, post: Submitted) -> int:
    """Validate one item on its own and append it; 422 keeps the sub-form filled in."""
    prefix, model, _ = SPECS[collection]
    item = build_item(collection, post, next_id(b.draft, prefix))
    index = len(b.draft.get(collection, []))
    try:
        model.model_validate(item)
    except ValidationError as exc:
        b.problems = [(format_path([collection, index, *err["loc"]]), err["msg"])
                      for err in exc.errors()]
        b.open_step, b.form = collection, post.fields
        return 422
    b.draft.setdefault(collection, []).append(item)
    b.open_step = collection
    return 200


def remove_item(draft: dict[str, Any], target: str) -> None:
    """Drop the item ``collection:id`` (references to it are reported when the form is run)."""
    collection, _, ident = target.partition(":")
    if collection in SPECS and isinstance(draft.get(collection), list):
        draft[collection] = [i for i in draft[collection]
                             if not (isinstance(i, dict) and i.get("id") == ident)]


def set_case(draft: dict[str, Any], post: Submitted) -> None:
    """Title, reference and extra jurisdictions of the draft."""
    draft["title"] = post.one("title")
    draft["reference"] = post.one("reference")
    codes = _value(L, post, "jurisdictions")
    if codes:
        draft["jurisdictions"] = codes
    else:
        draft.pop("jurisdictions", None)


def _fail(b: Builder, exc: ValidationFailed, step: str) -> int:
    b.problems, b.error, b.open_step = exc.problems, exc.message, step
    return 422


def handle(ctx: Ctx, post: Submitted, case_id: int | None = None
           ) -> tuple[Builder, QualificationReport | None, int]:
    """Apply one builder action; returns the page state, a report when run, and the status."""
    b = Builder(load_draft(post.one("draft")))
    action = post.one("action")
    status = 200
    if action.startswith("add_") and action[4:] in SPECS:
        status = add_item(b, action[4:], post)
    elif action == "remove":
        remove_item(b.draft, post.one("target"))
    elif action == "set_case":
        set_case(b.draft, post)
        b.open_step = "case"
    elif action in ("load", "run_text"):
        b.pasted = post.upload or post.one("pattern")
        try:
            facts = parse_fact_pattern_text(b.pasted)
        except FactPatternError as exc:
            return b, None, _fail(b, exc, "paste")
        b.draft = facts.model_dump(mode="json", exclude_defaults=True) | {
            "format_version": F.FORMAT_VERSION}
        if action == "run_text":
            return b, run_qualification(ctx, facts, post.many("only"), case_id), 200
    elif action == "run":
        try:
            facts = parse_fact_pattern(b.draft)
        except FactPatternError as exc:
            return b, None, _fail(b, exc, "run")
        return b, run_qualification(ctx, facts, post.many("only"), case_id), 200
    return b, None, status


def _context(b: Builder, report: QualificationReport | None, action: str,
             only: list[str]) -> dict[str, Any]:
    draft = b.draft
    persons = [p for p in draft.get("persons", []) if isinstance(p, dict)]
    return {
        "b": b, "draft": draft, "draft_json": json.dumps(draft, ensure_ascii=False),
        "draft_yaml": json.dumps(draft, indent=2, ensure_ascii=False), "report": report,
        "action_url": action, "steps": STEPS, "choices": CHOICES, "only": only,
        "codes": get_jurisdictions().codes, "notice": NOTICE, "problems": b.problems,
        "parties": [(p.get("id"), p.get("label", p.get("id"))) for p in
                    persons + [o for o in draft.get("organisations", []) if isinstance(o, dict)]],
        "persons": [(p.get("id"), p.get("label", p.get("id"))) for p in persons],
        "donors": [(p.get("id"), p.get("label", p.get("id"))) for p in persons
                   if "donor" in (p.get("roles") or [])],
        "places": [(p.get("id"), p.get("label", p.get("id"))) for p in draft.get("places", [])
                   if isinstance(p, dict)],
        "forms": {b.open_step: b.form} if b.form else {},
    }


@router.get("/qualify")
def qualify_form(request: Request, user: Qualifier) -> Response:
    return render(request, "law/qualify.html", _context(Builder(empty_draft()), None,
                                                        "/qualify", []))


@router.post("/qualify", dependencies=[Csrf])
def qualify_post(request: Request, ctx: CtxDep, user: Qualifier, post: Posted) -> Response:
    b, report, status = handle(ctx, post)
    return render(request, "law/qualify.html",
                  _context(b, report, "/qualify", post.many("only")), status_code=status)


def _case_view(ctx: Ctx, case_id: int) -> CaseView:
    view = open_case(ctx, case_id)
    view.require(Section.LEGAL)
    return view


@router.get("/cases/{case_id}/qualification")
def case_tab(request: Request, ctx: CtxDep, case_id: int) -> Response:
    view = _case_view(ctx, case_id)
    mapping = facts_from_case(ctx, view)
    audit_mapping(ctx, view, mapping)
    b = Builder(mapping.raw, notes=mapping.notes)
    return render_case(request, view, "law/case_tab.html", "qualification",
                       _tab_context(ctx, b, None, case_id, []))


@router.post("/cases/{case_id}/qualification", dependencies=[Csrf])
def case_tab_post(request: Request, ctx: CtxDep, case_id: int, post: Posted) -> Response:
    view = _case_view(ctx, case_id)
    b, report, status = handle(ctx, post, case_id)
    return render_case(request, view, "law/case_tab.html", "qualification",
                       _tab_context(ctx, b, report, case_id, post.many("only")),
                       status_code=status)


def _tab_context(ctx: Ctx, b: Builder, report: QualificationReport | None, case_id: int,
                 only: list[str]) -> dict[str, Any]:
    user = ctx.require_user()
    return _context(b, report, f"/cases/{case_id}/qualification", only) | {
        "may_run": can(user, Permission.LAW_QUALIFY)}


@router.get("/law/jurisdictions")
def jurisdictions(request: Request, user: CurrentUser) -> Response:
    data = get_jurisdictions()
    rows = [(data.profiles[c], tier_counts(data.profiles[c])) for c in data.codes]
    return render(request, "law/jurisdictions.html", {
        "rows": rows, "tiers": (*TIERS, "disputed"), "data_version": data.data_version})


@router.get("/law/jurisdictions/{code}")
def jurisdiction(request: Request, user: CurrentUser, code: str) -> Response:
    profile = get_profile(code)
    return render(request, "law/jurisdiction.html", {
        "p": profile, "counts": tier_counts(profile), "tiers": (*TIERS, "disputed"),
        "data_version": get_jurisdictions().data_version})
