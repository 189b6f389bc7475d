"""Real logins for a sample of learners, one after another: GET the login page
(CSRF cookie), POST the form, expect the redirect. Password hashing is
deliberately slow (PBKDF2), which is why the wave uses pre-minted sessions.

    python bench/logins.py --run-dir bench/.run --host 127.0.0.1 --port 8901 --count 30
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode


def cookie(headers: list[tuple[str, str]], name: str) -> str:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return ""


def login(host: str, port: int, username: str, password: str) -> float:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/accounts/login/")
    page = conn.getresponse()
    html = page.read().decode()
    csrf = cookie(page.getheaders(), "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if page.status != 200 or not csrf or not token:
        raise SystemExit(f"login page: {page.status}")
    body = urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    started = time.perf_counter()
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
        },
    )
    reply = conn.getresponse()
    reply.read()
    elapsed = time.perf_counter() - started
    if reply.status != 302 or not cookie(reply.getheaders(), "sessionid"):
        raise SystemExit(f"login of {username} failed: {reply.status}")
    conn.close()
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8901)
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args()
    meta = json.loads((args.run_dir / "meta.json").read_text())
    sessions = json.loads((args.run_dir / "sessions.json").read_text())
    # The last learners: the saturation step uses the first ones.
    sample = sessions[-args.count :]
    times = sorted(login(args.host, args.port, s["username"], meta["password"]) for s in sample)

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p / 100 * len(times)))], 1)

    result = {
        "count": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": pct(95),
        "max_ms": round(times[-1], 1),
    }
    (args.run_dir / "logins.json").write_text(json.dumps(result))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
