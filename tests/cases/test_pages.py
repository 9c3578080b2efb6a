"""Case pages: create, search, tabs per role, forms that validate in place."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Factory, csrf_from, login
from tipor.accounts.models import Agency, AgencyKind, Role


@pytest.fixture
def police(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.POLICE, "Fictional Police Unit")


def _create(client: TestClient, title: str = "Fictional guesthouse case") -> int:
    page = client.get("/cases")
    response = client.post("/cases", data={"title": title, "jurisdictions": "pk, np",
                                           "summary": "Fictional summary",
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 200, response.text
    match = re.search(r"/cases/(\d+)$", str(response.url))
    assert match
    return int(match.group(1))


def test_create_and_list(client: TestClient, factory: Factory, police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    cid = _create(client)
    listing = client.get("/cases", params={"q": "guesthouse"})
    assert f'href="/cases/{cid}"' in listing.text
    assert client.get("/cases", params={"q": "nothing-like-this"}).text.count('href="/cases/') == 0


def test_create_form_keeps_input_on_error(client: TestClient, factory: Factory, police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    page = client.get("/cases")
    response = client.post("/cases", data={"title": "Fictional ok", "jurisdictions": "Pakistan",
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422
    assert "<strong>jurisdictions</strong>" in response.text and 'value="Pakistan"' in response.text


def test_people_tab_add_person_and_bad_identifier(client: TestClient, factory: Factory,
                                                  police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    cid = _create(client)
    tab = client.get(f"/cases/{cid}/people")
    added = client.post(f"/cases/{cid}/people", data={
        "name": "Fictional Kelo Ivorybrook", "roles": ["presumed_victim", "witness"], "age": "22",
        "sex": "male", "nationalities": "bd", "csrf_token": csrf_from(tab.text)})
    assert added.status_code == 200 and "Fictional Kelo Ivorybrook" in added.text
    bad = client.post(f"/cases/{cid}/identifiers", data={
        "kind": "iban", "value": "DE00 1234", "csrf_token": csrf_from(added.text)})
    assert bad.status_code == 422 and "not a valid IBAN" in bad.text
    assert 'value="DE00 1234"' in bad.text


def test_timeline_picture_and_order_confirmation(client: TestClient, factory: Factory,
                                                 police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    cid = _create(client)
    tab = client.get(f"/cases/{cid}/timeline")
    client.post(f"/cases/{cid}/events", data={"kind": "recruitment", "date_from": "2024-05-01",
                                              "place": "Fictionalabad", "csrf_token": csrf_from(tab.text)})
    warned = client.post(f"/cases/{cid}/events", data={"kind": "surgery", "date_from": "2024-04-01",
                                                       "csrf_token": csrf_from(tab.text)})
    assert warned.status_code == 422 and 'id="ev-confirm"' in warned.text
    saved = client.post(f"/cases/{cid}/events", data={
        "kind": "surgery", "date_from": "2024-04-01", "confirm_order": "on",
        "csrf_token": csrf_from(warned.text)})
    assert saved.status_code == 200
    assert 'id="timeline-svg"' in saved.text and saved.text.count("<circle") == 2


def test_clinician_sees_no_identity_or_payments_tab_content(client: TestClient, factory: Factory,
                                                            police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    factory.user(Role.ANALYST, agency=police, username="ana")
    login(client, "inv")
    cid = _create(client)
    tab = client.get(f"/cases/{cid}/people")
    client.post(f"/cases/{cid}/people", data={"name": "Fictional Hidden Name", "roles": ["broker"],
                                              "csrf_token": csrf_from(tab.text)})
    client.cookies.clear()
    login(client, "ana")
    people = client.get(f"/cases/{cid}/people")
    assert people.status_code == 200
    assert "Fictional Hidden Name" not in people.text and "(broker)" in people.text
    assert 'id="tab-evidence"' in people.text and 'id="tab-tasks"' not in people.text
    assert client.get(f"/cases/{cid}/audit").status_code == 200  # same agency


def test_evidence_upload_page(client: TestClient, factory: Factory, police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    cid = _create(client)
    tab = client.get(f"/cases/{cid}/evidence")
    uploaded = client.post(f"/cases/{cid}/evidence", data={
        "description": "Fictional theatre register", "received_from": "Fictional clinic",
        "csrf_token": csrf_from(tab.text)}, files={"file": ("register.csv", b"a,b\n1,2\n", "text/csv")})
    assert uploaded.status_code == 200 and "register.csv" in uploaded.text
    assert "Fictional clinic" in uploaded.text  # first custody entry
    download = client.get(f"/cases/{cid}/evidence/1/download")
    assert download.status_code == 200 and download.content == b"a,b\n1,2\n"


def test_tasks_and_notes(client: TestClient, factory: Factory, police: Agency) -> None:
    inv = factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    cid = _create(client)
    tab = client.get(f"/cases/{cid}/tasks")
    client.post(f"/cases/{cid}/tasks", data={"title": "Seize anaesthetic logs", "owner_id": str(inv.id),
                                             "due": "2020-01-01", "csrf_token": csrf_from(tab.text)})
    client.post(f"/cases/{cid}/notes", data={"body": "Fictional note", "section": "notes",
                                             "csrf_token": csrf_from(tab.text)})
    page = client.get(f"/cases/{cid}/tasks")
    assert "Seize anaesthetic logs" in page.text and "Fictional note" in page.text
    home = client.get("/")
    assert "Seize anaesthetic logs" in home.text and 'class="overdue"' in home.text


def test_transition_form(client: TestClient, factory: Factory, police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    cid = _create(client)
    tab = client.get(f"/cases/{cid}/people")
    moved = client.post(f"/cases/{cid}/transition", data={
        "to": "referral_only", "reason": "victim wants support only", "version": "1",
        "csrf_token": csrf_from(tab.text)}, follow_redirects=False)
    assert moved.status_code == 303
    people = client.get(f"/cases/{cid}/people")
    assert "Referral only" in people.text


def test_other_agency_gets_404_page(client: TestClient, factory: Factory, police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    factory.user(Role.INVESTIGATOR, agency=factory.agency(AgencyKind.POLICE, "Fictional Elsewhere"),
                 username="other")
    login(client, "inv")
    cid = _create(client)
    client.cookies.clear()
    login(client, "other")
    assert client.get(f"/cases/{cid}/people").status_code == 404
