"""gunicorn's sync worker, free for the next request as soon as a reply is sent.

A sync worker closes the connection after every reply. Since gunicorn 25 it
lingers first (`gunicorn.util.close_graceful`, RFC 9112 section 9.6): it
half-closes, then waits until the client closes its side, up to 2 s, so that
request bytes it never read cannot make the kernel reset the connection before
the client has read the reply. That wait is a round trip through the client
for every request, and the worker serves no one meanwhile: under `make bench`'s
save saturation it was a fifth of each worker's time, and longer still when
the clients are busy (a browser on a slow phone, the load generator at the
exam's peak).

Here the worker closes at once when nothing is left unread: the request's body
was read to its end and the client has sent nothing more. Otherwise (a body
refused before it was read, a client already sending its next request, a TLS
connection) it lingers as gunicorn does.
"""

from __future__ import annotations

import socket
import ssl
from typing import Any

from gunicorn.http.body import LengthReader
from gunicorn.workers import sync


def _nothing_unread(request: Any, client: socket.socket) -> bool:
    reader = request.body.reader
    if not isinstance(reader, LengthReader) or reader.length:
        return False  # a chunked body, or one not read to its end
    if isinstance(client, ssl.SSLSocket):
        return False  # TLS buffers what it decrypted: it cannot be peeked at
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""  # closed already
    except BlockingIOError:
        return True  # nothing received since the request
    except Exception:  # a reset, or anything unforeseen: linger as gunicorn does
        return False


class SyncWorker(sync.SyncWorker):
    def handle_request(self, listener: Any, req: Any, client: Any, addr: Any) -> None:
        super().handle_request(listener, req, client, addr)
        # The reply is sent (sendall). Closing with nothing unread sends a FIN, as
        # the lingering close would; the lingering close that follows (in
        # `handle`) then finds the socket closed and returns at once.
        if _nothing_unread(req, client):
            client.close()
