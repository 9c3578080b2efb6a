"""The case API: section rights per role, encryption at rest, blind-index search, 409,
evidence integrity, bad input stored nowhere."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.conftest import Factory
from tests.support.api import Api
from tipor.accounts.models import Agency, AgencyKind, Role
from tipor.db import open_session
from tipor.settings import Settings


@pytest.fixture
def police(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.POLICE, "Fictional Police")


@pytest.fixture
def investigator_api(client: TestClient, factory: Factory, police: Agency) -> Api:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv1")
    return Api(client, "inv1")


def _case(api: Api) -> int:
    created = api.post("/cases", {"title": "Fictional case for API", "jurisdictions": ["pk", "np"]})
    assert created.status_code == 201, created.text
    assert created.json()["jurisdictions"] == ["PK", "NP"]
    return int(created.json()["id"])


def _count(settings: Settings, table: str) -> int:
    db = open_session(settings)
    n = db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    db.close()
    return int(n)


def test_full_case_through_api(investigator_api: Api, settings: Settings) -> None:
    api = investigator_api
    cid = _case(api)
    victim = api.post(f"/cases/{cid}/parties", {"roles": ["presumed_victim"], "age": 19,
                                                "name": "Fictional Miro Duskfield", "sex": "male",
                                                "nationalities": ["np"]}).json()["id"]
    broker = api.post(f"/cases/{cid}/parties", {"roles": ["broker"], "name": "Fictional Broker"}).json()["id"]
    assert api.post(f"/cases/{cid}/identifiers", {"kind": "phone", "value": "+977 9841234567",
                                                  "party_id": broker}).status_code == 201
    assert api.post(f"/cases/{cid}/events", {"kind": "recruitment", "date_from": "2024-01-10",
                                             "party_ids": [victim, broker]}).status_code == 201
    assert api.post(f"/cases/{cid}/payments", {"amount": "5000", "currency": "usd",
                                               "status": "promised", "payer_party_id": broker,
                                               "payee_party_id": victim}).status_code == 201
    detail = api.get(f"/cases/{cid}").json()
    assert detail["parties"][0]["name"] == "Fictional Miro Duskfield"
    assert detail["identifiers"][0]["value"] == "+9779841234567"
    assert detail["payments"][0]["amount"] == "5000.00" and detail["payments"][0]["currency"] == "USD"
    assert detail["events"][0]["party_ids"] == [victim, broker]
    db = open_session(settings)
    raw = " ".join(db.execute(text("SELECT name_enc FROM parties")).scalars())
    db.close()
    assert "Miro" not in raw and "Broker" not in raw  # encrypted at rest


def test_blind_index_search_over_api(investigator_api: Api) -> None:
    api = investigator_api
    cid = _case(api)
    _case(api)
    api.post(f"/cases/{cid}/identifiers", {"kind": "iban", "value": "GB82WEST12345698765432"})
    api.post(f"/cases/{cid}/parties", {"roles": ["recipient"], "name": "Fictional Ara Emberly"})
    found = api.get("/cases", params={"identifier_kind": "iban",
                                      "identifier": "gb82 west 1234 5698 7654 32"}).json()
    assert found["total"] == 1 and found["items"][0]["id"] == cid
    by_name = api.get("/cases", params={"person_name": "  fictional ARA emberly "}).json()
    assert [c["id"] for c in by_name["items"]] == [cid]


@pytest.mark.parametrize("path,body,field", [
    ("/identifiers", {"kind": "iban", "value": "GB00WEST12345698765432"}, "value"),
    ("/identifiers", {"kind": "phone", "value": "555", "country": "PK"}, "value"),
    ("/events", {"kind": "travel", "date_from": "2024-02-02", "date_to": "2024-01-01"}, "date_to"),
    ("/parties", {"roles": ["sorcerer"], "name": "X"}, "roles.0"),
    ("/parties", {"roles": ["broker"], "name": "X", "nationalities": ["Nepal"]}, "nationalities"),
    ("/payments", {"amount": "-3", "currency": "USD", "status": "paid"}, "amount"),
    ("/events", {"kind": "travel", "party_ids": [999]}, "party_ids"),
])
def test_bad_input_names_field_and_stores_nothing(investigator_api: Api, settings: Settings,
                                                 path: str, body: dict[str, Any], field: str) -> None:
    cid = _case(investigator_api)
    before = {t: _count(settings, t) for t in ("identifiers", "events", "parties", "payments")}
    response = investigator_api.post(f"/cases/{cid}{path}", body)
    assert response.status_code == 422, response.text
    assert field in [p["field"] for p in response.json()["problems"]]
    assert {t: _count(settings, t) for t in before} == before


def test_surgery_before_recruitment_needs_confirmation(investigator_api: Api) -> None:
    cid = _case(investigator_api)
    investigator_api.post(f"/cases/{cid}/events", {"kind": "recruitment", "date_from": "2024-03-01"})
    warned = investigator_api.post(f"/cases/{cid}/events", {"kind": "surgery", "date_from": "2024-02-01"})
    assert warned.status_code == 422 and "before the recruitment" in warned.json()["message"]
    ok = investigator_api.post(f"/cases/{cid}/events", {"kind": "surgery", "date_from": "2024-02-01",
                                                        "confirm_order": True})
    assert ok.status_code == 201 and ok.json()["warnings"]


def test_stale_update_is_409(investigator_api: Api) -> None:
    cid = _case(investigator_api)
    assert investigator_api.patch(f"/cases/{cid}", {"version": 1, "title": "Fictional A"}).status_code == 200
    stale = investigator_api.patch(f"/cases/{cid}", {"version": 1, "title": "Fictional B"})
    assert stale.status_code == 409
    assert stale.json()["conflict"]["current"]["title"] == "Fictional A"


def test_transition_refused_and_allowed(investigator_api: Api) -> None:
    cid = _case(investigator_api)
    bad = investigator_api.post(f"/cases/{cid}/transition", {"to": "trial", "reason": "x", "version": 1})
    assert bad.status_code == 422 and "from intake to trial" in bad.json()["message"]
    ok = investigator_api.post(f"/cases/{cid}/transition", {"to": "screening", "reason": "intake done",
                                                            "version": 1})
    assert ok.status_code == 200 and ok.json()["status"] == "screening"
    assert investigator_api.get(f"/cases/{cid}/history").json()[0]["reason"] == "intake done"


def test_evidence_roundtrip_and_tampering_detected(investigator_api: Api, settings: Settings) -> None:
    cid = _case(investigator_api)
    content = b"fictional anaesthetic log, theatre 2, 2024-02-01"
    up = investigator_api.client.post(
        f"/api/v1/cases/{cid}/evidence", headers=investigator_api.headers,
        files={"file": ("log.txt", io.BytesIO(content), "text/plain")},
        data={"description": "Fictional log", "received_from": "Fictional clinic"})
    assert up.status_code == 201, up.text
    eid = up.json()["id"]
    down = investigator_api.get(f"/cases/{cid}/evidence/{eid}")
    assert down.status_code == 200 and down.content == content
    import hashlib

    sha = hashlib.sha256(content).hexdigest()
    assert down.headers["x-content-sha256"] == sha
    db = open_session(settings)
    blob = db.execute(text("SELECT blob FROM evidence WHERE id = :i"), {"i": eid}).scalar_one()
    db.close()
    stored = settings.evidence_dir / blob[:2] / blob
    assert content not in stored.read_bytes()  # sealed at rest
    sealed = bytearray(stored.read_bytes())
    sealed[-20] ^= 1  # one bit of the last segment
    stored.write_bytes(bytes(sealed))
    tampered = investigator_api.get(f"/cases/{cid}/evidence/{eid}")
    assert tampered.status_code == 409 and "integrity check" in tampered.json()["message"]


def test_failed_upload_leaves_no_record_or_file(app: Any, factory: Factory, police: Agency,
                                                settings: Settings,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv9")
    investigator_api = Api(TestClient(app, raise_server_exceptions=False), "inv9")
    cid = _case(investigator_api)
    from tipor.evidence import service as evidence_service

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("simulated failure after the file was written")

    monkeypatch.setattr(evidence_service, "record", boom)
    response = investigator_api.client.post(
        f"/api/v1/cases/{cid}/evidence", headers=investigator_api.headers,
        files={"file": ("x.bin", io.BytesIO(b"fictional bytes 123"), "application/octet-stream")})
    assert response.status_code == 500 and "Nothing was saved" in response.json()["message"]
    assert _count(settings, "evidence") == 0
    assert not any(p.is_file() and not p.name.startswith(".") for p in settings.evidence_dir.rglob("*"))


# Role × section × action through the API, for users of the owning agency.
MATRIX = [
    (Role.CLINICIAN, "/parties", {"roles": ["witness"], "name": "X"}, False),        # identity write
    (Role.CLINICIAN, "/events", {"kind": "aftercare"}, True),                        # medical write
    (Role.CLINICIAN, "/events", {"kind": "recruitment"}, False),                     # legal write
    (Role.CASEWORKER, "/parties", {"roles": ["witness"], "name": "X"}, True),
    (Role.CASEWORKER, "/payments", {"amount": "1", "currency": "USD", "status": "paid"}, False),
    (Role.CASEWORKER, "/events", {"kind": "surgery"}, False),                        # medical is read-only
    (Role.HELPLINE_OPERATOR, "/identifiers", {"kind": "email", "value": "a@example.org"}, True),
    (Role.HELPLINE_OPERATOR, "/events", {"kind": "threat"}, False),
    (Role.PROSECUTOR, "/notes", {"body": "legal note", "section": "legal"}, True),
    (Role.PROSECUTOR, "/identifiers", {"kind": "passport", "value": "AB123"}, False),
    (Role.ANALYST, "/payments", {"amount": "1", "currency": "USD", "status": "paid"}, False),
    (Role.INVESTIGATOR, "/payments", {"amount": "1", "currency": "USD", "status": "paid"}, True),
]


@pytest.mark.parametrize("role,path,body,allowed", MATRIX,
                         ids=[f"{r.value}{p}-{'ok' if a else 'denied'}" for r, p, _, a in MATRIX])
def test_permission_matrix(client: TestClient, factory: Factory, police: Agency, role: Role,
                           path: str, body: dict[str, Any], allowed: bool) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="owner1")
    factory.user(role, agency=police, username="member1")
    owner = Api(client, "owner1")
    cid = _case(owner)
    client.cookies.clear()
    member = Api(client, "member1")
    response = member.post(f"/cases/{cid}{path}", body)
    assert (response.status_code == 201) is allowed, response.text
    if not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize("role,sees_names,sees_payments", [
    (Role.CLINICIAN, True, False), (Role.ANALYST, False, True), (Role.PROSECUTOR, True, True),
])
def test_read_sections_per_role(client: TestClient, factory: Factory, police: Agency, role: Role,
                                sees_names: bool, sees_payments: bool) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="owner2")
    factory.user(role, agency=police, username="reader2")
    owner = Api(client, "owner2")
    cid = _case(owner)
    owner.post(f"/cases/{cid}/parties", {"roles": ["presumed_victim"], "name": "Fictional Secret"})
    owner.post(f"/cases/{cid}/payments", {"amount": "9", "currency": "EUR", "status": "paid"})
    client.cookies.clear()
    detail = Api(client, "reader2").get(f"/cases/{cid}").json()
    assert (detail["parties"][0]["name"] == "Fictional Secret") is sees_names
    assert detail["parties"][0]["label"].startswith("P-")
    assert bool(detail["payments"]) is sees_payments


def test_other_agency_gets_404(client: TestClient, factory: Factory, police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="owner3")
    factory.user(Role.INVESTIGATOR, agency=factory.agency(AgencyKind.POLICE, "Fictional Other"),
                 username="outsider")
    cid = _case(Api(client, "owner3"))
    client.cookies.clear()
    outsider = Api(client, "outsider")
    assert outsider.get(f"/cases/{cid}").status_code == 404
    assert outsider.get("/cases").json()["total"] == 0
