"""Agency country codes over HTTP: "00" refused by the API and the admin page, XK accepted."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tipor.accounts.models import Agency
from tipor.db import open_session
from tipor.settings import Settings


def _agencies(settings: Settings) -> int:
    db = open_session(settings)
    n = db.execute(select(func.count()).select_from(Agency)).scalar_one()
    db.close()
    return int(n)


def test_country_00_refused_by_api_and_page(admin_client: TestClient, settings: Settings) -> None:
    home = admin_client.get("/")
    headers = {"X-CSRF-Token": csrf_from(home.text)}
    before = _agencies(settings)
    api = admin_client.post("/api/v1/agencies", headers=headers,
                            json={"name": "Fictional Zero", "kind": "ngo", "country": "00"})
    assert api.status_code == 422
    assert [p["field"] for p in api.json()["problems"]] == ["country"]
    page = admin_client.get("/admin/agencies")
    form = admin_client.post("/admin/agencies", data={
        "name": "Fictional Zero", "kind": "ngo", "country": "00", "csrf_token": csrf_from(page.text)})
    assert form.status_code == 422 and "<strong>country</strong>" in form.text
    assert _agencies(settings) == before
    made = admin_client.post("/api/v1/agencies", headers=headers,
                             json={"name": "Fictional Kosovo Unit", "kind": "ngo", "country": "xk"})
    assert made.status_code == 201 and made.json()["country"] == "XK"
    patched = admin_client.patch(f"/api/v1/agencies/{made.json()['id']}", headers=headers,
                                 json={"version": made.json()["version"], "country": "00"})
    assert patched.status_code == 422
