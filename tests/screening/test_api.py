"""Catalogue and screening API: documented input and result, 422 naming bad values, save, attach."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Factory
from tests.screening.test_service import app_catalogue, strong_request
from tests.support.api import Api
from tipor.accounts.models import Agency, AgencyKind, Role
from tipor.catalogue.model import Catalogue
from tipor.db import open_session
from tipor.screening import screen
from tipor.screening.formats import result_to_dict
from tipor.screening.tables import Screening
from tipor.settings import Settings

__all__ = ["app_catalogue"]


@pytest.fixture
def ngo(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.NGO, "Fictional Outreach NGO")


@pytest.fixture
def api(client: TestClient, factory: Factory, ngo: Agency) -> Api:
    factory.user(Role.INVESTIGATOR, agency=ngo, username="inv")
    return Api(client, "inv")


def _saved(settings: Settings) -> int:
    db = open_session(settings)
    try:
        return db.query(Screening).count()
    finally:
        db.close()


def _doc(cat: Catalogue) -> dict[str, Any]:
    return strong_request(cat).model_dump(mode="json", exclude_none=True)


def test_catalogue_and_profiles(api: Api, app_catalogue: Catalogue) -> None:
    body = api.get("/catalogue", params={"lang": "ur"}).json()
    assert body["version"] == app_catalogue.version and body["language"] == "ur"
    assert [i["id"] for i in body["indicators"]] == [i.id for i in app_catalogue.indicators]
    first = app_catalogue.indicators[0]
    assert body["indicators"][0]["label"] == first.label.ur
    one = api.get(f"/catalogue/indicators/{first.id}").json()
    assert one["label"] == first.label.en and one["sources"] and "default" in one["questions"]
    assert all(s["verification"] in ("verified", "unverified", "disputed") for s in one["sources"])
    profiles = api.get("/screening/profiles").json()["profiles"]
    assert [p["id"] for p in profiles] == [p.id for p in app_catalogue.profiles]
    assert profiles[0]["indicators"] == [i.id for i in app_catalogue.indicators_for(profiles[0]["id"])]


def test_post_returns_the_engine_result_and_saves_nothing(
    api: Api, app_catalogue: Catalogue, settings: Settings,
) -> None:
    response = api.post("/screening", _doc(app_catalogue))
    assert response.status_code == 200, response.text
    assert response.json() == result_to_dict(screen(app_catalogue, strong_request(app_catalogue)))
    assert _saved(settings) == 0


@pytest.mark.parametrize("change,bad,valid", [
    (lambda d, ind: d["observations"].__setitem__("XXX-99", "yes"), "XXX-99", "indicator_ids"),
    (lambda d, ind: d.__setitem__("profile", "no_such_profile"), "no_such_profile", "profiles"),
    (lambda d, ind: d.__setitem__("language", "xx"), "xx", ["en", "ur", "ar", "fa", "es", "fr"]),
    (lambda d, ind: d["observations"].__setitem__(ind, "maybe"), "maybe", "'yes', 'no' or 'unknown'"),
    (lambda d, ind: d.__setitem__("observer", "astrologer"), "astrologer", ["police", "ngo"]),
], ids=["indicator", "profile", "language", "answer", "observer"])
def test_bad_input_is_422_naming_value_and_valid_ones(
    api: Api, app_catalogue: Catalogue, settings: Settings, change: Any, bad: str, valid: Any,
) -> None:
    doc = _doc(app_catalogue)
    change(doc, app_catalogue.indicators_for(doc["profile"])[0].id)
    response = api.post("/screening", doc, params={"save": "true"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert bad in body["message"] or any(bad in p["message"] for p in body.get("problems", []))
    if valid == "indicator_ids":
        valid = [i.id for i in app_catalogue.indicators][:3]
    elif valid == "profiles":
        valid = [p.id for p in app_catalogue.profiles]
    if isinstance(valid, list):
        assert set(valid) <= set(body["valid"])
    else:
        assert valid in str(body)
    assert _saved(settings) == 0


def test_save_read_and_attach(
    api: Api, app_catalogue: Catalogue, settings: Settings, factory: Factory, ngo: Agency,
) -> None:
    case = api.client.post("/api/v1/cases", json={"title": "Fictional API case"},
                           headers=api.headers).json()
    response = api.post("/screening", _doc(app_catalogue), params={"save": "true"})
    assert response.status_code == 201, response.text
    sid = int(response.headers["X-Screening-Id"])
    assert response.headers["Location"] == f"/api/v1/screening/saved/{sid}"
    saved = api.get(f"/screening/saved/{sid}").json()
    assert saved["result"] == response.json() and saved["case_id"] is None
    assert saved["input"]["profile"] == app_catalogue.profiles[0].id
    attached = api.post(f"/screening/saved/{sid}/attach", {"case_id": case["id"]})
    assert attached.status_code == 200 and attached.json()["case_id"] == case["id"]
    other = api.client.post("/api/v1/cases", json={"title": "Fictional other case"},
                            headers=api.headers).json()
    again = api.post(f"/screening/saved/{sid}/attach", {"case_id": other["id"]})
    assert again.status_code == 409
    assert api.post(f"/screening/saved/{sid}/attach", {"case_id": 999_999}).status_code in (404, 409)
    assert api.get("/screening/saved/999999").status_code == 404
    direct = api.post("/screening", _doc(app_catalogue),
                      params={"save": "true", "case_id": case["id"]})
    assert direct.status_code == 201
    assert api.get(f"/screening/saved/{direct.headers['X-Screening-Id']}").json()["case_id"] == case["id"]


def test_save_on_invisible_case_is_404_and_nothing_saved(
    api: Api, app_catalogue: Catalogue, settings: Settings,
) -> None:
    response = api.post("/screening", _doc(app_catalogue),
                        params={"save": "true", "case_id": 999_999})
    assert response.status_code == 404
    assert _saved(settings) == 0


def test_roles_without_screening_are_refused(
    client: TestClient, factory: Factory, app_catalogue: Catalogue,
) -> None:
    factory.user(Role.TRAINER, username="trainer")
    api = Api(client, "trainer")
    assert api.get("/catalogue").status_code == 200
    assert api.post("/screening", _doc(app_catalogue)).status_code == 403
    assert api.get("/screening/profiles").status_code == 403
