"""Support plans tracked like tasks: aftercare after nephrectomy, shelter, legal aid …

Each item belongs to one person, optionally to a referral, and to one case section (medical
for aftercare): creating items and recording what came of them needs write access to that
section, for example the receiving health authority's clinician through a referral. Results
are encrypted at rest and their display is audited; titles are encrypted too, since a title
such as "kidney function check" tells what happened to the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select

from tipor.cases import privacy
from tipor.cases.access import CaseView, view_case
from tipor.cases.models import Case
from tipor.context import Ctx
from tipor.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from tipor.referrals.common import audit, not_future, party_in_case
from tipor.referrals.lifecycle import LIVE, TERMINAL, get_referral
from tipor.referrals.models import Referral, SupportItem
from tipor.referrals.schedule import aftercare_schedule, plan_checks
from tipor.referrals.schemas import SupportCheck, SupportItemCreate, SupportItemRead
from tipor.security.crypto import Keyring
from tipor.security.permissions import Section
from tipor.security.sealed import reveal
from tipor.versioning import check_version

AFTERCARE = "aftercare_check"
TITLE = "support_items.title"


def _referral_for(ctx: Ctx, view: CaseView, referral_id: int | None, party_id: int) -> None:
    if referral_id is None:
        return
    try:
        referral = get_referral(ctx, view, referral_id)
    except NotFound:
        raise ValidationFailed(f"referral_id: referral {referral_id} is not part of this case",
                               [("referral_id", "unknown referral")]) from None
    if referral.party_id != party_id:
        raise ValidationFailed(f"referral_id: referral {referral_id} concerns person "
                               f"{referral.party_id}, not person {party_id}",
                               [("referral_id", "another person's referral")])
    if referral.status in TERMINAL:
        raise ValidationFailed(f"referral_id: referral {referral_id} has ended "
                               f"({referral.status.value}); tie the plan to an open referral",
                               [("referral_id", "referral ended")])


def create_aftercare_plan(ctx: Ctx, view: CaseView, party_id: int, surgery_date: dt.date,
                          referral_id: int | None = None,
                          today: dt.date | None = None) -> list[SupportItem]:
    """Generate the aftercare checks after a nephrectomy from ``data/aftercare.yaml``."""
    schedule = aftercare_schedule()
    section = Section(schedule.section)
    view.require(section, "write")
    party_in_case(ctx, view, party_id)
    not_future(surgery_date, "surgery_date", today or dt.date.today())
    _referral_for(ctx, view, referral_id, party_id)
    open_plan = ctx.session.execute(select(SupportItem.id).where(
        SupportItem.case_id == view.case.id, SupportItem.party_id == party_id,
        SupportItem.kind == schedule.kind, SupportItem.done_at.is_(None)).limit(1)).scalar()
    if open_plan is not None:
        raise Conflict(f"person {party_id} already has an aftercare plan with open checks; "
                       "record those checks instead of creating a second plan",
                       {"support_item_id": open_plan})
    items = [SupportItem(case_id=view.case.id, party_id=party_id, referral_id=referral_id,
                         kind=schedule.kind, section=section.value, due=c.due,
                         title_enc=seal_title(ctx.keyring, c.title))
             for c in plan_checks(schedule, surgery_date)]
    ctx.session.add_all(items)
    ctx.session.flush()
    audit(ctx, view, "support.aftercare_plan", "party", party_id, referral_id=referral_id,
          surgery_date=surgery_date.isoformat(), items=[i.id for i in items])
    return [reveal_title(ctx.keyring, i) for i in items]


def add_support_item(ctx: Ctx, view: CaseView, data: SupportItemCreate) -> SupportItem:
    """One support step for a person, in the section it concerns."""
    view.require(data.section, "write")
    party_in_case(ctx, view, data.party_id)
    _referral_for(ctx, view, data.referral_id, data.party_id)
    item = SupportItem(case_id=view.case.id, party_id=data.party_id, referral_id=data.referral_id,
                       kind=data.kind, section=data.section.value, due=data.due,
                       title_enc=seal_title(ctx.keyring, data.title))
    ctx.session.add(item)
    ctx.session.flush()
    audit(ctx, view, "support.create", "support_item", item.id, kind=data.kind,
          section=data.section.value)
    return reveal_title(ctx.keyring, item)


def seal_title(keyring: Keyring, title: str) -> str:
    """The encrypted column value of a support step's title."""
    return keyring.encrypt(title, purpose=TITLE)


