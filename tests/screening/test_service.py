"""Saved screenings: save (encrypted, audited), visibility, attach, reproduce, no partial writes.

The ``app_catalogue`` fixture gives the app the packaged catalogue, or, while the packaged one is
incomplete, the small fixture catalogue (the tests pick profiles and indicators from whichever
is loaded). The other screening interface tests import it from here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from tests.cases.conftest import CtxFor, case_id, ctx_for, ngo, ngo_investigator, ngo_worker
from tests.catalogue.factory import build_catalogue
from tests.conftest import Factory
from tipor.accounts.models import AgencyKind, Role, User
from tipor.audit.models import AuditEntry
from tipor.cases.access import view_case
from tipor.cases.enums import PartyRole
from tipor.cases.parties import add_party
from tipor.cases.schemas import CaseCreate, PartyCreate
from tipor.cases.service import create_case
from tipor.catalogue import service as catalogue_service
from tipor.catalogue.model import Catalogue
from tipor.catalogue.schema import Answer, Strength
from tipor.exceptions import CatalogueError, Conflict, NotFound, PermissionDenied, ValidationFailed
from tipor.referrals.models import Referral, ReferralStatus, Service
from tipor.screening import ScreeningRequest, screen
from tipor.screening.formats import result_to_dict
from tipor.screening.models import Observation
from tipor.screening.service import (
    attach_screening,
    case_screenings,
    open_screening,
    rerun_screening,
    save_screening,
)
from tipor.screening.tables import Screening

__all__ = ["case_id", "ctx_for", "ngo", "ngo_investigator", "ngo_worker"]
NOTE = "Fictional Person Alpha says the broker kept her passport"


@pytest.fixture(autouse=True)
def app_catalogue(monkeypatch: pytest.MonkeyPatch) -> Iterator[Catalogue]:
    """The catalogue the app uses in this test (packaged, else the fixture catalogue)."""
    catalogue_service.get_catalogue.cache_clear()
    try:
        cat = catalogue_service.get_catalogue()
    except CatalogueError:
        cat = build_catalogue()
        monkeypatch.setattr(catalogue_service, "load_catalogue", lambda: cat)
        catalogue_service.get_catalogue.cache_clear()
    yield cat
    catalogue_service.get_catalogue.cache_clear()


def strong_request(cat: Catalogue, lang: str = "en", n: int = 2) -> ScreeningRequest:
    """A request on the first profile with its ``n`` strongest indicators answered yes."""
    profile = cat.profiles[0].id
    chosen = sorted(cat.indicators_for(profile), key=lambda i: list(Strength).index(i.strength))
    obs = {i.id: Observation(answer=Answer.yes, note=NOTE, source="Fictional interview")
           for i in chosen[:n]}
    return ScreeningRequest(profile=profile, language=lang, catalogue_version=cat.version,
                            observations=obs)


def _count(ctx_session: object, action: str | None = None) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(ctx_session, Session)
    if action is None:
        return int(ctx_session.execute(select(func.count()).select_from(Screening)).scalar_one())
    return int(ctx_session.execute(select(func.count()).select_from(AuditEntry)
                                   .where(AuditEntry.action == action)).scalar_one())


def test_save_encrypts_input_and_result_and_is_audited(
    ctx_for: CtxFor, ngo_investigator: User, app_catalogue: Catalogue,
) -> None:
    ctx = ctx_for(ngo_investigator)
    request = strong_request(app_catalogue)
    saved = save_screening(ctx, request)
    ctx.session.commit()
    row = saved.row
    assert row.agency_id == ngo_investigator.agency_id and row.created_by_id == ngo_investigator.id
    assert row.level == saved.result.level and row.profile == request.profile
    assert row.catalogue_version == app_catalogue.version and row.engine_version == "screening-1"
    assert row.urgent == [f.flag.value for f in saved.result.urgent]
    assert NOTE not in row.input_enc and NOTE not in row.result_enc
    assert row.input_enc.startswith("v1:") and row.result_enc.startswith("v1:")
    assert _count(ctx.session, "screening.create") == 1
    opened = open_screening(ctx, row.id)
    ctx.session.commit()
    assert opened.request == request
    assert result_to_dict(opened.result) == result_to_dict(screen(app_catalogue, request))
    assert _count(ctx.session, "screening.read") == 1


def test_ciphertext_is_bound_to_its_row(
    ctx_for: CtxFor, ngo_investigator: User, app_catalogue: Catalogue,
) -> None:
    ctx = ctx_for(ngo_investigator)
    first = save_screening(ctx, strong_request(app_catalogue)).row
    second = save_screening(ctx, strong_request(app_catalogue, n=1)).row
    second.input_enc = first.input_enc  # moved ciphertext must not decrypt under another id
    ctx.session.flush()
    from tipor.exceptions import IntegrityError

    with pytest.raises(IntegrityError):
        open_screening(ctx, second.id)


def test_visible_to_creator_agency_only_until_attached(
    ctx_for: CtxFor, factory: Factory, ngo_investigator: User, ngo_worker: User,
    app_catalogue: Catalogue,
) -> None:
    stranger = factory.user(Role.INVESTIGATOR, agency=factory.agency(AgencyKind.POLICE))
    ctx, worker, other = ctx_for(ngo_investigator), ctx_for(ngo_worker), ctx_for(stranger)
    row_id = save_screening(ctx, strong_request(app_catalogue)).row.id
    ctx.session.commit()
    assert open_screening(worker, row_id).row.id == row_id
    worker.session.commit()
    with pytest.raises(NotFound):
        open_screening(other, row_id)
    other.session.rollback()
    with pytest.raises(NotFound):
        open_screening(ctx, 999_999)


def test_attach_needs_legal_write_and_one_case_only(
    ctx_for: CtxFor, ngo_investigator: User, ngo_worker: User, case_id: int,
    app_catalogue: Catalogue,
) -> None:
    ctx = ctx_for(ngo_investigator)
    worker = ctx_for(ngo_worker)  # caseworkers read the legal section but may not write it
    row_id = save_screening(ctx, strong_request(app_catalogue)).row.id
    second_case = create_case(ctx, CaseCreate(title="Fictional second case")).id
    ctx.session.commit()
    with pytest.raises(PermissionDenied):
        attach_screening(worker, row_id, case_id)
    worker.session.rollback()
    attach_screening(ctx, row_id, case_id)
    ctx.session.commit()
    assert [s.id for s in case_screenings(worker, case_id)] == [row_id]
    worker.session.rollback()
    assert [s.id for s in case_screenings(ctx, case_id)] == [row_id]
    assert attach_screening(ctx, row_id, case_id).case_id == case_id  # same case: no change
    with pytest.raises(Conflict):
        attach_screening(ctx, row_id, second_case)
    assert _count(ctx.session, "screening.attach") == 1


def test_attached_screening_follows_the_case_legal_section(
    ctx_for: CtxFor, factory: Factory, ngo: object, ngo_investigator: User, case_id: int,
    app_catalogue: Catalogue,
) -> None:
    clinic = factory.agency(AgencyKind.NGO, "Fictional Clinic Partners")
    prosecutor = factory.user(Role.PROSECUTOR, agency=clinic)
    ctx, other = ctx_for(ngo_investigator), ctx_for(prosecutor)
    row_id = save_screening(ctx, strong_request(app_catalogue), case_id=case_id).row.id
    party = add_party(ctx, view_case(ctx, case_id),
                      PartyCreate(roles=[PartyRole.VICTIM], name="Fictional Person Beta"))
    referral = Referral(case_id=case_id, party_id=party.id, from_agency_id=ngo_investigator.agency_id,
                        to_agency_id=clinic.id, service=Service.legal_aid, sections=["notes"],
                        status=ReferralStatus.ACCEPTED, created_by_id=ngo_investigator.id)
    ctx.session.add(referral)
    ctx.session.commit()
    with pytest.raises(NotFound):  # the referral grants notes, not the legal section
        open_screening(other, row_id)
    other.session.rollback()
    referral.sections = ["notes", "legal"]
    ctx.session.commit()
    assert open_screening(other, row_id).row.case_id == case_id


def test_save_with_bad_input_or_forbidden_case_writes_nothing(
    ctx_for: CtxFor, factory: Factory, ngo_worker: User, ngo_investigator: User, case_id: int,
    app_catalogue: Catalogue,
) -> None:
    ctx, worker = ctx_for(ngo_investigator), ctx_for(ngo_worker)
    good = strong_request(app_catalogue)
    bad = good.model_copy(update={"observations": {"XXX-99": Observation(answer=Answer.yes)}})
    with pytest.raises(ValidationFailed, match="XXX-99"):
        save_screening(ctx, bad)
    with pytest.raises(ValidationFailed, match="language"):
        save_screening(ctx, good.model_copy(update={"language": "xx"}))
    with pytest.raises(NotFound):
        save_screening(ctx, good, case_id=999_999)
    ctx.session.rollback()
    with pytest.raises(PermissionDenied):
        save_screening(worker, good, case_id=case_id)
    worker.session.rollback()
    assert _count(ctx.session) == 0


def test_rerun_reproduces_the_stored_result(
    ctx_for: CtxFor, ngo_investigator: User, app_catalogue: Catalogue,
) -> None:
    ctx = ctx_for(ngo_investigator)
    row_id = save_screening(ctx, strong_request(app_catalogue, lang="ur", n=3)).row.id
    ctx.session.commit()
    rerun = rerun_screening(ctx, row_id)
    assert rerun.same and rerun.result == rerun.stored
    newer = Catalogue(app_catalogue.meta.model_copy(update={"version": "2099.1.1"}),
                      app_catalogue.files, app_catalogue.profiles, app_catalogue.cases)
    with pytest.raises(ValidationFailed, match="2099.1.1"):
        rerun_screening(ctx, row_id, catalogue=newer)


def test_roles_without_screening_cannot_save(
    ctx_for: CtxFor, factory: Factory, app_catalogue: Catalogue,
) -> None:
    analyst = factory.user(Role.ANALYST)
    with pytest.raises(PermissionDenied):
        save_screening(ctx_for(analyst), strong_request(app_catalogue))
