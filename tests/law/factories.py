"""Builders for small synthetic fact patterns (fictional people, e.g. "Testperson Alpha")."""

from __future__ import annotations

from typing import Any

from tipor.law.facts import FactPattern
from tipor.law.validate import parse_fact_pattern

EST = {"source": "testimony", "firmness": "established"}
ALLEGED = {"source": "testimony", "firmness": "alleged"}


def person(ident: str, *roles: str, **extra: Any) -> dict[str, Any]:
    """A fictional person."""
    return {"id": ident, "label": f"Testperson {ident.title()}", "roles": list(roles),
            "nationalities": ["PK"], **EST, **extra}


def base(**collections: list[dict[str, Any]]) -> dict[str, Any]:
    """A donor (Testperson Alpha), a recruiter (Bravo) and a clinic place, plus extras."""
    doc: dict[str, Any] = {
        "title": "Synthetic case",
        "places": [{"id": "clinic", "label": "Fictional clinic", "country": "PK"},
                   {"id": "abroad", "label": "Fictional hospital abroad", "country": "IN"}],
        "persons": [person("alpha", "donor", age=30), person("bravo", "recruiter")],
    }
    for key, items in collections.items():
        doc[key] = doc.get(key, []) + items
    return doc


def act(ident: str, kind: str, firmness: str = "established", **extra: Any) -> dict[str, Any]:
    """An act against the donor by the recruiter, in the clinic."""
    return {"id": ident, "kind": kind, "actors": ["bravo"], "victims": ["alpha"],
            "place": "clinic", "source": "testimony", "firmness": firmness, **extra}


def means(ident: str, kind: str, firmness: str = "established", **extra: Any) -> dict[str, Any]:
    """A means used by the recruiter against the donor."""
    return {"id": ident, "kind": kind, "by": ["bravo"], "victims": ["alpha"],
            "source": "testimony", "firmness": firmness, **extra}


def purpose(ident: str, stage: str = "intended", firmness: str = "established"
            ) -> dict[str, Any]:
    """A purpose of removing the donor's kidney."""
    return {"id": ident, "victims": ["alpha"], "stage": stage, "source": "testimony",
            "firmness": firmness}


def payment(ident: str, payer: str, payee: str, purpose_: str = "organ",
            firmness: str = "established", **extra: Any) -> dict[str, Any]:
    """A payment concerning the donor."""
    return {"id": ident, "payer": payer, "payee": payee, "donor": "alpha", "status": "paid",
            "purpose": purpose_, "source": "financial_record", "firmness": firmness, **extra}


def build(doc: dict[str, Any]) -> FactPattern:
    """Parse a document into a fact pattern."""
    return parse_fact_pattern(doc)
