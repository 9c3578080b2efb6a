"""Browser hardening: no inline script or style on any page, a CSP without 'unsafe-inline',
HSTS only in production, no-store on pages and API answers, API documentation behind sign-in,
and every error status documented in the OpenAPI document."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Factory, csrf_from, login
from tests.support.api import Api
from tipor.accounts.models import Role
from tipor.settings import Settings
from tipor.web.app import create_app
from tipor.web.headers import ascii_fallback, attachment

HANDLER = re.compile(r"^on(click|dblclick|change|submit|reset|load|unload|beforeunload|input|"
                     r"invalid|error|focus\w*|blur|key\w+|mouse\w+|pointer\w+|touch\w+|drag\w*|"
                     r"drop|select|scroll|resize|toggle|wheel|copy|cut|paste|contextmenu)$")


class InlineFinder(HTMLParser):
    """Collects inline scripts, style blocks, style attributes and on* handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> block")
        self.found += [f"{tag} {name}=" for name in names
                       if name == "style" or HANDLER.match(name)]


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_finder_catches_inline_parts() -> None:
    html = '<script>x()</script><p style="color:red" onclick="y()"><style>p{}</style>'
    assert inline_parts(html) == ["<script> without src", "p style=", "p onclick=",
                                  "<style> block"]


def test_no_template_has_inline_script_or_style() -> None:
    folder = Path(str(resources.files("tipor.web") / "templates"))
    offenders = {p.name: inline_parts(p.read_text()) for p in folder.rglob("*.html")}
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.fixture
def signed_in(client: TestClient, factory: Factory) -> tuple[TestClient, int]:
    factory.user(Role.INVESTIGATOR, username="inv1")
    api = Api(client, "inv1")
    cid = api.post("/cases", {"title": "Fictional page case"}).json()["id"]
    return client, int(cid)


PAGES = ["/", "/cases", "/cases/{cid}", "/cases/{cid}/people", "/cases/{cid}/timeline",
         "/cases/{cid}/evidence", "/cases/{cid}/tasks", "/screening", "/catalogue", "/qualify",
         "/account", "/api/docs", "/no/such/page"]


def test_rendered_pages_have_no_inline_script_and_no_store(signed_in: tuple[TestClient, int]) -> None:
    client, cid = signed_in
    for path in PAGES:
        response = client.get(path.format(cid=cid))
        assert "text/html" in response.headers["content-type"], path
        assert inline_parts(response.text) == [], path
        assert response.headers["cache-control"] == "no-store", path
        csp = response.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp, path


def test_login_page_and_api_answers_are_no_store(client: TestClient) -> None:
    login_page = client.get("/login")
    assert inline_parts(login_page.text) == []
    for response in (login_page, client.get("/api/v1/me"), client.get("/healthz")):
        assert response.headers["cache-control"] == "no-store"
    static = client.get("/static/css/tipor.css")
    assert static.headers.get("cache-control") != "no-store"


@pytest.mark.parametrize("mode,hsts", [("production", True), ("development", False),
                                       ("test", False)])
def test_hsts_only_in_production(settings: Settings, mode: str, hsts: bool) -> None:
    key = base64.urlsafe_b64encode(b"Fictional production key 32 byte").decode()
    secrets = {"secret_key": "s" * 48, "data_keys": f"k1:{key}", "blind_index_key": "b" * 48,
               "cookie_secure": True} if mode == "production" else {}
    with TestClient(create_app(settings.model_copy(update={"mode": mode} | secrets))) as client:
        response = client.get("/login")
    assert ("strict-transport-security" in response.headers) is hsts
    if hsts:
        assert "max-age=63072000" in response.headers["strict-transport-security"]


def test_api_docs_need_a_signed_in_user(client: TestClient, factory: Factory) -> None:
    anonymous_spec = client.get("/api/v1/openapi.json")
    assert anonymous_spec.status_code == 401 and "paths" not in anonymous_spec.json()
    docs = client.get("/api/docs", follow_redirects=False)
    assert docs.status_code == 303 and docs.headers["location"].startswith("/login")
    login(client, factory.user().username)
    assert client.get("/api/v1/openapi.json").status_code == 200
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/static/js/swagger-init.js" in page.text


def _spec(client: TestClient, factory: Factory) -> dict[str, Any]:
    home = login(client, factory.user().username)
    assert csrf_from(home.text)
    return dict(client.get("/api/v1/openapi.json").json())


def test_every_operation_documents_its_errors(client: TestClient, factory: Factory) -> None:
    spec = _spec(client, factory)
    assert "Error" in spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert "422" in codes, (method, path)
            if op.get("requestBody"):
                assert {"400", "413"} <= codes, (method, path)
            if path != "/api/v1/healthz":
                assert {"401", "403", "404", "409", "503"} <= codes, (method, path)
            for code in codes - {"200", "201", "204"}:
                content = op["responses"][code]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, code)


def test_integer_parameters_carry_the_database_range(client: TestClient, factory: Factory) -> None:
    spec = _spec(client, factory)
    op = spec["paths"]["/api/v1/cases/{case_id}"]["get"]
    schema = next(p["schema"] for p in op["parameters"] if p["name"] == "case_id")
    assert schema["maximum"] == 2**31 - 1
    page = next(p["schema"] for p in spec["paths"]["/api/v1/cases"]["get"]["parameters"]
                if p["name"] == "page")
    assert page["minimum"] == 1 and page["maximum"] == 2**31 - 1


@pytest.mark.parametrize("name,fallback", [
    ("report.pdf", "report.pdf"), ("Café menu.txt", "Cafe menu.txt"),
    ("گواہ کا بیان.pdf", "download.pdf"), ("تقرير", "download"),
    ('a"b\\c;d.txt', "a_b_c_d.txt"),
])
def test_ascii_fallback(name: str, fallback: str) -> None:
    assert ascii_fallback(name) == fallback


def test_attachment_header_is_latin1_and_carries_utf8_name() -> None:
    value = attachment("تقرير\r\nSet-Cookie: x.pdf")
    value.encode("latin-1")
    assert "\r" not in value and "\n" not in value
    assert re.search(r"filename\*=UTF-8''%D8%AA", value)
    assert attachment("plain.txt") == 'attachment; filename="plain.txt"'
