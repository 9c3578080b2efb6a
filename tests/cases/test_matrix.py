"""The whole permission matrix through the API: every role × section × action, on a case of
the user's own agency. The expected table is written out by hand so that a change to the
policy in code fails here until the table (and the people who rely on it) agree."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Factory, csrf_from
from tests.support.api import Api
from tests.web.conftest import admin_login, enrol_admin
from tipor.accounts.models import AgencyKind, Role
from tipor.security.crypto import Keyring
from tipor.settings import Settings

SECTIONS = ("identity", "contact", "medical", "legal", "financial", "evidence", "notes")
#: role → access per section in SECTIONS order: "rw" read+write, "r" read, "-" none;
#: None: the role cannot open cases at all (404).
EXPECTED: dict[Role, tuple[str, ...] | None] = {
    Role.ADMIN: None,
    Role.TRAINER: None,
    Role.INVESTIGATOR: ("rw", "rw", "rw", "rw", "rw", "rw", "rw"),
    Role.PROSECUTOR: ("r", "r", "r", "rw", "r", "r", "rw"),
    Role.CLINICIAN: ("r", "-", "rw", "-", "-", "-", "rw"),
    Role.CASEWORKER: ("rw", "rw", "r", "r", "-", "-", "rw"),
    Role.HELPLINE_OPERATOR: ("rw", "rw", "-", "-", "-", "-", "rw"),
    Role.ANALYST: ("-", "-", "-", "r", "r", "r", "-"),
}

WRITES: dict[str, tuple[str, dict[str, Any]]] = {
    "identity": ("/parties", {"roles": ["witness"], "name": "Fictional Witness"}),
    "contact": ("/identifiers", {"kind": "email", "value": "fictional@example.org"}),
    "medical": ("/events", {"kind": "aftercare", "date_from": "2024-06-01"}),
    "legal": ("/organisations", {"name": "Fictional Clinic", "kind": "clinic"}),
    "financial": ("/payments", {"amount": "10", "currency": "USD", "status": "paid"}),
    "evidence": ("/identifiers", {"kind": "vehicle", "value": "FIC 123"}),
    "notes": ("/notes", {"body": "Fictional note", "section": "notes"}),
}


def _sees(detail: dict[str, Any], section: str) -> bool:
    checks = {
        "identity": lambda: detail["parties"][0]["name"] is not None,
        "contact": lambda: any(i["kind"] == "phone" and i["value"] for i in detail["identifiers"]),
        "medical": lambda: any(e["kind"] == "surgery" for e in detail["events"]),
        "legal": lambda: bool(detail["organisations"]),
        "financial": lambda: bool(detail["payments"]),
        "evidence": lambda: bool(detail["evidence"]),
        "notes": lambda: any(n["section"] == "notes" for n in detail["notes"]),
    }
    return bool(checks[section]())


def _full_case(owner: Api) -> int:
    cid = int(owner.post("/cases", {"title": "Fictional matrix case"}).json()["id"])
    owner.post(f"/cases/{cid}/parties", {"roles": ["presumed_victim"], "name": "Fictional V"})
    owner.post(f"/cases/{cid}/identifiers", {"kind": "phone", "value": "+923001234567"})
    owner.post(f"/cases/{cid}/events", {"kind": "surgery", "date_from": "2024-05-01"})
    owner.post(f"/cases/{cid}/organisations", {"name": "Fictional Hospital", "kind": "hospital"})
    owner.post(f"/cases/{cid}/payments", {"amount": "5", "currency": "EUR", "status": "promised"})
    owner.post(f"/cases/{cid}/notes", {"body": "Fictional owner note", "section": "notes"})
    upload = owner.client.post(f"/api/v1/cases/{cid}/evidence", headers=owner.headers,
                               files={"file": ("f.txt", io.BytesIO(b"fictional"), "text/plain")})
    assert upload.status_code == 201
    return cid


@pytest.mark.parametrize("role", list(EXPECTED), ids=[r.value for r in EXPECTED])
def test_role_section_action_matrix(client: TestClient, factory: Factory, settings: Settings,
                                    keyring: Keyring, role: Role) -> None:
    agency = factory.agency(AgencyKind.POLICE, "Fictional Matrix Agency")
    factory.user(Role.INVESTIGATOR, agency=agency, username="matrixowner")
    if role == Role.ADMIN:  # administrators sign in with their second factor
        enrol_admin(settings, factory, keyring)
    else:
        factory.user(role, agency=agency, username="matrixmember")
    cid = _full_case(Api(client, "matrixowner"))
    client.cookies.clear()
    if role == Role.ADMIN:
        home = admin_login(client)
        member = Api.__new__(Api)
        member.client, member.headers = client, {"X-CSRF-Token": csrf_from(home.text)}
    else:
        member = Api(client, "matrixmember")
    expected = EXPECTED[role]
    read = member.get(f"/cases/{cid}")
    if expected is None:
        assert read.status_code == 404
        for path, body in WRITES.values():
            assert member.post(f"/cases/{cid}{path}", body).status_code == 404
        return
    assert read.status_code == 200
    detail = read.json()
    observed = []
    for section in SECTIONS:
        path, body = WRITES[section]
        wrote = member.post(f"/cases/{cid}{path}", body)
        assert wrote.status_code in (201, 403), (section, wrote.text)
        cell = ("r" if _sees(detail, section) else "") + ("w" if wrote.status_code == 201 else "")
        observed.append(cell or "-")
    assert tuple(observed) == expected
