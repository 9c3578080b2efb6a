"""The app's indicator catalogue: loaded and validated once per process.

Web routes, the API and the CLI call :func:`get_catalogue`; tests that swap the packaged data
call ``get_catalogue.cache_clear()`` before and after.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tipor.catalogue.loader import load_catalogue
from tipor.catalogue.model import Catalogue


@cache
def get_catalogue() -> Catalogue:
    """The packaged catalogue, loaded on first use (``CatalogueError`` lists every problem)."""
    return load_catalogue()


def indicator_detail(catalogue: Catalogue, indicator_id: str, lang: str) -> dict[str, Any]:
    """One indicator for people and the API: texts in ``lang``, questions per observer,
    evidence, referrals, the public cases it was seen in, sources with their verification."""
    ind = catalogue.indicator(indicator_id)
    lang = catalogue.check_language(lang)
    group = catalogue.group_of(ind.id)
    questions = {"default": ind.questions.default.get(lang)}
    questions |= {o.value: catalogue.question(ind.id, o.value, lang)
                  for o in ind.questions.overridden()}
    return {
        "id": ind.id, "group": group.value, "label": ind.label.get(lang),
        "stage": ind.stage.value, "strength": ind.strength.value,
        "strength_reason": ind.strength_reason,
        "urgent": ind.urgent.value if ind.urgent else None,
        "observers": [o.value for o in ind.observers],
        "evidences": [e.model_dump(mode="json", exclude_none=True) for e in ind.evidences],
        "questions": questions, "evidence": list(ind.evidence),
        "referrals": [r.model_dump(mode="json") for r in ind.referrals],
        "seen_in": [catalogue.case(c).model_dump(mode="json") for c in ind.seen_in],
        "sources": [s.model_dump(mode="json") for s in ind.sources],
        "language": lang, "translation": catalogue.translation_status(group, lang).value,
    }


def profile_summary(catalogue: Catalogue, profile_id: str, lang: str) -> dict[str, Any]:
    """One screening profile in ``lang``: title, description, observers, indicator ids."""
    profile = catalogue.profile(profile_id)
    return {
        "id": profile.id, "title": profile.title.get(lang),
        "description": profile.description.get(lang),
        "observers": [{"code": o.value, "title": catalogue.title("observers", o, lang)}
                      for o in profile.observers],
        "groups": [g.value for g in profile.groups],
        "indicators": [i.id for i in catalogue.indicators_for(profile.id)],
    }
