"""The report: notice, versions, determinism, JSON-ready dict and text rendering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tipor.law import ENGINE_VERSION
from tipor.law.engine import qualify
from tipor.law.jurisdictions import load_jurisdictions
from tipor.law.render import render_text
from tipor.law.report import NOTICE
from tipor.law.validate import parse_fact_pattern

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def _qualify(path: Path) -> dict[str, object]:
    facts = parse_fact_pattern(yaml.safe_load(path.read_text(encoding="utf-8")))
    return qualify(facts, load_jurisdictions()).to_dict()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_report_is_deterministic_and_json_ready(path: Path) -> None:
    first, second = _qualify(path), _qualify(path)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["engine_version"] == ENGINE_VERSION == "law-2"
    assert first["data_version"] == load_jurisdictions().data_version
    assert first["notice"] == NOTICE and "does not replace" in NOTICE


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_text_rendering_has_every_section(path: Path) -> None:
    facts = parse_fact_pattern(yaml.safe_load(path.read_text(encoding="utf-8")))
    text = render_text(qualify(facts, load_jurisdictions()))
    for heading in ("NOTICE:", "1. TRAFFICKING", "2. ORGAN TRADE", "3. NATIONAL LAW",
                    "4. CROSS-BORDER", "EVIDENCE STILL NEEDED"):
        assert heading in text
    assert "[unverified]" in text


TIER_LABELS = {"primary": "verified (statute text)", "official": "official summary",
               "reported": "press or NGO report", "unverified": "unverified"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_rule_in_the_dict_carries_its_tier_and_label(path: Path) -> None:
    national = _qualify(path)["national"]
    assert isinstance(national, list)
    rules = [r for j in national for key in ("candidate_offences", "statutes", "special_rules")
             for r in j[key]] + [r for j in national for r in j["liability"].values()]
    assert rules
    for r in rules:
        assert r["tier_label"] == TIER_LABELS[r["tier"]]
    assert all("verification" not in r for r in rules)


def test_evidence_needed_is_phrased_for_a_prosecutor() -> None:
    path = next(p for p in CASES if p.stem == "costa_rica")
    report = _qualify(path)
    texts = [e["text"] for e in report["evidence_needed"]]  # type: ignore[attr-defined]
    assert any(t.startswith("To establish abuse of a position of vulnerability") for t in texts)
    assert any(t.startswith("To establish the act") for t in texts)
