"""In a real browser: an Urdu-speaking caseworker screens a situation right to left."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import live_url
from tests.conftest import PASSWORD, Factory
from tests.screening.test_service import app_catalogue
from tipor.accounts.models import AgencyKind, Role, User
from tipor.catalogue.model import Catalogue
from tipor.catalogue.schema import Strength
from tipor.db import open_session
from tipor.settings import Settings

__all__ = ["app_catalogue", "live_url"]
pytestmark = pytest.mark.browser


def _urdu_user(factory: Factory, settings: Settings) -> str:
    user = factory.user(Role.CASEWORKER, agency=factory.agency(AgencyKind.NGO, "Fictional NGO"),
                        username="urdu_worker")
    db = open_session(settings)
    stored = db.get(User, user.id)
    assert stored is not None
    stored.language = "ur"
    db.commit()
    db.close()
    return user.username


def test_urdu_user_fills_screening_and_reads_result(
    page: Any, live_url: str, factory: Factory, settings: Settings, app_catalogue: Catalogue,
) -> None:
    username = _urdu_user(factory, settings)
    page.goto(f"{live_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("html[dir=rtl]")
    profile = app_catalogue.profiles[0]
    page.goto(f"{live_url}/screening")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "اسکریننگ"
    page.locator(f"#profile-{profile.id} button[type=submit]").click()
    page.wait_for_selector("#screening-form")
    assert page.locator("html[dir=rtl]").count() == 1
    assert profile.title.ur in page.locator("h1").inner_text()
    indicators = sorted(app_catalogue.indicators_for(profile.id),
                        key=lambda i: list(Strength).index(i.strength))
    for ind in indicators[:3]:
        page.locator(f"#ind-{ind.id} input[value=yes]").check()
    last = indicators[-1]
    page.locator(f"#ind-{last.id} input[value=no]").check()
    page.fill(f"#note-{indicators[0].id}", "Fictional Person Delta: تازہ زخم")
    counts = page.locator("#screening-form .stage-count").all_inner_texts()
    assert any(c and not c.startswith("0") for c in counts)  # the JS counter runs
    page.locator("#screen-submit").click()
    page.wait_for_selector("#result-level")
    assert page.locator("html[dir=rtl]").count() == 1
    level = page.locator("#result-level")
    assert level.get_attribute("data-level") == "high"
    assert level.inner_text() == app_catalogue.title("levels", "high", "ur")
    steps = page.locator("#next-referrals li").all_inner_texts()
    assert steps and steps[0].strip()
    assert "Fictional Person Delta" in page.locator("#contributions").inner_text()
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"
