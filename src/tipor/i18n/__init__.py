"""Interface languages: the shell's own labels per language, text direction, fallbacks.

Labels live in ``data/<lang>.yaml``. English is complete and is the fallback; a key missing in
another language shows the English text (the test suite lists which keys each language lacks).
Each label file is a flat mapping of dotted keys to non-empty strings (schema:
``data/label-file.schema.json``; version in ``data/_meta.yaml``), read with the strict loader so a
key written twice is an error, not a silent overwrite.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

from tipor.datafiles import load_yaml

LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "ltr"),
    "ur": ("اردو", "rtl"),
    "ar": ("العربية", "rtl"),
    "fa": ("فارسی / دری", "rtl"),
    "es": ("Español", "ltr"),
    "fr": ("Français", "ltr"),
}
SHELL_LANGUAGES = ("en", "ur", "ar")
_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_-]+)*$")


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
        table.update(read_label_file(name))
    return table


def read_label_file(name: str) -> dict[str, str]:
    """One label file, checked: a flat mapping of keys to non-empty strings."""
    folder = resources.files("tipor.i18n") / "data"
    data = load_yaml((folder / name).read_text(encoding="utf-8")) or {}
    problems = label_file_problems(data)
    if problems:
        raise ValueError(f"label file {name} is invalid: {'; '.join(problems)}")
    return {str(k): str(v) for k, v in data.items()}


def label_file_problems(data: object) -> list[str]:
    """Why ``data`` is not a valid label table (empty list when it is)."""
    if not isinstance(data, dict):
        return ["the file must be a mapping of keys to texts"]
    out = []
    for key, value in data.items():
        if not isinstance(key, str) or not _KEY.match(key):
            out.append(f"key {key!r} must be dotted lower-case words (e.g. case.title)")
        if not isinstance(value, str) or not value.strip():
            out.append(f"{key}: the text must be a non-empty string (quote yes/no/numbers)")
    return out


def data_version() -> str:
    """The declared version of the label files."""
    meta = resources.files("tipor.i18n") / "data" / "_meta.yaml"
    return str((load_yaml(meta.read_text(encoding="utf-8")) or {}).get("version", "unversioned"))


def translate(key: str, lang: str, **values: object) -> str:
    """The label for ``key`` in ``lang``, else English, else the key itself."""
    text = messages(lang).get(key) or messages("en").get(key) or key
    return text.format(**values) if values else text


def missing_keys(lang: str) -> list[str]:
    """Keys that English has and ``lang`` lacks."""
    own = messages(lang)
    return sorted(k for k in messages("en") if k not in own)
