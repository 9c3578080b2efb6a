"""A stale version on a support check answers 409 with both values as JSON (dates included),
never a 500; implausible follow-up and due dates are refused with 422 naming the field."""

from __future__ import annotations

import datetime as dt

from tests.referrals.test_api import Scene, scene  # noqa: F401

TODAY = dt.date.today()


def _plan(s: Scene) -> dict[str, object]:
    s.consents()
    ref = s.refer().json()
    path = f"/cases/{s.case_id}/referrals/{ref['id']}/transition"
    assert s.clinician.post(path, {"to": "accepted", "follow_up": (
        TODAY + dt.timedelta(days=3)).isoformat(), "version": 1}).status_code == 200
    plan = s.clinician.post(f"/cases/{s.case_id}/support/aftercare", {
        "party_id": s.victim, "surgery_date": TODAY.isoformat(), "referral_id": ref["id"]})
    assert plan.status_code == 201, plan.text
    first: dict[str, object] = plan.json()[0]
    return first


def test_stale_support_check_is_409_with_dates(scene: Scene) -> None:  # noqa: F811
    s = scene
    item = _plan(s)
    path = f"/cases/{s.case_id}/support/{item['id']}/check"
    body = {"done_at": TODAY.isoformat(), "result": "Fictional: creatinine 1.1"}
    assert s.clinician.post(path, body | {"version": item["version"]}).status_code == 200
    stale = s.clinician.post(path, body | {"version": item["version"]})
    assert stale.status_code == 409, stale.text
    conflict = stale.json()["conflict"]
    assert conflict["current"]["done_at"] == TODAY.isoformat()
    assert conflict["yours"]["done_at"] == TODAY.isoformat()


def test_implausible_support_due_and_follow_up_refused(scene: Scene) -> None:  # noqa: F811
    s = scene
    s.consents()
    far = s.refer(follow_up=(TODAY + dt.timedelta(days=365 * 11)).isoformat())
    assert far.status_code == 422 and far.json()["problems"][0]["field"] == "follow_up"
    early = s.worker.post(f"/cases/{s.case_id}/support", {
        "party_id": s.victim, "kind": "shelter", "title": "Fictional shelter", "due": "0"})
    assert early.status_code == 422 and early.json()["problems"][0]["field"] == "due"
