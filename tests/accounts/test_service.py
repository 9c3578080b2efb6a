"""Agency and user management: validation, duplicates, optimistic locking, audit."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import Factory
from tipor.accounts import service
from tipor.accounts.models import AgencyKind, Role, User
from tipor.accounts.schemas import AgencyCreate, AgencyUpdate, UserCreate, UserUpdate
from tipor.audit.models import AuditEntry
from tipor.audit.service import Actor
from tipor.context import Ctx
from tipor.exceptions import Conflict, ValidationFailed

ACTOR = Actor.system("test")


def test_create_agency_is_audited(session: Session, system: Ctx) -> None:
    agency = service.create_agency(system, data=AgencyCreate(
        name="Fictional Border Post", kind=AgencyKind.BORDER_IMMIGRATION, country="iq"))
    assert agency.country == "IQ"
    entry = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
    assert entry is not None and entry.action == "agency.create" and entry.object_id == str(agency.id)


def test_duplicate_agency_is_a_conflict(session: Session, system: Ctx) -> None:
    data = AgencyCreate(name="Same Name", kind=AgencyKind.NGO, country="NP")
    service.create_agency(system, data=data)
    with pytest.raises(Conflict, match="already exists"):
        service.create_agency(system, data=data)


@pytest.mark.parametrize("field,value", [("country", "1X"), ("kind", "army"), ("name", "")])
def test_agency_schema_names_bad_field(field: str, value: str) -> None:
    data = {"name": "Ok Name", "kind": "ngo", "country": "PK"} | {field: value}
    with pytest.raises(ValidationError) as err:
        AgencyCreate.model_validate(data)
    assert err.value.errors()[0]["loc"] == (field,)


def test_weak_password_refused_and_nothing_stored(session: Session, system: Ctx,
                                                  factory: Factory) -> None:
    agency = factory.agency()
    before = session.execute(select(func.count()).select_from(User)).scalar_one()
    with pytest.raises(ValidationFailed) as err:
        service.create_user(system, data=UserCreate(
            username="weakling", display_name="Fictional Weak", agency_id=agency.id,
            role=Role.CASEWORKER, password="short"))
    assert err.value.problems[0][0] == "password"
    session.rollback()
    assert session.execute(select(func.count()).select_from(User)).scalar_one() == before


def test_duplicate_username_conflict(session: Session, system: Ctx, factory: Factory) -> None:
    user = factory.user()
    with pytest.raises(Conflict, match="taken"):
        service.create_user(system, data=UserCreate(
            username=user.username.upper(), display_name="X", agency_id=user.agency_id,
            role=Role.ANALYST, password="Another-Strong-Pass-1"))


def test_stale_version_is_refused_with_both_values(session: Session, system: Ctx,
                                                   factory: Factory) -> None:
    user = factory.user()
    service.update_user(system, user_id=user.id,
                        data=UserUpdate(version=1, display_name="Fictional First Edit"))
    session.commit()
    with pytest.raises(Conflict) as err:
        service.update_user(system, user_id=user.id,
                            data=UserUpdate(version=1, display_name="Fictional Second Edit"))
    assert err.value.fields["current"] == {"display_name": "Fictional First Edit"}
    assert err.value.fields["yours"] == {"display_name": "Fictional Second Edit"}
    session.rollback()
    stored = session.get(User, user.id)
    assert stored is not None and stored.display_name == "Fictional First Edit" and stored.version == 2


def test_agency_update_with_current_version(session: Session, system: Ctx,
                                            factory: Factory) -> None:
    agency = factory.agency()
    updated = service.update_agency(system, agency_id=agency.id,
                                    data=AgencyUpdate(version=agency.version, country="np"))
    assert updated.country == "NP" and updated.version == agency.version + 1


@pytest.mark.parametrize("names,expected", [
    (["Fictional Border Post"], ["FBP"]),
    (["Fictional Border Post", "Fictional Bay Police"], ["FBP", "FBP2"]),
    (["xy"], ["XA"]),
    (["Ärzte ohne Grenzen"], ["OG"]),
])
def test_case_prefix_derived_and_unique(session: Session, system: Ctx, names: list[str],
                                        expected: list[str]) -> None:
    made = [service.create_agency(system, data=AgencyCreate(
        name=n, kind=AgencyKind.NGO, country="PK")).case_prefix for n in names]
    assert made == expected


def test_duplicate_case_prefix_is_a_conflict(session: Session, system: Ctx) -> None:
    service.create_agency(system, data=AgencyCreate(
        name="Fictional One", kind=AgencyKind.NGO, country="PK", case_prefix="ngo"))
    with pytest.raises(Conflict, match="'NGO' is used by 'Fictional One'"):
        service.create_agency(system, data=AgencyCreate(
            name="Fictional Two", kind=AgencyKind.NGO, country="PK", case_prefix="NGO"))
    other = service.create_agency(system, data=AgencyCreate(
        name="Fictional Three", kind=AgencyKind.NGO, country="PK"))
    with pytest.raises(Conflict):
        service.update_agency(system, agency_id=other.id,
                              data=AgencyUpdate(version=other.version, case_prefix="NGO"))


def test_bad_case_prefix_names_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        AgencyCreate(name="Fictional X", kind=AgencyKind.NGO, country="PK", case_prefix="no way!")
    assert err.value.errors()[0]["loc"] == ("case_prefix",)
