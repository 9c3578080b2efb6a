"""Agency countries are ISO 3166-1 alpha-2 codes (plus XK, Kosovo), in every way in."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tipor.accounts.models import AgencyKind
from tipor.accounts.schemas import AgencyCreate, AgencyUpdate


@pytest.mark.parametrize("code,stored", [
    ("PK", "PK"), ("iq", "IQ"), (" np ", "NP"), ("GB", "GB"), ("XK", "XK"), ("xk", "XK"),
    ("CR", "CR"), ("AF", "AF"),
    ("00", None), ("XX", None), ("ZZ", None), ("UK", None), ("P1", None), ("EU", None),
])
def test_country_codes(code: str, stored: str | None) -> None:
    for build in (lambda: AgencyCreate(name="Fictional A", kind=AgencyKind.NGO, country=code),
                  lambda: AgencyUpdate(version=1, country=code)):
        if stored is None:
            with pytest.raises(ValidationError, match="ISO 3166-1 alpha-2"):
                build()
        else:
            assert build().country == stored
