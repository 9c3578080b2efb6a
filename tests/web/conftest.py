"""Web fixtures: signed-in clients for an admin (with second factor) and a non-admin."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Factory, csrf_from, login
from tipor.accounts.auth import TOTP_PURPOSE
from tipor.accounts.models import Role, User
from tipor.db import open_session
from tipor.security import totp
from tipor.security.crypto import Keyring
from tipor.settings import Settings

ADMIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol_admin(settings: Settings, factory: Factory, keyring: Keyring) -> User:
    """An admin whose second factor is already set up with ADMIN_SECRET."""
    admin = factory.user(Role.ADMIN, username="admin1")
    db = open_session(settings)
    stored = db.get(User, admin.id)
    assert stored is not None
    stored.totp_secret_enc = keyring.encrypt(ADMIN_SECRET, purpose=f"{TOTP_PURPOSE}:{admin.id}")
    db.commit()
    db.close()
    return admin


def admin_login(client: TestClient, username: str = "admin1") -> Any:
    response = login(client, username)
    assert response.url.path == "/login/totp"
    return client.post("/login/totp", data={"code": totp.current_code(ADMIN_SECRET),
                                            "csrf_token": csrf_from(response.text)})


@pytest.fixture
def admin_client(client: TestClient, settings: Settings, factory: Factory,
                 keyring: Keyring) -> TestClient:
    enrol_admin(settings, factory, keyring)
    response = admin_login(client)
    assert response.status_code == 200 and response.url.path == "/"
    return client
