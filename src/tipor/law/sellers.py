"""The position of each donor: a victim to protect under the non-punishment principle, or a
seller exposed to prosecution somewhere (domain.md §1.6: Brazil acquitted donors as victims;
Maharashtra booked donor and recipient alike).

A sale the law allows only under conditions is "not exposed" only when the facts meet every
condition; otherwise it is "conditional" (what to establish) or exposed. Wherever a donor is
exposed, the same line carries the international non-punishment principle and the state's own
rule with its tier.
"""

from __future__ import annotations

from typing import Literal

from tipor.law.applicability import lawfulness, may_cover, reaches, version_covers
from tipor.law.conduct import ConductItem, ConductMap
from tipor.law.index import CaseIndex, Status
from tipor.law.jurisdictions import Jurisdiction, JurisdictionSet
from tipor.law.report import SellerExposure, SellerStatus, TraffickingTrack
from tipor.law.temporal import period, version_at
from tipor.law.views import tag

_LIABLE = ("yes", "conditional", "disputed")
Exposure = Literal["protected", "exposed", "at_risk", "not_exposed", "conditional", "unknown"]
PRINCIPLE = ("non-punishment principle (UNODC guidance on the Trafficking in Persons Protocol): "
             "a trafficking victim should not be punished for offences they were compelled to "
             "commit as a direct consequence of being trafficked")


def seller_statuses(case: CaseIndex, jset: JurisdictionSet, conduct: ConductMap,
                    tip: TraffickingTrack) -> list[SellerStatus]:
    """For each donor, in each state connected to them, whether they are protected or exposed."""
    tip_status = {v.victim: v.status for v in tip.victims}
    out = []
    for donor in case.donors():
        sale = conduct.get(donor.id, {}).get("selling_organ")
        states = sorted(set(case.whereabouts(donor.id)) | set(_places(case, donor.id))
                        | set(sale.countries if sale else ()))
        victim = tip_status.get(donor.id, "not_established")
        out.append(SellerStatus(
            donor=donor.id, label=donor.label, trafficking_status=victim,
            sold_or_promised=sale.status if sale else "not_established",
            jurisdictions=[exposure(case, jset, code, sale, victim, donor.id)
                           for code in states]))
    return out


def _places(case: CaseIndex, donor: str) -> list[str]:
    return sorted({c for a in case.facts.acts if donor in a.victims
                   for c in case.act_countries(a)})


def exposure(case: CaseIndex, jset: JurisdictionSet, code: str, sale: ConductItem | None,
             victim: Status, donor: str) -> SellerExposure:
    """One state's stance towards one donor."""
    profile = jset.get(code)
    if profile is None:
        return SellerExposure(jurisdiction=code, exposure="unknown", offences=[],
                              non_punishment="unknown", note=f"no national profile for {code}")
    base = _Base(profile)
    if sale is None:
        return base.make("not_exposed", offences=[], note="no sale or promise of payment on file")
    status, text = lawfulness(case, profile, sale, donor, period(sale.start, sale.end))
    if status == "lawful":
        return base.make("not_exposed", offences=[], note=text)
    offences = _offences(profile, sale)
    if status == "conditional":
        return base.make("conditional", offences=offences, principle=PRINCIPLE, note=text)
    prefix = f"{text}; " if text else ""
    liability = profile.liability.seller
    if liability.value == "no":
        return base.make("not_exposed", offences=[],
                         note=f"{prefix}the seller is not liable {tag(liability)}")
    if not offences:
        return base.make("unknown", offences=[],
                         note=f"{prefix}no offence on file reaches the sale at the time; seller "
                              f"liability {liability.value} {tag(liability)}")
    if liability.value not in _LIABLE:
        note = (f"offences on file name selling, but whether they reach the seller is "
                f"{liability.value}")
        return base.make("unknown", offences=offences, principle=PRINCIPLE, note=prefix + note)
    return _exposed(base, profile, offences, victim, prefix)


class _Base:
    """What every line about one state carries: the state and its non-punishment rule."""

    def __init__(self, profile: Jurisdiction) -> None:
        self.profile = profile

    def make(self, exposure: Exposure, offences: list[str], note: str,
             principle: str = "") -> SellerExposure:
        np_rule = self.profile.non_punishment
        return SellerExposure(jurisdiction=self.profile.code, exposure=exposure,
                              offences=offences, non_punishment=f"{np_rule.value} {tag(np_rule)}",
                              non_punishment_tier=np_rule.effective_tier, principle=principle,
                              note=note)




def _offences(profile: Jurisdiction, sale: ConductItem) -> list[str]:
    when = period(sale.start, sale.end)
    out = []
    for o in profile.offences:
        if not may_cover(o, "selling_organ") or reaches(o, {"seller"}).value == "no":
            continue
        sel = version_at(o, when, profile.statute(o.statute))
        out += [f"{o.id} {v.section}" for v in sel.versions
                if version_covers(o, v, "selling_organ")]
    return sorted(out)


def _exposed(base: _Base, profile: Jurisdiction, offences: list[str],
             victim: Status, prefix: str) -> SellerExposure:
    liability = profile.liability.seller
    basis = f"{prefix}seller liability {liability.value} {tag(liability)}"
    np_yes = profile.non_punishment.value == "yes"
    if victim == "established" and np_yes:
        return base.make("protected", offences=offences, principle=PRINCIPLE,
                         note=f"{basis}; protected as a trafficking victim (non-punishment)")
    if victim == "not_established":
        return base.make("exposed", offences=offences, principle=PRINCIPLE,
                         note=f"{basis}; no trafficking finding to protect the donor")
    return base.make("at_risk", offences=offences, principle=PRINCIPLE,
                     note=f"{basis}; the donor should be treated as a victim, but "
                          "protection from punishment is not on file as settled law")
