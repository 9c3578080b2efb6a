"""Sign-in pages: generic failures, cookies, CSRF, second factor, sign-out."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import PASSWORD, Factory, csrf_from, login
from tests.web.conftest import ADMIN_SECRET, admin_login, enrol_admin
from tipor.accounts.models import Role
from tipor.audit.models import AuditEntry
from tipor.db import open_session
from tipor.security import totp
from tipor.security.crypto import Keyring
from tipor.settings import Settings


def test_pages_redirect_to_login(client: TestClient) -> None:
    response = client.get("/admin/users", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/users"


def test_login_sets_hardened_cookie_and_shows_dashboard(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.CLINICIAN)
    page = client.get("/login")
    response = client.post("/login", follow_redirects=False, data={
        "username": user.username, "password": PASSWORD, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "tipor_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    home = client.get("/")
    assert home.status_code == 200 and "Fictional Tester" in home.text


def test_wrong_password_generic_message_and_audited(client: TestClient, factory: Factory,
                                                    settings: Settings) -> None:
    user = factory.user()
    wrong = login(client, user.username, "Not-The-Password-1")
    missing = login(client, "ghost-user", "Not-The-Password-1")
    assert wrong.status_code == missing.status_code == 401
    for response in (wrong, missing):
        assert "Wrong username or password." in response.text
        assert "ghost" not in response.text.replace('value="ghost-user"', "")
    db = open_session(settings)
    outcomes = db.execute(select(AuditEntry.actor_username, AuditEntry.outcome)
                          .where(AuditEntry.action == "login")).all()
    db.close()
    assert (user.username, "failure") in outcomes and ("ghost-user", "failure") in outcomes


def test_login_without_csrf_token_is_refused(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    client.get("/login")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303  # not signed in


def test_stale_token_from_second_tab_gets_form_expired(client: TestClient, factory: Factory) -> None:
    """A form opened before signing out and in again (in another tab) is refused clearly."""
    user = factory.user()
    login(client, user.username)
    stale = csrf_from(client.get("/account").text)
    client.post("/logout", data={"csrf_token": stale})
    login(client, user.username)
    response = client.post("/account/tokens", data={"name": "x", "csrf_token": stale})
    assert response.status_code == 403
    assert "This form has expired" in response.text and "Reload the page" in response.text


def test_admin_second_factor_required(client: TestClient, settings: Settings, factory: Factory,
                                      keyring: Keyring) -> None:
    enrol_admin(settings, factory, keyring)
    response = login(client, "admin1")
    assert response.url.path == "/login/totp"
    assert client.get("/admin/users", follow_redirects=False).headers["location"] == "/login/totp"
    bad = client.post("/login/totp", data={"code": "000000", "csrf_token": csrf_from(response.text)})
    assert bad.status_code == 401
    good = client.post("/login/totp", data={"code": totp.current_code(ADMIN_SECRET),
                                            "csrf_token": csrf_from(bad.text)})
    assert good.url.path == "/" and client.get("/admin/users").status_code == 200


def test_admin_without_factor_must_enrol(client: TestClient, factory: Factory) -> None:
    factory.user(Role.ADMIN, username="newadmin")
    response = login(client, "newadmin")
    assert response.url.path == "/login/enrol"
    import re

    secret = re.search(r'id="totp-secret" dir="ltr">([A-Z2-7]+)<', response.text)
    sealed = re.search(r'name="sealed" value="([^"]+)"', response.text)
    assert secret and sealed
    done = client.post("/login/enrol", data={
        "sealed": sealed.group(1), "code": totp.current_code(secret.group(1)),
        "csrf_token": csrf_from(response.text)})
    assert done.url.path == "/" and client.get("/admin/agencies").status_code == 200


def test_logout_ends_the_session(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    home = login(client, user.username)
    client.post("/logout", data={"csrf_token": csrf_from(home.text)})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_admin_login_helper_works(client: TestClient, settings: Settings, factory: Factory,
                                  keyring: Keyring) -> None:
    enrol_admin(settings, factory, keyring)
    assert admin_login(client).url.path == "/"


def test_any_user_may_turn_on_a_second_factor(client: TestClient, factory: Factory) -> None:
    import re

    user = factory.user(Role.CASEWORKER)
    login(client, user.username)
    form = client.get("/account/totp")
    secret = re.search(r'id="totp-secret" dir="ltr">([A-Z2-7]+)<', form.text)
    sealed = re.search(r'name="sealed" value="([^"]+)"', form.text)
    assert secret and sealed and 'action="/account/totp"' in form.text
    wrong = client.post("/account/totp", data={"sealed": sealed.group(1), "code": "000000",
                                               "csrf_token": csrf_from(form.text)})
    assert wrong.status_code == 422
    done = client.post("/account/totp", data={"sealed": sealed.group(1),
                                              "code": totp.current_code(secret.group(1)),
                                              "csrf_token": csrf_from(form.text)})
    assert done.url.path == "/account" and 'id="totp-status">Yes' in done.text
    client.post("/logout", data={"csrf_token": csrf_from(done.text)})
    again = login(client, user.username)
    assert again.url.path == "/login/totp"  # the second factor is now asked for
