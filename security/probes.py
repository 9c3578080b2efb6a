"""The attacks of the security campaign. Each returns figures; a figure named in DEFECTS must be 0.

Targets are the campaign's own servers on 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
from sqlalchemy import create_engine, text

from security.servers import PYTHON, Server

Figures = dict[str, Any]
#: Figures that count defects: the campaign fails unless each is 0.
DEFECTS = ("server_errors", "unexpected_allows", "values_in_clear", "unthrottled_guesses",
           "spoofed_resets", "deactivated_access", "oversized_accepted", "header_defects",
           "audit_broken", "stale_session_access", "plant_failed")
CANARY = "Fictional Canary Zqvyx"
PHONE = "+923001234987"
IBAN = "GB82WEST12345698765432"
EVIDENCE = b"Fictional anaesthetic log canary 7f3a9c: Zqvyx theatre 2 at 02:00"


def fuzz(server: Server, work: Path, examples: int, seconds: int) -> Figures:
    """Schemathesis over the whole OpenAPI document as the investigator; 5xx counted by the server."""
    before = server.statuses()
    report = work / f"fuzz-{server.engine}"
    subprocess.run(
        [str(Path(PYTHON).parent / "st"), "run", f"{server.url}/api/v1/openapi.json",
         "-H", f"Authorization: Bearer {server.tokens['investigator']}",
         "--checks", "not_a_server_error", "--max-examples", str(examples),
         "--max-time", str(seconds), "--workers", "2", "--seed", "7",
         "--generation-allow-x00", "true", "--report", "junit", "--report-dir", str(report)],
        capture_output=True, text=True, timeout=seconds + 300, check=False)
    after = server.statuses()
    delta = {code: after[code] - before.get(code, 0) for code in after}
    return {"requests": sum(delta.values()),
            "server_errors": sum(n for code, n in delta.items() if code >= 500),
            "status_codes": dict(sorted((str(k), v) for k, v in delta.items() if v))}


def _visible(server: Server) -> dict[tuple[str, int], bool]:
    """The oracle: a case is visible to a user of its agency or of a live referral's agency."""
    engine = create_engine(server.env["TIPOR_DATABASE_URL"].replace("postgresql://",
                                                                    "postgresql+psycopg://"))
    with engine.connect() as conn:
        users = conn.execute(text("SELECT username, agency_id FROM users")).all()
        cases = conn.execute(text("SELECT id, agency_id FROM cases")).all()
        live = conn.execute(text("SELECT case_id, to_agency_id FROM referrals WHERE status IN "
                                 "('proposed', 'accepted', 'in_progress')")).all()
    engine.dispose()
    shared = {(c, a) for c, a in live}
    return {(u, c): a == ua or (c, ua) in shared for u, ua in users for c, a in cases}


def access(server: Server) -> Figures:
    """Every demo user reads every case: an allow the oracle does not expect is a defect."""
    oracle = _visible(server)
    allows = refusals = requests = 0
    for (user, case_id), visible in sorted(oracle.items()):
        if user not in server.tokens:
            continue
        with server.client(user) as c:
            status = c.get(f"/api/v1/cases/{case_id}").status_code
        requests += 1
        allows += int(status == 200 and not visible)
        refusals += int(status != 200 and visible)
    return {"requests": requests, "unexpected_allows": allows, "refusals_of_visible": refusals}


def plant(server: Server) -> Figures:
    """A case holding canary identity values, a note and an evidence file (status of each)."""
    with server.client("investigator") as c:
        case = c.post("/api/v1/cases", json={"title": "Fictional security canary case"}).json()
        cid = case["id"]
        statuses = [c.post(f"/api/v1/cases/{cid}/{path}", **body).status_code for path, body in (
            ("parties", {"json": {"name": CANARY, "roles": ["presumed_victim"],
                                  "aliases": [CANARY + " Alias"]}}),
            ("identifiers", {"json": {"kind": "phone", "value": PHONE, "country": "PK"}}),
            ("identifiers", {"json": {"kind": "iban", "value": IBAN}}),
            ("notes", {"json": {"body": CANARY + " note text"}}),
            ("evidence", {"files": {"file": (f"{CANARY} ledger.txt", EVIDENCE, "text/plain")},
                          "data": {"description": "canary"}}))]
    return {"case_id": cid, "statuses": statuses,
            "plant_failed": sum(1 for s in statuses if s >= 300)}


def _dump(server: Server) -> bytes:
    url = server.env["TIPOR_DATABASE_URL"]
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    done = subprocess.run([_pg_dump(), "--no-owner", plain], capture_output=True, timeout=120,
                          check=False)
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"pg_dump failed: {done.stderr.decode(errors='replace')[-500:]}")
    return done.stdout


def _pg_dump() -> str:
    import shutil

    return shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"


def at_rest(server: Server) -> Figures:
    """Canary values searched for in the raw database and in the evidence folder."""
    raw = _dump(server)
    if len(raw) < 10_000:
        raise RuntimeError(f"the database dump holds only {len(raw)} bytes: nothing to search")
    files = b"".join(p.read_bytes() for p in Path(server.env["TIPOR_DATA_DIR"]).rglob("*")
                     if p.is_file() and "sqlite3" not in p.name)
    values = [CANARY.encode(), PHONE.encode(), IBAN.encode(), PHONE[3:].encode()]
    found = [v.decode() for v in values if v in raw]
    in_files = EVIDENCE in files or CANARY.encode() in files
    return {"database_bytes": len(raw), "values_in_clear": len(found) + int(in_files),
            "which": found + (["evidence file content"] if in_files else [])}


