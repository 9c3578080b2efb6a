"""Law data checks at start-up, tier counts and the review list."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.law.jur_fixtures import jset, offence, profile, rule, version, write, years
from tipor.exceptions import CatalogueError
from tipor.law import service
from tipor.law.jurisdictions import load_jurisdictions
from tipor.web.app import create_app


def test_app_refuses_to_start_on_invalid_law_data(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bad = profile("IN", [offence("x", ["brokering"], [version("s.1", years(1), "2010-01-01",
                                                              "2009-01-01")])])
    folder = write(tmp_path, bad)
    monkeypatch.setattr(service, "load_jurisdictions", lambda: load_jurisdictions(folder))
    service.get_jurisdictions.cache_clear()
    try:
        with pytest.raises(CatalogueError) as info:
            create_app()
        assert any(p == "IN.yaml: offences[0].versions[0]" and "swap them" in m
                   for p, m in info.value.problems)
    finally:
        service.get_jurisdictions.cache_clear()


def test_check_law_data_returns_the_shipped_profiles() -> None:
    assert "PK" in service.check_law_data().codes


def test_tier_counts_use_effective_tiers_and_count_disputed() -> None:
    doc = profile("IN", [offence("x", ["brokering"], [
        version("s.1", years(1), "2010-01-01", tier="primary", disputed=True)])])
    doc["cets216"] = rule("unverified", status="unknown")
    counts = service.tier_counts(jset(doc).profiles["IN"])
    assert counts["primary"] == 1 and counts["disputed"] == 1
    assert counts["unverified"] == 1  # cets216
    assert sum(counts[t] for t in ("primary", "official", "reported", "unverified")) == 11
