"""HTCDS v2 CSV: one row per person of one or more cases, from ONE mapping table.

:data:`COLUMNS` (tipor field → HTCDS field → notes → how the value is read) and the value maps
below are the only definition of the mapping: the CSV header and cells come from them, and
``docs/formats/htcds-mapping.md`` embeds :func:`mapping_markdown` verbatim (a test checks it).
HTCDS has no organ-removal medical roles or event types; tipor's extensions are marked.
Rows are built from the case bundle (:mod:`tipor.exchange.bundle`), so the same permission
rule applies: the owning agency, a role that reads every section.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tipor.audit.service import record
from tipor.cases.enums import DATA
from tipor.context import Ctx
from tipor.exceptions import ValidationFailed
from tipor.exchange.bundle import build_bundle, require_exporter
from tipor.exchange.seal import CSV_TYPE, check_passphrase, seal

SEP = ";"  # between values of a multi-valued cell
EXT = "tipor extension"

#: The case vocabularies' HTCDS values come from tipor/cases/data/vocabulary.yaml (via enums).
CASE_STATUS = DATA.htcds("case_status")
GENDER = DATA.htcds("sex")
#: agency kinds are not a case vocabulary: their HTCDS values stay here
ORG_TYPE = {"police": "LawEnforcement", "prosecution": "CentralGovernmentOrganisation",
            "court": "CentralGovernmentOrganisation",
            "health_authority": "CentralGovernmentOrganisation",
            "transplant_centre": "HealthServiceOrganisation",
            "labour_inspectorate": "CentralGovernmentOrganisation",
            "border_immigration": "ImmigrationService",
            "financial_intelligence_unit": "CentralGovernmentOrganisation", "ngo": "NGO",
            "helpline": "NGO", "international_organisation": "InternationalOrganisation"}
#: per_RoleInProcess; victims, recipients and witnesses are not labelled perpetrators.
ROLE_IN_PROCESS = DATA.htcds("party_role")
#: hte_Type per event kind; surgery depends on the person's role (see :func:`event_type`).
EVENT_TYPE = DATA.htcds("event_kind")
EXTENDED_VALUES = DATA.htcds_extensions() | {"InternationalOrganisation", "OrganRemoval",
                                             "Implantation"}


def event_type(kind: str, roles: Sequence[str]) -> str:
    """hte_Type of an event for one person: surgery is OrganRemoval for the presumed victim
    (the exploitation event), Implantation for the recipient."""
    if kind == "surgery":
        if "presumed_victim" in roles:
            return "OrganRemoval"
        if "recipient" in roles:
            return "Implantation"
    return EVENT_TYPE[kind]


@dataclass(frozen=True)
class Person:
    """One person of one case bundle: what a row is computed from."""

    bundle: dict[str, Any]
    party: dict[str, Any]

    @property
    def case(self) -> dict[str, Any]:
        return dict(self.bundle["case"])

    @property
    def roles(self) -> list[str]:
        return list(self.party["roles"])

    @property
    def victim(self) -> bool:
        return "presumed_victim" in self.roles

    def events(self) -> list[dict[str, Any]]:
        own = [e for e in self.bundle["events"] if self.party["id"] in e["parties"]]
        return sorted(own, key=lambda e: (e["date_from"] is None, e["date_from"] or ""))

    def identifiers(self, *kinds: str) -> list[str]:
        return [str(i["value"]) for i in self.bundle["identifiers"]
                if i["party"] == self.party["id"] and i["kind"] in kinds]

    def referrals(self) -> list[dict[str, Any]]:
        return [r for r in self.bundle["referrals"] if r["party"] == self.party["id"]]


def _join(values: Iterable[object]) -> str:
    return SEP.join(str(v) for v in values if v not in (None, ""))


def _victim(value: Callable[[Person], str]) -> Callable[[Person], str]:
    return lambda p: value(p) if p.victim else ""


def _event_countries(p: Person, kind: str) -> str:
    return _join(dict.fromkeys(e["country"] for e in p.events() if e["kind"] == kind))


@dataclass(frozen=True)
class Column:
    """One CSV column: where the value comes from in tipor and its HTCDS name."""

    htcds: str
    tipor: str
    notes: str
    value: Callable[[Person], str]


COLUMNS: tuple[Column, ...] = (
    Column("cas_CaseReference", "case.reference", f"{EXT}: the reference at the owning agency",
           lambda p: p.case["reference"]),
    Column("cas_Status", "case.status", "value map below (HTCDS Active/FollowUp/Closed)",
           lambda p: CASE_STATUS[p.case["status"]]),
    Column("cas_CaseOwner", "case.created_by", "username of the user who opened the case",
           lambda p: p.case["created_by"] or ""),
    Column("org_Name", "case.agency.name", "the owning agency", lambda p: p.case["agency"]["name"]),
    Column("org_Type", "case.agency.kind", "value map below",
           lambda p: ORG_TYPE[p.case["agency"]["kind"]]),
    Column("prs_PersonReference", "party (bundle id)", f"{EXT}: case reference/bundle-local id",
           lambda p: f"{p.case['reference']}/{p.party['id']}"),
    Column("prs_FullName", "party.name", f"{EXT}: tipor keeps one name field, not first/last names",
           lambda p: p.party["name"]),
    Column("prs_Aliases", "party.aliases", f"{EXT}; multi-valued", lambda p: _join(p.party["aliases"])),
    Column("prs_Birthdate", "party.birth_date", "ISO 8601 date", lambda p: p.party["birth_date"] or ""),
    Column("prs_Age", "party.age", f"{EXT}: age in years as recorded",
           lambda p: "" if p.party["age"] is None else str(p.party["age"])),
    Column("prs_Gender", "party.sex", "value map below; unknown is left empty",
           lambda p: GENDER[p.party["sex"]]),
    Column("prs_Citizenship", "party.nationalities", "ISO 3166 alpha-2; multi-valued",
           lambda p: _join(p.party["nationalities"])),
    Column("prs_PrimaryLanguage", "party.languages[0]", "as recorded (ISO 639 expected)",
           lambda p: (p.party["languages"] or [""])[0]),
    Column("prs_SecondaryLanguage", "party.languages[1:]", "multi-valued",
           lambda p: _join(p.party["languages"][1:])),
    Column("prs_IdentityNumber", "identifiers (passport, national_id)", "multi-valued",
           lambda p: _join(p.identifiers("passport", "national_id"))),
    Column("prs_Phone", "identifiers (phone)", "E.164; multi-valued",
           lambda p: _join(p.identifiers("phone"))),
    Column("prs_Email", "identifiers (email)", "multi-valued", lambda p: _join(p.identifiers("email"))),
    Column("prs_Address", "identifiers (address)", "multi-valued",
           lambda p: _join(p.identifiers("address"))),
    Column("prs_RoleInCase", "party.roles", f"{EXT}: every tipor role, unmapped; multi-valued",
           lambda p: _join(p.roles)),
    Column("vic_TraffickingStatus", "party.roles contains presumed_victim",
           "PossibleVictimOfTrafficking for presumed victims, else empty",
           _victim(lambda p: "PossibleVictimOfTrafficking")),
    Column("vic_TypeOfExploitation", "party.roles contains presumed_victim",
           "OrganRemoval (an HTCDS value) for presumed victims", _victim(lambda p: "OrganRemoval")),
    Column("vic_LocationOfRecruitment", "events (recruitment).country", "presumed victims only",
           _victim(lambda p: _event_countries(p, "recruitment"))),
    Column("vic_LocationOfExploitation", "events (surgery).country",
           "presumed victims only: where the organ was removed",
           _victim(lambda p: _event_countries(p, "surgery"))),
    Column("per_RoleInProcess", "party.roles", "value map below, medical roles added; multi-valued",
           lambda p: _join(dict.fromkeys(ROLE_IN_PROCESS[r] for r in p.roles if r in ROLE_IN_PROCESS))),
    Column("hte_Type", "events (the person takes part in).kind",
           "value map below, organ-removal steps added; multi-valued, in date order",
           lambda p: _join(event_type(e["kind"], p.roles) for e in p.events())),
    Column("hte_Date", "events.date_from", "aligned with hte_Type; empty when undated",
           lambda p: SEP.join(e["date_from"] or "" for e in p.events())),
    Column("hte_Country", "events.country", f"{EXT} (HTCDS has address/geolocation); aligned",
           lambda p: SEP.join(e["country"] or "" for e in p.events())),
    Column("ReferredOrganisation", "referrals.to_agency.name", "multi-valued",
           lambda p: _join((r["to_agency"] or {}).get("name") for r in p.referrals())),
    Column("OutgoingReferralService", "referrals.service", f"{EXT}; multi-valued",
           lambda p: _join(r["service"] for r in p.referrals())),
    Column("con_Consent", "consents (not withdrawn).purpose", "multi-valued",
           lambda p: _join(dict.fromkeys(c["purpose"] for c in p.bundle["consents"]
                                         if c["party"] == p.party["id"] and not c["withdrawn_at"]))),
)
HEADER: tuple[str, ...] = tuple(c.htcds for c in COLUMNS)


def _safe(cell: str) -> str:
    # Spreadsheets run cells starting with = @ + - as formulas; "+92…" phone numbers stay as is.
    if cell[:1] in ("=", "@", "\t", "\r") or (cell[:1] in "+-" and not cell[1:2].isdigit() and cell[1:]):
        return "'" + cell
    return cell


def rows_of(bundle: dict[str, Any]) -> list[list[str]]:
    """One row per person of a case bundle, in :data:`HEADER` order."""
    return [[_safe(c.value(Person(bundle, party))) for c in COLUMNS] for party in bundle["parties"]]


def to_csv(bundles: Iterable[dict[str, Any]]) -> str:
    """The CSV text (header + one row per person), RFC 4180 line endings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for bundle in bundles:
        writer.writerows(rows_of(bundle))
    return out.getvalue()


