"""Case bundles: schema, lossless round trip on both engines, complete validation, permissions."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import jsonschema
import pytest
from sqlalchemy import select

from tests.cases.conftest import CtxFor
from tests.conftest import Factory
from tests.exchange.conftest import EVIDENCE_BYTES, Built, counts, indicators, strip
from tipor.accounts.models import Agency, Role, User
from tipor.audit.models import AuditEntry
from tipor.cases.access import view_case
from tipor.context import Ctx
from tipor.db import unit_of_work
from tipor.evidence.models import Evidence
from tipor.evidence.service import read_evidence
from tipor.evidence.store import FileStore
from tipor.exceptions import IntegrityError, PermissionDenied, ValidationFailed
from tipor.exchange.bundle import bundle_bytes, export_case
from tipor.exchange.importer import import_bundle
from tipor.exchange.schema import SCHEMA_FILE, bundle_schema, dumps_schema, shipped_schema
from tipor.settings import Settings


def _wire(bundle: dict[str, Any]) -> dict[str, Any]:
    """What arrives at the other end: the bundle through JSON bytes."""
    decoded: dict[str, Any] = json.loads(bundle_bytes(bundle))
    return decoded


def test_shipped_schema_equals_generated() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == dumps_schema(bundle_schema()), \
        "regenerate with tipor.exchange.schema.write_bundle_schema()"


@pytest.mark.parametrize("include_files", [False, True])
def test_round_trip_is_lossless(investigator_ctx: Ctx, built: Built, store: FileStore,
                                include_files: bool) -> None:
    ctx = investigator_ctx
    first = export_case(ctx, built.case_id, include_files=include_files, store=store)
    jsonschema.validate(_wire(first), shipped_schema())
    result = import_bundle(ctx, _wire(first), store=store, indicators=indicators)
    ctx.session.commit()
    assert result.case.id != built.case_id and result.case.reference != first["case"]["reference"]
    assert result.unmatched_users == [] and result.files_stored == (1 if include_files else 0)
    second = export_case(ctx, result.case.id, include_files=include_files, store=store)
    assert strip(_wire(second)) == strip(_wire(first))
    # spot checks that the values are really there, decrypted in the bundle
    assert first["parties"][0]["name"] == "Fictional Miro Duskfield"
    assert {i["value"] for i in first["identifiers"]} >= {"+923001234567", "GB82WEST12345698765432"}
    assert first["payments"][1]["amount"] == "1234.50"
    assert first["referrals"][0]["to_agency"]["name"] == "Fictional Police"
    assert first["support_items"][0]["result"] == "creatinine normal"
    assert first["events"][2]["parties"] == ["p1", "p3", "p4"]
    if include_files:
        assert base64.b64decode(first["evidence"][0]["content_base64"]) == EVIDENCE_BYTES
    else:
        assert first["evidence"][0]["content_base64"] is None
    actions = ctx.session.execute(select(AuditEntry.action)).scalars().all()
    assert actions.count("case.export") == 2 and "case.import" in actions


def _broken(bundle: dict[str, Any]) -> dict[str, Any]:
    bad = copy.deepcopy(_wire(bundle))
    bad["identifiers"][0]["party"] = "p99"                        # dangling reference
    bad["identifiers"][1]["value"] = "GB00 WEST 1234 5698 7654 32"  # IBAN check digits wrong
    bad["referrals"][0]["to_agency"] = {"name": "Fictional Unknown Agency", "kind": "ngo", "country": "PK"}
    bad["observations"][0]["indicator_id"] = "XXX-99"
    bad["events"][0]["date_to"] = "2023-01-01"                       # before date_from
    bad["events"][1]["parties"].append("p42")
    return bad


def test_import_lists_every_problem_and_writes_nothing(investigator_ctx: Ctx, built: Built,
                                                       store: FileStore, settings: Settings) -> None:
    ctx = investigator_ctx
    bad = _broken(export_case(ctx, built.case_id, include_files=False, store=store))
    ctx.session.commit()
    before = counts(settings)
    with pytest.raises(ValidationFailed) as caught:
        import_bundle(ctx, bad, store=store, indicators=indicators)
    ctx.session.rollback()
    paths = dict(caught.value.problems)
    assert set(paths) >= {"$.identifiers[0].party", "$.identifiers[1].value", "$.referrals[0].to_agency",
                          "$.observations[0].indicator_id", "$.events[0].date_to",
                          "$.events[1].parties[1]"}, paths
    assert "Fictional Unknown Agency" in paths["$.referrals[0].to_agency"]
    assert "nothing was imported" in caught.value.message
    assert counts(settings) == before


def test_schema_problems_are_all_listed_with_paths(investigator_ctx: Ctx, built: Built,
                                                   store: FileStore, settings: Settings) -> None:
    ctx = investigator_ctx
    bad = _wire(export_case(ctx, built.case_id, include_files=False, store=store))
    ctx.session.commit()
    del bad["case"]["title"]
    bad["parties"][0]["sex"] = "robot"
    bad["payments"][0]["amount"] = "5,000"
    bad["unexpected"] = True
    before = counts(settings)
    with pytest.raises(ValidationFailed) as caught:
        import_bundle(ctx, bad, store=store, indicators=indicators)
    ctx.session.rollback()
    paths = [p for p, _ in caught.value.problems]
    assert {"$.case", "$.parties[0].sex", "$.payments[0].amount", "$"} <= set(paths), paths
    assert counts(settings) == before


def test_tampered_evidence_in_bundle_is_refused(investigator_ctx: Ctx, built: Built, store: FileStore,
                                                settings: Settings) -> None:
    ctx = investigator_ctx
    bundle = _wire(export_case(ctx, built.case_id, include_files=True, store=store))
    ctx.session.commit()
    bundle["evidence"][0]["content_base64"] = base64.b64encode(b"Fictional forged letter").decode()
    before = counts(settings)
    with pytest.raises(ValidationFailed) as caught:
        import_bundle(ctx, bundle, store=store, indicators=indicators)
    ctx.session.rollback()
    assert caught.value.problems[0][0] == "$.evidence[0].content_base64"
    assert "SHA-256" in caught.value.problems[0][1]
    assert counts(settings) == before


def test_export_refuses_an_altered_evidence_file(investigator_ctx: Ctx, built: Built,
                                                 store: FileStore) -> None:
    ctx = investigator_ctx
    blob = ctx.session.execute(select(Evidence.blob).where(Evidence.case_id == built.case_id)).scalar_one()
    assert blob is not None
    store.path(blob).write_bytes(store.path(blob).read_bytes()[:-1])  # truncated
    with pytest.raises(IntegrityError, match="integrity check"):
        export_case(ctx, built.case_id, include_files=True, store=store)


def test_export_needs_every_section_and_the_owning_agency(
        ctx_for: CtxFor, built: Built, ngo_worker: User, factory: Factory, police: Agency,
        store: FileStore, settings: Settings) -> None:
    outsider = factory.user(Role.INVESTIGATOR, agency=police)
    ctx = ctx_for(ngo_worker)
    with pytest.raises(PermissionDenied) as caught, unit_of_work(ctx.session):
        export_case(ctx, built.case_id, include_files=False, store=store)
    assert "evidence" in caught.value.message and "financial" in caught.value.message
    other = ctx_for(outsider)  # police has a live referral, so sees part of the case
    with pytest.raises(PermissionDenied, match="owning agency"), unit_of_work(other.session):
        export_case(other, built.case_id, include_files=False, store=store)
    denied = other.session.execute(select(AuditEntry).where(
        AuditEntry.action == "case.export", AuditEntry.outcome == "denied")).scalars().all()
    assert len(denied) == 2


def test_import_needs_a_role_that_writes_every_section(
        ctx_for: CtxFor, investigator_ctx: Ctx, built: Built, ngo_worker: User, store: FileStore,
        settings: Settings) -> None:
    bundle = _wire(export_case(investigator_ctx, built.case_id, include_files=False, store=store))
    investigator_ctx.session.commit()
    before = counts(settings)
    worker = ctx_for(ngo_worker)
    with pytest.raises(PermissionDenied, match="financial"), unit_of_work(worker.session):
        import_bundle(worker, bundle, store=store, indicators=indicators)
    after = counts(settings)
    assert after["cases"] == before["cases"] and after["audit_entries"] == before["audit_entries"] + 1


def test_unknown_users_become_empty_and_are_reported(investigator_ctx: Ctx, built: Built,
                                                     store: FileStore) -> None:
    ctx = investigator_ctx
    bundle = _wire(export_case(ctx, built.case_id, include_files=False, store=store))
    bundle["tasks"][0]["owner"] = "fictional-stranger"
    result = import_bundle(ctx, bundle, store=store, indicators=indicators)
    assert result.unmatched_users == ["fictional-stranger"]
    again = export_case(ctx, result.case.id, include_files=False, store=store)
    assert again["tasks"][0]["owner"] is None
    assert result.files_missing == []  # same installation: the file is already in the store


def test_a_bundle_without_files_never_opens_another_agencys_file(
        ctx_for: CtxFor, investigator_ctx: Ctx, built: Built, factory: Factory, police: Agency,
        store: FileStore) -> None:
    bundle = _wire(export_case(investigator_ctx, built.case_id, include_files=False, store=store))
    investigator_ctx.session.commit()
    outsider = ctx_for(factory.user(Role.INVESTIGATOR, agency=police))
    result = import_bundle(outsider, bundle, store=store, indicators=indicators)
    sha = bundle["evidence"][0]["sha256"]
    assert result.files_missing == [sha]  # the hash alone does not attach the NGO's file
    (item,) = outsider.session.execute(select(Evidence).where(
        Evidence.case_id == result.case.id)).scalars().all()
    assert item.blob == "" and item.sha256 == sha  # no file here, and never the legacy clear one
    view = view_case(outsider, result.case.id)
    with pytest.raises(IntegrityError, match="imported without it"):
        read_evidence(outsider, view, store, item.id)
