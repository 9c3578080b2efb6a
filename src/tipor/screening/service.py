"""Saved screenings: run, save (encrypted), open, attach to a case, list, re-run.

Visibility: a saved screening is visible to its creator's agency and, once attached to a case,
to whoever may read that case's legal section. Attaching needs write access to that section;
a screening is attached to one case only. Saving, opening and attaching are audited.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tipor.accounts.models import User
from tipor.audit.service import record
from tipor.cases.access import view_case, visible_condition
from tipor.cases.models import Case
from tipor.catalogue.model import Catalogue
from tipor.catalogue.service import get_catalogue
from tipor.context import Ctx
from tipor.db import utcnow
from tipor.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from tipor.screening.engine import screen
from tipor.screening.formats import parse_screening_input, result_to_dict
from tipor.screening.models import ScreeningRequest, ScreeningResult
from tipor.screening.tables import INPUT_PURPOSE, RESULT_PURPOSE, Screening
from tipor.security.permissions import Permission, Section, can


@dataclass(frozen=True)
class SavedScreening:
    """A saved screening row with its decrypted input and result."""

    row: Screening
    request: ScreeningRequest
    result: ScreeningResult


@dataclass(frozen=True)
class Rerun:
    """A saved screening screened again: the new result and whether it equals the stored one."""

    stored: ScreeningResult
    result: ScreeningResult

    @property
    def same(self) -> bool:
        """Whether the re-run reproduced the stored result exactly."""
        return result_to_dict(self.stored) == result_to_dict(self.result)


def require_screening(user: User) -> None:
    """PermissionDenied unless the user's role may run screenings."""
    if not can(user, Permission.SCREENING_USE):
        raise PermissionDenied(f"your role ({user.role.value}) cannot run screenings "
                               f"({Permission.SCREENING_USE.value})")


def run(request: ScreeningRequest, catalogue: Catalogue | None = None) -> ScreeningResult:
    """Screen without saving (pure; the app's catalogue unless one is given)."""
    return screen(catalogue or get_catalogue(), request)


def run_document(document: object, *, language: str | None = None,
                 catalogue: Catalogue | None = None) -> tuple[ScreeningRequest, ScreeningResult]:
    """Parse a documented input (optionally forcing the output language) and screen it."""
    if language is not None and isinstance(document, dict):
        document = {**document, "language": language}
    request = parse_screening_input(document)
    return request, run(request, catalogue)


def _purpose(kind: str, screening_id: int) -> str:
    return f"{kind}:{screening_id}"


def _check_attachable(ctx: Ctx, case_id: int) -> Case:
    view = view_case(ctx, case_id)
    if not view.can(Section.LEGAL, "write"):
        raise PermissionDenied(f"you may not attach screenings to case {view.case.reference}: "
                               "that needs write access to its legal section")
    return view.case


def save_screening(ctx: Ctx, request: ScreeningRequest, *, case_id: int | None = None,
                   catalogue: Catalogue | None = None) -> SavedScreening:
    """Screen ``request`` and store input and result (encrypted), optionally on a case."""
    user = ctx.require_user()
    require_screening(user)
    result = run(request, catalogue)
    case = _check_attachable(ctx, case_id) if case_id is not None else None
    row = Screening(
        agency_id=user.agency_id, created_by_id=user.id, profile=result.profile,
        observer=result.observer, language=result.language,
        catalogue_version=result.catalogue_version, engine_version=result.engine_version,
        level=result.level, urgent=[f.flag.value for f in result.urgent], points=result.points,
        confidence=round(result.confidence.share * 1000), input_enc="", result_enc="")
    if case is not None:
        row.case_id, row.attached_at, row.attached_by_id = case.id, utcnow(), user.id
    ctx.session.add(row)
    ctx.session.flush()
    # Bound to the row id, so a ciphertext cannot be moved to another screening unnoticed.
    row.input_enc = ctx.keyring.encrypt(request.model_dump_json(),
                                        purpose=_purpose(INPUT_PURPOSE, row.id))
    row.result_enc = ctx.keyring.encrypt(json.dumps(result_to_dict(result), ensure_ascii=False),
                                         purpose=_purpose(RESULT_PURPOSE, row.id))
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="screening.create", object_type="screening",
           object_id=row.id, detail={"profile": row.profile, "level": row.level.value,
                                     "case_id": row.case_id})
    return SavedScreening(row, request, result)


def _visible(ctx: Ctx, user: User, row: Screening) -> bool:
    if row.agency_id == user.agency_id:
        return can(user, Permission.SCREENING_USE) or can(user, Permission.CASES_READ)
    if row.case_id is None:
        return False
    try:
        return view_case(ctx, row.case_id).can(Section.LEGAL)
    except NotFound:
        return False


