"""Evidence and chain-of-custody tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tipor.cases.models import Versioned
from tipor.db import Base, Timestamped, utcnow
from tipor.security.sealed import Revealed


class Evidence(Timestamped, Versioned, Base):
    """A file stored encrypted under a random name; its plaintext SHA-256 is checked on every read.

    ``blob`` is the file's name in the store; None for a file stored in clear under its hash
    before files were encrypted (``tipor keys rotate`` converts those); "" when the store holds
    no file for the record (imported without it). The file name and the
    description are encrypted; services decrypt them into ``filename`` and ``description``.
    """

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    blob: Mapped[str | None] = mapped_column(String(40), default=None)
    filename_enc: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    description_enc: Mapped[str] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    __mapper_args__ = {"version_id_col": Versioned.version}

    filename = Revealed()
    description = Revealed()


class CustodyEntry(Base):
    """Who handed which item to whom, when and where."""

    __tablename__ = "custody_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"), index=True)
    from_holder: Mapped[str] = mapped_column(String(200))
    to_holder: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    place: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
