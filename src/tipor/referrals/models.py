"""Consent, referral, referral history and support-plan tables."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipor.cases.models import Versioned
from tipor.catalogue.schema import Service as Service  # the one list, shared with screening
from tipor.db import Base, Timestamped, str_enum, utcnow
from tipor.security.sealed import Revealed


class ConsentPurpose(enum.StrEnum):
    """What a person agreed to (HTCDS con_Consent guidance)."""

    SHARE_WITH_AGENCY = "share_with_agency"
    REFER_TO_SERVICE = "refer_to_service"
    ANONYMOUS_STATISTICS = "anonymous_statistics"


class ReferralStatus(enum.StrEnum):
    """Referral lifecycle; changes only through tipor.referrals.lifecycle."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"


class Consent(Timestamped, Base):
    """One informed consent of one person for one purpose; withdrawn by setting withdrawn_at."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose, "consent_purpose"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    service: Mapped[Service | None] = mapped_column(str_enum(Service, "consent_service"),
                                                    default=None)
    method: Mapped[str] = mapped_column(String(40), default="verbal")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    given_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class Referral(Timestamped, Versioned, Base):
    """A referral of one person in a case to another agency or a service."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    from_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    to_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None,
                                                     index=True)
    service: Mapped[Service] = mapped_column(str_enum(Service, "referral_service"))
    provider: Mapped[str] = mapped_column(String(200), default="")
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ReferralStatus] = mapped_column(str_enum(ReferralStatus, "referral_status"),
                                                   default=ReferralStatus.PROPOSED, index=True)
    follow_up: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    consent_override: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    __mapper_args__ = {"version_id_col": Versioned.version}


class ReferralChange(Base):
    """Every referral status change, with its reason and the next follow-up date."""

    __tablename__ = "referral_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"),
                                             index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[dt.date | None] = mapped_column(Date, default=None)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SupportItem(Timestamped, Versioned, Base):
    """One step of a support plan (e.g. an aftercare check after nephrectomy), tracked like a task."""

    __tablename__ = "support_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="SET NULL"),
                                                    default=None, index=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. aftercare_check, shelter, legal_aid
    section: Mapped[str] = mapped_column(String(20), default="medical")
    title_enc: Mapped[str] = mapped_column(Text)  # encrypted (referrals.support)
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    done_at: Mapped[dt.date | None] = mapped_column(Date, default=None)
    result_enc: Mapped[str | None] = mapped_column(Text, default=None)
    __mapper_args__ = {"version_id_col": Versioned.version}

    title = Revealed()
