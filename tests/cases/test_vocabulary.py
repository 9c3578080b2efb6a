"""The case vocabulary file: valid against its schema, equal to the enums, refused when broken."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from fastapi.testclient import TestClient

from tests.conftest import Factory, csrf_from, login
from tipor.accounts.models import AgencyKind, Role
from tipor.cases import enums
from tipor.cases.enums import EventKind, IdentifierKind, event_section
from tipor.cases.vocabulary import (
    case_vocabulary_problems,
    case_vocabulary_schema_text,
    data_path,
    label_problems,
    load_case_vocabulary,
)
from tipor.exceptions import CatalogueError
from tipor.security.permissions import Section

SCHEMA = data_path().with_name("vocabulary.schema.json")


def test_shipped_schema_equals_generated() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == case_vocabulary_schema_text(), \
        "regenerate with tipor.cases.vocabulary.case_vocabulary_schema_text()"


def test_shipped_file_validates_against_its_schema() -> None:
    jsonschema.validate(yaml.safe_load(data_path().read_text(encoding="utf-8")),
                        json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_schema_refuses_an_unknown_section() -> None:
    doc = yaml.safe_load(data_path().read_text(encoding="utf-8"))
    doc["vocabularies"]["identifier_kind"]["values"]["phone"]["section"] = "kitchen"
    with pytest.raises(jsonschema.ValidationError, match="kitchen"):
        jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sorted(enums.VOCABULARIES))
def test_enum_values_equal_the_data_file(name: str) -> None:
    in_file = list(enums.DATA.vocabularies[name].values)
    assert in_file == [m.value for m in enums.VOCABULARIES[name]]


@pytest.mark.parametrize(("kind", "section"), [
    (IdentifierKind.PHONE, Section.CONTACT), (IdentifierKind.SOCIAL_HANDLE, Section.CONTACT),
    (IdentifierKind.PASSPORT, Section.IDENTITY), (IdentifierKind.NATIONAL_ID, Section.IDENTITY),
    (IdentifierKind.IBAN, Section.FINANCIAL), (IdentifierKind.VEHICLE, Section.EVIDENCE),
])
def test_identifier_sections_come_from_the_file(kind: IdentifierKind, section: Section) -> None:
    assert enums.IDENTIFIER_SECTION[kind] is section


@pytest.mark.parametrize(("kind", "section"), [
    (EventKind.SURGERY, Section.MEDICAL), (EventKind.HLA_TEST, Section.MEDICAL),
    (EventKind.AFTERCARE, Section.MEDICAL), (EventKind.PAYMENT, Section.FINANCIAL),
    (EventKind.RECRUITMENT, Section.LEGAL), (EventKind.RETURN, Section.LEGAL),
])
def test_event_sections_come_from_the_file(kind: EventKind, section: Section) -> None:
    assert event_section(kind) is section
    assert (kind in enums.MEDICAL_EVENTS) == (section is Section.MEDICAL)


def test_every_value_is_mapped_and_labelled() -> None:
    assert set(enums.IDENTIFIER_SECTION) == set(IdentifierKind)
    assert set(enums.EVENT_SECTION) == set(EventKind)
    assert label_problems(enums.DATA) == []


def _broken(tmp_path: Path, edit: str, replacement: str) -> Path:
    text = data_path().read_text(encoding="utf-8")
    assert edit in text
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("edit", "replacement", "where", "says"), [
    ("      vehicle: {label: ident.vehicle, section: evidence}\n",
     "      vehicle: {label: ident.vehicle, section: evidence}\n"
     "      pager: {label: ident.pager, section: contact}\n",
     "identifier_kind.pager", "not in tipor.cases.enums.IdentifierKind"),
    ("      witness: {label: role.party.witness}\n", "",
     "party_role.witness", "in tipor.cases.enums.PartyRole but not in the data file"),
    ("{label: event.threat, section: legal, ", "{label: event.threat, ",
     "event_kind.threat", "needs a section"),
    ("  task_status:\n", "  tasks_status:\n", "tasks_status", "unknown to the code"),
], ids=["extra-value", "missing-value", "no-section", "renamed-vocabulary"])
def test_a_broken_file_is_refused_naming_file_and_value(
        tmp_path: Path, edit: str, replacement: str, where: str, says: str) -> None:
    path = _broken(tmp_path, edit, replacement)
    with pytest.raises(CatalogueError) as caught:
        load_case_vocabulary(enums.VOCABULARIES, path)
    assert str(path) in caught.value.message and where in caught.value.message
    assert any(w.endswith(where) and says in m for w, m in caught.value.problems)


def test_a_duplicate_key_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "      paid: {label: payment.status.paid}\n",
                   "      paid: {label: payment.status.paid}\n"
                   "      paid: {label: payment.status.paid}\n")
    _, found = case_vocabulary_problems(enums.VOCABULARIES, path)
    assert len(found) == 1 and found[0][0] == str(path)
    assert "duplicate key 'paid'" in found[0][1] and "line" in found[0][1]


def test_people_tab_shows_organisation_kinds_and_sexes_by_label(
        client: TestClient, factory: Factory) -> None:
    police = factory.agency(AgencyKind.POLICE, "Fictional Police Unit")
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    page = client.get("/cases")
    created = client.post("/cases", data={"title": "Fictional vocabulary case", "jurisdictions": "pk",
                                          "csrf_token": csrf_from(page.text)})
    assert created.status_code == 200, created.text[:2000]
    people = client.get(str(created.url) + "/people")
    assert people.status_code == 200
    assert '<option value="medical_tourism_agency">medical-tourism agency</option>' in people.text
    assert '<option value="unknown">unknown</option>' in people.text
