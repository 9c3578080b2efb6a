"""In a real browser: build a small fact pattern step by step (no JavaScript needed) and read
the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser import conftest as browser_fixtures
from tests.conftest import PASSWORD, Factory
from tipor.accounts.models import Role

pytestmark = pytest.mark.browser
live_url = browser_fixtures.live_url
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#my-role")


def add(page: Any, step: str, fields: dict[str, str], checks: dict[str, list[str]],
        selects: dict[str, str]) -> None:
    if page.locator(f"#form-{step}").is_hidden():
        page.click(f"#add-{step}")
    for name, value in fields.items():
        page.fill(f"#{step}-{name}", value)
    for name, values in checks.items():
        for value in values:
            page.check(f"#form-{step} input[name={name}][value='{value}']")
    for name, value in selects.items():
        page.select_option(f"#{step}-{name}", value)
    page.click(f"#submit-{step}")
    page.wait_for_load_state()


def test_build_pattern_step_by_step_and_read_report(page: Any, live_url: str,
                                                    factory: Factory) -> None:
    user = factory.user(Role.PROSECUTOR)
    sign_in(page, live_url, user.username)
    page.click("a[href='/qualify']")
    page.fill("#case-title", "Fictional browser case")
    page.click("#save-case")
    est = {"firmness": "established", "source": "testimony"}
    add(page, "persons", {"label": "Testperson Alpha", "age": "16", "nationalities": "NP"},
        {"roles": ["donor"]}, est)
    add(page, "persons", {"label": "Testperson Bravo", "nationalities": "NP"},
        {"roles": ["recruiter"]}, est)
    assert page.locator("#items-persons tr").count() == 2
    add(page, "places", {"label": "Fictional clinic", "country": "IN"}, {}, {})
    add(page, "acts", {"date": "2023-04"}, {"actors": ["p2"], "victims": ["p1"]},
        {"kind": "recruitment", "place": "pl1", **est})
    add(page, "purposes", {"organ": "kidney"}, {"victims": ["p1"], "held_by": ["p2"]},
        {"stage": "intended", **est})
    page.click("#run-qualification")
    page.wait_for_selector("#report")
    assert "does not replace" in page.locator("#report-notice").inner_text()
    tip = page.locator("#track-trafficking").inner_text()
    assert "Testperson Alpha" in tip and "established" in tip
    assert "not required" in tip  # a child needs no means
    assert page.locator(".verif-unverified").count() > 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "law-report.png"), full_page=False)
    page.emulate_media(media="print")
    assert page.locator("#form-edit").is_hidden()
    page.emulate_media(media="screen")
    page.click("#edit-facts")
    page.wait_for_selector("#step-acts")
    assert page.locator("#items-acts tr").count() == 1
