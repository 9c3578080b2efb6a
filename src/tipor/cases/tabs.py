"""The case page's tabs and the one function every tab uses to render inside the case layout.

Each feature owns its tab's route and template; the template extends ``cases/_layout.html``
and fills ``{% block tab %}``. Handlers call :func:`render_case` so the header, the tab bar and
the user's rights on the case are the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from tipor.cases.access import CaseView
from tipor.cases.lifecycle import allowed_next
from tipor.security.permissions import Section
from tipor.web.templating import render


@dataclass(frozen=True)
class Tab:
    """One tab: its key, label key, path under /cases/{id}, and the section it needs (if any)."""

    key: str
    label: str
    path: str
    section: Section | None = None


TABS: tuple[Tab, ...] = (
    Tab("summary", "case.tab.summary", ""),
    Tab("people", "case.tab.people", "/people"),
    Tab("timeline", "case.tab.timeline", "/timeline"),
    Tab("evidence", "case.tab.evidence", "/evidence", Section.EVIDENCE),
    Tab("screenings", "case.tab.screenings", "/screenings", Section.LEGAL),
    Tab("qualification", "case.tab.qualification", "/qualification", Section.LEGAL),
    Tab("referrals", "case.tab.referrals", "/referrals"),
    Tab("tasks", "case.tab.tasks", "/tasks", Section.NOTES),
    Tab("audit", "case.tab.audit", "/audit"),
)


def visible_tabs(view: CaseView) -> list[Tab]:
    """Tabs this user may open on this case (the audit tab only for the owning agency)."""
    tabs = [t for t in TABS if t.section is None or view.can(t.section)]
    return [t for t in tabs if t.key != "audit" or view.owner]


def render_case(request: Request, view: CaseView, template: str, active: str,
                context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """Render a case tab with the shared header and tab bar."""
    base = {"view": view, "case": view.case, "tabs": visible_tabs(view), "active_tab": active,
            "next_statuses": allowed_next(view.case.status) if view.manage else [],
            "Section": Section}
    return render(request, template, base | (context or {}), status_code=status_code)
