"""config.gunicorn_worker: a sync worker that never waits for a client to hang up,
and still lingers when request bytes were left unread. Real gunicorn processes,
real sockets."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def app(environ, start_response):  # type: ignore[no-untyped-def]
    """Echoes the body; `/refuse` answers without reading it (an upload refused)."""
    if environ["PATH_INFO"] == "/refuse":
        reply = b"too large"
        start_response("413 Content Too Large", [("Content-Length", str(len(reply)))])
        return [reply]
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Length", str(len(body)))])
    return [body]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(worker_class: str) -> Iterator[int]:
    """One worker of `worker_class` serving `app` on a free port."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "tests.config.test_gunicorn_worker:app",
            "-k", worker_class, "--workers", "1", "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning",
        ],
        cwd=ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, (
                    "gunicorn did not start"
                )
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=15)


def _request(port: int, body: bytes, path: str = "/") -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(
        f"PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    )
    return client


def _reply(client: socket.socket) -> bytes:
    """Everything the server sends until it closes its side."""
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _next_request_waits(worker_class: str) -> float:
    """Seconds the next client waits while the previous one, its reply read,
    keeps its connection open (a busy client that has not hung up yet)."""
    with gunicorn(worker_class) as port:
        slow = _request(port, b'{"seq": 1}')
        assert _reply(slow).endswith(b'{"seq": 1}')  # read, and not closed
        started = time.monotonic()
        nxt = _request(port, b'{"seq": 2}')
        assert _reply(nxt).endswith(b'{"seq": 2}')
        waited = time.monotonic() - started
        slow.close()
        nxt.close()
    return waited


def test_the_worker_serves_the_next_request_without_waiting_for_the_client_to_hang_up():
    # gunicorn's own sync worker waits up to 2 s for the client to close.
    assert _next_request_waits("sync") >= 1.5
    assert _next_request_waits("config.gunicorn_worker.SyncWorker") < 1.0


def test_a_body_left_unread_is_still_drained_so_the_client_reads_its_reply():
    """An upload refused before its body was read: closing at once would make
    the kernel reset the connection over the unread bytes, and the client could
    lose the reply. The worker lingers then, as gunicorn does."""
    with gunicorn("config.gunicorn_worker.SyncWorker") as port:
        client = socket.create_connection(("127.0.0.1", port), timeout=10)
        client.sendall(
            b"PUT /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n" + b"x" * 30000
        )
        time.sleep(0.2)  # the reply is sent with half of the body unread
        reply = _reply(client)
        client.close()
    assert reply.startswith(b"HTTP/1.1 413") and reply.endswith(b"too large")


def test_a_tls_connection_is_left_to_gunicorn():
    """A TLS socket cannot be peeked at (recv with flags raises): it lingers."""
    from types import SimpleNamespace

    from gunicorn.http.body import LengthReader

    from config.gunicorn_worker import _nothing_unread

    request = SimpleNamespace(body=SimpleNamespace(reader=LengthReader(None, 0)))
    with (
        socket.socket() as raw,
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).wrap_socket(
            raw, server_side=True, do_handshake_on_connect=False
        ) as tls,
    ):
        assert _nothing_unread(request, tls) is False
    server, client = socket.socketpair()
    with server, client:
        assert _nothing_unread(request, server) is True  # nothing sent since
        client.sendall(b"GET / HTTP/1.1\r\n")
        assert _nothing_unread(request, server) is False  # a next request coming


def test_the_production_settings_use_it():
    import runpy

    settings = runpy.run_path(str(ROOT / "bench" / "gunicorn.conf.py"))
    assert settings["worker_class"] == "config.gunicorn_worker.SyncWorker"
