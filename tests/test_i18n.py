"""Interface labels: English complete, Urdu and Arabic label files complete and consistent."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from tipor.i18n import SHELL_LANGUAGES, direction, messages, missing_keys, normalise, translate

DATA = resources.files("tipor.i18n") / "data"
FEATURES = sorted(p.name.split(".")[1] for p in DATA.iterdir()
                  if p.name.startswith("en.") and p.name.count(".") == 2)


def _load(name: str) -> dict[str, str]:
    return dict(yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or {})


@pytest.mark.parametrize("lang", ["ur", "ar"])
def test_shell_labels_complete(lang: str) -> None:
    assert missing_keys(lang) == [] or set(missing_keys(lang)) <= {
        k for f in FEATURES for k in _load(f"en.{f}.yaml")}


@pytest.mark.parametrize("lang", [lang for lang in SHELL_LANGUAGES if lang != "en"])
@pytest.mark.parametrize("feature", ["", *FEATURES])
def test_translations_have_every_key_and_placeholder(lang: str, feature: str) -> None:
    suffix = f".{feature}" if feature else ""
    english = _load(f"en{suffix}.yaml")
    own = _load(f"{lang}{suffix}.yaml")
    assert set(own) == set(english), sorted(set(english) ^ set(own))
    for key, text in english.items():
        assert str(own[key]).strip(), key
        assert set(re.findall(r"{\w+}", str(text))) == set(re.findall(r"{\w+}", str(own[key]))), key


def test_every_translation_file_says_it_is_a_draft() -> None:
    for path in DATA.iterdir():
        if path.name[:2] not in ("en", "_m") and path.name.endswith(".yaml"):
            assert "draft" in path.read_text(encoding="utf-8").splitlines()[0].lower(), path.name


@pytest.mark.parametrize("lang,expected", [("ur", "rtl"), ("ar", "rtl"), ("fa", "rtl"),
                                           ("en", "ltr"), ("es", "ltr"), ("fr", "ltr")])
def test_direction(lang: str, expected: str) -> None:
    assert direction(lang) == expected


def test_fallbacks() -> None:
    assert normalise("ur-PK") == "ur" and normalise("xx") == "en" and normalise(None) == "en"
    assert translate("no.such.key", "ar") == "no.such.key"
    assert translate("home.welcome", "fa", name="Fictional") == "Welcome, Fictional."
    assert messages("ar")["auth.sign_in"] == "تسجيل الدخول"
