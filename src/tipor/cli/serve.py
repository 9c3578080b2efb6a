"""`tipor serve`: run the web app."""

from __future__ import annotations

import typer

from tipor.cli.common import settings


def serve(
    host: str = typer.Option(None, help="Address to bind (default from TIPOR_HOST, 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default from TIPOR_PORT, 8000)."),
) -> None:
    """Serve the web app and API (http://HOST:PORT, API docs at /api/docs)."""
    import uvicorn

    current = settings()
    # uvicorn's own proxy handling would rewrite the peer address before tipor sees it; tipor
    # reads X-Forwarded-For itself, and only from TIPOR_TRUSTED_PROXIES.
    uvicorn.run("tipor.web.app:create_app", factory=True, host=host or current.host,
                port=port or current.port, proxy_headers=False, log_level="info")
