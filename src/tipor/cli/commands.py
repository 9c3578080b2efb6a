"""Every CLI command group, in one list: go from a command to its module in one hop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from tipor.cli import (
    audit,
    cases,
    catalogue,
    db,
    demo,
    keys,
    law,
    qualify,
    screen,
    serve,
    users,
    vocab,
)

GROUPS: list[tuple[str, typer.Typer]] = [
    ("db", db.app),
    ("users", users.app),
    ("audit", audit.app),
    ("demo", demo.app),
    ("catalogue", catalogue.app),
    ("law", law.app),
    ("cases", cases.app),
    ("keys", keys.app),
    ("vocab", vocab.app),
]
TOP_LEVEL: list[Callable[..., Any]] = [serve.serve, screen.screen, qualify.qualify]
