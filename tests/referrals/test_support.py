"""Support plans: the aftercare schedule as data, plan generation, recording checks through a
referral, encryption of results, overdue alerts. Both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from tests.referrals.conftest import SOON, TODAY, World
from tipor.cases.access import view_case
from tipor.exceptions import Conflict, PermissionDenied, ValidationFailed
from tipor.referrals import lifecycle, support
from tipor.referrals.models import ReferralStatus as S
from tipor.referrals.models import SupportItem
from tipor.referrals.schedule import aftercare_schedule, parse_schedule, plan_checks
from tipor.referrals.schemas import SupportCheck, SupportItemCreate
from tipor.security.permissions import Section


def test_packaged_schedule_is_sourced_and_labelled_unverified() -> None:
    schedule = aftercare_schedule()
    assert [c.after_days for c in schedule.checks][:5] == [7, 30, 91, 182, 365]
    for check in schedule.checks:
        assert check.source in schedule.sources and check.verification == "unverified"
        assert {"blood_pressure", "creatinine_egfr", "psychosocial"} <= set(check.covers)
    assert "wound" in schedule.checks[0].covers and "urine_protein" in schedule.checks[2].covers
    planned = plan_checks(schedule, dt.date(2024, 2, 29))
    assert planned[0].due == dt.date(2024, 3, 7)
    assert planned[-1].key == "year5" and planned[-1].due == dt.date(2029, 2, 28)


def test_schedule_with_unknown_source_is_refused() -> None:
    raw = aftercare_schedule().model_dump(by_alias=True)
    raw["checks"][0]["source"] = "hearsay"
    with pytest.raises(ValidationFailed, match="unknown source 'hearsay'"):
        parse_schedule(raw)


def _accepted(world: World) -> int:
    world.consent_all()
    referral = world.refer()
    ctx = world.ctx(world.clinician)
    lifecycle.transition(ctx, view_case(ctx, world.case_id), referral.id, to=S.ACCEPTED,
                         note="Fictional: appointment offered", follow_up=SOON, version=1)
    ctx.session.commit()
    return referral.id


def test_clinician_through_referral_plans_and_records_aftercare(world: World) -> None:
    referral_id = _accepted(world)
    surgery = TODAY - dt.timedelta(days=10)
    ctx = world.ctx(world.clinician)
    items = support.create_aftercare_plan(ctx, view_case(ctx, world.case_id), world.victim_id,
                                          surgery, referral_id)
    ctx.session.commit()
    assert len(items) == len(plan_checks(aftercare_schedule(), surgery))
    assert all(i.section == "medical" and i.referral_id == referral_id for i in items)
    first = items[0]
    assert first.due == surgery + dt.timedelta(days=7)
    ctx = world.ctx(world.clinician)
    support.record_check(ctx, view_case(ctx, world.case_id), first.id, SupportCheck(
        done_at=TODAY, result="Fictional: BP 150/95, eGFR 58, wound healed", version=1))
    ctx.session.commit()
    ctx = world.ctx(world.worker)  # the caseworker reads the medical section of her own case
    stored = ctx.session.execute(select(SupportItem).where(SupportItem.id == first.id)).scalar_one()
    assert stored.result_enc and "eGFR" not in stored.result_enc
    listed = support.list_support_items(ctx, view_case(ctx, world.case_id))
    assert listed[0].result == "Fictional: BP 150/95, eGFR 58, wound healed"
    ctx = world.ctx(world.clinician)
    with pytest.raises(Conflict):
        support.record_check(ctx, view_case(ctx, world.case_id), first.id, SupportCheck(
            done_at=TODAY, result="again", version=1))
    ctx = world.ctx(world.clinician)
    with pytest.raises(Conflict, match="already has an aftercare plan"):
        support.create_aftercare_plan(ctx, view_case(ctx, world.case_id), world.victim_id,
                                      surgery, referral_id)


def test_recording_needs_medical_write(world: World) -> None:
    ctx = world.ctx(world.investigator)
    items = support.create_aftercare_plan(ctx, view_case(ctx, world.case_id), world.victim_id,
                                          TODAY)
    ctx = world.ctx(world.worker)  # caseworker: medical read only
    with pytest.raises(PermissionDenied, match="medical"):
        support.record_check(ctx, view_case(ctx, world.case_id), items[0].id, SupportCheck(
            done_at=TODAY, result="x", version=1))
    ctx = world.ctx(world.worker)
    with pytest.raises(PermissionDenied, match="medical"):
        support.create_aftercare_plan(ctx, view_case(ctx, world.case_id), world.victim_id, TODAY)


def test_plan_bad_input(world: World) -> None:
    ctx = world.ctx(world.investigator)
    view = view_case(ctx, world.case_id)
    with pytest.raises(ValidationFailed) as exc:
        support.create_aftercare_plan(ctx, view, world.victim_id, TODAY + dt.timedelta(days=1))
    assert exc.value.problems == [("surgery_date", "in the future")]
    with pytest.raises(ValidationFailed) as exc:
        support.create_aftercare_plan(ctx, view, 99999, TODAY)
    assert exc.value.problems == [("party_id", "person not in this case")]
    with pytest.raises(ValidationFailed) as exc:
        support.create_aftercare_plan(ctx, view, world.victim_id, TODAY, referral_id=99999)
    assert exc.value.problems == [("referral_id", "unknown referral")]
    items = support.create_aftercare_plan(ctx, view, world.victim_id, TODAY)
    with pytest.raises(ValidationFailed) as exc:
        support.record_check(ctx, view, items[0].id, SupportCheck(
            done_at=TODAY + dt.timedelta(days=2), result="x", version=1))
    assert exc.value.problems == [("done_at", "in the future")]


def test_overdue_support_items_for_owner_and_receiver(world: World) -> None:
    referral_id = _accepted(world)
    ctx = world.ctx(world.clinician)
    items = support.create_aftercare_plan(ctx, view_case(ctx, world.case_id), world.victim_id,
                                          TODAY - dt.timedelta(days=40), referral_id)
    shelter = support.add_support_item(ctx, view_case(ctx, world.case_id), SupportItemCreate(
        party_id=world.victim_id, kind="shelter", title="Fictional shelter place",
        due=TODAY - dt.timedelta(days=1), section=Section.MEDICAL))
    ctx.session.commit()
    clinician_alerts = support.overdue_support_items(world.ctx(world.clinician), TODAY)
    assert [a.item_id for a in clinician_alerts] == [items[0].id, items[1].id, shelter.id]
    assert clinician_alerts[0].days_overdue == 33
    worker_alerts = support.overdue_support_items(world.ctx(world.worker), TODAY)
    assert [a.item_id for a in worker_alerts] == [a.item_id for a in clinician_alerts]
    ctx = world.ctx(world.worker)
    ctx.session.execute(update(SupportItem).where(SupportItem.id == items[0].id).values(
        done_at=TODAY))
    ctx.session.commit()
    ctx = world.ctx(world.clinician)
    lifecycle.transition(ctx, view_case(ctx, world.case_id), referral_id, to=S.IN_PROGRESS,
                         note="", follow_up=SOON, version=2)
    lifecycle.transition(ctx, view_case(ctx, world.case_id), referral_id, to=S.COMPLETED,
                         note="", follow_up=None, version=3)
    ctx.session.commit()
    assert support.overdue_support_items(world.ctx(world.clinician), TODAY) == []
    assert len(support.overdue_support_items(world.ctx(world.worker), TODAY)) == 2
