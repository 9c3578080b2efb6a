"""Pydantic shapes for agencies and users, in and out."""

from __future__ import annotations

import datetime as dt
import re

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tipor.accounts.models import AgencyKind, Role
from tipor.fields import Flag, Id, Version, Whole

LANGUAGES = ("en", "ur", "ar", "fa", "es", "fr")
_PREFIX = re.compile(r"^[A-Z0-9]{2,8}$")


def _prefix(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().upper()
    if not _PREFIX.match(value):
        raise ValueError("use 2–8 letters or digits, e.g. FIA or NGO1: case references read "
                         "PREFIX-YEAR-NNNN")
    return value


#: Codes in use though not (yet) assigned in ISO 3166-1: XK, Kosovo (used by the EU and IOM).
EXTRA_COUNTRIES = {"XK": "Kosovo"}


def _country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper-cased; ValueError names the problem."""
    if value is None:
        return None
    code = value.strip().upper()
    if code in EXTRA_COUNTRIES or (code.isalpha() and pycountry.countries.get(alpha_2=code)):
        return code
    raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code; use a two-letter "
                     "code such as PK, IQ, NP, GB or XK (Kosovo)")


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")


class AgencyCreate(BaseModel):
    """A new agency."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=200)
    kind: AgencyKind
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code, e.g. PK")
    case_prefix: str | None = Field(default=None, description="case references read PREFIX-YEAR-NNNN; "
                                    "derived from the name when left out")

    _p = field_validator("case_prefix")(_prefix)
    _c = field_validator("country")(_country)


class AgencyUpdate(BaseModel):
    """Changes to an agency; ``version`` must be the one last read."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    version: Version
    name: str | None = Field(default=None, min_length=2, max_length=200)
    kind: AgencyKind | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2)
    case_prefix: str | None = Field(default=None, max_length=80)
    is_active: Flag | None = None

    _p = field_validator("case_prefix")(_prefix)
    _c = field_validator("country")(_country)


class AgencyRead(BaseModel):
    """An agency as shown."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: AgencyKind
    country: str
    case_prefix: str
    is_active: bool
    version: int


class UserCreate(BaseModel):
    """A new user account."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=3, max_length=80)
    display_name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    agency_id: Id
    role: Role
    password: str = Field(min_length=1, max_length=1024)
    language: str = Field(default="en", max_length=5)

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        value = value.lower()
        if not _USERNAME.match(value):
            raise ValueError(
                "use 3–80 characters: lower-case letters, digits, dot, dash or underscore, "
                "starting with a letter or digit"
            )
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"choose one of {', '.join(LANGUAGES)}")
        return value


class UserUpdate(BaseModel):
    """Changes to a user; ``version`` must be the one last read."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    version: Version
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    agency_id: Id | None = None
    role: Role | None = None
    is_active: Flag | None = None
    language: str | None = Field(default=None, max_length=5)
    password: str | None = Field(default=None, max_length=1024)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and value not in LANGUAGES:
            raise ValueError(f"choose one of {', '.join(LANGUAGES)}")
        return value


class UserRead(BaseModel):
    """A user as shown (never the password hash or TOTP secret)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    email: str | None
    agency_id: int
    role: Role
    language: str
    is_active: bool
    totp_enabled: bool
    version: int
    created_at: dt.datetime


class TokenCreate(BaseModel):
    """A request for a personal API token."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    days: Whole = Field(default=30, ge=1, le=365)


class PasswordChange(BaseModel):
    """A user's own new password, confirmed with the current one."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class TokenRead(BaseModel):
    """A personal API token as listed (never the token itself)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked: bool


class AccessEnded(BaseModel):
    """What signing out everywhere ended."""

    message: str


class TokenCreated(BaseModel):
    """The token, shown once."""

    id: int
    name: str
    token: str
    expires_at: dt.datetime
