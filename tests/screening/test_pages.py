"""Screening and catalogue pages: profiles, the form, the result, saving, the case tab."""

from __future__ import annotations

import html
import json
import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.conftest import Factory, csrf_from, login
from tests.screening.test_service import app_catalogue
from tipor.accounts.models import Agency, AgencyKind, Role
from tipor.catalogue.model import Catalogue
from tipor.catalogue.schema import Strength
from tipor.db import open_session
from tipor.screening.tables import Screening
from tipor.settings import Settings

__all__ = ["app_catalogue"]


def esc(text: str) -> str:
    """Text as Jinja escapes it."""
    return str(escape(text))


@pytest.fixture
def ngo(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.NGO, "Fictional Outreach NGO")


@pytest.fixture
def inv(client: TestClient, factory: Factory, ngo: Agency) -> TestClient:
    factory.user(Role.INVESTIGATOR, agency=ngo, username="inv")
    login(client, "inv")
    return client


def _strongest(cat: Catalogue, profile: str, n: int) -> list[str]:
    ordered = sorted(cat.indicators_for(profile), key=lambda i: list(Strength).index(i.strength))
    return [i.id for i in ordered[:n]]


def _saved(settings: Settings) -> int:
    db = open_session(settings)
    try:
        return db.query(Screening).count()
    finally:
        db.close()


def test_index_lists_every_profile(inv: TestClient, app_catalogue: Catalogue) -> None:
    page = inv.get("/screening")
    assert page.status_code == 200
    for profile in app_catalogue.profiles:
        assert f'id="profile-{profile.id}"' in page.text
        assert esc(profile.title.en) in page.text


def test_form_renders_every_profile_indicator(inv: TestClient, app_catalogue: Catalogue) -> None:
    for profile in app_catalogue.profiles:
        observer = profile.observers[0].value
        page = inv.get(f"/screening/{profile.id}", params={"observer": observer})
        assert page.status_code == 200, page.text
        for ind in app_catalogue.indicators_for(profile.id):
            assert f'id="ind-{ind.id}"' in page.text
            assert esc(ind.label.en) in page.text
            assert esc(app_catalogue.question(ind.id, observer, "en")) in page.text
            checked = re.search(rf'name="answer-{ind.id}" value="unknown" checked', page.text)
            assert checked, f"{ind.id} does not default to unknown"


def test_unknown_profile_or_observer_is_refused(inv: TestClient) -> None:
    missing = inv.get("/screening/no_such_profile")
    assert missing.status_code == 422 and "no_such_profile" in missing.text
    profile = inv.get("/screening").text
    first = re.search(r'id="profile-([a-z_]+)"', profile)
    assert first
    bad = inv.get(f"/screening/{first.group(1)}", params={"observer": "astrologer"})
    assert bad.status_code == 422 and "astrologer" in bad.text


def test_post_gives_result_and_save_attaches_to_case(
    inv: TestClient, app_catalogue: Catalogue, settings: Settings,
) -> None:
    profile = app_catalogue.profiles[0].id
    form = inv.get(f"/screening/{profile}")
    yes = _strongest(app_catalogue, profile, 2)
    data = {"csrf_token": csrf_from(form.text), "catalogue_version": app_catalogue.version}
    data |= {f"answer-{i}": "yes" for i in yes}
    data[f"note-{yes[0]}"] = "Fictional Person Gamma showed a fresh scar"
    data[f"source-{yes[0]}"] = "Fictional interview"
    result = inv.post(f"/screening/{profile}", data=data)
    assert result.status_code == 200, result.text
    assert 'id="result-level" data-level="high"' in result.text
    assert 'id="judgement-notice"' in result.text and 'id="next-referrals"' in result.text
    assert f"Indicator catalogue {app_catalogue.version}, engine screening-1" in result.text
    assert "Fictional Person Gamma showed a fresh scar" in result.text
    assert _saved(settings) == 0
    case_page = inv.get("/cases")
    created = inv.post("/cases", data={"title": "Fictional screening case",
                                       "csrf_token": csrf_from(case_page.text)})
    case_id = int(str(created.url).rsplit("/", 1)[1])
    result = inv.post(f"/screening/{profile}", data=data | {"case_id": str(case_id)})
    input_json = html.unescape(re.search(r'name="input_json" value="([^"]*)"', result.text).group(1))
    saved = inv.post("/screening/saved", data={"csrf_token": csrf_from(result.text),
                                               "input_json": input_json, "case_id": str(case_id)})
    assert saved.status_code == 200 and re.search(r"/screening/saved/\d+$", str(saved.url))
    assert 'id="saved-info"' in saved.text and 'data-level="high"' in saved.text
    assert _saved(settings) == 1
    tab = inv.get(f"/cases/{case_id}/screenings")
    assert tab.status_code == 200 and 'id="case-screenings"' in tab.text
    assert 'aria-current="page" id="tab-screenings"' in tab.text
    assert f'href="/screening?case_id={case_id}"' in tab.text


