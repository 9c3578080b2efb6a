"""Read models of a case: what one user may see of it, ready for JSON or templates.

Packages above the case file add their own part of the read model with :func:`register_part`
(evidence registers ``"evidence"`` from ``tipor/evidence/__init__.py``), so the case file
never imports them. Each part applies the user's section rights itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tipor.cases import parties, timeline, work
from tipor.cases.access import CaseView
from tipor.cases.models import CaseStatusChange
from tipor.context import Ctx

#: A part of the read model: what this user may see of one aspect of the case.
Part = Callable[[Ctx, CaseView], Any]
_PARTS: dict[str, Part] = {}


def register_part(name: str, part: Part) -> None:
    """Add (or replace) the part ``name`` of :func:`case_detail`, supplied by another package."""
    _PARTS[name] = part


def known_indicator_ids() -> Sequence[str]:
    """Indicator ids of the packaged catalogue (loaded once per process)."""
    from tipor.catalogue.service import get_catalogue

    return [ind.id for ind in get_catalogue().indicators]


def rows(items: Sequence[Any], fields: Sequence[str]) -> list[dict[str, Any]]:
    """Chosen attributes of each item as JSON-ready values (enums by value, dates ISO)."""
    out = []
    for item in items:
        row = {}
        for f in fields:
            value = getattr(item, f)
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            row[f] = getattr(value, "value", value)
        out.append(row)
    return out


def case_detail(ctx: Ctx, view: CaseView) -> dict[str, Any]:
    """Header plus every section this user may read; hidden sections are left out."""
    case = view.case
    detail = {
        "case": {"id": case.id, "reference": case.reference, "title": case.title,
                 "summary": case.summary, "status": case.status.value,
                 "agency_id": case.agency_id, "jurisdictions": case.jurisdictions,
                 "version": case.version},
        "access": {"owner": view.owner, "read": sorted(s.value for s in view.read),
                   "write": sorted(s.value for s in view.write)},
        "parties": [p.model_dump(mode="json") for p in parties.read_parties(ctx, view)],
        "identifiers": [i.model_dump(mode="json") for i in parties.read_identifiers(ctx, view)],
        "organisations": rows(parties.list_organisations(ctx, view),
                              ("id", "name", "kind", "country", "licensed_for_transplant")),
        "events": rows(timeline.list_events(ctx, view),
                       ("id", "kind", "date_from", "date_to", "approximate", "place", "country",
                        "description", "party_ids", "version")),
        "payments": rows(timeline.list_payments(ctx, view),
                         ("id", "amount", "currency", "status", "date", "payer_party_id",
                          "payee_party_id", "purpose", "version")),
        "observations": rows(work.list_observations(ctx, view),
                             ("id", "indicator_id", "answer", "note", "source", "version")),
        "tasks": rows(work.list_tasks(ctx, view), ("id", "title", "owner_id", "due", "status",
                                                   "version")),
        "notes": [{"id": n.id, "section": n.section, "body": body}
                  for n, body in work.read_notes(ctx, view)],
    }
    return detail | {name: part(ctx, view) for name, part in _PARTS.items()}


def status_history(ctx: Ctx, view: CaseView) -> list[dict[str, Any]]:
    """The case's status changes, oldest first."""
    rows = ctx.session.execute(select(CaseStatusChange).where(
        CaseStatusChange.case_id == view.case.id).order_by(CaseStatusChange.id)).scalars().all()
    return [{"from": r.from_status, "to": r.to_status, "reason": r.reason,
             "by_user_id": r.by_user_id, "at": r.at.isoformat()} for r in rows]
