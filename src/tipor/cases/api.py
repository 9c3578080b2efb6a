"""Routes for cases (api); filled in by the feature that owns them."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=True)
