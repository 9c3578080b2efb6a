"""Who may do what: permissions per role, case sections per role, agency scoping.

The matrices are the single source of truth; pages, API routes and services ask
:func:`can` / :func:`can_section` rather than checking roles themselves. Later features add
permissions here; the policy test prints and checks the whole matrix.
"""

from __future__ import annotations

import enum
from typing import Protocol

from tipor.security.roles import Role


class Permission(enum.StrEnum):
    """Capabilities that are not tied to one case section."""

    ADMIN_AGENCIES = "admin.agencies"      # create and edit agencies
    ADMIN_USERS = "admin.users"            # create and edit users of any agency
    AUDIT_READ = "audit.read"              # read and verify the audit log
    CASES_CREATE = "cases.create"
    CASES_READ = "cases.read"
    SCREENING_USE = "screening.use"        # run and save indicator screenings
    LAW_QUALIFY = "law.qualify"            # run legal qualifications
    REFERRALS_MANAGE = "referrals.manage"
    CONSENT_OVERRIDE = "consent.override"  # refer without consent, with a written reason
    XREF_USE = "xref.use"                  # cross-reference entities across cases
    STATS_READ = "stats.read"              # disclosure-controlled statistics
    TRAINING_MANAGE = "training.manage"    # trainings, participants, case studies
    CATALOGUE_READ = "catalogue.read"


class Section(enum.StrEnum):
    """Parts of a case file with their own access rules."""

    IDENTITY = "identity"
    CONTACT = "contact"
    MEDICAL = "medical"
    LEGAL = "legal"
    FINANCIAL = "financial"
    EVIDENCE = "evidence"
    NOTES = "notes"


P = Permission
_CASEWORK = {P.CASES_CREATE, P.CASES_READ, P.SCREENING_USE, P.REFERRALS_MANAGE, P.CATALOGUE_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset({P.ADMIN_AGENCIES, P.ADMIN_USERS, P.AUDIT_READ, P.CATALOGUE_READ,
                           P.STATS_READ}),
    Role.INVESTIGATOR: frozenset(_CASEWORK | {P.LAW_QUALIFY, P.XREF_USE, P.CONSENT_OVERRIDE}),
    Role.PROSECUTOR: frozenset({P.CASES_READ, P.LAW_QUALIFY, P.XREF_USE, P.CATALOGUE_READ,
                                P.SCREENING_USE, P.CONSENT_OVERRIDE}),
    Role.CLINICIAN: frozenset({P.CASES_READ, P.SCREENING_USE, P.REFERRALS_MANAGE,
                               P.CATALOGUE_READ}),
    Role.CASEWORKER: frozenset(_CASEWORK),
    Role.HELPLINE_OPERATOR: frozenset({P.CASES_CREATE, P.CASES_READ, P.SCREENING_USE,
                                       P.REFERRALS_MANAGE, P.CATALOGUE_READ}),
    Role.ANALYST: frozenset({P.XREF_USE, P.STATS_READ, P.CATALOGUE_READ, P.CASES_READ}),
    Role.TRAINER: frozenset({P.TRAINING_MANAGE, P.STATS_READ, P.CATALOGUE_READ}),
}

S = Section
R, W = "read", "write"
#: Case sections each role may read or write, within cases its agency may see.
ROLE_SECTIONS: dict[Role, dict[Section, frozenset[str]]] = {
    Role.ADMIN: {},
    Role.INVESTIGATOR: {s: frozenset({R, W}) for s in Section},
    Role.PROSECUTOR: {s: frozenset({R}) for s in Section} | {S.LEGAL: frozenset({R, W}),
                                                            S.NOTES: frozenset({R, W})},
    Role.CLINICIAN: {S.IDENTITY: frozenset({R}), S.MEDICAL: frozenset({R, W}),
                     S.NOTES: frozenset({R, W})},
    Role.CASEWORKER: {S.IDENTITY: frozenset({R, W}), S.CONTACT: frozenset({R, W}),
                      S.MEDICAL: frozenset({R}), S.LEGAL: frozenset({R}),
                      S.NOTES: frozenset({R, W})},
    Role.HELPLINE_OPERATOR: {S.IDENTITY: frozenset({R, W}), S.CONTACT: frozenset({R, W}),
                             S.NOTES: frozenset({R, W})},
    Role.ANALYST: {S.FINANCIAL: frozenset({R}), S.EVIDENCE: frozenset({R}),
                   S.LEGAL: frozenset({R})},
    Role.TRAINER: {},
}


class Subject(Protocol):
    """Anything with a role and an agency (a User, or a test double)."""

    @property
    def role(self) -> Role: ...

    @property
    def agency_id(self) -> int: ...


def can(subject: Subject, permission: Permission) -> bool:
    """Whether the subject's role grants ``permission``."""
    return permission in ROLE_PERMISSIONS[subject.role]


def can_section(
    subject: Subject, section: Section, action: str, *, owner_agency_id: int,
    granted: frozenset[Section] | None = None,
) -> bool:
    """Whether the subject may ``action`` (read/write) a case section of another agency's case.

    A case is visible to its owning agency; another agency sees only the sections a live
    referral ``granted`` it, and never more than its role allows.
    """
    if action not in (R, W):
        raise ValueError(f"action must be 'read' or 'write', not {action!r}")
    allowed = action in ROLE_SECTIONS[subject.role].get(section, frozenset())
    if not allowed:
        return False
    if subject.agency_id == owner_agency_id:
        return True
    return granted is not None and section in granted


def permissions_of(role: Role) -> list[str]:
    """The sorted permission names of a role, for display."""
    return sorted(p.value for p in ROLE_PERMISSIONS[role])
