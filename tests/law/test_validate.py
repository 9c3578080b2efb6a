"""Fact-pattern errors: every kind is reported, all at once, each with its path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.law.factories import act, base, means, person
from tipor.exceptions import FactPatternError
from tipor.law.validate import format_path, parse_fact_pattern, parse_fact_pattern_text


def problems_of(doc: object) -> list[tuple[str, str]]:
    with pytest.raises(FactPatternError) as info:
        parse_fact_pattern(doc)
    return info.value.problems


def paths_of(doc: object) -> set[str]:
    return {path for path, _ in problems_of(doc)}


def test_a_valid_pattern_parses() -> None:
    facts = parse_fact_pattern(base(acts=[act("a1", "recruitment")]))
    assert facts.acts[0].kind == "recruitment"
    assert [p.id for p in facts.persons] == ["alpha", "bravo"]


def _with(mutate: Any) -> dict[str, Any]:
    doc = base(acts=[act("a1", "recruitment")], means=[means("m1", "deception")])
    doc = copy.deepcopy(doc)
    mutate(doc)
    return doc


@pytest.mark.parametrize(("mutate", "path", "words"), [
    pytest.param(lambda d: d.pop("title"), "title", "required", id="missing-field"),
    pytest.param(lambda d: d["persons"][1]["roles"].append("wizard"), "persons[1].roles[1]",
                 "unknown role", id="unknown-role"),
    pytest.param(lambda d: d["persons"][0].update(nationalities=["PK", "QQ"]),
                 "persons[0].nationalities[1]", "unknown jurisdiction code", id="unknown-code"),
    pytest.param(lambda d: d["persons"][0].update(nationalities=["pk"]),
                 "persons[0].nationalities[0]", "pattern", id="malformed-code"),
    pytest.param(lambda d: d["places"][0].update(country="ZZ"), "places[0].country",
                 "unknown jurisdiction code", id="unknown-place-country"),
    pytest.param(lambda d: d.update(jurisdictions=["XX"]), "jurisdictions[0]",
                 "unknown jurisdiction code", id="unknown-extra-jurisdiction"),
    pytest.param(lambda d: d["acts"][0].update(actors=["ghost"]), "acts[0].actors[0]",
                 "does not exist", id="missing-person"),
    pytest.param(lambda d: d["acts"][0].update(place="nowhere"), "acts[0].place",
                 "does not exist", id="missing-place"),
    pytest.param(lambda d: d["acts"][0].update(victims=["bravo"]), "acts[0].victims[0]",
                 "not a donor", id="victim-not-donor"),
    pytest.param(lambda d: d["acts"][0].update(place="bravo"), "acts[0].place",
                 "expected a place", id="wrong-kind-of-reference"),
    pytest.param(lambda d: d["means"][0].update(id="a1"), "means[0].id", "duplicate id",
                 id="duplicate-id"),
    pytest.param(lambda d: d["acts"][0].update(colour="red"), "acts[0].colour",
                 "unknown field", id="unknown-field"),
    pytest.param(lambda d: d["acts"][0].update(kind="dancing"), "acts[0].kind",
                 "input should be", id="unknown-act-kind"),
    pytest.param(lambda d: d["means"][0].update(kind="payment_to_controller"),
                 "means[0].controller", "person having control", id="payment-without-controller"),
    pytest.param(lambda d: d["means"][0].update(kind="abuse_of_vulnerability"),
                 "means[0].vulnerabilities", "needs the vulnerability", id="apov-without-vuln"),
    pytest.param(lambda d: d["acts"][0].update(date="May 2022"), "acts[0].date", "pattern",
                 id="bad-date"),
    pytest.param(lambda d: d["persons"][0].update(age=-1), "persons[0].age", "greater",
                 id="negative-age"),
])
def test_each_kind_of_problem_is_reported_with_its_path(mutate: Any, path: str,
                                                        words: str) -> None:
    problems = problems_of(_with(mutate))
    messages = [msg.lower() for p, msg in problems if p == path]
    assert messages, f"no problem at {path}: {problems}"
    assert any(words.lower() in m for m in messages), messages


def test_every_problem_is_listed_at_once() -> None:
    def break_many(d: dict[str, Any]) -> None:
        d["persons"][0]["nationalities"] = ["QQ"]
        d["persons"][1]["roles"] = ["wizard"]
        d["acts"][0]["actors"] = ["ghost"]
        d["means"][0]["victims"] = ["nobody"]
    paths = paths_of(_with(break_many))
    assert {"persons[0].nationalities[0]", "persons[1].roles[0]", "acts[0].actors[0]",
            "means[0].victims[0]"} <= paths


def test_the_error_message_counts_and_lists_problems() -> None:
    with pytest.raises(FactPatternError) as info:
        parse_fact_pattern(_with(lambda d: d["acts"][0].update(actors=["ghost"])))
    assert "1 problem" in info.value.message
    assert "acts[0].actors[0]" in str(info.value)


@pytest.mark.parametrize("raw", [None, [], "text", 3], ids=["none", "list", "string", "int"])
def test_a_document_that_is_not_a_mapping_is_rejected(raw: object) -> None:
    assert problems_of(raw)


def test_text_that_is_not_yaml_is_rejected() -> None:
    with pytest.raises(FactPatternError) as info:
        parse_fact_pattern_text("title: [unclosed")
    assert info.value.problems[0][0] == "(root)"


def test_json_text_is_accepted() -> None:
    facts = parse_fact_pattern_text('{"title": "JSON case", "persons": []}')
    assert facts.title == "JSON case"


def test_kosovo_code_is_accepted() -> None:
    doc = base()
    doc["places"][0]["country"] = "XK"
    assert parse_fact_pattern(doc).places[0].country == "XK"


def test_organisation_can_act_but_not_be_a_victim() -> None:
    doc = base(organisations=[{"id": "clinic-co", "label": "Fictional Clinic Ltd",
                               "kind": "clinic", "roles": ["facility"], "source": "document",
                               "firmness": "established"}],
               acts=[act("a1", "removal", actors=["clinic-co"])])
    assert parse_fact_pattern(doc).acts[0].actors == ["clinic-co"]
    doc["acts"][0]["victims"] = ["clinic-co"]
    assert "acts[0].victims[0]" in paths_of(doc)


@pytest.mark.parametrize(("loc", "text"), [
    ((), "(root)"), (("title",), "title"), (("persons", 2, "nationalities", 0),
                                            "persons[2].nationalities[0]"),
], ids=["root", "field", "nested"])
def test_format_path(loc: tuple[int | str, ...], text: str) -> None:
    assert format_path(loc) == text


def test_person_factory_is_valid() -> None:
    assert parse_fact_pattern(base(persons=[person("charlie", "broker")])).persons[2].id == (
        "charlie")


# ---- format version 2 --------------------------------------------------------------------

def test_version_1_files_are_upgraded() -> None:
    doc = base(acts=[act("a1", "recruitment")])
    doc["format_version"] = 1
    doc["persons"][1]["previous_convictions"] = True
    doc["persons"][0]["previous_convictions"] = False
    facts = parse_fact_pattern(doc)
    assert facts.format_version == 2
    assert [p.prior_convictions for p in facts.persons] == [None, 1]
    assert "previous_convictions" in doc["persons"][1]  # the caller's document is untouched


def test_version_2_has_no_boolean_previous_convictions() -> None:
    doc = base()
    doc["format_version"] = 2
    doc["persons"][1]["previous_convictions"] = True
    assert ("persons[1].previous_convictions", "unknown field") in problems_of(doc)


def test_version_2_defaults_say_unknown() -> None:
    facts = parse_fact_pattern({**base(acts=[act("a1", "recruitment")]), "format_version": 2})
    person_ = facts.persons[1]
    assert (person_.qualification, person_.sex, person_.count) == ("unknown", "unknown", 1)
    assert (person_.prior_convictions, person_.prior_charges) == (None, None)
    assert (facts.acts[0].present, facts.acts[0].stage) == ("yes", "completed")


def test_a_place_needs_a_country_or_a_region() -> None:
    doc = base()
    doc["places"].append({"id": "nowhere", "label": "Fictional place"})
    [(path, message)] = [p for p in problems_of(doc) if p[0].startswith("places[2]")]
    assert path == "places[2]" and "country or a region" in message
    doc["places"][2]["region"] = "unknown"
    assert parse_fact_pattern(doc).places[2].country is None


def test_unknown_values_are_accepted_where_facts_are_unknown() -> None:
    doc = base(acts=[act("a1", "transport", present="unknown", stage="unknown")],
               means=[means("m1", "threat", present="unknown")],
               purposes=[{"id": "u1", "victims": ["alpha"], "stage": "unknown",
                          "source": "testimony", "firmness": "alleged"}],
               consents=[{"id": "c1", "person": "alpha", "content": "unknown",
                          "source": "testimony", "firmness": "alleged"}])
    facts = parse_fact_pattern(doc)
    assert facts.acts[0].present == facts.means[0].present == "unknown"


def test_payment_via_must_name_a_party() -> None:
    doc = base(payments=[{"id": "pay1", "payer": "bravo", "payee": "alpha", "status": "paid",
                          "purpose": "organ", "via": ["ghost"], "source": "financial_record",
                          "firmness": "established"}])
    assert "payments[0].via[0]" in paths_of(doc)
