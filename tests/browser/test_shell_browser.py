"""In a real browser: sign in, switch to Arabic (right-to-left), admin pages refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD, Factory
from tests.web.conftest import ADMIN_SECRET, enrol_admin
from tipor.accounts.models import Role
from tipor.security import totp
from tipor.security.crypto import Keyring
from tipor.settings import Settings

pytestmark = pytest.mark.browser


def sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_switch_to_arabic_and_refused_admin(page: Any, live_url: str,
                                                    factory: Factory) -> None:
    user = factory.user(Role.CASEWORKER)
    sign_in(page, live_url, user.username)
    page.wait_for_selector("#my-role")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("link", name="Users").count() == 0
    page.select_option("#lang-select", "ar")  # submits on change
    page.wait_for_selector("html[dir=rtl]")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("h1").inner_text() == "لوحة المعلومات"
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"
    page.goto(f"{live_url}/admin/users")
    assert "ليس لديك إذن" in page.locator("#error-message").inner_text()
    page.screenshot(path=str(_shot("arabic-refused.png")))


def test_wrong_password_then_keyboard_only_sign_in(page: Any, live_url: str,
                                                   factory: Factory) -> None:
    user = factory.user(Role.INVESTIGATOR)
    sign_in(page, live_url, user.username, "Not-Right-Pass-1")
    assert page.locator("#login-error").inner_text() == "Wrong username or password."
    page.goto(f"{live_url}/login")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#my-role")
    assert page.locator("#my-role").inner_text() == "Investigator"


def test_admin_signs_in_with_second_factor_and_sees_audit(
    page: Any, live_url: str, factory: Factory, settings: Settings, keyring: Keyring,
) -> None:
    enrol_admin(settings, factory, keyring)
    sign_in(page, live_url, "admin1")
    page.wait_for_url("**/login/totp")
    page.get_by_label("6-digit code").fill(totp.current_code(ADMIN_SECRET))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_selector("#my-role")
    page.get_by_role("link", name="Audit log").click()
    page.get_by_role("button", name="Verify the chain").click()
    assert "intact" in page.locator("#verdict").inner_text()


def _shot(name: str) -> Any:
    from pathlib import Path

    folder = Path("test-results")
    folder.mkdir(exist_ok=True)
    return folder / name


def test_api_documentation_renders_for_a_signed_in_user(page: Any, live_url: str,
                                                        factory: Factory) -> None:
    """Swagger UI 5 (served by the app) renders the OpenAPI 3.1 document; nothing from outside."""
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_url) else None)
    user = factory.user(Role.INVESTIGATOR)
    sign_in(page, live_url, user.username)
    page.wait_for_selector("#my-role")
    page.goto(f"{live_url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
    assert "tipor API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 20  # the operations are listed
    assert not page.get_by_text("does not specify a valid version field").count()
    assert outside == []