def reveal_title(keyring: Keyring, item: SupportItem) -> SupportItem:
    """Decrypt the step's title into ``item.title``."""
    reveal(item, "title", keyring.decrypt(item.title_enc, purpose=TITLE))
    return item


def record_check(ctx: Ctx, view: CaseView, item_id: int, data: SupportCheck,
                 today: dt.date | None = None) -> SupportItem:
    """Record a step as done with its result (encrypted); needs write access to its section."""
    item = ctx.session.get(SupportItem, item_id)
    if item is None or item.case_id != view.case.id or not view.can(Section(item.section)):
        raise NotFound(f"support item {item_id} is not part of case {view.case.reference}")
    view.require(Section(item.section), "write")
    check_version(item, data.version, {"done_at": data.done_at})
    not_future(data.done_at, "done_at", today or dt.date.today())
    item.done_at = data.done_at
    item.result_enc = privacy.seal(ctx.keyring, data.result, privacy.SUPPORT_RESULT)
    ctx.session.flush()
    audit(ctx, view, "support.record", "support_item", item.id, done_at=data.done_at.isoformat())
    return reveal_title(ctx.keyring, item)


def list_support_items(ctx: Ctx, view: CaseView, today: dt.date | None = None) -> list[SupportItemRead]:
    """Support items in sections this user may read, results decrypted (their display audited)."""
    day = today or dt.date.today()
    rows: Sequence[SupportItem] = ctx.session.execute(select(SupportItem).where(
        SupportItem.case_id == view.case.id).order_by(SupportItem.due, SupportItem.id)).scalars().all()
    visible = [reveal_title(ctx.keyring, i) for i in rows if view.can(Section(i.section))]
    shown = [i.id for i in visible if i.result_enc]
    if shown:
        audit(ctx, view, "support.read", "support_item", "", ids=shown)
    return [SupportItemRead(
        id=i.id, case_id=i.case_id, party_id=i.party_id, referral_id=i.referral_id, kind=i.kind,
        section=i.section, title=i.title, due=i.due, done_at=i.done_at,
        overdue=i.done_at is None and i.due < day,
        result=privacy.unseal(ctx.keyring, i.result_enc, privacy.SUPPORT_RESULT),
        version=i.version) for i in visible]


@dataclass(frozen=True)
class SupportAlert:
    """An overdue support step on the dashboard."""

    item_id: int
    case_id: int
    case_reference: str
    party_id: int
    title: str
    due: dt.date
    days_overdue: int
    referral_id: int | None


def overdue_support_items(ctx: Ctx, today: dt.date) -> list[SupportAlert]:
    """Open support steps due before ``today`` in cases of the user's agency or referred to it,
    in sections the user may read there."""
    user = ctx.require_user()
    referred = select(Referral.case_id).where(Referral.to_agency_id == user.agency_id,
                                              Referral.status.in_(LIVE))
    rows = ctx.session.execute(
        select(SupportItem, Case.reference).join(Case, Case.id == SupportItem.case_id)
        .where(SupportItem.done_at.is_(None), SupportItem.due < today,
               or_(Case.agency_id == user.agency_id, Case.id.in_(referred)))
        .order_by(SupportItem.due, SupportItem.id)).all()
    views: dict[int, CaseView | None] = {}
    out = []
    for item, ref in rows:
        if item.case_id not in views:
            try:
                views[item.case_id] = view_case(ctx, item.case_id)
            except (NotFound, PermissionDenied):
                views[item.case_id] = None
        view = views[item.case_id]
        if view is None or not view.can(Section(item.section)):
            continue
        title = ctx.keyring.decrypt(item.title_enc, purpose=TITLE)
        out.append(SupportAlert(item.id, item.case_id, ref, item.party_id, title, item.due,
                                (today - item.due).days, item.referral_id))
    return out
