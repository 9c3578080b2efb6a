"""In a real browser: an NGO caseworker refers a presumed victim to a health authority; the
clinician sees only the medical section, records the aftercare check and completes the
referral; the caseworker sees it completed. The caseworker opens the case and adds the person
through the pages too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.conftest import live_url  # noqa: F401
from tests.browser.test_shell_browser import sign_in
from tests.conftest import Factory
from tipor.accounts.models import AgencyKind, Role
from tipor.security.crypto import Keyring
from tipor.settings import Settings

pytestmark = pytest.mark.browser


def _case_in_browser(page: Any, base: str) -> int:
    """The caseworker opens a case and adds the presumed victim through the pages."""
    page.goto(f"{base}/cases")
    page.fill("#c-title", "Fictional case: kidney removed abroad")
    page.fill("#c-jur", "NP, IN")
    page.get_by_role("button", name="Create").click()
    page.wait_for_selector("#case-status")
    case_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.click("#tab-people")
    page.click("#add-person")
    page.fill("#p-name", "Fictional Samir Ashgrove")
    page.check("input[name=roles][value=presumed_victim]")
    page.fill("#p-age", "27")
    page.get_by_role("button", name="Create").first.click()
    page.wait_for_selector("#people-table >> text=Fictional Samir Ashgrove")
    return case_id


def test_refer_to_health_authority_and_complete_aftercare(
    page: Any, live_url: str, factory: Factory, settings: Settings, keyring: Keyring,  # noqa: F811
) -> None:
    ngo = factory.agency(AgencyKind.NGO, "Fictional NGO")
    health = factory.agency(AgencyKind.HEALTH_AUTHORITY, "Fictional Health Authority")
    factory.user(Role.CASEWORKER, agency=ngo, username="worker1")
    factory.user(Role.CLINICIAN, agency=health, username="clin1")
    soon = (dt.date.today() + dt.timedelta(days=7)).isoformat()

    sign_in(page, live_url, "worker1")
    page.wait_for_selector("#my-role")
    case_id = _case_in_browser(page, live_url)
    page.goto(f"{live_url}/cases/{case_id}/referrals")
    for purpose, field, value in (("share_with_agency", "#c-agency", str(health.id)),
                                  ("refer_to_service", "#c-service", "medical_aftercare")):
        page.click("#new-consent")
        page.select_option("#c-purpose", purpose)
        page.select_option(field, value)
        page.select_option("#c-method", "written")
        page.click("#c-submit")
        page.wait_for_selector("#consent-table")
    assert page.locator("#consent-table tbody tr").count() == 2
    page.click("#new-referral")
    page.select_option("#r-agency", str(health.id))
    page.select_option("#r-service", "medical_aftercare")
    page.check("#r-section-medical")
    page.fill("#r-follow-up", soon)
    page.fill("#r-reason", "Fictional: no check since surgery, pain at the scar")
    page.click("#r-submit")
    page.wait_for_selector("#referral-1-status")
    assert page.locator("#referral-1-status").inner_text() == "Proposed"
    page.click("text=Sign out")

    sign_in(page, live_url, "clin1")
    page.wait_for_selector("#my-role")
    page.goto(f"{live_url}/cases/{case_id}/referrals")
    page.select_option("#t1-to", "accepted")
    page.fill("#t1-follow-up", soon)
    page.click("#t1-submit")
    page.wait_for_selector("#aftercare-form", state="attached")
    assert "Medical" in page.locator("#case-access").inner_text()
    assert "Fictional Samir" not in page.content()  # identity was not granted
    assert page.locator("#tab-people").count() == 1 and page.locator("#tab-tasks").count() == 0
    page.click("#new-aftercare")
    page.fill("#a-surgery", (dt.date.today() - dt.timedelta(days=8)).isoformat())
    page.select_option("#a-referral", "1")
    page.click("#a-submit")
    page.wait_for_selector("#support-table .is-overdue")
    first = page.locator("#support-table tbody tr").first
    item_id = first.get_attribute("id").split("-")[1]
    page.fill(f"#k{item_id}-done", dt.date.today().isoformat())
    page.fill(f"#k{item_id}-result", "Fictional: BP 138/88, eGFR 61, wound healed")
    page.click(f"#k{item_id}-submit")
    page.wait_for_selector(f"#support-{item_id}-result")
    page.select_option("#t1-to", "in_progress")
    page.fill("#t1-follow-up", soon)
    page.click("#t1-submit")
    page.wait_for_selector("#referral-1-status >> text=In progress")
    page.select_option("#t1-to", "completed")
    page.fill("#t1-note", "Fictional: handed over to the district nephrology clinic")
    page.click("#t1-submit")
    page.wait_for_selector("#my-role")  # back on the dashboard: the case is no longer visible
    page.goto(f"{live_url}/cases/{case_id}/referrals")
    assert page.locator("#error-message").count() == 1
    page.click("text=Sign out")

    sign_in(page, live_url, "worker1")
    page.wait_for_selector("#my-role")
    page.goto(f"{live_url}/cases/{case_id}/referrals")
    assert page.locator("#referral-1-status").inner_text() == "Completed"
    assert "district nephrology" in page.locator("#referral-1-history").inner_text()
    assert "eGFR 61" in page.locator("#support-table").inner_text()
