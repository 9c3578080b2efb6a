"""Legal qualification pages: the step-by-step form builds a valid pattern, the report shows the
notice and unverified labels, pasted patterns report every problem, jurisdiction browser."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Factory, csrf_from, login
from tests.law.factories import act, base, payment, person
from tests.law.jur_fixtures import jset, world
from tipor.accounts.models import Agency, AgencyKind, Role
from tipor.law import pages as law_pages
from tipor.law import service as law_service
from tipor.law.validate import parse_fact_pattern

CASES = Path(__file__).parent / "cases"


@pytest.fixture
def police(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.POLICE, "Fictional Police")


def draft_of(page: str) -> dict[str, Any]:
    match = re.search(r'name="draft" value="([^"]*)"', page)
    assert match, "page has no draft"
    data: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return data


class Builder:
    """Drives the no-JavaScript form: each post carries the draft the last page returned."""

    def __init__(self, client: TestClient, url: str = "/qualify") -> None:
        self.client, self.url = client, url
        self.page = client.get(url).text

    def post(self, action: str, expect: int = 200, **fields: Any) -> str:
        data = {"action": action, "draft": json.dumps(draft_of(self.page)),
                "csrf_token": csrf_from(self.page), **fields}
        response = self.client.post(self.url, data=data)
        assert response.status_code == expect, response.text[:2000]
        self.page = response.text
        return response.text


FACT = {"source": "testimony", "firmness": "established"}


def build_small_case(b: Builder) -> None:
    b.post("set_case", title="Fictional kidney case", jurisdictions="pk")
    b.post("add_persons", label="Testperson Alpha", roles=["donor"], age="17",
           nationalities="PK", **FACT)
    b.post("add_persons", label="Testperson Bravo", roles=["broker", "recruiter"],
           nationalities="pk, in", **FACT)
    b.post("add_places", label="Fictional village", country="pk")
    b.post("add_acts", kind="recruitment", actors=["p2"], victims=["p1"], place="pl1",
           date="2023-04", stage="completed", **FACT)
    b.post("add_means", kind="deception", by=["p2"], victims=["p1"], about=["organ_regrows"],
           **FACT)
    b.post("add_purposes", victims=["p1"], held_by=["p2"], stage="intended", organ="kidney",
           **FACT)
    b.post("add_payments", payer="p2", payee="p1", donor="p1", amount="1500", currency="usd",
           status="promised", purpose="organ", source="testimony", firmness="alleged")
    b.post("add_consents", person="p1", content="consented", informed="no", **FACT)


def test_form_round_trip_builds_a_valid_pattern(client: TestClient, factory: Factory,
                                                police: Agency) -> None:
    factory.user(Role.PROSECUTOR, agency=police, username="pros")
    login(client, "pros")
    b = Builder(client)
    assert 'id="step-persons"' in b.page and "does not replace" in b.page
    build_small_case(b)
    draft = draft_of(b.page)
    pattern = parse_fact_pattern(draft)
    assert [p.id for p in pattern.persons] == ["p1", "p2"]
    assert pattern.persons[1].nationalities == ["PK", "IN"]
    assert pattern.acts[0].victims == ["p1"] and pattern.means[0].about == ["organ_regrows"]
    assert pattern.payments[0].currency == "USD" and pattern.payments[0].amount == 1500
    assert pattern.consents[0].informed is False
    assert pattern.jurisdictions == ["PK"]
    b.post("remove", target="consents:c1")
    assert "consents" not in draft_of(b.page) or draft_of(b.page)["consents"] == []


TIER_LABELS = {"primary": "verified (statute text)", "official": "official summary",
               "reported": "press or NGO report", "unverified": "unverified",
               "general_principle": "general principle of jurisdiction"}


def assert_tier_labels(page: str) -> None:
    """Every tier badge carries its own label; only primary is styled as verified."""
    badges = re.findall(r'class="verif verif-(\w+) tier tier-(\w+)">([^<;]+)', page)
    assert badges
    for style, tier, label in badges:
        assert label == TIER_LABELS[tier]
        assert (style == "verified") == (tier == "primary")


def test_report_page_shows_notice_and_unverified_labels(client: TestClient, factory: Factory,
                                                        police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    b = Builder(client)
    build_small_case(b)
    report = b.post("run", only=["PK"])
    assert 'id="report"' in report
    assert "supports legal judgement and does not replace it" in report
    assert_tier_labels(report)
    assert "verif-unverified" in report
    assert "Evidence still needed" in report and "Pakistan" in report
    assert 'id="track-crossborder"' in report
    assert "/static/css/law.css" in report
    edit = b.post("edit")
    assert draft_of(edit)["title"] == "Fictional kidney case" and 'id="step-acts"' in edit


def test_bad_item_keeps_input_and_names_the_field(client: TestClient, factory: Factory,
                                                  police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    b = Builder(client)
    page = b.post("add_persons", expect=422, label="Testperson Alpha", age="two hundred",
                  **FACT)
    assert "persons[0].roles" in page and "persons[0].age" in page
    assert 'value="Testperson Alpha"' in page
    assert draft_of(page).get("persons", []) == []


def test_run_with_broken_references_lists_paths(client: TestClient, factory: Factory,
                                                police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    b = Builder(client)
    build_small_case(b)
    b.post("remove", target="persons:p2")
    page = b.post("run", expect=422)
    assert "acts[0].actors[0]" in page and "means[0].by[0]" in page


def test_pasted_pattern_errors_listed_and_valid_one_runs(client: TestClient, factory: Factory,
                                                         police: Agency) -> None:
    factory.user(Role.PROSECUTOR, agency=police, username="pros")
    login(client, "pros")
    b = Builder(client)
    broken = ("title: Fictional\npersons:\n"
              "  - {id: a, label: A, roles: [wizard], source: x, firmness: established}\n")
    page = b.post("run_text", expect=422, pattern=broken)
    assert "persons[0].roles[0]" in page and "persons[0].source" in page
    assert "wizard" in page  # the pasted text is kept for correction
    text = (CASES / "ekweremadu.yaml").read_text(encoding="utf-8")
    report = b.post("run_text", pattern=text)
    assert 'id="report"' in report and "does not replace" in report
    loaded = b.post("load", pattern=text)
    assert draft_of(loaded)["title"].startswith("Ekweremadu") or draft_of(loaded)["title"]
    assert 'id="items-persons"' in loaded


def test_upload_a_file(client: TestClient, factory: Factory, police: Agency) -> None:
    factory.user(Role.PROSECUTOR, agency=police, username="pros")
    login(client, "pros")
    page = client.get("/qualify").text
    data = (CASES / "netcare.yaml").read_bytes()
    response = client.post("/qualify", data={"action": "run_text", "draft": "{}",
                                             "csrf_token": csrf_from(page)},
                           files={"file": ("netcare.yaml", data, "application/yaml")})
    assert response.status_code == 200 and "Netcare" in response.text
    assert 'id="report"' in response.text


def test_form_refused_without_law_qualify(client: TestClient, factory: Factory,
                                          police: Agency) -> None:
    factory.user(Role.CASEWORKER, agency=police, username="caseworker")
    login(client, "caseworker")
    assert client.get("/qualify").status_code == 403


def test_jurisdiction_pages(client: TestClient, factory: Factory, police: Agency) -> None:
    factory.user(Role.TRAINER, agency=police, username="trainer")
    login(client, "trainer")
    listing = client.get("/law/jurisdictions")
    assert listing.status_code == 200 and 'href="/law/jurisdictions/XK"' in listing.text
    one = client.get("/law/jurisdictions/XK")
    assert one.status_code == 200 and "Kosovo" in one.text and "verif-" in one.text
    assert "Source" in one.text and "Versions" in one.text
    assert_tier_labels(one.text)
    assert "press or NGO report" in listing.text and "verified (statute text)" in listing.text
    assert client.get("/law/jurisdictions/QQ").status_code == 404


def test_form_in_arabic_is_right_to_left(client: TestClient, factory: Factory,
                                         police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    page = client.get("/qualify").text
    client.post("/language", data={"language": "ar", "next": "/qualify",
                                   "csrf_token": csrf_from(page)})
    ar = client.get("/qualify").text
    assert 'dir="rtl"' in ar and 'id="step-means"' in ar


def test_jurisdiction_page_shows_versions_bars_general_part_and_reviews(
        client: TestClient, factory: Factory, police: Agency,
        monkeypatch: pytest.MonkeyPatch) -> None:
    india = world().profiles["IN"].model_dump(mode="json")
    india["non_punishment"]["reviews"] = [{"by": "Fictional Reviewer", "on": "2026-11-30",
                                           "against": "Fictional Act text",
                                           "outcome": "could_not_verify"}]
    data = jset(india)
    monkeypatch.setattr(law_pages, "get_profile", lambda code: data.profiles["IN"])
    factory.user(Role.TRAINER, agency=police, username="trainer")
    login(client, "trainer")
    page = client.get("/law/jurisdictions/IN").text
    assert_tier_labels(page)
    assert 'tier tier-primary">verified (statute text)' in page  # s.18 (amended)
    assert "s.18 (amended)" in page and "2014-01-10" in page
    assert "cognizance only on the Appropriate Authority" in page
    assert "attempt (s.511)" in page
    assert "2026-11-30, Fictional Reviewer: could_not_verify" in page


def test_web_report_shows_procedural_bars_tiers_and_the_version_in_force(
        client: TestClient, factory: Factory, police: Agency,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = world()
    monkeypatch.setattr(law_service, "get_jurisdictions", lambda: data)
    monkeypatch.setattr(law_pages, "get_jurisdictions", lambda: data)
    doc = base(persons=[person("sigma", "surgeon")],
               acts=[act("r1", "removal", actors=["sigma"], place="abroad", date="2008",
                         authorisation="unauthorised")],
               payments=[payment("pay1", "bravo", "alpha", place="abroad", date="2008")])
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    page = Builder(client).post("run_text", pattern=json.dumps(doc), only=["IN"])
    assert_tier_labels(page)
    assert "Procedural bar:" in page and "Appropriate Authority" in page
    assert "cannot be applied to 2008 conduct" in page
    assert "up to 5 years" in page and "up to 10 years" not in page
