"""People, organisations and identifiers in a case; identifying values encrypted at rest.

Every display of decrypted identity, contact or financial values is audited (one entry per
page or API answer, naming the records shown).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import select

from tipor.audit.service import record
from tipor.cases import privacy
from tipor.cases.access import CaseView
from tipor.cases.enums import IDENTIFIER_SECTION
from tipor.cases.models import Identifier, Organisation, Party
from tipor.cases.schemas import (
    IdentifierCreate,
    IdentifierRead,
    OrganisationCreate,
    PartyCreate,
    PartyRead,
    PartyUpdate,
)
from tipor.context import Ctx
from tipor.exceptions import NotFound, ValidationFailed
from tipor.security.permissions import Section
from tipor.versioning import check_version


def _audit(ctx: Ctx, view: CaseView, action: str, object_type: str, obj: object,
           **detail: object) -> None:
    record(ctx.session, actor=ctx.actor, action=action, object_type=object_type, object_id=obj,
           detail={"case_id": view.case.id, **detail})


def add_party(ctx: Ctx, view: CaseView, data: PartyCreate) -> Party:
    """Add a person; name, aliases and date of birth are encrypted."""
    view.require(Section.IDENTITY, "write")
    k = ctx.keyring
    party = Party(
        case_id=view.case.id, roles=[r.value for r in data.roles],
        name_enc=privacy.seal(k, data.name, privacy.PARTY_NAME),
        name_bidx=privacy.index(k, data.name, privacy.PARTY_NAME),
        aliases_enc=privacy.seal(k, json.dumps(data.aliases), privacy.PARTY_ALIASES),
        birth_date_enc=(privacy.seal(k, data.birth_date.isoformat(), privacy.PARTY_BIRTH)
                        if data.birth_date else None),
        age=data.age, sex=data.sex, nationalities=data.nationalities, languages=data.languages,
        vulnerabilities=data.vulnerabilities,
    )
    ctx.session.add(party)
    ctx.session.flush()
    _audit(ctx, view, "party.create", "party", party.id, roles=party.roles)
    return party


def get_party(ctx: Ctx, view: CaseView, party_id: int) -> Party:
    """A person of this case, or NotFound."""
    party = ctx.session.get(Party, party_id)
    if party is None or party.case_id != view.case.id:
        raise NotFound(f"person {party_id} is not part of case {view.case.reference}")
    return party


def update_party(ctx: Ctx, view: CaseView, party_id: int, data: PartyUpdate) -> Party:
    """Change a person if the version is current (else 409 with both values)."""
    view.require(Section.IDENTITY, "write")
    party = get_party(ctx, view, party_id)
    changes = data.model_dump(exclude={"version"}, exclude_unset=True)
    check_version(party, data.version, {k: v for k, v in changes.items() if k not in
                                        ("name", "aliases", "birth_date")})
    k = ctx.keyring
    for key, value in changes.items():
        if key == "name":
            party.name_enc = privacy.seal(k, value, privacy.PARTY_NAME)
            party.name_bidx = privacy.index(k, value, privacy.PARTY_NAME)
        elif key == "aliases":
            party.aliases_enc = privacy.seal(k, json.dumps(value), privacy.PARTY_ALIASES)
        elif key == "birth_date":
            party.birth_date_enc = (privacy.seal(k, value.isoformat(), privacy.PARTY_BIRTH)
                                    if value else None)
        elif key == "roles":
            party.roles = [str(getattr(r, "value", r)) for r in value]
        else:
            setattr(party, key, value)
    ctx.session.flush()
    _audit(ctx, view, "party.update", "party", party.id, fields=sorted(changes))
    return party


def party_label(party: Party) -> str:
    """A pseudonymous label shown to users without identity access."""
    roles = ", ".join(r.replace("_", " ") for r in party.roles)
    return f"P-{party.id} ({roles})"


def read_parties(ctx: Ctx, view: CaseView) -> list[PartyRead]:
    """People as this user may see them; decrypting identities is audited."""
    parties = ctx.session.execute(select(Party).where(Party.case_id == view.case.id)
                                  .order_by(Party.id)).scalars().all()
    if not view.can(Section.IDENTITY):
        return [PartyRead(id=p.id, label=party_label(p), roles=p.roles, version=p.version)
                for p in parties]
    out = [_party_read(ctx, p) for p in parties]
    if parties:
        _audit(ctx, view, "identity.read", "party", "", ids=[p.id for p in parties])
    return out


def _party_read(ctx: Ctx, p: Party) -> PartyRead:
    k = ctx.keyring
    birth = privacy.unseal(k, p.birth_date_enc, privacy.PARTY_BIRTH)
    return PartyRead(
        id=p.id, label=party_label(p), roles=p.roles,
        name=privacy.unseal(k, p.name_enc, privacy.PARTY_NAME),
        aliases=json.loads(privacy.unseal(k, p.aliases_enc, privacy.PARTY_ALIASES) or "[]"),
        birth_date=dt.date.fromisoformat(birth) if birth else None, age=p.age, sex=p.sex.value,
        nationalities=p.nationalities, languages=p.languages, vulnerabilities=p.vulnerabilities,
        version=p.version,
    )


def add_organisation(ctx: Ctx, view: CaseView, data: OrganisationCreate) -> Organisation:
    """Add an organisation (legal section: organisations are facts of the offence)."""
    view.require(Section.LEGAL, "write")
    org = Organisation(case_id=view.case.id, name=data.name, kind=data.kind,
                       country=data.country.upper(),
                       licensed_for_transplant=data.licensed_for_transplant)
    ctx.session.add(org)
    ctx.session.flush()
    _audit(ctx, view, "organisation.create", "organisation", org.id)
    return org


def list_organisations(ctx: Ctx, view: CaseView) -> Sequence[Organisation]:
    """Organisations of the case, if the user may read the legal section."""
    if not view.can(Section.LEGAL):
        return []
    return ctx.session.execute(select(Organisation).where(
        Organisation.case_id == view.case.id).order_by(Organisation.id)).scalars().all()


def _check_links(ctx: Ctx, view: CaseView, party_id: int | None, org_id: int | None) -> None:
    if party_id is not None:
        get_party(ctx, view, party_id)
    if org_id is not None:
        org = ctx.session.get(Organisation, org_id)
        if org is None or org.case_id != view.case.id:
            raise ValidationFailed(f"organisation_id: organisation {org_id} is not part of this "
                                   "case", [("organisation_id", "unknown organisation")])


def add_identifier(ctx: Ctx, view: CaseView, data: IdentifierCreate) -> Identifier:
    """Validate, normalise (E.164, IBAN), encrypt and index an identifier."""
    view.require(IDENTIFIER_SECTION[data.kind], "write")
    _check_links(ctx, view, data.party_id, data.organisation_id)
    value = privacy.normalise_identifier(data.kind, data.value, data.country)
    ident = Identifier(
        case_id=view.case.id, kind=data.kind, country=data.country.upper(),
        value_enc=privacy.seal(ctx.keyring, value, privacy.IDENTIFIER_VALUE),
        value_bidx=privacy.index(ctx.keyring, value, privacy.IDENTIFIER_VALUE),
        masked=privacy.mask(data.kind, value), party_id=data.party_id,
        organisation_id=data.organisation_id,
    )
    ctx.session.add(ident)
    ctx.session.flush()
    _audit(ctx, view, "identifier.create", "identifier", ident.id, kind=data.kind.value)
    return ident


def read_identifiers(ctx: Ctx, view: CaseView) -> list[IdentifierRead]:
    """Identifiers this user may see: in full for readable sections (audited), else masked."""
    rows = ctx.session.execute(select(Identifier).where(Identifier.case_id == view.case.id)
                               .order_by(Identifier.id)).scalars().all()
    out: list[IdentifierRead] = []
    shown: list[int] = []
    for ident in rows:
        readable = view.can(IDENTIFIER_SECTION[ident.kind])
        value = privacy.unseal(ctx.keyring, ident.value_enc, privacy.IDENTIFIER_VALUE) if readable else None
        if readable:
            shown.append(ident.id)
        out.append(IdentifierRead(id=ident.id, kind=ident.kind, masked=ident.masked, value=value,
                                  party_id=ident.party_id, organisation_id=ident.organisation_id))
    if shown:
        _audit(ctx, view, "identifier.read", "identifier", "", ids=shown)
    return out