def test_forged_bad_answer_is_422_and_nothing_saved(
    inv: TestClient, app_catalogue: Catalogue, settings: Settings,
) -> None:
    profile = app_catalogue.profiles[0].id
    form = inv.get(f"/screening/{profile}")
    ind = app_catalogue.indicators_for(profile)[0].id
    bad = inv.post(f"/screening/{profile}", data={"csrf_token": csrf_from(form.text),
                                                  f"answer-{ind}": "maybe"})
    assert bad.status_code == 422
    assert "maybe" in bad.text and "&#39;yes&#39;, &#39;no&#39; or &#39;unknown&#39;" in bad.text
    forged = inv.post(f"/screening/{profile}", data={"csrf_token": csrf_from(form.text),
                                                     "answer-XXX-99": "yes"})
    assert forged.status_code == 422 and "XXX-99" in forged.text
    no_csrf = inv.post(f"/screening/{profile}", data={f"answer-{ind}": "yes"})
    assert no_csrf.status_code == 403
    assert _saved(settings) == 0


def test_other_agency_cannot_open_saved_screening(
    client: TestClient, factory: Factory, ngo: Agency, app_catalogue: Catalogue,
) -> None:
    factory.user(Role.INVESTIGATOR, agency=ngo, username="inv")
    factory.user(Role.INVESTIGATOR, agency=factory.agency(AgencyKind.POLICE), username="cop")
    login(client, "inv")
    profile = app_catalogue.profiles[0].id
    doc = json.dumps({"profile": profile, "catalogue_version": app_catalogue.version})
    home = client.get("/screening")
    saved = client.post("/screening/saved", data={"csrf_token": csrf_from(home.text),
                                                  "input_json": doc})
    url = str(saved.url)
    assert saved.status_code == 200 and 'data-level="none"' in saved.text
    client.cookies.clear()
    login(client, "cop")
    assert client.get(url).status_code == 404


def test_catalogue_pages_filter_and_show_sources(inv: TestClient, app_catalogue: Catalogue) -> None:
    listing = inv.get("/catalogue")
    assert listing.status_code == 200
    for ind in app_catalogue.indicators:
        assert f'href="/catalogue/{ind.id}"' in listing.text
    strong = inv.get("/catalogue", params={"strength": "strong"})
    for ind in app_catalogue.indicators:
        assert (f'href="/catalogue/{ind.id}"' in strong.text) == (ind.strength is Strength.strong)
    assert inv.get("/catalogue", params={"stage": "nowhere"}).status_code == 422
    ind = app_catalogue.indicators[0]
    detail = inv.get(f"/catalogue/{ind.id}")
    assert detail.status_code == 200 and 'id="sources"' in detail.text
    for source in ind.sources:
        assert esc(source.ref) in detail.text
    if any(s.verification.value == "unverified" for s in ind.sources):
        assert "unverified — not checked against the original source" in detail.text
    assert inv.get("/catalogue/XXX-99").status_code == 404


def test_pages_follow_the_user_language(
    client: TestClient, factory: Factory, ngo: Agency, settings: Settings,
    app_catalogue: Catalogue,
) -> None:
    user = factory.user(Role.CASEWORKER, agency=ngo, username="ur_worker")
    db = open_session(settings)
    from tipor.accounts.models import User

    stored = db.get(User, user.id)
    assert stored is not None
    stored.language = "ur"
    db.commit()
    db.close()
    login(client, "ur_worker")
    profile = app_catalogue.profiles[0]
    page = client.get(f"/screening/{profile.id}")
    assert 'dir="rtl"' in page.text and esc(profile.title.ur) in page.text
    assert "مسودہ ترجمہ" in page.text  # draft translation shown for Urdu


def test_case_observations_prefill_the_form(client: TestClient, factory: Factory) -> None:
    """The case's facts feed the screening directly: observations recorded on the case are
    the form's starting answers."""
    from tests.support.api import Api
    from tipor.accounts.models import AgencyKind, Role

    agency = factory.agency(AgencyKind.POLICE, "Fictional Prefill Police")
    factory.user(Role.INVESTIGATOR, agency=agency, username="prefill")
    api = Api(client, "prefill")
    cid = api.post("/cases", {"title": "Fictional prefill case"}).json()["id"]
    assert api.post(f"/cases/{cid}/observations", {"indicator_id": "VIC-01", "answer": "yes",
                                                   "note": "fresh scar seen",
                                                   "source": "officer"}).status_code == 201
    page = client.get(f"/screening/victim_encounter?case_id={cid}")
    assert page.status_code == 200
    assert 'name="answer-VIC-01" value="yes" checked' in page.text
    assert "fresh scar seen" in page.text
