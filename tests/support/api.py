"""A signed-in JSON API client for tests: session cookie plus the CSRF header."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import csrf_from, login


class Api:
    """Calls /api/v1 as one user signed in through the real login form."""

    def __init__(self, client: TestClient, username: str) -> None:
        self.client = client
        home = login(client, username)
        self.headers = {"X-CSRF-Token": csrf_from(home.text)}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.client.post(f"/api/v1{path}", json=body, headers=self.headers, **kw)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", json=body, headers=self.headers)
