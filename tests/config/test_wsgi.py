"""config.wsgi: what gunicorn imports before it forks its workers."""

import subprocess
import sys
from pathlib import Path


def test_the_app_and_every_view_are_loaded_then_frozen():
    """Workers share the imported app and a full collection skips it: the views
    are imported before the freeze, not in each worker's first request."""
    code = (
        "import gc, sys, config.wsgi; "
        "print(gc.get_freeze_count(), 'quizzes.api.attempts' in sys.modules, "
        "'frontend.views.quizzes.bank' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 50_000
    assert out[1:] == ["True", "True"]


def test_gunicorn_parses_requests_in_c():
    """The production settings (bench/gunicorn.conf.py) ask for gunicorn_h1c's
    parser (a worker without it refuses to start), and it reads a page's save."""
    import runpy

    from gunicorn.config import Config
    from gunicorn.http import message
    from gunicorn.http.parser import RequestParser

    cfg = Config()
    root = Path(__file__).resolve().parents[2]
    for name, value in runpy.run_path(str(root / "bench" / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    assert cfg.http_parser == "fast"
    assert message._check_fast_parser(cfg) is True
    body = b'{"response": ["c2"], "seq": 3}'
    raw = (
        b"PUT /api/attempts/7/answers/9/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Cookie: sessionid=abc; csrftoken=xyz\r\nX-CSRFToken: xyz\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    )
    request = next(iter(RequestParser(cfg, [raw], ("127.0.0.1", 5000))))
    assert (request.method, request.path) == ("PUT", "/api/attempts/7/answers/9/")
    assert ("X-CSRFTOKEN", "xyz") in request.headers
    assert request._use_fast and request.body.read() == body
