"""Protective steps: every potential donor is examined, kept safe and screened, including
those not yet operated on (issue 8)."""

from __future__ import annotations

from typing import Any

from tests.law.factories import act, base, build, means, payment, purpose
from tipor.law.engine import qualify
from tipor.law.index import CaseIndex
from tipor.law.jurisdictions import load_jurisdictions
from tipor.law.protection import protection_steps, render_protection
from tipor.law.report import ProtectiveStep


def steps(doc: dict[str, Any], kind: str) -> list[ProtectiveStep]:
    return [s for s in protection_steps(CaseIndex(build(doc))) if s.kind == kind]


def test_a_donor_not_yet_operated_on_is_examined() -> None:
    doc = base(acts=[act("a1", "recruitment"), act("r1", "removal", stage="planned")])
    [exam] = steps(doc, "medical_examination")
    assert exam.persons == ["Testperson Alpha"] and exam.person_ids == ["alpha"]
    assert "not yet operated on" in exam.why and exam.rests_on == ["r1"]


def test_examination_reasons_follow_the_stage() -> None:
    done = steps(base(acts=[act("r1", "removal")]), "medical_examination")
    assert "organ removed" in done[0].why
    intended = steps(base(purposes=[purpose("p1", "intended")]), "medical_examination")
    assert "not yet operated on" in intended[0].why
    nothing = steps(base(), "medical_examination")
    assert nothing and "not known" in nothing[0].why


def test_safety_for_threats_confinement_and_a_controller() -> None:
    doc = base(means=[means("m1", "threat"), means("m2", "confinement"),
                      means("m3", "payment_to_controller", controller="bravo")])
    found = steps(doc, "safety")
    assert any("confinement, threat" in s.why and s.rests_on == ["m1", "m2"] for s in found)
    assert any("may still be in contact" in s.why for s in found)
    assert not steps(base(means=[means("m1", "threat", present="no")]), "safety")


def test_screening_for_every_donor_paid_or_promised() -> None:
    doc = base(payments=[payment("pay1", "bravo", "alpha", status="promised")])
    [screen] = steps(doc, "non_punishment_screening")
    assert screen.person_ids == ["alpha"] and "pay1" in screen.rests_on
    assert not steps(base(), "non_punishment_screening")


def test_interpreter_where_nationality_differs() -> None:
    doc = base(acts=[act("r1", "removal", place="abroad")])
    [step] = steps(doc, "interpreter")
    assert "national of PK" in step.why and "IN" in step.why
    assert not steps(base(acts=[act("r1", "removal")]), "interpreter")


def test_child_protection_for_minors() -> None:
    doc = base()
    doc["persons"][0]["age"] = 15
    [child] = steps(doc, "child_protection")
    assert child.person_ids == ["alpha"] and "guardian" in child.why
    doc["persons"][0]["firmness"] = "alleged"
    assert "until an age assessment" in steps(doc, "child_protection")[0].why
    assert not steps(base(), "child_protection")


def test_protection_comes_before_evidence_in_the_report() -> None:
    doc = base(acts=[act("r1", "removal", stage="attempted")])
    report = qualify(build(doc), load_jurisdictions())
    keys = list(report.to_dict())
    assert keys.index("protection") == keys.index("evidence_needed") - 1
    lines = render_protection(report)
    assert lines[1] == "PROTECTION OF DONORS"
    assert any("Medical examination: Testperson Alpha" in line for line in lines)


def test_the_protection_partial_renders_every_step_in_each_language() -> None:
    from tipor.i18n import translate
    from tipor.web.templating import build_templates

    doc = base(acts=[act("r1", "removal", stage="planned")],
               payments=[payment("pay1", "bravo", "alpha", status="promised")])
    report = qualify(build(doc), load_jurisdictions())
    template = build_templates().env.get_template("law/_protection.html")
    for lang in ("en", "ur", "ar"):
        html = template.render(report=report, t=lambda key, lang=lang: translate(key, lang))
        assert translate("law.protection", lang) in html
        assert html.count("<li>") == len(report.protection) >= 2
        assert "Testperson Alpha" in html and "not yet operated on" in html
