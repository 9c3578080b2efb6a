"""Small synthetic jurisdiction profiles (format 2) for engine tests, independent of the shipped
data. Every statute and source is fictional; URLs use the reserved .invalid domain."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tipor.law.jurisdictions import JurisdictionSet, parse_profile

PRIMARY_SOURCE = {"citation": "Fictional Act 2000, gazette text", "kind": "statute",
                  "url": "https://law.example.invalid/act-2000", "pinpoint": "s.1"}
PRESS_SOURCE = {"citation": "Fictional Daily, report on the Act",
                "url": "https://news.example.invalid/report", "kind": "press"}
PLACEHOLDER = {"citation": "placeholder (not checked)", "kind": "placeholder"}


def rule(tier: str = "reported", **extra: Any) -> dict[str, Any]:
    """A rule's sources and tier; primary rules get a pinpoint and a statute source."""
    sources = {"primary": [PRIMARY_SOURCE], "official": [PRESS_SOURCE | {"kind": "official"}],
               "reported": [PRESS_SOURCE], "unverified": [PLACEHOLDER]}[tier]
    out: dict[str, Any] = {"sources": copy.deepcopy(sources), "tier": tier}
    if tier == "primary":
        out["pinpoint"] = "s.1(1)"
    return out | extra


def version(section: str, penalty: dict[str, Any], start: str | None = None,
            end: str | None = None, tier: str = "reported", **extra: Any) -> dict[str, Any]:
    """One offence version."""
    out = rule(tier, section=section, penalty=penalty, **extra)
    if start:
        out["in_force_from"] = start
    if end:
        out["in_force_to"] = end
    return out


def offence(ident: str, covers: list[str], versions: list[dict[str, Any]],
            statute: str = "act", **extra: Any) -> dict[str, Any]:
    """An offence of the statute ``act`` (by default)."""
    return {"id": ident, "name": f"Fictional offence {ident}", "statute": statute,
            "covers": covers, "versions": versions, "liable": ["any"], **extra}


def years(n: float | None = None, **extra: Any) -> dict[str, Any]:
    """A penalty of up to ``n`` years."""
    text = f"up to {n:g} years" if n is not None else "unknown"
    return {"text": text, "max_years": n, **extra}


def profile(code: str, offences: list[dict[str, Any]] | None = None, **extra: Any
            ) -> dict[str, Any]:
    """A whole valid profile: one statute ``act`` in force from 2000, the given offences."""
    value = {"value": "unknown"}
    doc: dict[str, Any] = {
        "format_version": 2, "code": code, "name": f"Fictional {code}",
        "statutes": [rule("reported", id="act", name="Fictional Act 2000", kind="transplant",
                          in_force_from="2000-01-01")],
        "offences": offences or [],
        "liability": {r: rule("reported", **value) for r in
                      ("seller", "broker", "recipient", "medical_staff", "facility")},
        "extraterritorial": {b: rule("reported", **value) for b in
                             ("offender_nationality", "victim_nationality")},
        "cets216": rule("unverified", status="unknown"),
        "non_punishment": rule("reported", value="unknown"),
    }
    return doc | extra


def jset(*docs: dict[str, Any]) -> JurisdictionSet:
    """A jurisdiction set from profile documents (validated exactly like shipped files)."""
    return JurisdictionSet({d["code"]: parse_profile(f"{d['code']}.yaml", d) for d in docs},
                           "test+000000000000")


def write(folder: Path, *docs: dict[str, Any]) -> Path:
    """Write profile documents as YAML files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (folder / f"{d['code']}.yaml").write_text(yaml.safe_dump(d, sort_keys=False),
                                                 encoding="utf-8")
    return folder


def _reach(offender: str = "unknown", victim: str = "unknown") -> dict[str, Any]:
    return {"offender_nationality": rule("reported", value=offender),
            "victim_nationality": rule("reported", value=victim)}


def _liability(**values: str) -> dict[str, Any]:
    roles = ("seller", "broker", "recipient", "medical_staff", "facility")
    return {r: rule("reported", value=values.get(r, "unknown")) for r in roles}


def world() -> JurisdictionSet:
    """Six fictional profiles shaped like the questions the engine must answer."""
    india = profile("IN", [
        offence("in-s18", ["removal_without_authority", "performing_commercial_transplant"], [
            version("s.18", years(5), "1995-02-04", "2014-01-09"),
            version("s.18 (amended)", years(10), "2014-01-10", tier="primary",
                    note="Fictional: the heavier penalty is not retroactive.")],
            liable=["medical_staff"]),
        offence("in-s19", ["selling_organ", "buying_organ", "brokering", "trafficking"],
                [version("s.19", years(7), "1995-02-04")]),
    ], general_part=[rule("official", form="attempt", section="s.511", penalty_rule="fraction",
                          fraction=0.5, text="attempt: half the longest term",
                          in_force_from="1860-01-01")],
        procedural_bars=[rule("reported", id="in-s22", kind="cognizance",
                              offences=["in-s18", "in-s19"],
                              text="cognizance only on the Appropriate Authority's complaint",
                              in_force_from="1995-02-04")],
        liability=_liability(seller="yes"),
        non_punishment=rule("reported", value="partial"))
    pakistan = profile("PK", [
        offence("pk-tip", ["trafficking"], [version("s.3", years(7), "2018-05-01")]),
        offence("pk-punjab", ["brokering", "trafficking"],
                [version("s.11 (Punjab)", years(10), "2012-01-01")],
                territorial_extent=["PK-PB"]),
    ], subdivisions={"PK-PB": "Punjab", "PK-KP": "Khyber Pakhtunkhwa"})
    nepal = profile("NP", [offence("np-tip", ["trafficking", "removal_without_authority"],
                                   [version("s.15", years(10), "2007-01-01")])],
                    extraterritorial=_reach(victim="yes"), liability=_liability(seller="no"),
                    non_punishment=rule("reported", value="yes"))
    uk = profile("GB", [offence("gb-s32", ["buying_organ", "selling_organ", "brokering"],
                                [version("s.32", years(3), "2005-10-20", tier="primary")])],
                 extraterritorial=_reach(offender="yes"))
    israel = profile("IL", [offence("il-trade", ["brokering", "buying_organ"],
                                    [version("s.36", years(3), "2008-05-01")],
                                    liable=["broker"], exempt=["recipient"])])
    iran = profile("IR", [offence("ir-tip", ["trafficking"], [version("art. 1", years(10),
                                                                     "2004-07-18")],
                                  requires=["cross_border_movement"])],
                   lawful_conduct=[rule("reported", conduct="selling_organ",
                                        condition="within the regulated programme, donor and "
                                                  "recipient of the same nationality",
                                        conditions=["authorised_programme", "same_nationality"])],
                   liability=_liability(seller="conditional"))
    return jset(india, pakistan, nepal, uk, israel, iran)
