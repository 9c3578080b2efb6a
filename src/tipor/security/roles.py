"""The roles users hold. Foundation: permissions are defined over them, accounts store them."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a user does; permissions follow from it (see tipor.security.permissions)."""

    ADMIN = "admin"
    INVESTIGATOR = "investigator"
    PROSECUTOR = "prosecutor"
    CLINICIAN = "clinician"
    CASEWORKER = "caseworker"
    HELPLINE_OPERATOR = "helpline_operator"
    ANALYST = "analyst"
    TRAINER = "trainer"
