"""The database's own refusals reach the client as 422 (a value it cannot hold) or 503 (busy
or unreachable, with Retry-After), never as a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError, OperationalError

from tests.conftest import Factory, login
from tipor.web.api import meta


@pytest.mark.parametrize("error,status", [
    (OperationalError("SELECT 1", {}, Exception("database is locked")), 503),
    (DataError("INSERT …", {}, Exception("integer out of range")), 422),
])
def test_database_refusals_are_not_500(client: TestClient, factory: Factory,
                                       monkeypatch: pytest.MonkeyPatch, error: Exception,
                                       status: int) -> None:
    login(client, factory.user().username)

    def refuse(*_: object) -> list[str]:
        raise error

    monkeypatch.setattr(meta, "permissions_of", refuse)
    response = client.get("/api/v1/me")
    assert response.status_code == status
    assert "Nothing was saved" in response.json()["message"]
    assert ("retry-after" in response.headers) is (status == 503)