def get_screening(ctx: Ctx, screening_id: int) -> Screening:
    """The row if this user may see it, else NotFound (hidden and missing look the same)."""
    user = ctx.require_user()
    row = ctx.session.get(Screening, screening_id)
    if row is None or not _visible(ctx, user, row):
        raise NotFound(f"screening {screening_id} does not exist or is not visible to you")
    return row


def decrypt(ctx: Ctx, row: Screening) -> SavedScreening:
    """Decrypt a row's input and result (callers audit the reading)."""
    raw_in = ctx.keyring.decrypt(row.input_enc, purpose=_purpose(INPUT_PURPOSE, row.id))
    raw_out = ctx.keyring.decrypt(row.result_enc, purpose=_purpose(RESULT_PURPOSE, row.id))
    return SavedScreening(row, ScreeningRequest.model_validate_json(raw_in),
                          ScreeningResult.model_validate_json(raw_out))


def open_screening(ctx: Ctx, screening_id: int) -> SavedScreening:
    """A saved screening with its input and result; the reading is audited."""
    row = get_screening(ctx, screening_id)
    saved = decrypt(ctx, row)
    record(ctx.session, actor=ctx.actor, action="screening.read", object_type="screening",
           object_id=row.id, detail={"case_id": row.case_id})
    return saved


def attach_screening(ctx: Ctx, screening_id: int, case_id: int) -> Screening:
    """Attach a visible screening to a case whose legal section this user may write."""
    row = get_screening(ctx, screening_id)
    if row.case_id == case_id:
        return row
    if row.case_id is not None:
        raise Conflict(f"screening {screening_id} is already attached to another case; a "
                       "screening belongs to one case only (run a new one for this case)",
                       {"current": {"case_id": row.case_id}, "yours": {"case_id": case_id}})
    case = _check_attachable(ctx, case_id)
    row.case_id, row.attached_at, row.attached_by_id = case.id, utcnow(), ctx.require_user().id
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="screening.attach", object_type="screening",
           object_id=row.id, detail={"case_id": case.id})
    return row


def case_screenings(ctx: Ctx, case_id: int) -> Sequence[Screening]:
    """Screenings attached to a case, newest first (needs read access to its legal section)."""
    view = view_case(ctx, case_id)
    view.require(Section.LEGAL)
    return ctx.session.execute(select(Screening).where(Screening.case_id == case_id)
                               .order_by(Screening.id.desc())).scalars().all()


def agency_screenings(ctx: Ctx, limit: int = 20) -> Sequence[Screening]:
    """The latest screenings saved by this user's agency (clear fields only)."""
    user = ctx.require_user()
    require_screening(user)
    return ctx.session.execute(select(Screening).where(Screening.agency_id == user.agency_id)
                               .order_by(Screening.id.desc()).limit(limit)).scalars().all()


def attachable_cases(ctx: Ctx, limit: int = 200) -> list[Case]:
    """Cases this user may attach a screening to (legal section writable), newest first."""
    user = ctx.require_user()
    if not can(user, Permission.CASES_READ):
        return []
    rows = ctx.session.execute(select(Case).where(visible_condition(user))
                               .order_by(Case.id.desc()).limit(limit)).scalars().all()
    return [c for c in rows if view_case(ctx, c.id).can(Section.LEGAL, "write")]


def rerun_screening(ctx: Ctx, screening_id: int, catalogue: Catalogue | None = None) -> Rerun:
    """Screen a saved input again against its recorded catalogue version (audited as a read)."""
    saved = open_screening(ctx, screening_id)
    catalogue = catalogue or get_catalogue()
    if catalogue.version != saved.row.catalogue_version:
        msg = (f"screening {screening_id} was run against catalogue version "
               f"{saved.row.catalogue_version!r}; the loaded catalogue is {catalogue.version!r}, "
               "so it cannot be reproduced here")
        raise ValidationFailed(msg, [("catalogue_version", msg)])
    return Rerun(saved.result, screen(catalogue, saved.request))


def summary(row: Screening) -> dict[str, Any]:
    """The clear (not encrypted) fields of a saved screening, JSON-ready."""
    return {"id": row.id, "profile": row.profile, "observer": row.observer,
            "language": row.language, "level": row.level.value, "urgent": list(row.urgent),
            "points": row.points, "confidence": row.confidence / 1000, "case_id": row.case_id,
            "agency_id": row.agency_id, "created_by_id": row.created_by_id,
            "created_at": row.created_at.isoformat(),
            "attached_at": row.attached_at.isoformat() if row.attached_at else None,
            "catalogue_version": row.catalogue_version, "engine_version": row.engine_version}
