"""Routes for screening (pages); filled in by the feature that owns them."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
