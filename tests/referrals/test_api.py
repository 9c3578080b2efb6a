"""The referral API: consent gate, transitions with 409, what the receiver sees, alerts,
aftercare, bad input (422 naming the field, nothing stored). Both engines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.cases.test_api import Api, _count
from tests.conftest import Factory
from tipor.accounts.models import AgencyKind, Role
from tipor.settings import Settings

SOON = (dt.date.today() + dt.timedelta(days=5)).isoformat()
PAST = (dt.date.today() - dt.timedelta(days=1)).isoformat()


class Scene:
    def __init__(self, worker: Api, clinician: Api, health_id: int) -> None:
        self.worker, self.clinician, self.health_id = worker, clinician, health_id
        case = worker.post("/cases", {"title": "Fictional referral case", "jurisdictions": ["pk"]})
        self.case_id = case.json()["id"]
        self.victim = worker.post(f"/cases/{self.case_id}/parties", {
            "roles": ["presumed_victim"], "name": "Fictional Bilal Stonemarsh"}).json()["id"]

    def consents(self) -> list[int]:
        ids = []
        for body in ({"purpose": "share_with_agency", "agency_id": self.health_id},
                     {"purpose": "refer_to_service", "service": "medical_aftercare"}):
            r = self.worker.post(f"/cases/{self.case_id}/consents",
                                 {"party_id": self.victim, "method": "written"} | body)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        return ids

    def refer(self, **body: Any) -> Any:
        return self.worker.post(f"/cases/{self.case_id}/referrals", {
            "party_id": self.victim, "to_agency_id": self.health_id, "service": "medical_aftercare",
            "sections": ["medical"], "follow_up": SOON, "reason": "Fictional aftercare"} | body)


@pytest.fixture
def scene(app: Any, client: TestClient, factory: Factory) -> Iterator[Scene]:
    ngo = factory.agency(AgencyKind.NGO, "Fictional NGO")
    health = factory.agency(AgencyKind.HEALTH_AUTHORITY, "Fictional Health Authority")
    factory.user(Role.CASEWORKER, agency=ngo, username="worker1")
    factory.user(Role.CLINICIAN, agency=health, username="clin1")
    with TestClient(app) as other:
        yield Scene(Api(client, "worker1"), Api(other, "clin1"), health.id)


def test_referral_flow_and_receiver_sees_only_granted_sections(scene: Scene) -> None:
    s = scene
    blocked = s.refer()
    assert blocked.status_code == 422 and blocked.json()["problems"][0]["field"] == "consent"
    assert "share_with_agency" in blocked.json()["message"]
    s.consents()
    created = s.refer()
    assert created.status_code == 201, created.text
    ref = created.json()
    assert ref["status"] == "proposed" and len(ref["consent_ids"]) == 2
    summary = s.clinician.get(f"/cases/{s.case_id}").json()
    assert summary["access"]["read"] == [] and summary["parties"][0]["name"] is None
    path = f"/cases/{s.case_id}/referrals/{ref['id']}/transition"
    assert s.worker.post(path, {"to": "accepted", "follow_up": SOON, "version": 1}).status_code == 403
    ok = s.clinician.post(path, {"to": "accepted", "note": "Fictional", "follow_up": SOON,
                                 "version": 1})
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    stale = s.clinician.post(path, {"to": "in_progress", "follow_up": SOON, "version": 1})
    assert stale.status_code == 409 and stale.json()["conflict"]["version"] == 2
    detail = s.clinician.get(f"/cases/{s.case_id}").json()
    assert detail["access"]["read"] == ["medical"]
    assert detail["parties"][0]["name"] is None and detail["notes"] == []
    assert s.clinician.get(f"/cases/{s.case_id}/consents").status_code == 403
    listed = s.clinician.get(f"/cases/{s.case_id}/referrals").json()
    assert [r["id"] for r in listed] == [ref["id"]]
    past = s.clinician.post(path, {"to": "in_progress", "follow_up": PAST, "version": 2})
    assert past.status_code == 422 and past.json()["problems"][0]["field"] == "follow_up"
    plan = s.clinician.post(f"/cases/{s.case_id}/support/aftercare", {
        "party_id": s.victim, "surgery_date": PAST, "referral_id": ref["id"]})
    assert plan.status_code == 201, plan.text
    first = plan.json()[0]
    check = s.clinician.post(f"/cases/{s.case_id}/support/{first['id']}/check", {
        "done_at": dt.date.today().isoformat(), "result": "Fictional: creatinine 1.3",
        "version": first["version"]})
    assert check.status_code == 200 and check.json()["result"] == "Fictional: creatinine 1.3"
    assert s.clinician.post(path, {"to": "in_progress", "follow_up": SOON, "version": 2}).status_code == 200
    done = s.clinician.post(path, {"to": "completed", "note": "Fictional: plan handed over",
                                   "version": 3})
    assert done.status_code == 200 and done.json()["follow_up"] is None
    assert s.clinician.get(f"/cases/{s.case_id}").status_code == 404
    final = s.worker.get(f"/cases/{s.case_id}/referrals").json()[0]
    assert final["status"] == "completed" and [h["to_status"] for h in final["history"]] == [
        "proposed", "accepted", "in_progress", "completed"]


def test_withdrawal_through_api_closes_and_hides(scene: Scene) -> None:
    s = scene
    share, _ = s.consents()
    ref = s.refer().json()
    s.clinician.post(f"/cases/{s.case_id}/referrals/{ref['id']}/transition",
                     {"to": "accepted", "follow_up": SOON, "version": 1})
    out = s.worker.post(f"/cases/{s.case_id}/consents/{share}/withdraw", {"reason": "Fictional"})
    assert out.status_code == 200 and out.json()["closed_referral_ids"] == [ref["id"]]
    assert out.json()["consent"]["withdrawn_at"]
    assert s.clinician.get(f"/cases/{s.case_id}").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"follow_up": PAST}, "follow_up"), ({"to_agency_id": 424242}, "to_agency_id"),
    ({"party_id": 424242}, "party_id"), ({"sections": ["kitchen"]}, "sections.0"),
    ({"service": "spa"}, "service"), ({"follow_up": None}, "follow_up"),
])
def test_bad_input_is_422_naming_the_field(scene: Scene, settings: Settings, body: dict[str, Any],
                                           field: str) -> None:
    scene.consents()
    r = scene.refer(**body)
    assert r.status_code == 422, r.text
    assert r.json()["problems"][0]["field"] == field and field.split(".")[0] in r.json()["message"]
    assert _count(settings, "referrals") == 0 and _count(settings, "referral_changes") == 0


def test_alerts_and_csrf(scene: Scene) -> None:
    s = scene
    s.consents()
    ref = s.refer().json()
    alerts = s.clinician.get("/alerts").json()
    assert [a["referral_id"] for a in alerts["referrals_to_my_agency"]] == [ref["id"]]
    assert alerts["overdue_referrals"] == [] and alerts["overdue_support_items"] == []
    no_csrf = s.worker.client.post(f"/api/v1/cases/{s.case_id}/referrals", json={})
    assert no_csrf.status_code == 403
    schedule = s.worker.get("/aftercare/schedule").json()
    assert schedule["checks"][0]["verification"] == "unverified"
