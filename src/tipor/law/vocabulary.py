"""The fact pattern's vocabularies as data (``law/data/vocabulary.yaml``, schema beside it).

Each vocabulary names the Literal of :mod:`tipor.law.facts` it documents and gives every value
a one-line definition with its source. The Literals stay the pydantic contract;
:func:`fact_vocabulary_problems` (run by the tests and ``tipor vocab validate``) fails when a
Literal and the file disagree, so the documented values cannot drift from the accepted ones.
"""

from __future__ import annotations

import typing
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tipor.law import facts
from tipor.vocabulary import (
    Problem,
    compare_values,
    json_schema,
    read_vocabulary_file,
    refuse,
    render_schema,
)

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_+-]*$")]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
PLAIN = "plain meaning"
SCHEMA_ID = "https://tipor.invalid/schemas/fact-pattern-vocabulary.schema.json"
#: Literals made of other Literals: documented through their parts.
COMPOSED: dict[str, tuple[str, ...]] = {"ActKind": ("TraffickingAct", "OrganTradeAct")}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(_Model):
    """One value: what a practitioner means by it, and where that comes from."""

    definition: str = Field(min_length=1, description="one line, in English")
    source: str = Field(min_length=1, description=f"document and section, or '{PLAIN}'")


class Vocabulary(_Model):
    """One vocabulary: the Literal it documents and its values in order."""

    literal: str = Field(pattern=r"^[A-Z][A-Za-z]+$", description="name in tipor.law.facts")
    description: str = Field(min_length=1)
    values: dict[Code, Term] = Field(min_length=1)


class FactVocabularyFile(_Model):
    """The whole file."""

    version: str = Field(pattern=r"^fact-pattern-vocabulary-[0-9]+$")
    vocabularies: dict[Name, Vocabulary] = Field(min_length=1)


def data_path() -> Path:
    """The shipped fact-pattern vocabulary file."""
    return Path(str(files("tipor.law") / "data" / "vocabulary.yaml"))


def fact_literals() -> dict[str, tuple[str, ...]]:
    """Every Literal type alias of :mod:`tipor.law.facts` -> its values, composed ones left out."""
    found = {name: tuple(str(v) for v in typing.get_args(obj)) for name, obj in vars(facts).items()
             if typing.get_origin(obj) is Literal and name[:1].isupper()}
    return {name: values for name, values in found.items() if name not in COMPOSED}


def _literal_problems(path: Path, vocab: FactVocabularyFile) -> list[Problem]:
    literals = fact_literals()
    by_literal = {voc.literal: name for name, voc in vocab.vocabularies.items()}
    found = [(f"{path}: {name}", f"literal {voc.literal!r} is not a Literal of tipor.law.facts")
             for name, voc in vocab.vocabularies.items() if voc.literal not in literals]
    found += [(f"{path}: {lit}", f"tipor.law.facts.{lit} has no vocabulary in the file: add it")
              for lit in literals if lit not in by_literal]
    for lit, name in by_literal.items():
        if lit in literals:
            found += compare_values(path, name, vocab.vocabularies[name].values, literals[lit],
                                    f"tipor.law.facts.{lit}")
    return found


def fact_vocabulary_problems(path: Path | None = None
                             ) -> tuple[FactVocabularyFile | None, list[Problem]]:
    """The file read and every problem: schema, and Literal/data differences."""
    path = path or data_path()
    vocab, found = read_vocabulary_file(path, FactVocabularyFile)
    if vocab is None:
        return None, found
    return vocab, found + _literal_problems(path, vocab)


def load_fact_vocabulary(path: Path | None = None) -> FactVocabularyFile:
    """The checked file; raises CatalogueError naming the file and value of each problem."""
    vocab, found = fact_vocabulary_problems(path)
    if found or vocab is None:
        raise refuse(found or [(str(path or data_path()), 'could not be read')])
    return vocab


def fact_vocabulary_schema() -> dict[str, Any]:
    """The JSON Schema of the fact-pattern vocabulary file."""
    return json_schema(FactVocabularyFile, SCHEMA_ID)


def fact_vocabulary_schema_text() -> str:
    """The text ``law/data/vocabulary.schema.json`` must contain."""
    return render_schema(fact_vocabulary_schema())

