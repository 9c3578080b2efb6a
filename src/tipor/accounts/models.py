"""Tables for agencies, users, web sessions, API tokens and login attempts."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tipor.db import Base, Timestamped, str_enum, utcnow
from tipor.security.roles import Role

__all__ = ["Agency", "AgencyKind", "ApiToken", "LoginAttempt", "Role", "User", "WebSession"]


class AgencyKind(enum.StrEnum):
    """The kinds of organisation that host tipor users."""

    POLICE = "police"
    PROSECUTION = "prosecution"
    COURT = "court"
    HEALTH_AUTHORITY = "health_authority"
    TRANSPLANT_CENTRE = "transplant_centre"
    LABOUR_INSPECTORATE = "labour_inspectorate"
    BORDER_IMMIGRATION = "border_immigration"
    FIU = "financial_intelligence_unit"
    NGO = "ngo"
    HELPLINE = "helpline"
    INTERNATIONAL_ORGANISATION = "international_organisation"


class Agency(Timestamped, Base):
    """An organisation whose staff use tipor; every case and user belongs to one."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[AgencyKind] = mapped_column(str_enum(AgencyKind, "agency_kind"))
    country: Mapped[str] = mapped_column(String(2))
    #: Case references of this agency read PREFIX-YEAR-NNNN (the agency's numbering scheme).
    case_prefix: Mapped[str] = mapped_column(String(12), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    users: Mapped[list[User]] = relationship(back_populates="agency")
    __mapper_args__ = {"version_id_col": version}


class User(Timestamped, Base):
    """A person with an account; belongs to one agency and holds one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8), default="en")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: TOTP secret, encrypted at rest (tipor.security.crypto); None until enrolled.
    totp_secret_enc: Mapped[str | None] = mapped_column(Text, default=None)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, default=None)
    #: Failed sign-ins before this time do not count towards the account lock (set on unlock).
    unlocked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)

    agency: Mapped[Agency] = relationship(back_populates="users", lazy="joined")
    __mapper_args__ = {"version_id_col": version}

    @property
    def totp_enabled(self) -> bool:
        """Whether the user has enrolled a second factor."""
        return self.totp_secret_enc is not None


class WebSession(Base):
    """A browser session; the cookie holds a random token whose SHA-256 is stored here."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    #: False while a second factor is still owed; such a session can only finish login.
    mfa_passed: Mapped[bool] = mapped_column(Boolean, default=False)
    ip: Mapped[str | None] = mapped_column(String(64), default=None)

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Base):
    """A personal bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """One login attempt, kept for throttling per account and per address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)
