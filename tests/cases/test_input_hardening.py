"""Hostile input on the case API (found by a security campaign): non-Latin file names, NUL
characters, integers beyond the database, huge lists, loose types, implausible dates.
Each is refused with a 4xx naming the field, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from tests.cases.test_api import _case, _count
from tests.conftest import Factory
from tests.support.api import Api
from tipor.accounts.models import AgencyKind, Role
from tipor.settings import Settings

URDU_NAME = "گواہ کا بیان.pdf"
ARABIC_NAME = "تقرير الطبيب الشرعي.txt"
BIG = 2**31


@pytest.fixture
def investigator_api(client: TestClient, factory: Factory) -> Api:
    police = factory.agency(AgencyKind.POLICE, "Fictional Police")
    factory.user(Role.INVESTIGATOR, agency=police, username="inv1")
    return Api(client, "inv1")


def _upload(api: Api, cid: int, name: str, data: bytes) -> int:
    response = api.client.post(f"/api/v1/cases/{cid}/evidence", headers=api.headers,
                               files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.mark.parametrize("name", [URDU_NAME, ARABIC_NAME, 'Fictional "quoted"\r\nname.txt'])
def test_evidence_with_non_latin_name_downloads(investigator_api: Api, name: str) -> None:
    api = investigator_api
    cid = _case(api)
    eid = _upload(api, cid, name, b"Fictional statement")
    for response in (api.get(f"/cases/{cid}/evidence/{eid}"),
                     api.client.get(f"/cases/{cid}/evidence/{eid}/download")):
        assert response.status_code == 200 and response.content == b"Fictional statement"
        header = response.headers["content-disposition"]
        header.encode("latin-1")  # a header must be latin-1: the old one was a 500
        assert "\r" not in header and "\n" not in header
        assert header.startswith('attachment; filename="')
        if name.isascii():
            continue
        encoded = header.split("filename*=UTF-8''", 1)[1]
        assert unquote(encoded) == name
        assert header.split('"')[1].endswith(name.rsplit(".", 1)[1])  # fallback keeps extension


def test_nul_refused_in_json_form_and_query(investigator_api: Api, settings: Settings) -> None:
    api = investigator_api
    cid = _case(api)
    before = _count(settings, "parties")
    body = api.post(f"/cases/{cid}/parties", {"roles": ["broker"], "name": "Fictional\x00Broker",
                                              "aliases": ["ok", "bad\x00alias"]})
    assert body.status_code == 422
    assert {p["field"] for p in body.json()["problems"]} == {"name", "aliases.1"}
    assert "NUL" in body.json()["message"]
    query = api.get("/cases", params={"q": "Fictional\x00"})
    assert query.status_code == 422 and query.json()["problems"][0]["field"] == "query.q"
    upload = api.client.post(f"/api/v1/cases/{cid}/evidence", headers=api.headers,
                             data={"description": "Fictional\x00note"},
                             files={"file": ("a.txt", b"x", "text/plain")})
    assert upload.status_code == 422 and upload.json()["problems"][0]["field"] == "description"
    assert _count(settings, "parties") == before and _count(settings, "evidence") == 0


@pytest.mark.parametrize("path", ["/cases/{big}", "/cases/{cid}/evidence/{big}",
                                  "/cases?page={big}", "/cases/-{big}1/history"])
def test_integers_beyond_the_database_are_422(investigator_api: Api, path: str) -> None:
    cid = _case(investigator_api)
    response = investigator_api.get(path.format(big=BIG, cid=cid))
    assert response.status_code == 422, response.text
    assert "out of range" in response.json()["message"]


def test_body_ids_beyond_the_database_are_422(investigator_api: Api) -> None:
    cid = _case(investigator_api)
    response = investigator_api.post(f"/cases/{cid}/tasks", {"title": "Fictional",
                                                             "owner_id": BIG})
    assert response.status_code == 422 and response.json()["problems"][0]["field"] == "owner_id"
    stale = investigator_api.patch(f"/cases/{cid}", {"version": BIG, "title": "Fictional x"})
    assert stale.status_code == 422


def test_two_hundred_thousand_aliases_refused(client: TestClient, investigator_api: Api,
                                              settings: Settings) -> None:
    cid = _case(investigator_api)
    body = json.dumps({"roles": ["broker"], "name": "Fictional Many Names",
                       "aliases": ["a"] * 200_000}, separators=(",", ":"))
    response = client.post(f"/api/v1/cases/{cid}/parties", content=body,
                           headers=investigator_api.headers | {"content-type": "application/json"})
    assert response.status_code == 422, response.status_code
    assert response.json()["problems"][0]["field"] == "aliases"
    assert _count(settings, "parties") == 0


@pytest.mark.parametrize("field,value", [
    ("age", "30"), ("age", 30.5), ("name", 1), ("aliases", [1]), ("birth_date", 0),
    ("birth_date", "0"),
])
def test_loose_types_are_refused(investigator_api: Api, field: str, value: object) -> None:
    cid = _case(investigator_api)
    response = investigator_api.post(f"/cases/{cid}/parties", {
        "roles": ["broker"], "name": "Fictional Loose"} | {field: value})
    assert response.status_code == 422, response.text
    assert response.json()["problems"][0]["field"].startswith(field)


@pytest.mark.parametrize("value", [True, "true", 1, "on"])
def test_booleans_only_true_or_false(investigator_api: Api, value: object) -> None:
    cid = _case(investigator_api)
    response = investigator_api.post(f"/cases/{cid}/events", {"kind": "recruitment",
                                                              "approximate": value})
    assert response.status_code == (201 if value is True else 422), response.text


TODAY = dt.date.today()


@pytest.mark.parametrize("due,ok", [
    ("0", False), (0, False), ("1970-01-01", False), ("1999-12-31", False),
    ("2000-01-01", True), (TODAY.isoformat(), True),
    ((TODAY + dt.timedelta(days=365 * 9)).isoformat(), True),
    ((TODAY + dt.timedelta(days=365 * 11)).isoformat(), False),
])
def test_task_due_dates_must_be_plausible(investigator_api: Api, due: object, ok: bool) -> None:
    cid = _case(investigator_api)
    response = investigator_api.post(f"/cases/{cid}/tasks", {"title": "Fictional", "due": due})
    assert response.status_code == (201 if ok else 422), response.text
    if not ok:
        assert response.json()["problems"][0]["field"] == "due"


@pytest.mark.parametrize("born,ok", [
    ((TODAY + dt.timedelta(days=2)).isoformat(), False), ("2999-01-01", False),
    ("1899-12-31", False), ("1990-05-01", True), (TODAY.isoformat(), True),
])
def test_birth_date_not_in_the_future(investigator_api: Api, born: str, ok: bool) -> None:
    cid = _case(investigator_api)
    response = investigator_api.post(f"/cases/{cid}/parties", {
        "roles": ["presumed_victim"], "name": "Fictional Born", "birth_date": born})
    assert response.status_code == (201 if ok else 422), response.text
    if not ok:
        assert response.json()["problems"][0]["field"] == "birth_date"


def test_plausibility_message_in_the_users_language(investigator_api: Api) -> None:
    api = investigator_api
    api.client.post("/language", data={"language": "ur", "next": "/",
                                       "csrf_token": api.headers["X-CSRF-Token"]})
    cid = _case(api)
    response = api.post(f"/cases/{cid}/tasks", {"title": "Fictional", "due": "1970-01-01"})
    assert response.status_code == 422
    assert "تاریخ" in response.json()["problems"][0]["message"]  # Urdu for "date"


def test_forms_still_accept_text_numbers(investigator_api: Api, settings: Settings) -> None:
    api = investigator_api
    cid = _case(api)
    page = api.client.post(f"/cases/{cid}/people", data={
        "csrf_token": api.headers["X-CSRF-Token"], "roles": "presumed_victim",
        "name": "Fictional Form Person", "age": "31", "birth_date": "1995-02-03"})
    assert page.status_code == 200 and page.url.path.endswith("/people"), page.text[:300]
    assert _count(settings, "parties") == 1
    refused = api.client.post(f"/cases/{cid}/tasks", data={
        "csrf_token": api.headers["X-CSRF-Token"], "title": "Fictional", "due": "0"})
    assert refused.status_code == 422 and "YYYY-MM-DD" in refused.text


def test_pages_refuse_big_ids_and_nul_too(investigator_api: Api, settings: Settings) -> None:
    api = investigator_api
    cid = _case(api)
    big = api.client.get(f"/cases/{BIG}/people")
    assert big.status_code == 422 and "text/html" in big.headers["content-type"]
    assert "out of range" in big.text
    nul = api.client.post(f"/cases/{cid}/tasks", data={
        "csrf_token": api.headers["X-CSRF-Token"], "title": "Fictional\x00task"})
    assert nul.status_code == 422 and "NUL" in nul.text
    assert _count(settings, "tasks") == 0
