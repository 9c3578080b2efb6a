"""Legal qualification: from the facts of a case to the elements of the offence.

Pure engine (no I/O) over a typed :class:`~tipor.law.facts.FactPattern` and jurisdiction
profiles loaded from data files. Public entry points:

* :func:`tipor.law.validate.parse_fact_pattern` — dict (from JSON/YAML) to a fact pattern,
  raising :class:`~tipor.exceptions.FactPatternError` listing every problem with its path;
* :func:`tipor.law.jurisdictions.load_jurisdictions` — the jurisdiction profiles;
* :func:`tipor.law.engine.qualify` — the qualification report.
"""

from __future__ import annotations

ENGINE_VERSION = "law-2"
