"""Profile rules as the report shows them: text, value, tier (effective) with its label, pinpoint,
window and sources. Only the primary tier is labelled as verified."""

from __future__ import annotations

from tipor.i18n import translate
from tipor.law.jurisdictions import Dated, Rule
from tipor.law.report import RuleView
from tipor.law.temporal import window_text


def tier_label(tier: str, lang: str = "en") -> str:
    """The label of a tier ("verified (statute text)" only for primary)."""
    return translate(f"law.tier.{tier}", lang)


def rule_view(rule: Rule, text: str, value: str = "") -> RuleView:
    """A rule as shown in the report, with its effective tier."""
    tier = rule.effective_tier
    last = max(rule.reviews, key=lambda r: r.on) if rule.reviews else None
    return RuleView(
        text=text, value=value, tier=tier, tier_label=tier_label(tier), disputed=rule.disputed,
        pinpoint=pinpoint(rule), window=window_text(rule) if isinstance(rule, Dated) else "",
        sources=list(rule.sources), note=rule.note,
        last_review=f"{last.on} by {last.by}: {last.outcome}" if last else "")


def pinpoint(rule: Rule) -> str:
    """The rule's pinpoint citation, else the first source's."""
    return rule.pinpoint or next((s.pinpoint for s in rule.sources if s.pinpoint), "")


def tag(rule: Rule) -> str:
    """A short bracketed tier tag for sentences: "[official summary]", "[disputed; …]"."""
    label = tier_label(rule.effective_tier)
    return f"[disputed; {label}]" if rule.disputed else f"[{label}]"
