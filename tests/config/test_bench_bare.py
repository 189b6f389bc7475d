"""The bare ceiling of `make bench` (issue 20) is Django and nothing else."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import io, json
from bench.bare.wsgi import application
from django.conf import settings
from django.db import connections

def call(path):
    seen = {}
    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8902", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
        "HTTP_HOST": "127.0.0.1",
    }
    body = b"".join(application(environ, start_response)).decode()
    return seen["status"], seen["headers"], body

status, headers, body = call("/hello")
print(json.dumps({
    "status": status, "body": body, "length": headers.get("Content-Length"),
    "missing": call("/bench/hello")[0],
    "apps": settings.INSTALLED_APPS, "middleware": settings.MIDDLEWARE,
    "engine": connections["default"].settings_dict["ENGINE"],
}))
"""


def test_bare_ceiling_serves_hello_with_no_app_middleware_or_database():
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        # Whatever the environment says, the bare WSGI entry uses its own settings.
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
    )
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    assert probe["status"] == "200 OK"
    assert probe["body"] == "Hello, world" and probe["length"] == "12"
    assert probe["missing"].startswith("404")  # one URL, not the project's
    assert probe["apps"] == [] and probe["middleware"] == []
    assert probe["engine"] == "django.db.backends.dummy"
