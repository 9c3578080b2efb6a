"""Identifying values: validation and normalisation, encryption, blind indexes, masking.

Normalisation happens before indexing so that exact search finds "+92 300 1234567" and
"0300-1234567" (with country PK) as the same phone number.
"""

from __future__ import annotations

import re

import phonenumbers
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from tipor.cases.enums import IdentifierKind
from tipor.exceptions import ValidationFailed
from tipor.security.crypto import Keyring

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_identifier(kind: IdentifierKind, value: str, country: str = "") -> str:
    """The canonical form of an identifier, or ValidationFailed naming the field and the fix."""
    value = value.strip()
    if not value:
        raise ValidationFailed("value: enter the identifier", [("value", "empty")])
    match kind:
        case IdentifierKind.PHONE:
            return _phone(value, country)
        case IdentifierKind.IBAN:
            return _iban(value)
        case IdentifierKind.EMAIL:
            if not _EMAIL.match(value):
                raise ValidationFailed(f"value: {value!r} is not an email address such as "
                                       "name@example.org", [("value", "not an email address")])
            return value.lower()
        case IdentifierKind.PASSPORT | IdentifierKind.NATIONAL_ID | IdentifierKind.VEHICLE:
            return re.sub(r"[\s-]", "", value).upper()
        case IdentifierKind.BANK_ACCOUNT:
            return re.sub(r"\s", "", value).upper()
        case IdentifierKind.SOCIAL_HANDLE:
            return value.lstrip("@").lower()
        case _:
            return " ".join(value.split())


def _phone(value: str, country: str) -> str:
    try:
        parsed = phonenumbers.parse(value, country.upper() or None)
    except phonenumbers.NumberParseException as exc:
        hint = "" if country else " or give the country"
        raise ValidationFailed(
            f"value: {value!r} cannot be read as a phone number ({exc}); use the international "
            f"form such as +92 300 1234567{hint}", [("value", "unparseable phone number")],
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationFailed(
            f"value: {value!r} is not a valid phone number for "
            f"{country.upper() or 'its country code'}; check the digits and the country",
            [("value", "invalid phone number")])
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _iban(value: str) -> str:
    try:
        return str(IBAN(value).compact)
    except SchwiftyException as exc:
        raise ValidationFailed(
            f"value: {value!r} is not a valid IBAN ({exc}); check the country code, the two "
            "check digits and the account number", [("value", "invalid IBAN")]) from None


def mask(kind: IdentifierKind, value: str) -> str:
    """A display form that hides most of the value (for lists and users without access)."""
    if kind == IdentifierKind.EMAIL and "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(value) <= 4:
        return "*" * len(value)
    return f"{value[:2]}{'*' * (len(value) - 4)}{value[-2:]}"


def seal(keyring: Keyring, value: str, purpose: str) -> str:
    """Encrypt a value for a column (the purpose binds it to that column)."""
    return keyring.encrypt(value, purpose=purpose)


def unseal(keyring: Keyring, token: str | None, purpose: str) -> str | None:
    """Decrypt a column value (None stays None)."""
    return None if token is None else keyring.decrypt(token, purpose=purpose)


def index(keyring: Keyring, value: str, purpose: str) -> str:
    """The blind index of an already normalised value."""
    return keyring.blind_index(value, purpose=purpose)


PARTY_NAME = "parties.name"
PARTY_ALIASES = "parties.aliases"
PARTY_BIRTH = "parties.birth_date"
IDENTIFIER_VALUE = "identifiers.value"
NOTE_BODY = "notes.body"
SUPPORT_RESULT = "support_items.result"
