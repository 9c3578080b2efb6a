"""Plain-text rendering of a qualification report (for printing and the terminal)."""

from __future__ import annotations

from tipor.law.protection import render_protection
from tipor.law.report import (
    CandidateOffence,
    CrossBorderTrack,
    Finding,
    JurisdictionFinding,
    OrganTradeTrack,
    QualificationReport,
    RuleView,
    SellerExposure,
    TraffickingTrack,
)

_WORD = {"established": "ESTABLISHED", "not_established": "not established",
         "insufficient_facts": "insufficient facts", "not_required": "not required"}


def render_text(report: QualificationReport) -> str:
    """The whole report as text, section by section."""
    lines = [f"QUALIFICATION REPORT: {report.title}"]
    if report.reference:
        lines.append(f"Reference: {report.reference}")
    lines += [f"Engine {report.engine_version}; jurisdiction data {report.data_version}",
              f"Jurisdictions: {', '.join(report.jurisdictions) or 'none'}", "",
              f"NOTICE: {report.notice}", ""]
    lines += _trafficking(report.trafficking) + _trade(report.organ_trade)
    for j in report.national:
        lines += _jurisdiction(j)
    lines += _crossborder(report.crossborder)
    lines += render_protection(report)
    lines += ["", "EVIDENCE STILL NEEDED"]
    lines += [f"  - [{e.track}] {e.subject}: {e.text}" for e in report.evidence_needed] or [
        "  (none)"]
    return "\n".join(lines) + "\n"


def _finding(name: str, f: Finding, indent: str = "    ") -> list[str]:
    stage = f" [{f.stage}]" if f.stage else ""
    out = [f"{indent}{name}: {_WORD[f.status]}{stage}. {f.summary}"]
    if f.rests_on:
        out.append(f"{indent}  facts relied on: {', '.join(f.rests_on)}")
    out += [f"{indent}  note: {n}" for n in f.notes]
    return out


def _trafficking(track: TraffickingTrack) -> list[str]:
    lines = ["1. TRAFFICKING IN PERSONS FOR ORGAN REMOVAL", f"   {track.instrument}",
             f"   {track.summary}"]
    for v in track.victims:
        lines.append(f"  Donor {v.label} ({v.victim}): {_WORD[v.status]}; child: "
                     f"{_WORD[v.child]}")
        for name, f in (("act", v.act), ("means", v.means), ("purpose", v.purpose),
                        ("consent", v.consent), ("conspiracy", v.inchoate)):
            if f is not None:
                lines += _finding(name, f)
        lines += [f"    offender {o.label}: {_WORD[o.status]} ({', '.join(o.rests_on)})"
                  for o in v.offenders]
    return lines + [""]


def _trade(track: OrganTradeTrack) -> list[str]:
    lines = ["2. ORGAN TRADE", f"   {track.instrument}", f"   {track.summary}"]
    for t in track.findings:
        lines += _finding(f"{t.title} ({t.article} [{t.article_verification}]; "
                          f"{t.subject})", t.finding, "  ")
        if t.actors:
            lines.append(f"    actors: {', '.join(t.actors)}")
    lines.append("  Aggravating circumstances (CETS 216 art. 13 [unverified]):")
    lines += [f"    {a.title}: {_WORD[a.status]}"
              + (f" ({', '.join(a.persons)}; facts {', '.join(a.rests_on)})" if a.persons else "")
              for a in track.aggravations]
    return lines + [""]


def _rule(label: str, rule: RuleView | None) -> list[str]:
    if rule is None:
        return []
    value = f" = {rule.value}" if rule.value else ""
    cites = "; ".join(s.citation for s in rule.sources)
    where = f"; {rule.pinpoint}" if rule.pinpoint else ""
    window = f"; in force {rule.window}" if rule.window else ""
    return [f"    {label}: {rule.text}{value} {_tier(rule)}{where}{window} (source: {cites})"]


def _tier(rule: RuleView | CandidateOffence) -> str:
    return f"[disputed; {rule.tier_label}]" if rule.disputed else f"[{rule.tier_label}]"


def _candidate(c: CandidateOffence) -> list[str]:
    where = f"; {c.pinpoint}" if c.pinpoint else ""
    lines = [f"    offence {c.name}, {c.statute} {c.section} {_tier(c)}{where}; in force "
             f"{c.window}; penalty: {c.penalty}"]
    lines += [f"      PROCEDURAL BAR ({b.value}): {b.text} {_tier(b)}" for b in c.procedural_bars]
    if c.territorial_extent:
        lines.append(f"      applies only in: {', '.join(c.territorial_extent)}")
    lines += [f"      temporal: {n}" for n in c.temporal_notes]
    for a in c.actors:
        charge = f" as {a.charge}" if a.charge else ""
        lines.append(f"      {a.label}: {', '.join(a.conduct)}{charge}: {_WORD[a.status]}; "
                     f"basis {', '.join(a.jurisdiction_basis)}; in force {a.in_force}")
        lines += [f"        note: {n}" for n in a.notes]
    return lines


def _jurisdiction(j: JurisdictionFinding) -> list[str]:
    lines = [f"3. NATIONAL LAW: {j.name} ({j.code})"]
    if j.connection:
        lines.append(f"    connected by: {', '.join(j.connection)}")
    if j.scope:
        lines.append(f"    scope: {j.scope}")
    for b in j.procedural_bars:
        lines.append(f"    PROCEDURAL BAR ({b.value}): {b.text} {_tier(b)}")
    for c in j.candidate_offences:
        lines += _candidate(c)
    for rule in j.statutes:
        lines += _rule("statute (covers organ removal)" if rule.value else "statute", rule)
    for rule in j.general_part:
        lines += _rule("general part", rule)
    for role, rule in j.liability.items():
        lines += _rule(f"liability of {role}", rule)
    lines += _rule("CETS 216", j.cets216) + _rule("non-punishment", j.non_punishment)
    for rule in j.special_rules:
        lines += _rule("rule", rule)
    lines += [f"    note: {n}" for n in j.notes]
    return lines + [""]


def _crossborder(track: CrossBorderTrack) -> list[str]:
    lines = ["4. CROSS-BORDER"]
    for a in track.actors:
        claims = "; ".join(f"{c.jurisdiction} by {c.basis.replace('_', ' ')} ({c.status}, "
                           f"{c.tier_label})" for c in a.claims)
        lines.append(f"  {a.label}: {claims or 'no claim found'}")
    lines.append("  Double criminality:")
    lines += [f"    {d.summary}" for d in track.double_criminality] or ["    (no pairs)"]
    lines.append("  Gaps:")
    lines += [f"    - {g}" for g in track.gaps] or ["    (none found)"]
    lines.append("  Donors (victim or seller):")
    for s in track.sellers:
        lines.append(f"    {s.label}: trafficking {_WORD[s.trafficking_status]}")
        lines += [f"      {_seller_line(e)}" for e in s.jurisdictions]
    return lines


def _seller_line(e: SellerExposure) -> str:
    offences = f" ({', '.join(e.offences)})" if e.offences else ""
    line = f"{e.jurisdiction}: {e.exposure.replace('_', ' ')}{offences}: {e.note}"
    if e.principle:
        line += f" | {e.principle}; {e.jurisdiction} non-punishment rule: {e.non_punishment}"
    return line
