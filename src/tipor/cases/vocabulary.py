"""The case file's vocabularies as data (``cases/data/vocabulary.yaml``, schema beside it).

The file lists each vocabulary's values with the case section a value belongs to, its HTCDS v2
value and its label key. It is the source of the section and HTCDS mappings; the typed enums of
:mod:`tipor.cases.enums` must list the same values, checked by :func:`case_vocabulary_problems`
when enums is imported and by ``tipor vocab validate``. This module does not import the enums
(they import it), so the enum classes are passed in.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tipor.i18n import messages
from tipor.security.permissions import Section
from tipor.vocabulary import (
    Problem,
    compare_values,
    compare_vocabularies,
    json_schema,
    read_vocabulary_file,
    refuse,
    render_schema,
)

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
LabelKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")]
#: Vocabularies whose every value must name the case section it belongs to.
SECTIONED = ("identifier_kind", "event_kind")
SCHEMA_ID = "https://tipor.invalid/schemas/case-vocabulary.schema.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(_Model):
    """One value of a vocabulary."""

    label: LabelKey = Field(description="label key in the i18n files")
    section: Section | None = Field(None, description="case section the value belongs to")
    htcds: str | None = Field(None, description="HTCDS v2 value; empty: the cell is left empty")
    htcds_extension: bool = Field(False, description="a value tipor adds to HTCDS v2")


class Vocabulary(_Model):
    """One vocabulary: its values in display order."""

    description: str = Field(min_length=1)
    htcds_field: str | None = Field(None, description="the HTCDS v2 field its values fill")
    values: dict[Code, Term] = Field(min_length=1)


class CaseVocabularyFile(_Model):
    """The whole file."""

    version: str = Field(pattern=r"^case-vocabulary-[0-9]+$")
    vocabularies: dict[Code, Vocabulary] = Field(min_length=1)

    def sections(self, name: str) -> dict[str, Section]:
        """Value -> case section, for a sectioned vocabulary."""
        return {v: t.section for v, t in self.vocabularies[name].values.items() if t.section}

    def htcds(self, name: str) -> dict[str, str]:
        """Value -> HTCDS v2 value, in file order, for the values that have one."""
        return {v: t.htcds for v, t in self.vocabularies[name].values.items()
                if t.htcds is not None}

    def htcds_extensions(self) -> frozenset[str]:
        """HTCDS values tipor adds (marked ``htcds_extension``)."""
        return frozenset(t.htcds for voc in self.vocabularies.values()
                         for t in voc.values.values() if t.htcds_extension and t.htcds)


def data_path() -> Path:
    """The shipped case vocabulary file."""
    return Path(str(files("tipor.cases") / "data" / "vocabulary.yaml"))


def _term_problems(path: Path, name: str, voc: Vocabulary) -> list[Problem]:
    found: list[Problem] = []
    for value, term in voc.values.items():
        where = f"{path}: {name}.{value}"
        if name in SECTIONED and term.section is None:
            found.append((where, "needs a section (which case section the value belongs to)"))
        if term.htcds is not None and voc.htcds_field is None:
            found.append((where, "has an htcds value but the vocabulary has no htcds_field"))
        if term.htcds_extension and not term.htcds:
            found.append((where, "htcds_extension needs a non-empty htcds value"))
    return found


def case_vocabulary_problems(enums: Mapping[str, type[enum.Enum]], path: Path | None = None
                             ) -> tuple[CaseVocabularyFile | None, list[Problem]]:
    """The file read and every problem: schema, enum/data differences, missing sections."""
    path = path or data_path()
    vocab, found = read_vocabulary_file(path, CaseVocabularyFile)
    if vocab is None:
        return None, found
    found += compare_vocabularies(path, vocab.vocabularies, enums)
    for name, cls in enums.items():
        if name in vocab.vocabularies:
            found += compare_values(path, name, vocab.vocabularies[name].values,
                                    [m.value for m in cls], f"tipor.cases.enums.{cls.__name__}")
    for name, voc in vocab.vocabularies.items():
        found += _term_problems(path, name, voc)
    return vocab, found


def label_problems(vocab: CaseVocabularyFile, path: Path | None = None) -> list[Problem]:
    """Label keys of the file that the English label files lack."""
    english = messages("en")
    return [(f"{path or data_path()}: {name}.{value}",
             f"label key {term.label!r} is not in src/tipor/i18n/data/en*.yaml: add it")
            for name, voc in vocab.vocabularies.items() for value, term in voc.values.items()
            if term.label not in english]


def load_case_vocabulary(enums: Mapping[str, type[enum.Enum]], path: Path | None = None
                         ) -> CaseVocabularyFile:
    """The checked file; raises CatalogueError naming the file and value of each problem."""
    vocab, found = case_vocabulary_problems(enums, path)
    if found or vocab is None:
        raise refuse(found or [(str(path or data_path()), 'could not be read')])
    return vocab


def case_vocabulary_schema() -> dict[str, Any]:
    """The JSON Schema of the case vocabulary file."""
    return json_schema(CaseVocabularyFile, SCHEMA_ID)


def case_vocabulary_schema_text() -> str:
    """The text ``cases/data/vocabulary.schema.json`` must contain."""
    return render_schema(case_vocabulary_schema())
