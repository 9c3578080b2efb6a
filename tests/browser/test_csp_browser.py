"""In a real browser, under the strict Content-Security-Policy: pages and the API
documentation work and the browser reports no blocked script or style."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_shell_browser import sign_in
from tests.conftest import Factory
from tipor.accounts.models import Role

pytestmark = pytest.mark.browser


def _violations(page: Any) -> list[str]:
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    return found


def test_pages_and_api_docs_run_without_csp_violations(page: Any, live_url: str,
                                                       factory: Factory) -> None:
    violations = _violations(page)
    sign_in(page, live_url, factory.user(Role.INVESTIGATOR).username)
    page.wait_for_selector("#my-role")
    for path in ("/", "/cases", "/screening", "/catalogue", "/qualify", "/account"):
        page.goto(f"{live_url}{path}")
        page.wait_for_load_state("load")
    page.select_option("#lang-select", "ur")  # tipor.js still submits on change
    page.wait_for_selector("html[dir=rtl]")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/openapi.json")) as spec:
        page.goto(f"{live_url}/api/docs")  # swagger-init.js ran: it fetched the document
    assert spec.value.status == 200
    page.wait_for_selector("#swagger-ui .swagger-ui")  # Swagger UI rendered under the CSP
    assert violations == []
    # the policy is live and the listener hears it: an injected inline script is refused
    page.goto(f"{live_url}/")
    page.evaluate("() => { const s = document.createElement('script');"
                  " s.textContent = 'window.ran = 1'; document.body.appendChild(s); }")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None and violations
