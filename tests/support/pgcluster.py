"""Start and stop a throwaway PostgreSQL cluster from the installed binaries (no Docker).

As root (CI, this machine) the server runs as the ``postgres`` user through ``runuser``,
since initdb refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN_DIRS = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/local/bin", "/usr/bin"]


def find_binary(name: str) -> str | None:
    """The path of a PostgreSQL server binary, preferring version 15."""
    for folder in BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class Cluster:
    """A running cluster; ``url`` connects to its ``postgres`` database as superuser."""

    datadir: Path
    port: int
    pg_ctl: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(_as_postgres([self.pg_ctl, "-D", str(self.datadir), "-m", "immediate",
                                     "stop"]), check=False, capture_output=True)
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start() -> Cluster:
    """Create a cluster in a temp dir, start it on a free loopback port, wait until ready."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found; "
                           "install Debian's postgresql-15")
    root = Path(tempfile.mkdtemp(prefix="tipor-pg-"))
    datadir = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    root.chmod(0o755)
    subprocess.run(_as_postgres([initdb, "-D", str(datadir), "-A", "trust", "-U", "postgres",
                                 "-E", "UTF8", "--no-locale"]), check=True, capture_output=True)
    port = _free_port()
    options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    subprocess.run(_as_postgres([pg_ctl, "-D", str(datadir), "-o", options, "-l",
                                 str(root / "log"), "-w", "start"]), check=True, capture_output=True)
    cluster = Cluster(datadir, port, pg_ctl)
    _wait(cluster)
    return cluster


def _wait(cluster: Cluster, seconds: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                            connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