def _csrf(c: httpx.Client, path: str) -> str:
    page = c.get(path).text
    marker = 'name="csrf_token" value="'
    start = page.find(marker)
    if start < 0:
        import re

        m = re.search(r'name="([a-z_]*csrf[a-z_]*)" value="([^"]+)"', page)
        return m.group(2) if m else ""
    return page[start + len(marker):page.index('"', start + len(marker))]


def _login(c: httpx.Client, username: str, password: str, **headers: str) -> int:
    token = _csrf(c, "/login")
    return c.post("/login", data={"username": username, "password": password,
                                  "csrf_token": token}, headers=headers).status_code


def totp_guessing(server: Server, password: str, guesses: int = 40) -> Figures:
    """Wrong second-factor codes after a right password: they must be refused by a throttle."""
    refused = 0
    with server.client() as c:
        _login(c, "admin", password)
        token = _csrf(c, "/login/totp")
        for i in range(guesses):
            r = c.post("/login/totp", data={"code": f"{i:06d}", "csrf_token": token})
            refused += int(r.status_code == 429)
    return {"guesses": guesses, "throttled": refused,
            "unthrottled_guesses": 0 if refused else guesses}


def spoofed_forwarding(server: Server, password: str, attempts: int = 40) -> Figures:
    """Failed sign-ins with a new X-Forwarded-For each time: the per-address limit must hold."""
    throttled = 0
    with server.client() as c:
        for i in range(attempts):
            status = _login(c, f"nobody{i}", "wrong-password",
                            **{"X-Forwarded-For": f"198.51.100.{i % 250}"})
            throttled += int(status == 429)
    return {"attempts": attempts, "throttled": throttled,
            "spoofed_resets": 0 if throttled else 1}


def deactivated_agency(server: Server) -> Figures:
    """The admin deactivates the helpline's agency: its token must stop working at once."""
    with server.client("admin") as admin:
        agencies = admin.get("/api/v1/agencies").json()
        target = next(a for a in (agencies.get("items", agencies) if isinstance(agencies, dict)
                                  else agencies) if "Helpline" in a["name"])
        admin.patch(f"/api/v1/agencies/{target['id']}",
                    json={"is_active": False, "version": target["version"]})
    with server.client("helpline") as c:
        status = c.get("/api/v1/cases").status_code
    return {"status_after_deactivation": status, "deactivated_access": int(status == 200)}


def _chunks(total: int, size: int = 1 << 20) -> Iterator[bytes]:
    block = b"x" * size
    for _ in range(total // size):
        yield block


def oversized(server: Server, mib: int = 400) -> Figures:
    """A 400 MiB body without credentials: refused before it is read, memory stays flat."""
    before = server.peak_rss_kib()
    try:
        with httpx.Client(base_url=server.url, timeout=120) as c:
            status = c.post("/api/v1/cases", content=_chunks(mib << 20),
                            headers={"Content-Type": "application/json"}).status_code
    except httpx.TransportError:
        status = 413  # the server closed the connection after refusing: nothing was parsed
    after = server.peak_rss_kib()
    return {"status": status, "peak_rss_growth_mib": round((after - before) / 1024, 1),
            "oversized_accepted": int(status != 413)}


def headers(server: Server, production: Server) -> Figures:
    """CSP without 'unsafe-inline', no-store on pages, HSTS in production."""
    defects = []
    with server.client("investigator") as c:
        for path in ("/login", "/api/v1/cases"):
            r = c.get(path)
            csp = r.headers.get("content-security-policy", "")
            if not csp or "unsafe-inline" in csp:
                defects.append(f"{path}: CSP {csp or 'missing'}")
            if "no-store" not in r.headers.get("cache-control", ""):
                defects.append(f"{path}: no Cache-Control: no-store")
    with production.client() as p:
        if "max-age" not in p.get("/login").headers.get("strict-transport-security", ""):
            defects.append("production: no HSTS")
    with server.client() as c:
        if c.get("/api/docs").status_code == 200 or c.get("/api/v1/openapi.json").status_code == 200:
            defects.append("API documentation public")
    return {"checked": 6, "header_defects": len(defects), "which": defects}


def stale_session(server: Server, password: str) -> Figures:
    """Sign in twice; after 'sign out everywhere' from one, the other session must be refused."""
    with server.client() as a, server.client() as b:
        _login(a, "caseworker", password)
        _login(b, "caseworker", password)
        token = _csrf(a, "/account")
        a.post("/account/sign-out-everywhere", data={"csrf_token": token})
        status = b.get("/cases").status_code
    return {"status_of_other_session": status, "stale_session_access": int(status == 200)}


def audit(server: Server) -> Figures:
    """The audit chain is intact after the whole campaign."""
    done = subprocess.run([PYTHON, "-m", "tipor.cli", "audit", "verify"], env=server.env,
                          capture_output=True, text=True, timeout=300, check=False)
    return {"exit_code": done.returncode, "audit_broken": int(done.returncode != 0),
            "output": done.stdout.strip().splitlines()[-1:] if done.stdout else []}


def timed(probe: Any, *args: Any) -> Figures:
    """Run one probe and add its duration."""
    start = time.monotonic()
    try:
        out: Figures = probe(*args)
    except Exception as exc:  # a probe that cannot run is reported, never hidden
        out = {"probe_error": f"{type(exc).__name__}: {exc}"[:300], "server_errors": 0}
    out["seconds"] = round(time.monotonic() - start, 1)
    return json.loads(json.dumps(out, default=str))
