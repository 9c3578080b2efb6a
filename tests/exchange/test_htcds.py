"""HTCDS CSV: documented header, one row per person, mapped values; the doc embeds the mapping."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import select

from tests.exchange.conftest import Built
from tipor.audit.models import AuditEntry
from tipor.context import Ctx
from tipor.exchange.htcds import HEADER, export_htcds, mapping_markdown

DOC = Path(__file__).parents[2] / "docs" / "formats" / "htcds-mapping.md"


def test_doc_embeds_the_mapping_the_code_uses() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = "<!-- mapping:start -->\n", "<!-- mapping:end -->"
    embedded = text.split(start, 1)[1].split(end, 1)[0]
    assert embedded == mapping_markdown(), "paste tipor.exchange.htcds.mapping_markdown() into the doc"


def test_one_row_per_person_with_mapped_values(investigator_ctx: Ctx, built: Built) -> None:
    text = export_htcds(investigator_ctx, [built.case_id])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(csv.reader(io.StringIO(text)).__next__()) == HEADER
    assert len(rows) == 4
    by_name = {r["prs_FullName"]: r for r in rows}
    victim = by_name["Fictional Miro Duskfield"]
    assert victim["vic_TypeOfExploitation"] == "OrganRemoval"
    assert victim["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert victim["hte_Type"] == "Recruitment;MedicalWorkup;OrganRemoval;Aftercare"
    assert victim["hte_Date"] == "2024-01-10;2024-02-20;2024-03-01;"
    assert victim["vic_LocationOfRecruitment"] == "PK" and victim["vic_LocationOfExploitation"] == "IN"
    assert victim["prs_Citizenship"] == "NP" and victim["prs_Gender"] == "Male"
    assert victim["prs_Birthdate"] == "2001-05-04" and victim["prs_IdentityNumber"] == "FX123456"
    assert victim["ReferredOrganisation"] == "Fictional Police"
    assert victim["con_Consent"] == "share_with_agency"  # the withdrawn one is left out
    assert victim["cas_Status"] == "Active" and victim["org_Type"] == "NGO"
    broker = by_name["Fictional Broker Kestral"]
    assert broker["per_RoleInProcess"] == "RecruiterOrIntermediary" and broker["prs_Phone"] == "+923001234567"
    assert broker["vic_TypeOfExploitation"] == ""
    assert by_name["Fictional Dr Vey"]["per_RoleInProcess"] == "Surgeon"
    recipient = by_name["Fictional Recipient Oam"]
    assert recipient["hte_Type"] == "Implantation" and recipient["per_RoleInProcess"] == ""
    audited = investigator_ctx.session.execute(select(AuditEntry.action)).scalars().all()
    assert "htcds.export" in audited
