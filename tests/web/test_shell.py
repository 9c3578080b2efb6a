"""The page shell: languages and direction, landmarks, self-served assets, health."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Factory, csrf_from, login
from tipor.accounts.models import User
from tipor.db import open_session
from tipor.settings import Settings


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.parametrize("lang,direction,label", [
    ("ar", "rtl", "تسجيل الدخول"), ("ur", "rtl", "سائن ان"), ("en", "ltr", "Sign in"),
    ("fa", "rtl", "Sign in"),  # shell labels fall back to English, direction still right-to-left
])
def test_language_switch_anonymous(client: TestClient, lang: str, direction: str, label: str) -> None:
    page = client.get("/login")
    response = client.post("/language", data={"language": lang, "next": "/login",
                                              "csrf_token": csrf_from(page.text)})
    assert f'<html lang="{lang}" dir="{direction}">' in response.text
    assert label in response.text


def test_language_is_stored_per_user(client: TestClient, factory: Factory, settings: Settings) -> None:
    user = factory.user()
    home = login(client, user.username)
    client.post("/language", data={"language": "ur", "next": "/", "csrf_token": csrf_from(home.text)})
    db = open_session(settings)
    stored = db.get(User, user.id)
    assert stored is not None and stored.language == "ur"
    db.close()
    client.cookies.delete("tipor_lang")
    assert 'dir="rtl"' in client.get("/").text


def test_unknown_language_refused(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post("/language", data={"language": "xx", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422 and "xx" in response.text


def test_layout_has_landmarks_and_labels(client: TestClient, factory: Factory) -> None:
    home = login(client, factory.user().username)
    html = home.text
    for landmark in ('role="banner"', "<nav", '<main id="main"', 'role="contentinfo"',
                     'class="skip-link" href="#main"'):
        assert landmark in html
    ids = set(re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids <= labelled  # every visible control has a label


@pytest.mark.parametrize("path", [
    "/static/css/tipor.css", "/static/js/tipor.js", "/static/fonts/NotoNaskhArabic-Regular.ttf",
    "/static/fonts/NotoNastaliqUrdu-Regular.ttf", "/static/swagger/swagger-ui-bundle.js",
])
def test_assets_served_by_the_app(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200


def test_api_docs_load_only_local_assets(client: TestClient, factory: Factory) -> None:
    login(client, factory.user().username)
    html = client.get("/api/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in html
    assert not re.search(r'(src|href)="https?://', html)


def test_no_template_or_asset_loads_from_the_internet() -> None:
    web = Path(str(resources.files("tipor.web")))
    offenders = [p for p in web.rglob("*") if p.suffix in {".html", ".css", ".js"}
                 and re.search(r'(src|href|url)\s*[=(]\s*["\']?https?://', p.read_text())]
    assert offenders == []


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_unknown_page_is_friendly_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "does not exist" in response.text
