"""The role and section matrices: least privilege, agency scoping, referral grants."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tipor.accounts.models import Role
from tipor.security.permissions import (
    ROLE_PERMISSIONS,
    ROLE_SECTIONS,
    Permission,
    Section,
    can,
    can_section,
)


@dataclass
class Subject:
    role: Role
    agency_id: int = 1


@pytest.mark.parametrize("role,permission,allowed", [
    (Role.ADMIN, Permission.ADMIN_USERS, True),
    (Role.ADMIN, Permission.CASES_READ, False),            # admins manage, they do not read cases
    (Role.INVESTIGATOR, Permission.ADMIN_USERS, False),
    (Role.INVESTIGATOR, Permission.LAW_QUALIFY, True),
    (Role.PROSECUTOR, Permission.CASES_CREATE, False),
    (Role.CLINICIAN, Permission.LAW_QUALIFY, False),
    (Role.CASEWORKER, Permission.CONSENT_OVERRIDE, False),
    (Role.HELPLINE_OPERATOR, Permission.SCREENING_USE, True),
    (Role.ANALYST, Permission.STATS_READ, True),
    (Role.ANALYST, Permission.CASES_CREATE, False),
    (Role.TRAINER, Permission.TRAINING_MANAGE, True),
    (Role.TRAINER, Permission.CASES_READ, False),
])
def test_role_permissions(role: Role, permission: Permission, allowed: bool) -> None:
    assert can(Subject(role), permission) is allowed


def test_only_admins_administer_and_read_audit() -> None:
    for role, perms in ROLE_PERMISSIONS.items():
        admin_perms = {Permission.ADMIN_USERS, Permission.ADMIN_AGENCIES, Permission.AUDIT_READ}
        assert bool(perms & admin_perms) is (role == Role.ADMIN)


@pytest.mark.parametrize("role,section,action,allowed", [
    (Role.CLINICIAN, Section.MEDICAL, "write", True),
    (Role.CLINICIAN, Section.FINANCIAL, "read", False),
    (Role.CLINICIAN, Section.LEGAL, "read", False),
    (Role.CASEWORKER, Section.MEDICAL, "write", False),
    (Role.PROSECUTOR, Section.EVIDENCE, "write", False),
    (Role.PROSECUTOR, Section.LEGAL, "write", True),
    (Role.ANALYST, Section.IDENTITY, "read", False),
    (Role.ADMIN, Section.IDENTITY, "read", False),
])
def test_section_matrix_same_agency(role: Role, section: Section, action: str, allowed: bool) -> None:
    assert can_section(Subject(role), section, action, owner_agency_id=1) is allowed


def test_other_agency_sees_only_granted_sections() -> None:
    clinician = Subject(Role.CLINICIAN, agency_id=2)
    assert not can_section(clinician, Section.MEDICAL, "read", owner_agency_id=1)
    granted = frozenset({Section.MEDICAL})
    assert can_section(clinician, Section.MEDICAL, "write", owner_agency_id=1, granted=granted)
    assert not can_section(clinician, Section.IDENTITY, "read", owner_agency_id=1, granted=granted)


def test_grant_never_exceeds_role() -> None:
    analyst = Subject(Role.ANALYST, agency_id=2)
    everything = frozenset(Section)
    assert not can_section(analyst, Section.IDENTITY, "read", owner_agency_id=1, granted=everything)


def test_every_role_has_a_row() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role) == set(ROLE_SECTIONS)


def test_bad_action_is_refused() -> None:
    with pytest.raises(ValueError, match="read"):
        can_section(Subject(Role.INVESTIGATOR), Section.NOTES, "delete", owner_agency_id=1)
