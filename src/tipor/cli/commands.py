"""Every CLI command group, in one list: go from a command to its module in one hop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from tipor.cli import audit, db, demo, serve, users

GROUPS: list[tuple[str, typer.Typer]] = [
    ("db", db.app),
    ("users", users.app),
    ("audit", audit.app),
    ("demo", demo.app),
]
TOP_LEVEL: list[Callable[..., Any]] = [serve.serve]
