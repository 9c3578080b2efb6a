"""Case files: references, lifecycle, sections, encryption at rest, blind-index search."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from tests.cases.conftest import CtxFor
from tests.conftest import Factory
from tipor.accounts.models import Agency, AgencyKind, Role, User
from tipor.cases import lifecycle
from tipor.cases.access import view_case
from tipor.cases.enums import CaseStatus, EventKind, IdentifierKind, PartyRole
from tipor.cases.parties import (
    add_identifier,
    add_party,
    read_identifiers,
    read_parties,
    update_party,
)
from tipor.cases.schemas import (
    CaseCreate,
    EventCreate,
    IdentifierCreate,
    PartyCreate,
    PartyUpdate,
)
from tipor.cases.service import CaseQuery, create_case, list_cases
from tipor.cases.timeline import add_event
from tipor.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed

S = CaseStatus


def test_references_follow_the_agency_scheme(ctx_for: CtxFor, ngo_worker: User, ngo: Agency) -> None:
    ctx = ctx_for(ngo_worker)
    year = dt.date.today().year
    refs = [create_case(ctx, CaseCreate(title=f"Fictional case {i}")).reference for i in range(3)]
    assert ngo.case_prefix == "FN"  # from the agency's name, "Fictional NGO"
    assert refs == [f"FN-{year}-0001", f"FN-{year}-0002", f"FN-{year}-0003"]


def test_references_keep_counting_past_9999(ctx_for: CtxFor, ngo_worker: User) -> None:
    ctx = ctx_for(ngo_worker)
    year = dt.date.today().year
    first = create_case(ctx, CaseCreate(title="Fictional first"))
    ctx.session.flush()
    for number in (9998, 9999):  # as if the agency had opened that many cases this year
        case = create_case(ctx, CaseCreate(title=f"Fictional {number}"))
        case.reference = f"FN-{year}-{number}"
        ctx.session.flush()
    refs = [create_case(ctx, CaseCreate(title=f"Fictional late {i}")).reference for i in range(2)]
    assert first.reference == f"FN-{year}-0001"
    assert refs == [f"FN-{year}-10000", f"FN-{year}-10001"]


def test_each_agency_numbers_its_own_cases(ctx_for: CtxFor, ngo_worker: User,
                                           factory: Factory) -> None:
    police = factory.user(Role.INVESTIGATOR, agency=factory.agency(
        AgencyKind.POLICE, "Fictional Northern Police"))
    ctx = ctx_for(ngo_worker)
    ours = create_case(ctx, CaseCreate(title="Fictional one")).reference
    ctx.session.commit()
    theirs = create_case(ctx_for(police), CaseCreate(title="Fictional two")).reference
    assert ours.endswith("-0001") and theirs.endswith("-0001") and ours != theirs


def test_roles_without_case_creation_are_refused(ctx_for: CtxFor, factory: Factory) -> None:
    for role in (Role.ADMIN, Role.ANALYST, Role.TRAINER, Role.PROSECUTOR, Role.CLINICIAN):
        with pytest.raises(PermissionDenied):
            create_case(ctx_for(factory.user(role)), CaseCreate(title="Fictional nope"))


# Every (from, to) pair: allowed ones succeed and are recorded, all others are refused.
ALL_PAIRS = [(a, b) for a in S for b in S if a != b]


@pytest.mark.parametrize("start,to", ALL_PAIRS, ids=[f"{a.value}->{b.value}" for a, b in ALL_PAIRS])
def test_every_transition(ctx_for: CtxFor, ngo_worker: User, case_id: int, start: S, to: S) -> None:
    ctx = ctx_for(ngo_worker)
    view = view_case(ctx, case_id)
    view.case.status = start  # place the case in the starting state directly
    ctx.session.flush()
    if (start, to) in lifecycle.ALLOWED:
        lifecycle.transition(ctx, view, to=to, reason="test step", version=view.case.version)
        assert view.case.status == to
        row = ctx.session.execute(text("SELECT from_status, to_status, reason FROM "
                                       "case_status_changes")).one()
        assert tuple(row) == (start.value, to.value, "test step")
    else:
        with pytest.raises(ValidationFailed, match=f"from {start.value} to {to.value}"):
            lifecycle.transition(ctx, view, to=to, reason="test", version=view.case.version)
        assert view.case.status == start


def test_transition_needs_reason_and_current_version(ctx_for: CtxFor, ngo_worker: User,
                                                     case_id: int) -> None:
    ctx = ctx_for(ngo_worker)
    view = view_case(ctx, case_id)
    with pytest.raises(ValidationFailed, match="reason"):
        lifecycle.transition(ctx, view, to=S.SCREENING, reason="  ", version=view.case.version)
    with pytest.raises(Conflict):
        lifecycle.transition(ctx, view, to=S.SCREENING, reason="x", version=view.case.version + 5)


def test_other_agency_cannot_see_case(ctx_for: CtxFor, factory: Factory, case_id: int) -> None:
    police = factory.user(Role.INVESTIGATOR, agency=factory.agency(AgencyKind.POLICE))
    ctx = ctx_for(police)
    with pytest.raises(NotFound):
        view_case(ctx, case_id)
    cases, total = list_cases(ctx, CaseQuery())
    assert total == 0 and not cases


def test_identity_encrypted_at_rest_and_audited_on_display(
    ctx_for: CtxFor, ngo_worker: User, case_id: int,
) -> None:
    ctx = ctx_for(ngo_worker)
    view = view_case(ctx, case_id)
    add_party(ctx, view, PartyCreate(roles=[PartyRole.VICTIM], name="Fictional Zorel Duskfield",
                                     birth_date=dt.date(2001, 2, 3), nationalities=["np"]))
    add_identifier(ctx, view, IdentifierCreate(kind=IdentifierKind.PHONE, value="0300 1234567",
                                               country="PK"))
    ctx.session.commit()
    raw = ctx.session.execute(text("SELECT name_enc, birth_date_enc FROM parties")).one()
    assert "Zorel" not in raw[0] and "2001" not in raw[1] and raw[0].startswith("v1:k1:")
    raw_phone = ctx.session.execute(text("SELECT value_enc, masked FROM identifiers")).one()
    assert "+923001234567" not in raw_phone[0] and raw_phone[1] == "+9*********67"
    parties = read_parties(ctx, view)
    assert parties[0].name == "Fictional Zorel Duskfield" and parties[0].nationalities == ["NP"]
    assert read_identifiers(ctx, view)[0].value == "+923001234567"
    actions = ctx.session.execute(text("SELECT action FROM audit_entries")).scalars().all()
    assert "identity.read" in actions and "identifier.read" in actions


def test_blind_index_finds_phone_in_any_format(ctx_for: CtxFor, ngo_worker: User,
                                               case_id: int) -> None:
    ctx = ctx_for(ngo_worker)
    view = view_case(ctx, case_id)
    add_identifier(ctx, view, IdentifierCreate(kind=IdentifierKind.PHONE, value="+92 300 1234567"))
    create_case(ctx, CaseCreate(title="Fictional unrelated case"))
    ctx.session.commit()
    found, total = list_cases(ctx, CaseQuery(identifier_kind=IdentifierKind.PHONE,
                                             identifier="0300-1234567", identifier_country="PK"))
    assert total == 1 and found[0].id == case_id
    _, none = list_cases(ctx, CaseQuery(identifier_kind=IdentifierKind.PHONE,
                                        identifier="+92 300 7654321"))
    assert none == 0


@pytest.mark.parametrize("kind,value,country,message", [
    (IdentifierKind.IBAN, "GB82 WEST 1234 5698 7654 31", "", "not a valid IBAN"),
    (IdentifierKind.PHONE, "12", "PK", "not a valid phone number|cannot be read"),
    (IdentifierKind.PHONE, "not a phone", "", "cannot be read as a phone number"),
    (IdentifierKind.EMAIL, "nobody-at-example", "", "not an email address"),
])
def test_invalid_identifiers_named_and_not_stored(ctx_for: CtxFor, ngo_investigator: User,
                                                  case_id: int, kind: IdentifierKind, value: str,
                                                  country: str, message: str) -> None:
    ctx = ctx_for(ngo_investigator)
    view = view_case(ctx, case_id)
    with pytest.raises(ValidationFailed, match=message) as err:
        add_identifier(ctx, view, IdentifierCreate(kind=kind, value=value, country=country))
    assert err.value.problems[0][0] == "value"
    assert ctx.session.execute(text("SELECT count(*) FROM identifiers")).scalar_one() == 0


def test_valid_iban_normalised(ctx_for: CtxFor, case_id: int, ngo_investigator: User) -> None:
    ctx = ctx_for(ngo_investigator)  # investigators write the financial section
    view = view_case(ctx, case_id)
    add_identifier(ctx, view, IdentifierCreate(kind=IdentifierKind.IBAN,
                                               value="gb82 west 1234 5698 7654 32"))
    assert read_identifiers(ctx, view)[0].value == "GB82WEST12345698765432"


def test_caseworker_cannot_write_financial(ctx_for: CtxFor, ngo_worker: User, case_id: int) -> None:
    ctx = ctx_for(ngo_worker)
    with pytest.raises(PermissionDenied, match="financial"):
        add_identifier(ctx, view_case(ctx, case_id), IdentifierCreate(
            kind=IdentifierKind.IBAN, value="GB82WEST12345698765432"))


def test_event_dates(ctx_for: CtxFor, case_id: int, ngo_investigator: User) -> None:
    ctx = ctx_for(ngo_investigator)
    view = view_case(ctx, case_id)
    add_event(ctx, view, EventCreate(kind=EventKind.RECRUITMENT, date_from=dt.date(2024, 5, 1)))
    with pytest.raises(ValidationFailed, match="before date_from"):
        add_event(ctx, view, EventCreate(kind=EventKind.TRAVEL, date_from=dt.date(2024, 5, 9),
                                         date_to=dt.date(2024, 5, 2)))
    with pytest.raises(ValidationFailed, match="surgery on 2024-04-01 is before the recruitment"):
        add_event(ctx, view, EventCreate(kind=EventKind.SURGERY, date_from=dt.date(2024, 4, 1)))
    event, warnings = add_event(ctx, view, EventCreate(
        kind=EventKind.SURGERY, date_from=dt.date(2024, 4, 1), confirm_order=True))
    assert event.id and warnings


def test_stale_party_update_is_409(ctx_for: CtxFor, ngo_worker: User, case_id: int) -> None:
    ctx = ctx_for(ngo_worker)
    view = view_case(ctx, case_id)
    party = add_party(ctx, view, PartyCreate(roles=[PartyRole.VICTIM], name="Fictional A"))
    update_party(ctx, view, party.id, PartyUpdate(version=1, age=24))
    with pytest.raises(Conflict) as err:
        update_party(ctx, view, party.id, PartyUpdate(version=1, age=31))
    assert err.value.fields["current"] == {"age": 24} and err.value.fields["yours"] == {"age": 31}


def test_two_people_recording_one_indicator_at_once_both_succeed(
        ctx_for: CtxFor, ngo_investigator: User, case_id: int) -> None:
    """The second writer waits for the first and updates its row instead of a duplicate insert."""
    import threading

    from tipor.cases import work
    from tipor.cases.schemas import ObservationSet

    first, second = ctx_for(ngo_investigator), ctx_for(ngo_investigator)
    work.set_observation(first, view_case(first, case_id),
                         ObservationSet(indicator_id="VIC-01", answer="yes"), lambda: ["VIC-01"])
    errors: list[BaseException] = []

    def later() -> None:
        try:
            work.set_observation(second, view_case(second, case_id),
                                 ObservationSet(indicator_id="VIC-01", answer="no"),
                                 lambda: ["VIC-01"])
            second.session.commit()
        except BaseException as exc:  # the assertion below reports it
            errors.append(exc)

    thread = threading.Thread(target=later)
    thread.start()
    thread.join(0.5)  # the second writer is blocked on the first's lock
    first.session.commit()
    thread.join(30)
    assert not errors, errors
    rows = second.session.execute(text(
        "SELECT answer FROM observations WHERE case_id = :c"), {"c": case_id}).all()
    assert [r[0] for r in rows] == ["no"]


def test_the_audit_trail_lists_the_case_and_its_parts_for_the_owner_only(
        ctx_for: CtxFor, ngo_investigator: User, case_id: int) -> None:
    import dataclasses

    from tipor.cases.service import audit_trail

    ctx = ctx_for(ngo_investigator)
    view = view_case(ctx, case_id)
    add_party(ctx, view, PartyCreate(roles=[PartyRole.BROKER], name="Fictional Trail Broker"))
    ctx.session.commit()
    actions = [e.action for e in audit_trail(ctx, view_case(ctx, case_id))]
    assert "case.create" in actions and "party.create" in actions
    with pytest.raises(PermissionDenied, match="owning agency"):
        audit_trail(ctx, dataclasses.replace(view, owner=False))
