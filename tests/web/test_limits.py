"""Request body limits: a huge body is refused with 413 before it is parsed, whether it
declares its length or streams in chunks; uploads have their own, larger limit."""

from __future__ import annotations

import select
import socket
import threading
import tracemalloc
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import anyio
import pytest
from fastapi.testclient import TestClient

from tests.conftest import Factory
from tests.support.api import Api
from tests.support.live import serve
from tipor.accounts.models import Role
from tipor.settings import Settings
from tipor.web.app import create_app

MIB = 1024 * 1024
HUGE = 400 * MIB
CHUNK = 256 * 1024


def _zeros() -> Iterator[bytes]:
    """400 MiB of body, produced lazily: the test itself never holds it."""
    block = b"0" * CHUNK
    for _ in range(HUGE // CHUNK):
        yield block


def _request_head(base: str, path: str, headers: dict[str, str]) -> bytes:
    host = urlsplit(base).netloc
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
             *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode()


def _read_answer(sock: socket.socket) -> bytes:
    """The whole answer: the head and the body may arrive in separate segments."""
    response = b""
    while True:
        try:
            part = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not part:
            break  # the server closes the connection after a 413
        response += part
        if b"\r\n\r\n" in response and b"MiB" in response.split(b"\r\n\r\n", 1)[1]:
            break
    return response


def _stream(base: str, path: str, chunked: bool) -> tuple[int, int, bytes]:
    """Send a 400 MiB body until the server answers; (bytes sent, status, response head)."""
    url = urlsplit(base)
    headers = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(HUGE)}
    sent = 0
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(_request_head(base, path, headers))
        for block in _zeros():
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered: stop sending
            frame = f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(block)
        response = _read_answer(sock)
    status = int(response.split(b" ", 2)[1])
    return sent, status, response


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_400_mib_body_refused_before_parsing(settings: Settings, chunked: bool) -> None:
    app = create_app(settings)
    tracemalloc.start()
    try:
        with serve(app) as base:
            sent, status, response = _stream(base, "/api/v1/cases", chunked)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 413, response[:300]
    assert b"at most 1 MiB" in response
    # the client stopped long before 400 MiB because the server had already answered
    assert sent < 64 * MIB, sent
    assert peak < 64 * MIB, peak  # the app never held the body (it used to peak at 1.39 GB)


def test_declared_length_refused_without_reading(app: Any) -> None:
    received: list[int] = []

    async def receive() -> dict[str, Any]:
        received.append(1)
        return {"type": "http.request", "body": b"{}", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/cases", "raw_path": b"/api/v1/cases",
             "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
             "server": ("testserver", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"content-length", str(HUGE).encode()),
                         (b"content-type", b"application/json")]}
    # In a thread of its own: a browser test earlier in this worker may have left an event loop
    # running in the main thread, and anyio.run refuses to start inside one.
    worker = threading.Thread(target=anyio.run, args=(app, scope, receive, send))
    worker.start()
    worker.join(30)
    assert sent[0]["status"] == 413 and received == []  # not one byte was taken


@pytest.fixture
def small(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_body_bytes": 16 * 1024,
                                       "max_upload_bytes": 256 * 1024})


def test_uploads_have_their_own_larger_limit(small: Settings, factory: Factory) -> None:
    factory.user(Role.INVESTIGATOR, username="inv1")
    with TestClient(create_app(small)) as client:
        api = Api(client, "inv1")
        cid = api.post("/cases", {"title": "Fictional limits"}).json()["id"]
        big_json = api.post("/cases", {"title": "Fictional", "summary": "x" * 17_000})
        assert big_json.status_code == 413 and big_json.json()["limit"] == 16 * 1024
        assert "at most 16 KiB" in big_json.json()["message"]

        def upload(size: int) -> Any:
            return client.post(f"/api/v1/cases/{cid}/evidence", headers=api.headers,
                               files={"file": ("f.bin", b"1" * size, "application/octet-stream")})

        assert upload(100 * 1024).status_code == 201
        too_big = upload(300 * 1024)
        assert too_big.status_code == 413 and too_big.json()["error"] == "PayloadTooLarge"


def test_page_form_over_the_limit_gets_a_page(small: Settings) -> None:
    with TestClient(create_app(small)) as client:
        client.cookies.set("tipor_lang", "ar")
        response = client.post("/login", data={"username": "x" * 20_000, "password": "y"})
        assert response.status_code == 413
        assert "text/html" in response.headers["content-type"]
        assert "الطلب كبير جدًا" in response.text  # the Arabic message
