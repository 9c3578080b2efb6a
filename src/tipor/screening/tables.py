"""The saved-screening table (``models.py`` here holds the engine's pure models).

Input and result are stored encrypted because notes and sources may name people; profile,
level, urgent flags and versions stay in clear for lists and statistics.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipor.catalogue.schema import Level
from tipor.db import Base, Timestamped, str_enum

INPUT_PURPOSE = "screening.input"
RESULT_PURPOSE = "screening.result"


class Screening(Timestamped, Base):
    """One saved screening: who ran it, what it was run against, the outcome, and (encrypted)
    the observations and full result; optionally attached to one case."""

    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"),
                                                default=None, index=True)
    attached_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    profile: Mapped[str] = mapped_column(String(60), index=True)
    observer: Mapped[str | None] = mapped_column(String(40), default=None)
    language: Mapped[str] = mapped_column(String(8))
    catalogue_version: Mapped[str] = mapped_column(String(20))
    engine_version: Mapped[str] = mapped_column(String(20))
    level: Mapped[Level] = mapped_column(str_enum(Level, "screening_level"), index=True)
    urgent: Mapped[list[str]] = mapped_column(JSON, default=list)
    points: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[int] = mapped_column(Integer, default=0)  # per mille of profile weight
    input_enc: Mapped[str] = mapped_column(Text)
    result_enc: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
