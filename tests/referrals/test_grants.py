"""The case file learns of referrals only through the grant registry, and fails closed: with
the referral provider withdrawn, an accepted referral opens nothing. Both engines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tests.referrals.conftest import SOON, World
from tipor.cases.access import (
    Grant,
    grant_providers,
    register_grants,
    unregister_grants,
    view_case,
    visible_condition,
)
from tipor.cases.models import Case
from tipor.exceptions import NotFound
from tipor.referrals import grants, lifecycle
from tipor.referrals.models import ReferralStatus as S
from tipor.security.permissions import Section


@pytest.fixture
def without_referrals() -> Iterator[None]:
    """Withdraw the referral provider for one test, then put it back."""
    unregister_grants(grants.PROVIDER)
    try:
        yield
    finally:
        register_grants(grants.PROVIDER)


def _accepted(world: World) -> None:
    world.consent_all()
    referral = world.refer(sections=[Section.MEDICAL])
    ctx = world.ctx(world.clinician)
    lifecycle.transition(ctx, view_case(ctx, world.case_id), referral.id, to=S.ACCEPTED,
                         note="", follow_up=SOON, version=1)
    ctx.session.commit()


def _visible_ids(world: World) -> list[int]:
    ctx = world.ctx(world.clinician)
    return list(ctx.session.execute(select(Case.id).where(
        visible_condition(ctx.require_user()))).scalars())


def test_importing_referrals_registers_its_provider_once() -> None:
    grants.register()  # a second registration changes nothing
    assert grant_providers().count(grants.PROVIDER) == 1


def test_accepted_referral_opens_the_case_through_the_provider(world: World) -> None:
    _accepted(world)
    ctx = world.ctx(world.clinician)
    assert view_case(ctx, world.case_id).read == {Section.MEDICAL}
    assert world.case_id in _visible_ids(world)


def test_no_provider_means_no_access_even_with_an_accepted_referral(
        world: World, without_referrals: None) -> None:
    register_grants(grants.PROVIDER)  # refer and accept while referrals may open the case
    _accepted(world)
    unregister_grants(grants.PROVIDER)
    ctx = world.ctx(world.clinician)
    with pytest.raises(NotFound):
        view_case(ctx, world.case_id)
    assert world.case_id not in _visible_ids(world)
    owner = world.ctx(world.worker)  # the owning agency is not affected
    assert view_case(owner, world.case_id).owner


class _Everything:
    """A provider that grants every section of every case to everyone."""

    def grants(self, session: Session, case_id: int, agency_id: int) -> Sequence[Grant]:
        return [Grant(0, True, frozenset(Section))]

    def granted_case_ids(self, agency_id: int) -> Select[int]:
        return select(Case.id)


def test_a_grant_never_gives_more_than_the_role(world: World, without_referrals: None) -> None:
    provider = _Everything()
    register_grants(provider)
    try:
        ctx = world.ctx(world.clinician)  # a clinician reads identity, medical and notes
        view = view_case(ctx, world.case_id)
        assert not view.owner and not view.manage
        assert view.read == {Section.IDENTITY, Section.MEDICAL, Section.NOTES}
        assert view.write == {Section.MEDICAL, Section.NOTES}
    finally:
        unregister_grants(provider)
