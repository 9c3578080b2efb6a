"""Interface languages: the shell's own labels per language, text direction, fallbacks.

Labels live in ``data/<lang>.yaml``. English is complete and is the fallback; a key missing in
another language shows the English text (the test suite lists which keys each language lacks).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources

import yaml

LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "ltr"),
    "ur": ("اردو", "rtl"),
    "ar": ("العربية", "rtl"),
    "fa": ("فارسی / دری", "rtl"),
    "es": ("Español", "ltr"),
    "fr": ("Français", "ltr"),
}
SHELL_LANGUAGES = ("en", "ur", "ar")


def direction(lang: str) -> str:
    """'rtl' for Arabic-script languages, else 'ltr'."""
    return LANGUAGES.get(lang, ("", "ltr"))[1]


def normalise(lang: str | None) -> str:
    """A supported language code, defaulting to English."""
    lang = (lang or "").split("-")[0].lower()
    return lang if lang in LANGUAGES else "en"


@cache
def messages(lang: str) -> Mapping[str, str]:
    """The label table for one language: ``data/<lang>.yaml`` plus one ``data/<lang>.<feature>.yaml``
    per feature (so features keep their labels apart); empty if the language has none."""
    folder = resources.files("tipor.i18n") / "data"
    table: dict[str, str] = {}
    names = sorted(p.name for p in folder.iterdir()
                   if p.name == f"{lang}.yaml" or (p.name.startswith(f"{lang}.")
                                                   and p.name.endswith(".yaml")))
    for name in names:
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8")) or {}
        table.update({str(k): str(v) for k, v in data.items()})
    return table


def translate(key: str, lang: str, **values: object) -> str:
    """The label for ``key`` in ``lang``, else English, else the key itself."""
    text = messages(lang).get(key) or messages("en").get(key) or key
    return text.format(**values) if values else text


def missing_keys(lang: str) -> list[str]:
    """Keys that English has and ``lang`` lacks."""
    own = messages(lang)
    return sorted(k for k in messages("en") if k not in own)
