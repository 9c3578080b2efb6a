"""Run as a subprocess: import the app once, then fork a fresh server per "start" line.

Importing tipor takes seconds on a busy machine; forking a process that has already done so
makes each restart take a fraction of a second, so the crash test can kill and restart a real,
separate server process several times within its time budget. Each child builds its engines
and the app after the fork (nothing is connected before), exactly as `tipor serve` would.
"""

from __future__ import annotations

import os
import signal
import sys

import uvicorn

from tipor.settings import Settings
from tipor.web.app import create_app


def _serve(port: int) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    uvicorn.run(create_app(Settings()), host="127.0.0.1", port=port, log_level="warning")
    os._exit(0)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    """Print "ready", then for each "start" on stdin fork a server and print its pid."""
    port = int(sys.argv[1])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed children are reaped by the kernel
    _say("ready")
    for line in sys.stdin:
        if line.strip() != "start":
            continue
        pid = os.fork()
        if pid == 0:
            _serve(port)
        _say(str(pid))


if __name__ == "__main__":
    main()
