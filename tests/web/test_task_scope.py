"""Tasks stay inside the case's agency: no assignment across agencies, no foreign dashboard rows."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.conftest import Factory, login
from tests.support.api import Api
from tipor.accounts.models import Role, User
from tipor.cases.models import Task
from tipor.db import open_session
from tipor.settings import Settings


def _user_id(settings: Settings, username: str) -> int:
    db = open_session(settings)
    found = db.execute(select(User.id).where(User.username == username)).scalar_one()
    db.close()
    return int(found)


def _tasks(settings: Settings) -> int:
    db = open_session(settings)
    n = db.execute(select(func.count()).select_from(Task)).scalar_one()
    db.close()
    return int(n)


def test_task_owner_must_be_in_the_case_agency(client: TestClient, factory: Factory,
                                               settings: Settings) -> None:
    police = factory.agency(name="Fictional Police Unit")
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    outsider = factory.user(Role.INVESTIGATOR, agency=factory.agency(name="Fictional Elsewhere"))
    trainer = factory.user(Role.TRAINER, agency=police)  # same agency, may not see cases
    colleague = factory.user(Role.CASEWORKER, agency=police)
    api = Api(client, "inv")
    case = api.post("/cases", {"title": "Fictional case: clinic in the hills"}).json()
    for owner in (outsider, trainer):
        refused = api.post(f"/cases/{case['id']}/tasks", {"title": "Fictional secret step",
                                                          "owner_id": owner.id})
        assert refused.status_code == 422, refused.text
        assert [p["field"] for p in refused.json()["problems"]] == ["owner_id"]
    assert _tasks(settings) == 0
    ok = api.post(f"/cases/{case['id']}/tasks", {"title": "Fictional own step",
                                                 "owner_id": colleague.id})
    assert ok.status_code == 201 and _tasks(settings) == 1


def test_dashboard_shows_no_other_agencys_task(client: TestClient, app: Any, factory: Factory,
                                               settings: Settings) -> None:
    police = factory.agency(name="Fictional Police Unit")
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    outsider = factory.user(Role.INVESTIGATOR, agency=factory.agency(name="Fictional Elsewhere"),
                            username="outsider")
    api = Api(client, "inv")
    case = api.post("/cases", {"title": "Fictional case: clinic in the hills"}).json()
    own = api.post(f"/cases/{case['id']}/tasks", {"title": "Fictional own step",
                                                  "owner_id": _user_id(settings, "inv")})
    assert own.status_code == 201
    db = open_session(settings)  # a task given to an outsider before assignment was checked
    db.add(Task(case_id=case["id"], title="Fictional leaked step", owner_id=outsider.id))
    db.commit()
    db.close()
    with TestClient(app) as other:
        home = login(other, "outsider")
    assert home.url.path == "/"
    tasks = home.text.split('id="task-list">', 1)[1].split("</ul>", 1)[0]
    assert "Fictional leaked step" not in tasks and case["reference"] not in home.text
    mine = client.get("/").text.split('id="task-list">', 1)[1].split("</ul>", 1)[0]
    assert "Fictional own step" in mine and case["reference"] in mine
