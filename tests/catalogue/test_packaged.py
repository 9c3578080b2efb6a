"""Integrity of the real, packaged catalogue (fails while indicator files are incomplete)."""

from __future__ import annotations

import yaml

from tipor.catalogue import load_catalogue, validate_catalogue
from tipor.catalogue.loader import packaged_data
from tipor.catalogue.metadata import CasesFile, CatalogueMeta, ProfilesFile
from tipor.catalogue.schema import LANGS, Group

FIXED_CASES = {
    "medicus", "costa_rica", "ekweremadu", "netcare", "rawalpindi_2016", "rawalpindi_2025",
    "dehradun_2018", "gurgaon_2008", "nepal_kavre", "israel_2007", "israel_2012",
    "moldova_istanbul", "bangladesh_kolkata", "egypt_2016", "egypt_707_2021", "iraq_networks",
    "herat", "delhi_noida_2024", "lahore_taxila", "amit_kumar",
}
PROFILES = {"victim_encounter", "pair_review", "returning_patient", "facility_inspection",
            "financial_review", "border_encounter"}


def _raw(name: str) -> object:
    return yaml.safe_load((packaged_data() / name).read_text(encoding="utf-8"))


def test_metadata_files_parse_on_their_own() -> None:
    meta = CatalogueMeta.model_validate(_raw("catalogue.yaml"))
    assert meta.version == "2026.11.1"
    cases = CasesFile.model_validate(_raw("cases.yaml"))
    assert {c.id for c in cases.cases} == FIXED_CASES
    assert all(c.urls or c.verification.value == "unverified" for c in cases.cases)
    profiles = ProfilesFile.model_validate(_raw("profiles.yaml"))
    assert {p.id for p in profiles.profiles} == PROFILES


def test_packaged_catalogue_validates() -> None:
    assert validate_catalogue() == []


def test_packaged_catalogue_integrity() -> None:
    cat = load_catalogue()
    ids = [i.id for i in cat.indicators]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 80
    assert set(cat.files) == set(Group)
    for ind in cat.indicators:
        assert ind.sources, ind.id
        assert set(ind.seen_in) <= FIXED_CASES, ind.id
        for lang in LANGS:
            assert ind.label.get(lang).strip(), (ind.id, lang)
            assert ind.questions.default.get(lang).strip(), (ind.id, lang)
    for profile in cat.profiles:
        assert set(profile.include) | set(profile.exclude) <= set(ids), profile.id
        assert len(cat.indicators_for(profile.id)) >= 5, profile.id
