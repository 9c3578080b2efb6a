"""Small, fully valid fixture catalogues (synthetic indicators) for loader and engine tests."""

from __future__ import annotations

import shutil
from copy import deepcopy
from pathlib import Path
from typing import Any

import yaml

from tipor.catalogue.loader import packaged_data
from tipor.catalogue.metadata import CasesFile, CatalogueMeta, Profile
from tipor.catalogue.model import Catalogue
from tipor.catalogue.schema import LANGS, Group, IndicatorFile

GROUPS = [g.value for g in Group]
PREFIX = {"victim": "VIC", "control": "CTL", "recipient": "REC", "broker": "BRK",
          "medical": "MED", "financial": "FIN", "documents": "DOC"}


def text(s: str) -> dict[str, str]:
    """A six-language text; non-English marked so tests can tell languages apart."""
    return {lang: s if lang == "en" else f"{s} [{lang}]" for lang in LANGS}


def ind(ident: str, *, observers: list[str], stage: str, strength: str,
        evidences: list[dict[str, str]], **extra: Any) -> dict[str, Any]:
    """A raw indicator entry as it appears in YAML."""
    entry: dict[str, Any] = {
        "id": ident, "label": text(f"label {ident}"), "observers": observers, "stage": stage,
        "evidences": evidences, "strength": strength, "strength_reason": f"reason {ident}",
        "questions": {"default": text(f"question {ident}?")},
        "evidence": [f"record for {ident}"],
        "sources": [{"ref": "Synthetic test source", "verification": "unverified"}],
    }
    entry.update(extra)
    return entry


P = ["police", "ngo"]
INDICATORS: dict[str, list[dict[str, Any]]] = {
    "victim": [
        ind("VIC-01", observers=P + ["transplant_clinician"], stage="transplant",
            strength="strong", evidences=[{"element": "purpose"}], urgent="medical_emergency",
            referrals=[{"service": "medical_examination", "within_hours": 48},
                       {"service": "medical_aftercare"}],
            questions={"default": text("question VIC-01?"), "police": text("police VIC-01?")},
            seen_in=["medicus"]),
        ind("VIC-02", observers=P, stage="recruitment", strength="medium",
            evidences=[{"element": "means", "means": "deception"},
                       {"element": "act", "act": "recruitment"}]),
        ind("VIC-03", observers=P, stage="recruitment", strength="weak",
            evidences=[{"element": "means", "means": "abuse_of_vulnerability"}]),
        ind("VIC-04", observers=P, stage="documents", strength="strong",
            evidences=[{"element": "act"}, {"element": "purpose"}], urgent="child",
            referrals=[{"service": "child_protection", "within_hours": 12}]),
    ],
    "control": [
        ind("CTL-01", observers=P, stage="housing", strength="strong",
            evidences=[{"element": "means", "means": "coercion"}], urgent="immediate_danger",
            referrals=[{"service": "shelter", "within_hours": 72}]),
        ind("CTL-02", observers=P + ["health_regulator"], stage="housing", strength="medium",
            evidences=[{"element": "means", "means": "threat"}]),
    ],
    "recipient": [ind("REC-01", observers=["nephrologist"], stage="aftercare", strength="weak",
                      evidences=[{"element": "organ_trade"}])],
    "broker": [ind("BRK-01", observers=["police"], stage="recruitment", strength="medium",
                   evidences=[{"element": "act", "act": "recruitment"}])],
    "medical": [ind("MED-01", observers=["health_regulator"], stage="transplant",
                    strength="strong", evidences=[{"element": "organ_trade"}])],
    "financial": [ind("FIN-01", observers=["fiu"], stage="finance", strength="medium",
                      evidences=[{"element": "organ_trade"}],
                      referrals=[{"service": "financial_investigation"}])],
    "documents": [ind("DOC-01", observers=["border_officer", "police"], stage="documents",
                      strength="medium", evidences=[{"element": "means", "means": "fraud"}])],
}

PROFILES: list[dict[str, Any]] = [
    {"id": "encounter", "title": text("Encounter"), "description": text("Meeting someone"),
     "observers": ["police", "ngo"], "groups": ["victim", "control", "broker", "documents"]},
    {"id": "inspection", "title": text("Inspection"), "description": text("Inspecting"),
     "observers": ["health_regulator"], "groups": ["medical", "control"],
     "include": ["REC-01", "FIN-01", "VIC-01", "DOC-01"], "exclude": ["CTL-02"]},
]


def indicator_file(group: str, indicators: list[dict[str, Any]]) -> dict[str, Any]:
    """A raw indicator file."""
    return {
        "schema_version": 1, "group": group, "title": text(f"Group {group}"),
        "translations": {lang: {"status": "source" if lang == "en" else "draft"}
                         for lang in LANGS},
        "indicators": indicators,
    }


def raw_files() -> dict[str, dict[str, Any]]:
    """Deep copies of the fixture files, keyed by relative path, for tests to break."""
    files = {f"indicators/{g}.yaml": indicator_file(g, deepcopy(INDICATORS[g])) for g in GROUPS}
    files["profiles.yaml"] = {"schema_version": 1, "profiles": deepcopy(PROFILES)}
    return files


def write_catalogue(root: Path, files: dict[str, Any] | None = None) -> Path:
    """Write a fixture catalogue (packaged catalogue.yaml and cases.yaml) under ``root``."""
    (root / "indicators").mkdir(parents=True, exist_ok=True)
    for name in ("catalogue.yaml", "cases.yaml"):
        shutil.copyfile(str(packaged_data() / name), root / name)
    for name, content in (raw_files() if files is None else files).items():
        body = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
        (root / name).write_text(body, encoding="utf-8")
    return root


def packaged_meta() -> tuple[CatalogueMeta, CasesFile]:
    """The packaged catalogue.yaml and cases.yaml, parsed."""
    meta = yaml.safe_load((packaged_data() / "catalogue.yaml").read_text(encoding="utf-8"))
    cases = yaml.safe_load((packaged_data() / "cases.yaml").read_text(encoding="utf-8"))
    return CatalogueMeta.model_validate(meta), CasesFile.model_validate(cases)


def build_catalogue(indicators: dict[str, list[dict[str, Any]]] | None = None,
                    profiles: list[dict[str, Any]] | None = None) -> Catalogue:
    """A Catalogue built directly from raw dicts, bypassing the file loader."""
    meta, cases = packaged_meta()
    groups = INDICATORS if indicators is None else indicators
    files = {Group(g): IndicatorFile.model_validate(indicator_file(g, items))
             for g, items in groups.items()}
    chosen = PROFILES if profiles is None else profiles
    return Catalogue(meta, files, tuple(Profile.model_validate(p) for p in chosen), cases.cases)
