"""Seed a database with demo agencies, one account per role, and fictional cases.

Deterministic: the same ``seed`` gives the same data. Every name is fictional.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tipor.accounts import service
from tipor.accounts.auth import TOTP_PURPOSE
from tipor.accounts.models import Agency, AgencyKind, Role, User
from tipor.accounts.schemas import AgencyCreate, UserCreate
from tipor.audit.service import Actor
from tipor.context import Ctx
from tipor.demo.cases import seed_cases
from tipor.demo.referrals import seed_referrals
from tipor.exceptions import Conflict
from tipor.security.crypto import Keyring

DEMO_PASSWORD = "tipor-demo-2026!"

AGENCIES: list[tuple[str, AgencyKind, str, str]] = [
    ("Demo Federal Investigation Unit", AgencyKind.POLICE, "PK", "FIU"),
    ("Demo Public Prosecution Office", AgencyKind.PROSECUTION, "PK", "PPO"),
    ("Demo Provincial Health Authority", AgencyKind.HEALTH_AUTHORITY, "PK", "PHA"),
    ("Demo Transplant Centre", AgencyKind.TRANSPLANT_CENTRE, "PK", "DTC"),
    ("Demo Survivors' Support NGO", AgencyKind.NGO, "PK", "NGO"),
    ("Demo National Helpline", AgencyKind.HELPLINE, "PK", "HL"),
    ("Demo Financial Intelligence Unit", AgencyKind.FIU, "PK", "FMU"),
    ("Demo Border Agency", AgencyKind.BORDER_IMMIGRATION, "IQ", "BRD"),
    ("Demo Training Institute", AgencyKind.INTERNATIONAL_ORGANISATION, "AT", "TRN"),
]
#: username, role, index into AGENCIES
#: Demo users who open the demo cases, in turn (police, NGO, helpline).
CASE_OWNERS = ("investigator", "caseworker", "helpline")
ACCOUNTS: list[tuple[str, Role, int]] = [
    ("admin", Role.ADMIN, 8),
    ("investigator", Role.INVESTIGATOR, 0),
    ("prosecutor", Role.PROSECUTOR, 1),
    ("clinician", Role.CLINICIAN, 2),
    ("caseworker", Role.CASEWORKER, 4),
    ("helpline", Role.HELPLINE_OPERATOR, 5),
    ("analyst", Role.ANALYST, 6),
    ("trainer", Role.TRAINER, 8),
]


@dataclass(frozen=True)
class DemoAccount:
    """A seeded account, for printing."""

    username: str
    role: str
    agency: str
    password: str
    totp_secret: str | None


def demo_totp_secret(seed: int) -> str:
    """The admin's TOTP secret, derived from the seed so the demo is reproducible."""
    raw = hashlib.sha256(f"tipor-demo-admin-totp-{seed}".encode()).digest()[:20]
    return base64.b32encode(raw).decode().rstrip("=")


def seed_demo(session: Session, *, seed: int, cases: int, keyring: Keyring,
              today: dt.date | None = None) -> list[DemoAccount]:
    """Create demo agencies, accounts and ``cases`` fictional cases; refuse a seeded database."""
    if session.execute(select(User.id).where(User.username == "admin")).first():
        raise Conflict("this database already holds demo data; use a fresh database "
                       "(make demo recreates var/demo.sqlite3)")
    rng = random.Random(seed)
    today = today or dt.date.today()
    # The system acts (no signed-in user): nobody exists yet who could create the accounts.
    system = Ctx(session=session, actor=Actor.system("demo-seed"), keyring=keyring)
    agencies = [service.create_agency(system, data=AgencyCreate(
        name=n, kind=k, country=c, case_prefix=p)) for n, k, c, p in AGENCIES]
    accounts = [_account(system, rng, agencies, u, r, i, seed) for u, r, i in ACCOUNTS]
    users = {u.username: u for u in session.execute(select(User)).scalars()}
    ids = seed_cases(session, owners=[users[name] for name in CASE_OWNERS], count=cases, rng=rng,
                     keyring=keyring, today=today)
    seed_referrals(session, keyring, ids, users, today)
    return accounts


def _account(system: Ctx, rng: random.Random, agencies: list[Agency], username: str,
             role: Role, agency_index: int, seed: int) -> DemoAccount:
    agency = agencies[agency_index]
    from tipor.demo.names import person_name

    user = service.create_user(system, data=UserCreate(
        username=username, display_name=person_name(rng), agency_id=agency.id, role=role,
        password=DEMO_PASSWORD))
    secret = None
    if role == Role.ADMIN:
        secret = demo_totp_secret(seed)
        user.totp_secret_enc = system.keyring.encrypt(secret, purpose=f"{TOTP_PURPOSE}:{user.id}")
    return DemoAccount(username, role.value, agency.name, DEMO_PASSWORD, secret)


