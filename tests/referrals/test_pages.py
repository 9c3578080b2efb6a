"""The referrals tab: forms validate in place (422, what was typed kept), consent then referral,
the receiver's view of the same tab. Both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import Factory, csrf_from, login
from tipor.accounts.models import AgencyKind, Role

SOON = (dt.date.today() + dt.timedelta(days=5)).isoformat()


def test_referral_tab_forms(app: Any, client: TestClient, factory: Factory) -> None:
    ngo = factory.agency(AgencyKind.NGO, "Fictional NGO")
    health = factory.agency(AgencyKind.HEALTH_AUTHORITY, "Fictional Health Authority")
    factory.user(Role.CASEWORKER, agency=ngo, username="worker1")
    factory.user(Role.CLINICIAN, agency=health, username="clin1")
    home = login(client, "worker1")
    headers = {"X-CSRF-Token": csrf_from(home.text)}
    cid = client.post("/api/v1/cases", json={"title": "Fictional tab case"}, headers=headers).json()["id"]
    pid = client.post(f"/api/v1/cases/{cid}/parties", json={
        "roles": ["presumed_victim"], "name": "Fictional Dana Reedholm"}, headers=headers).json()["id"]
    tab = client.get(f"/cases/{cid}/referrals")
    assert tab.status_code == 200 and 'id="referral-form"' in tab.text and "Fictional Dana" in tab.text
    token = csrf_from(tab.text)
    form = {"csrf_token": token, "party_id": str(pid), "to_agency_id": str(health.id),
            "service": "medical_aftercare", "sections": "medical", "follow_up": SOON,
            "reason": "Fictional typed reason"}
    refused = client.post(f"/cases/{cid}/referrals/new", data=form)
    assert refused.status_code == 422 and "missing consent" in refused.text
    assert "Fictional typed reason" in refused.text
    assert 'id="r-section-medical" name="sections" value="medical" checked' in refused.text
    for extra in ({"purpose": "share_with_agency", "agency_id": str(health.id)},
                  {"purpose": "refer_to_service", "service": "medical_aftercare"}):
        r = client.post(f"/cases/{cid}/referrals/consents", data={
            "csrf_token": token, "party_id": str(pid), "method": "verbal"} | extra)
        assert r.status_code == 200 and r.url.path == f"/cases/{cid}/referrals", r.text[:500]
    bad = client.post(f"/cases/{cid}/referrals/consents", data={
        "csrf_token": token, "party_id": str(pid), "purpose": "share_with_agency"})
    assert bad.status_code == 422 and "agency_id" in bad.text
    done = client.post(f"/cases/{cid}/referrals/new", data=form)
    assert done.status_code == 200 and 'id="referral-1-status"' in done.text
    assert "Proposed" in done.text and "id=\"referral-1-consents\"" in done.text
    other = TestClient(app)
    with other:
        login(other, "clin1")
        seen = other.get(f"/cases/{cid}/referrals")
        assert seen.status_code == 200 and 'id="transition-1"' in seen.text
        assert "Fictional Dana" not in seen.text and 'id="consent-form"' not in seen.text
        missing = other.post(f"/cases/{cid}/referrals/1/transition", data={
            "csrf_token": csrf_from(seen.text), "to": "accepted", "note": "Fictional kept note",
            "version": "1"})
        assert missing.status_code == 422 and "Fictional kept note" in missing.text
        assert "follow_up" in missing.text
