"""Consent-gated referrals: the gate and its override, the state machine, access through a
referral, withdrawal, overdue alerts, bad input stored nowhere. Both engines."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text, update

from tests.conftest import Factory
from tests.referrals.conftest import SOON, TODAY, World
from tipor.accounts.models import Agency, AgencyKind, Role
from tipor.audit.models import AuditEntry
from tipor.cases.access import view_case
from tipor.context import Ctx
from tipor.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from tipor.referrals import consent, lifecycle, service
from tipor.referrals.models import ConsentPurpose, Referral, ReferralChange, Service
from tipor.referrals.models import ReferralStatus as S
from tipor.referrals.schemas import ReferralCreate
from tipor.security.permissions import Section


def _count(ctx: Ctx, model: type) -> int:
    n = ctx.session.execute(select(func.count()).select_from(model)).scalar_one()
    ctx.session.rollback()
    return int(n)


def _actions(ctx: Ctx, action: str) -> list[dict[str, object]]:
    rows = ctx.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars().all()
    out = [json.loads(r.detail) for r in rows]
    ctx.session.rollback()
    return out


def _force(world: World, referral_id: int, status: S) -> None:
    ctx = world.ctx(world.worker)
    ctx.session.execute(update(Referral).where(Referral.id == referral_id).values(status=status))
    ctx.session.commit()


# --- the consent gate -----------------------------------------------------------------------

def test_referral_without_consent_is_refused_naming_the_missing_consent(world: World) -> None:
    world.consent(ConsentPurpose.REFER_TO_SERVICE, service_=Service.medical_aftercare)
    with pytest.raises(ValidationFailed) as exc:
        world.refer()
    assert "share_with_agency with Fictional Health Authority" in exc.value.message
    assert exc.value.problems[0][0] == "consent"
    assert _count(world.ctx(world.worker), Referral) == 0


def test_referral_with_both_consents_rests_on_them(world: World) -> None:
    world.consent_all()
    referral = world.refer()
    ctx = world.ctx(world.worker)
    read = service.list_referrals(ctx, view_case(ctx, world.case_id))[0]
    assert read.status == S.PROPOSED and read.consent_override == "" and len(read.consent_ids) == 2
    assert read.history[0].to_status == "proposed" and read.history[0].follow_up == SOON
    assert _actions(ctx, "referral.create")[0]["consent_ids"] == read.consent_ids
    assert referral.sections == ["medical"]


def test_override_by_permitted_role_is_audited_and_shown(world: World) -> None:
    reason = "Fictional: urgent sepsis risk, person unconscious, cannot consent now"
    referral = world.refer(world.investigator, consent_override=reason)
    ctx = world.ctx(world.worker)
    read = service.list_referrals(ctx, view_case(ctx, world.case_id))[0]
    assert read.consent_override == reason and read.consent_ids == []
    ctx.session.rollback()
    entry = _actions(ctx, "referral.consent_override")
    assert entry[0]["reason"] == reason and len(entry[0]["missing"]) == 2  # type: ignore[arg-type]
    assert referral.id


def test_override_refused_for_role_without_permission(world: World) -> None:
    with pytest.raises(PermissionDenied, match="cannot refer without consent"):
        world.refer(consent_override="Fictional: caseworker thinks it is urgent enough")
    assert _count(world.ctx(world.worker), Referral) == 0


def test_override_needs_a_real_reason(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        world.refer(world.investigator, consent_override="urgent")
    assert exc.value.problems == [("consent_override", "reason too short")]


def test_consent_needs_identity_write(world: World, factory: Factory, ngo: Agency) -> None:
    prosecutor = factory.user(Role.PROSECUTOR, agency=ngo)
    ctx = world.ctx(prosecutor)
    with pytest.raises(PermissionDenied, match="identity"):
        consent.record_consent(ctx, view_case(ctx, world.case_id), consent.ConsentCreate(
            party_id=world.victim_id, purpose=ConsentPurpose.ANONYMOUS_STATISTICS))
    ctx.session.rollback()


def test_second_live_consent_for_same_scope_is_a_conflict(world: World) -> None:
    world.consent(ConsentPurpose.ANONYMOUS_STATISTICS)
    with pytest.raises(Conflict):
        world.consent(ConsentPurpose.ANONYMOUS_STATISTICS)


# --- the state machine ----------------------------------------------------------------------

ALLOWED = {(S.PROPOSED, S.ACCEPTED): "receiver", (S.PROPOSED, S.DECLINED): "receiver",
           (S.ACCEPTED, S.IN_PROGRESS): "receiver", (S.ACCEPTED, S.CLOSED): "sender",
           (S.IN_PROGRESS, S.COMPLETED): "receiver", (S.IN_PROGRESS, S.CLOSED): "sender"}
PAIRS = [(a, b) for a in S for b in S]


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_every_transition(world: World, start: S, to: S) -> None:
    world.consent_all()
    referral = world.refer()
    _force(world, referral.id, start)
    side = ALLOWED.get((start, to))
    user = world.worker if side == "sender" else world.clinician
    if start not in (S.PROPOSED, S.ACCEPTED, S.IN_PROGRESS):
        user = world.worker  # the receiver no longer sees an ended referral
    ctx = world.ctx(user)
    view = view_case(ctx, world.case_id)
    if side is None:
        with pytest.raises(ValidationFailed) as exc:
            lifecycle.transition(ctx, view, referral.id, to=to, note="x", follow_up=SOON,
                                 version=referral.version)
        assert exc.value.problems == [("to", "transition not allowed")]
        ctx.session.rollback()
        return
    lifecycle.transition(ctx, view, referral.id, to=to, note="Fictional note", follow_up=SOON,
                         version=referral.version)
    ctx.session.commit()
    ctx = world.ctx(world.worker)
    stored = ctx.session.get(Referral, referral.id)
    assert stored is not None and stored.status == to
    assert stored.follow_up == (None if to in lifecycle.TERMINAL else SOON)
    change = ctx.session.execute(select(ReferralChange).where(
        ReferralChange.referral_id == referral.id).order_by(ReferralChange.id.desc())).scalars().first()
    assert change is not None and (change.from_status, change.to_status) == (start.value, to.value)
    ctx.session.rollback()
    assert _actions(ctx, "referral.transition")[-1]["to"] == to.value


@pytest.mark.parametrize(("start", "to", "who"), [
    (S.PROPOSED, S.ACCEPTED, "sender"), (S.ACCEPTED, S.IN_PROGRESS, "sender"),
    (S.IN_PROGRESS, S.COMPLETED, "sender"), (S.ACCEPTED, S.CLOSED, "receiver"),
])
def test_wrong_side_is_refused(world: World, start: S, to: S, who: str) -> None:
    world.consent_all()
    referral = world.refer()
    _force(world, referral.id, start)
    ctx = world.ctx(world.worker if who == "sender" else world.clinician)
    with pytest.raises(PermissionDenied, match="only the"):
        lifecycle.transition(ctx, view_case(ctx, world.case_id), referral.id, to=to, note="",
                             follow_up=SOON, version=referral.version)
    ctx.session.rollback()


def test_role_without_referral_management_cannot_move(world: World, factory: Factory, ngo: Agency) -> None:
    world.consent_all()
    referral = world.refer()
    prosecutor = factory.user(Role.PROSECUTOR, agency=ngo)
    _force(world, referral.id, S.ACCEPTED)
    ctx = world.ctx(prosecutor)
    with pytest.raises(PermissionDenied, match="cannot manage referrals"):
        lifecycle.transition(ctx, view_case(ctx, world.case_id), referral.id, to=S.CLOSED,
                             note="", follow_up=None, version=referral.version)
    ctx.session.rollback()


@pytest.mark.parametrize(("follow_up", "problem"), [(None, "required"),
                                                     (TODAY - dt.timedelta(days=1), "in the past")])
def test_open_status_needs_future_follow_up(world: World, follow_up: dt.date | None,
                                            problem: str) -> None:
    world.consent_all()
    referral = world.refer()
    ctx = world.ctx(world.clinician)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.transition(ctx, view_case(ctx, world.case_id), referral.id, to=S.ACCEPTED,
                             note="", follow_up=follow_up, version=referral.version)
    assert exc.value.problems == [("follow_up", problem)]
    ctx.session.rollback()


def test_stale_version_is_409(world: World) -> None:
    world.consent_all()
    referral = world.refer()
    ctx = world.ctx(world.clinician)
    lifecycle.transition(ctx, view_case(ctx, world.case_id), referral.id, to=S.ACCEPTED,
                         note="", follow_up=SOON, version=1)
    ctx.session.commit()
    ctx = world.ctx(world.clinician)
    with pytest.raises(Conflict) as exc:
        lifecycle.transition(ctx, view_case(ctx, world.case_id), referral.id, to=S.DECLINED,
                             note="", follow_up=None, version=1)
    assert exc.value.fields["version"] == 2
    ctx.session.rollback()


# --- access through the referral --------------------------------------------------------------

def test_receiver_sees_summary_then_granted_sections_then_nothing(world: World) -> None:
    world.consent_all()
    referral = world.refer(sections=[Section.MEDICAL, Section.LEGAL, Section.IDENTITY])
    ctx = world.ctx(world.clinician)
    view = view_case(ctx, world.case_id)
    assert not view.owner and view.read == frozenset()  # proposed: summary only
    lifecycle.transition(ctx, view, referral.id, to=S.ACCEPTED, note="", follow_up=SOON, version=1)
    ctx.session.commit()
    ctx = world.ctx(world.clinician)
    view = view_case(ctx, world.case_id)
    # a clinician's role reads identity and medical; legal was granted but the role never reads it
    assert view.read == {Section.MEDICAL, Section.IDENTITY} and view.write == {Section.MEDICAL}
    lifecycle.transition(ctx, view, referral.id, to=S.IN_PROGRESS, note="", follow_up=SOON,
                         version=2)
    lifecycle.transition(ctx, view, referral.id, to=S.COMPLETED, note="Fictional: done",
                         follow_up=None, version=3)
    ctx.session.commit()
    ctx = world.ctx(world.clinician)
    with pytest.raises(NotFound):
        view_case(ctx, world.case_id)
    ctx.session.rollback()


def test_withdrawing_consent_closes_referral_and_removes_access(world: World) -> None:
    world.consent(ConsentPurpose.SHARE_WITH_AGENCY, agency_id=world.health.id)
    service_consent = world.consent(ConsentPurpose.REFER_TO_SERVICE,
                                    service_=Service.medical_aftercare)
    referral = world.refer()
    ctx = world.ctx(world.clinician)
    lifecycle.transition(ctx, view_case(ctx, world.case_id), referral.id, to=S.ACCEPTED, note="",
                         follow_up=SOON, version=1)
    ctx.session.commit()
    ctx = world.ctx(world.worker)
    closed = consent.withdraw_consent(ctx, view_case(ctx, world.case_id), service_consent,
                                      "Fictional: person changed their mind")
    ctx.session.commit()
    assert [r.id for r in closed] == [referral.id]
    ctx = world.ctx(world.clinician)
    with pytest.raises(NotFound):
        view_case(ctx, world.case_id)
    ctx.session.rollback()
    ctx = world.ctx(world.worker)
    read = service.list_referrals(ctx, view_case(ctx, world.case_id))[0]
    assert read.status == S.CLOSED and read.history[-1].note == "consent withdrawn"
    ctx.session.rollback()
    assert _actions(ctx, "consent.withdraw")[0]["reason"] == "Fictional: person changed their mind"
    assert _actions(ctx, "referral.transition")[-1]["consent_id"] == service_consent
    with pytest.raises(ValidationFailed, match="already withdrawn"):
        consent.withdraw_consent(ctx, view_case(ctx, world.case_id), service_consent)
    ctx.session.rollback()


def test_withdrawal_leaves_other_people_and_agencies_alone(world: World, factory: Factory) -> None:
    police = factory.agency(AgencyKind.POLICE, "Fictional Police")
    world.consent_all()
    stats = world.consent(ConsentPurpose.ANONYMOUS_STATISTICS)
    world.consent(ConsentPurpose.SHARE_WITH_AGENCY, agency_id=police.id)
    world.consent(ConsentPurpose.REFER_TO_SERVICE, service_=Service.law_enforcement)
    world.refer()
    world.refer(to_agency_id=police.id, service=Service.law_enforcement, sections=[])
    ctx = world.ctx(world.worker)
    assert consent.withdraw_consent(ctx, view_case(ctx, world.case_id), stats) == []
    ctx.session.commit()


# --- alerts ----------------------------------------------------------------------------------

def test_overdue_alerts_for_sender_and_receiver(world: World, factory: Factory) -> None:
    stranger = factory.user(Role.INVESTIGATOR)
    world.consent_all()
    late = world.refer()
    on_time = world.refer()
    ctx = world.ctx(world.worker)
    ctx.session.execute(update(Referral).where(Referral.id == late.id).values(
        follow_up=TODAY - dt.timedelta(days=3)))
    ctx.session.commit()
    sent = service.overdue_referrals(world.ctx(world.worker), TODAY)
    received = service.overdue_referrals(world.ctx(world.clinician), TODAY)
    assert [(a.referral_id, a.direction, a.days_overdue) for a in sent] == [(late.id, "sent", 3)]
    assert [(a.referral_id, a.direction) for a in received] == [(late.id, "received")]
    assert sent[0].other_agency == "Fictional Health Authority"
    assert service.overdue_referrals(world.ctx(stranger), TODAY) == []
    mine = service.referrals_to_my_agency(world.ctx(world.clinician))
    assert {a.referral_id for a in mine} == {late.id, on_time.id}
    _force(world, late.id, S.DECLINED)
    assert service.overdue_referrals(world.ctx(world.worker), TODAY) == []
    assert [a.referral_id for a in service.referrals_to_my_agency(world.ctx(world.clinician))] == [
        on_time.id]


# --- bad input -------------------------------------------------------------------------------

def test_bad_input_names_the_field_and_stores_nothing(world: World, factory: Factory, ngo: Agency) -> None:
    world.consent_all()
    other = factory.user(Role.CASEWORKER, agency=ngo)
    ctx = world.ctx(other)
    from tipor.cases.schemas import CaseCreate
    from tipor.cases.service import create_case
    other_case = create_case(ctx, CaseCreate(title="Fictional other case"))
    from tipor.cases.parties import add_party
    from tipor.cases.schemas import PartyCreate
    stranger = add_party(ctx, view_case(ctx, other_case.id), PartyCreate(
        roles=["witness"], name="Fictional Witness"))  # type: ignore[list-item]
    ctx.session.commit()
    cases = [({"follow_up": TODAY - dt.timedelta(days=1)}, "follow_up"),
             ({"to_agency_id": 99999}, "to_agency_id"),
             ({"to_agency_id": world.worker.agency_id}, "to_agency_id"),
             ({"party_id": stranger.id}, "party_id"),
             ({"sections": [Section.FINANCIAL]}, "sections")]  # a caseworker cannot read it
    for change, field in cases:
        with pytest.raises(ValidationFailed) as exc:
            world.refer(**change)
        assert exc.value.problems[0][0] == field, change
        assert exc.value.message.startswith(field), exc.value.message
        world.ctx(world.worker).session.rollback()
    with pytest.raises(ValueError, match="sections"):
        ReferralCreate.model_validate({"party_id": 1, "service": "shelter", "follow_up": SOON,
                                       "sections": ["kitchen"], "to_agency_id": 1})
    ctx = world.ctx(world.worker)
    assert ctx.session.execute(text("SELECT count(*) FROM referrals")).scalar_one() == 0
    ctx.session.rollback()
