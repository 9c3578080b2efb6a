"""The position of each donor: a victim to protect under the non-punishment principle, or a
seller exposed to prosecution somewhere (domain.md §1.6: Brazil acquitted donors as victims;
Maharashtra booked donor and recipient alike)."""

from __future__ import annotations

from tipor.law.case import CaseIndex, Status
from tipor.law.conduct import ConductItem, ConductMap
from tipor.law.jurisdictions import Jurisdiction, JurisdictionSet
from tipor.law.report import SellerExposure, SellerStatus, TraffickingTrack

_LIABLE = ("yes", "conditional", "disputed")


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
            jurisdictions=[exposure(jset, code, sale, victim) for code in states]))
    return out


def _places(case: CaseIndex, donor: str) -> list[str]:
    return sorted({c for a in case.facts.acts if donor in a.victims
                   for c in case.act_countries(a)})


def exposure(jset: JurisdictionSet, code: str, sale: ConductItem | None,
             victim: Status) -> SellerExposure:
    """One state's stance towards one donor."""
    profile = jset.get(code)
    if profile is None:
        return SellerExposure(jurisdiction=code, exposure="unknown", offences=[],
                              non_punishment="unknown", note=f"no profile for {code}")
    np = f"{profile.non_punishment.value} [{profile.non_punishment.verification}]"
    if sale is None:
        return SellerExposure(jurisdiction=code, exposure="not_exposed", offences=[],
                              non_punishment=np, note="no sale or promise of payment on file")
    lawful = [r for r in profile.lawful_conduct if r.conduct == "selling_organ"]
    if lawful:
        return SellerExposure(jurisdiction=code, exposure="not_exposed", offences=[],
                              non_punishment=np, note=f"lawful: {lawful[0].condition}")
    offences = _offences(profile, sale)
    liability = profile.liability.seller
    if liability.value == "no":
        return SellerExposure(jurisdiction=code, exposure="not_exposed", offences=[],
                              non_punishment=np,
                              note=f"the seller is not liable [{liability.verification}]")
    if liability.value not in _LIABLE:
        note = (f"offences on file name selling, but whether they reach the seller is "
                f"{liability.value}" if offences else "seller liability not on file")
        return SellerExposure(jurisdiction=code, exposure="unknown", offences=offences,
                              non_punishment=np, note=note)
    return _exposed(code, profile, offences, victim, np)


def _offences(profile: Jurisdiction, sale: ConductItem) -> list[str]:
    years = sale.years
    return sorted(o.id for o in profile.offences if "selling_organ" in o.covers
                  and (o.in_force_from is None or not years or max(years) >= o.in_force_from))


def _exposed(code: str, profile: Jurisdiction, offences: list[str], victim: Status,
             np: str) -> SellerExposure:
    liability = profile.liability.seller
    basis = f"seller liability {liability.value} [{liability.verification}]"
    if victim == "not_established":
        return SellerExposure(jurisdiction=code, exposure="exposed", offences=offences,
                              non_punishment=np, note=f"{basis}; no trafficking finding to "
                                                      "protect the donor")
    if victim == "established" and profile.non_punishment.value == "yes":
        return SellerExposure(jurisdiction=code, exposure="protected", offences=offences,
                              non_punishment=np, note=f"{basis}; protected as a trafficking "
                                                      "victim (non-punishment)")
    return SellerExposure(jurisdiction=code, exposure="at_risk", offences=offences,
                          non_punishment=np,
                          note=f"{basis}; the donor should be treated as a victim, but "
                               "protection from punishment is not on file as settled law")
