"""`make security`: a bounded attack campaign against throwaway tipor servers (loopback only).

On SQLite and on a PostgreSQL 15 cluster started here: schemathesis fuzzing of the whole API
(server errors counted from the server's own access log), cross-agency access probes against an
oracle read from the database, identity canaries searched for in the raw database and evidence
folder, second-factor guessing, forged X-Forwarded-For, a deactivated agency's token, a 400 MiB
body, security headers (and HSTS in production mode), a session that outlives "sign out
everywhere", and the audit chain at the end. Exit 0 only when every defect count is 0.

    python security/campaign.py [--examples N] [--seconds S] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from security import probes  # noqa: E402
from security.servers import ROOT, running  # noqa: E402
from tipor.demo.seed import DEMO_PASSWORD  # noqa: E402

console = Console()


def campaign(engine: str, work: Path, examples: int, seconds: int) -> dict[str, probes.Figures]:
    """Every probe against one engine, in an order where throttles do not mask later probes."""
    with ExitStack() as stack:
        server = stack.enter_context(running(engine, work))
        production = stack.enter_context(running("sqlite", work / "prod", "production"))
        results: dict[str, probes.Figures] = {}
        console.print(f"[bold]{engine}[/]: fuzzing the API ({examples} examples an operation)")
        results["fuzz"] = probes.timed(probes.fuzz, server, work, examples, seconds)
        results["access"] = probes.timed(probes.access, server)
        results["plant"] = probes.timed(probes.plant, server)
        results["at_rest"] = probes.timed(probes.at_rest, server)
        results["headers"] = probes.timed(probes.headers, server, production)
        results["oversized"] = probes.timed(probes.oversized, server)
        results["stale_session"] = probes.timed(probes.stale_session, server, DEMO_PASSWORD)
        results["deactivated_agency"] = probes.timed(probes.deactivated_agency, server)
        results["totp_guessing"] = probes.timed(probes.totp_guessing, server, DEMO_PASSWORD)
        results["spoofed_forwarding"] = probes.timed(probes.spoofed_forwarding, server,
                                                     DEMO_PASSWORD)
        results["audit"] = probes.timed(probes.audit, server)
        return results


def defects(results: dict[str, probes.Figures]) -> list[str]:
    """Every non-zero defect count and every probe that could not run."""
    out = []
    for name, figures in results.items():
        if "probe_error" in figures:
            out.append(f"{name}: could not run: {figures['probe_error']}")
        out += [f"{name}: {key} = {figures[key]}" for key in probes.DEFECTS
                if figures.get(key)]
    return out


def _table(engine: str, results: dict[str, probes.Figures]) -> Table:
    table = Table(title=f"security campaign on {engine}")
    table.add_column("probe")
    table.add_column("figures")
    for name, figures in results.items():
        table.add_row(name, ", ".join(f"{k}={v}" for k, v in figures.items()))
    return table


def main() -> int:
    """Run the campaign; print and save the figures; exit 1 on any defect."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=15)
    parser.add_argument("--seconds", type=int, default=240, help="fuzzing budget per engine")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    everything: dict[str, dict[str, probes.Figures]] = {}
    for engine in args.engines.split(","):
        with tempfile.TemporaryDirectory(prefix=f"tipor-security-{engine}-") as tmp:
            everything[engine] = campaign(engine, Path(tmp), args.examples, args.seconds)
        console.print(_table(engine, everything[engine]))
    found = [f"{engine}: {d}" for engine, res in everything.items() for d in defects(res)]
    out = ROOT / "var" / "security"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"campaign-{stamp}.json").write_text(json.dumps(everything, indent=2) + "\n")
    for line in found:
        console.print(f"[bold red]defect:[/] {line}", highlight=False)
    console.print("no defects found" if not found else f"{len(found)} defects", style="bold")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
