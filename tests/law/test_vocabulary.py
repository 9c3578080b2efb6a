"""The fact-pattern vocabulary file: valid against its schema, equal to the Literals of
tipor.law.facts (one row per vocabulary), refused when broken, and embedded in the doc."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import jsonschema
import pytest
import yaml

from tipor.exceptions import CatalogueError
from tipor.law import facts as F
from tipor.law.vocab_doc import END, START, embed, main, vocabulary_markdown
from tipor.law.vocabulary import (
    PLAIN,
    data_path,
    fact_literals,
    fact_vocabulary_problems,
    fact_vocabulary_schema_text,
    load_fact_vocabulary,
)

SCHEMA = data_path().with_name("vocabulary.schema.json")
DOC = Path(__file__).parents[2] / "docs" / "formats" / "fact-pattern.md"
# read without the Literal check, so the table below names the vocabulary that differs
_READ = fact_vocabulary_problems()[0]
assert _READ is not None, "the shipped vocabulary file does not parse"
VOCAB = _READ

#: (vocabulary in the data file, the Literal of tipor.law.facts it must equal)
TABLE: list[tuple[str, object]] = [
    ("firmness", F.Firmness), ("source_kind", F.SourceKind), ("person_role", F.PersonRole),
    ("qualification", F.Qualification), ("sex", F.Sex), ("presence", F.Presence),
    ("region", F.Region), ("organisation_role", F.OrganisationRole),
    ("organisation_kind", F.OrganisationKind), ("age_band", F.AgeBand),
    ("trafficking_act", F.TraffickingAct), ("organ_trade_act", F.OrganTradeAct),
    ("stage", F.Stage), ("authorisation", F.Authorisation),
    ("falsified_document", F.FalsifiedDocument), ("means_kind", F.MeansKind),
    ("deception_topic", F.DeceptionTopic), ("vulnerability", F.Vulnerability),
    ("purpose_stage", F.PurposeStage), ("consent_content", F.ConsentContent),
    ("payment_status", F.PaymentStatus), ("payment_purpose", F.PaymentPurpose),
    ("harm_kind", F.HarmKind),
]


@pytest.mark.parametrize(("name", "literal"), TABLE, ids=[row[0] for row in TABLE])
def test_literal_values_equal_the_data_file(name: str, literal: object) -> None:
    assert list(VOCAB.vocabularies[name].values) == list(typing.get_args(literal))


def test_the_table_covers_every_vocabulary_and_every_literal() -> None:
    assert [row[0] for row in TABLE] == list(VOCAB.vocabularies)
    assert {VOCAB.vocabularies[n].literal for n, _ in TABLE} == set(fact_literals())


def test_act_kind_is_the_two_act_vocabularies() -> None:
    assert typing.get_args(F.ActKind) == (typing.get_args(F.TraffickingAct)
                                          + typing.get_args(F.OrganTradeAct))


def test_every_definition_names_its_source() -> None:
    for name, voc in VOCAB.vocabularies.items():
        for value, term in voc.values.items():
            assert term.source == PLAIN or "fact-pattern.md" in term.source \
                or term.source.startswith("domain §"), f"{name}.{value}: {term.source}"
            assert "\n" not in term.definition, f"{name}.{value}: one line"


def test_shipped_schema_equals_generated() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == fact_vocabulary_schema_text(), \
        "regenerate with tipor.law.vocabulary.fact_vocabulary_schema_text()"


def test_shipped_file_validates_against_its_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = yaml.safe_load(data_path().read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    del doc["vocabularies"]["sex"]["values"]["male"]["source"]
    with pytest.raises(jsonschema.ValidationError, match="'source' is a required property"):
        jsonschema.validate(doc, schema)


def _broken(tmp_path: Path, edit: str, replacement: str) -> Path:
    text = data_path().read_text(encoding="utf-8")
    assert edit in text
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    return path


GUARD = '      guard: {definition: "a person who watched over or held donors", source: plain meaning}\n'


@pytest.mark.parametrize(("edit", "replacement", "where", "says"), [
    (GUARD, GUARD + '      jailer: {definition: "x", source: plain meaning}\n',
     "person_role.jailer", "not in tipor.law.facts.PersonRole"),
    (GUARD, "", "person_role.guard", "in tipor.law.facts.PersonRole but not in the data file"),
    ("    literal: HarmKind\n", "    literal: HarmKinds\n", "harm_kind",
     "not a Literal of tipor.law.facts"),
], ids=["extra-value", "missing-value", "unknown-literal"])
def test_a_broken_file_is_refused_naming_file_and_value(
        tmp_path: Path, edit: str, replacement: str, where: str, says: str) -> None:
    path = _broken(tmp_path, edit, replacement)
    with pytest.raises(CatalogueError) as caught:
        load_fact_vocabulary(path)
    assert str(path) in caught.value.message and where in caught.value.message
    assert any(w.endswith(where) and says in m for w, m in caught.value.problems)


def test_a_duplicate_value_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, GUARD, GUARD + GUARD)
    vocab, found = fact_vocabulary_problems(path)
    assert vocab is None and len(found) == 1 and found[0][0] == str(path)
    assert "duplicate key 'guard'" in found[0][1] and "line" in found[0][1]


def test_a_definition_without_source_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, GUARD, '      guard: {definition: "a person who watched"}\n')
    _, found = fact_vocabulary_problems(path)
    assert found == [(f"{path}: vocabularies.person_role.values.guard.source", "Field required")]


def test_the_doc_embeds_the_current_vocabulary() -> None:
    text = DOC.read_text(encoding="utf-8")
    embedded = text.split(START, 1)[1].split(END, 1)[0]
    assert embedded == vocabulary_markdown(), \
        "run: python -m tipor.law.vocab_doc docs/formats/fact-pattern.md"
    assert "| `abuse_of_vulnerability` |" in embedded


def test_the_generator_rewrites_only_the_section(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(f"before\n{START}stale\n{END}\nafter\n", encoding="utf-8")
    assert main([str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == f"before\n{START}{vocabulary_markdown()}{END}\nafter\n"
    with pytest.raises(ValueError, match="markers"):
        embed("no markers", "x")
    assert main([str(tmp_path / "missing.md")]) == 2
