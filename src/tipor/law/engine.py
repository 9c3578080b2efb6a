"""The qualification engine: a fact pattern and jurisdiction profiles in, a report out.

Pure and deterministic: no I/O, no clock; the same inputs give the same report.
"""

from __future__ import annotations

from collections.abc import Sequence

from tipor.exceptions import UnknownValue
from tipor.law import ENGINE_VERSION
from tipor.law.conduct import derive_conduct
from tipor.law.countries import COUNTRY_CODES
from tipor.law.crossborder import crossborder_track
from tipor.law.facts import FactPattern
from tipor.law.index import CaseIndex, Status, best
from tipor.law.jurisdictions import JurisdictionSet
from tipor.law.national import connected_jurisdictions, national_track
from tipor.law.organ_trade import organ_trade_track
from tipor.law.palermo import trafficking_track
from tipor.law.protection import protection_steps
from tipor.law.report import (
    NOTICE,
    EvidenceItem,
    OrganTradeTrack,
    QualificationReport,
    TraffickingTrack,
)


def qualify(facts: FactPattern, jurisdictions: JurisdictionSet,
            only: Sequence[str] | None = None) -> QualificationReport:
    """Qualify the facts; ``only`` limits the national track to these jurisdiction codes."""
    case = CaseIndex(facts)
    selected = select_jurisdictions(case, jurisdictions, only)
    tip = trafficking_track(case)
    trade = organ_trade_track(case, tip_offenders(tip))
    conduct = derive_conduct(case, tip, trade)
    return QualificationReport(
        engine_version=ENGINE_VERSION, data_version=jurisdictions.data_version, notice=NOTICE,
        title=facts.title, reference=facts.reference, jurisdictions=selected,
        trafficking=tip, organ_trade=trade,
        national=national_track(case, jurisdictions, conduct, selected),
        crossborder=crossborder_track(case, jurisdictions, conduct, tip),
        protection=protection_steps(case), evidence_needed=collect_evidence(tip, trade))


def select_jurisdictions(case: CaseIndex, jurisdictions: JurisdictionSet,
                         only: Sequence[str] | None) -> list[str]:
    """The requested codes, or every connected jurisdiction.

    Any ISO 3166-1 alpha-2 code (or XK) is accepted: a state tipor holds no profile for is
    assessed on international law only. Anything else is refused, listing the profiled codes.
    """
    if only is None:
        return list(connected_jurisdictions(case))
    for code in only:
        if jurisdictions.get(code) is None and code not in COUNTRY_CODES:
            raise UnknownValue("jurisdiction", code, list(jurisdictions.codes), "jurisdiction")
    return sorted(set(only))


def tip_offenders(tip: TraffickingTrack) -> dict[str, Status]:
    """Each trafficking offender with the strongest status of their part."""
    out: dict[str, Status] = {}
    for victim in tip.victims:
        for o in victim.offenders:
            out[o.offender] = best([out.get(o.offender, "not_established"), o.status])
    return out


def collect_evidence(tip: TraffickingTrack, trade: OrganTradeTrack) -> list[EvidenceItem]:
    """Every piece of evidence still needed, in report order, without repeats."""
    items: list[EvidenceItem] = []
    for v in tip.victims:
        for f in (v.act, v.means, v.purpose, v.consent, v.inchoate):
            if f is not None:
                items += [EvidenceItem(track="trafficking", subject=f"{v.label}: {f.element}",
                                       text=t) for t in f.evidence_needed]
    for t in trade.findings:
        items += [EvidenceItem(track="organ_trade", subject=f"{t.title} ({t.subject})",
                               text=text) for text in t.finding.evidence_needed]
    for a in trade.aggravations:
        items += [EvidenceItem(track="organ_trade", subject=a.title, text=text)
                  for text in a.evidence_needed]
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        if (item.subject, item.text) not in seen:
            seen.add((item.subject, item.text))
            unique.append(item)
    return unique