def export_htcds(ctx: Ctx, case_ids: Sequence[int], *, clear: bool = False) -> str:
    """The CSV of these cases (audited ``htcds.export``, or ``htcds.export_clear``)."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        raise ValidationFailed("case_ids: name at least one case", [("case_ids", "empty")])
    views = [require_exporter(ctx, cid, "export") for cid in ids]
    text = to_csv(build_bundle(ctx, v) for v in views)
    record(ctx.session, actor=ctx.actor, action="htcds.export_clear" if clear else "htcds.export",
           object_type="case", object_id=",".join(map(str, ids)),
           detail={"case_ids": ids, "rows": text.count("\r\n") - 1, "encrypted": not clear})
    return text


def export_htcds_for_transfer(ctx: Ctx, case_ids: Sequence[int], *, passphrase: str | None,
                              clear: bool) -> str | dict[str, Any]:
    """The sealed envelope holding the CSV, or the CSV text when ``clear`` is chosen."""
    if not clear:
        check_passphrase(passphrase)
    text = export_htcds(ctx, case_ids, clear=clear)
    if clear:
        return text
    assert passphrase is not None
    return seal(text.encode(), passphrase, CSV_TYPE)


def mapping_markdown() -> str:
    """The mapping as Markdown tables (embedded verbatim in docs/formats/htcds-mapping.md)."""
    lines = ["| # | tipor field | HTCDS field | notes |", "|---|---|---|---|"]
    lines += [f"| {n} | `{c.tipor}` | `{c.htcds}` | {c.notes} |" for n, c in enumerate(COLUMNS, 1)]
    for title, table in (("cas_Status", CASE_STATUS), ("prs_Gender", GENDER), ("org_Type", ORG_TYPE),
                         ("per_RoleInProcess", ROLE_IN_PROCESS), ("hte_Type", EVENT_TYPE)):
        lines += ["", f"Values of `{title}`:", "", "| tipor value | HTCDS value | note |", "|---|---|---|"]
        lines += [f"| `{k}` | `{v}` | {EXT if v in EXTENDED_VALUES else ''} |"
                  for k, v in table.items()]
    lines += ["", "`surgery` becomes `OrganRemoval` for a presumed victim and `Implantation` for a "
              "recipient (both tipor extensions); for anyone else it stays `Surgery`."]
    return "\n".join(lines) + "\n"
