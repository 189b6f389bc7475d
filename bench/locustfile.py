"""The exam wave: every seeded learner starts the timed final exam within the
spawn window, saves an answer every 5-10 s, submits a little before the
deadline. Some go back and change earlier answers; a few lose their
connection mid-save (the request reaches the server, the reply never comes
back) and resend with the same or a new seq.

Run by bench/run.py:
    BENCH_RUN_DIR=bench/.run locust -f bench/locustfile.py --headless \
        -u 2000 -r 2000 --host http://127.0.0.1:8901

Arrivals are open-loop: every learner is spawned up front and starts at its
own arrival time, drawn uniformly over BENCH_SPAWN_SECONDS after
BENCH_WAVE_START, whatever the server does (locust's ramp-up would release
floor(rate) learners in the same instant every second instead); each then
paces itself by the clock (think time), not by how fast the previous reply came. Every random choice
comes from random.Random(BENCH_SEED + learner index), so a re-run sends the
same answers in the same order. Everything each learner sent and every
acknowledgement it got is written to client.json for bench/verify.py.

Requests go out on plain gevent sockets, one connection each (a sync worker
closes every connection after its reply anyway), and are reported to locust's
statistics as its own clients report them. Locust's FastHttpUser cost twice
the CPU per request (0.48 ms against 0.24 ms, measured against a trivial WSGI
app), and the load generator shares the machine with the server it measures:
in the 5,000-learner wave it took a fifth of both cores.
"""

from __future__ import annotations

import gc
import json
import os
import random
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import gevent
from locust import User, events, task
from locust.exception import StopUser

RUN_DIR = Path(os.environ.get("BENCH_RUN_DIR", "bench/.run"))
SEED = int(os.environ.get("BENCH_SEED", "7"))
P_CORRECT = float(os.environ.get("BENCH_P_CORRECT", "0.85"))
P_REVISIT = 0.3  # learners who go back and change earlier answers
P_DROP = 0.03  # learners whose connection drops during one save

WAVE_START = float(os.environ.get("BENCH_WAVE_START", "0")) or time.time()
SPAWN_SECONDS = float(os.environ.get("BENCH_SPAWN_SECONDS", "60"))
META = json.loads((RUN_DIR / "meta.json").read_text())
SESSIONS = json.loads((RUN_DIR / "sessions.json").read_text())
KEYS = json.loads((RUN_DIR / "keys.json").read_text())
LOG: dict[int, dict[str, Any]] = {}
TIMELINE: list[tuple[float, str, float, int]] = []  # (replied at, step, ms, failed)
GC_PAUSES: list[tuple[float, int, float]] = []  # (at, generation, ms): locust's own collections
_gc_started = [0.0]


def _time_gc(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _gc_started[0] = time.perf_counter()
    else:
        pause = (time.perf_counter() - _gc_started[0]) * 1000
        GC_PAUSES.append((round(time.time(), 3), info["generation"], round(pause, 2)))


gc.callbacks.append(_time_gc)


@events.test_start.add_listener
def _freeze_heap(**kwargs: Any) -> None:
    """Keep the load generator's garbage collections short. A full collection walks
    every object this process holds (2,000 learners, their logs, the timeline), and
    while it runs no reply is read: every request in flight is timed as slower by
    the pause. Without this they grew to 180 ms in the 2,000-learner wave and made
    most saves over 100 ms (seconds 51 and 85 of the wave). gc.freeze() every 5 s
    sets what already exists aside, so each collection walks only the last few
    seconds' objects. Nothing of the server changes; gc.json keeps the pauses."""

    def freeze() -> None:
        while True:
            gc.freeze()
            gevent.sleep(5)

    gevent.spawn(freeze)


STATE = {"next": 0, "finished": 0}


def wrong_answer(slot: dict, rng: random.Random) -> Any:
    ids = [c["id"] for c in slot["choices"]]
    kind = slot["type"]
    if kind == "single":
        return {"choice": rng.choice(ids)}
    if kind == "multiple":
        return {"choices": sorted(rng.sample(ids, rng.randint(1, len(ids))))}
    if kind == "truefalse":
        return {"value": rng.random() < 0.5}
    if kind == "short":
        return {"text": rng.choice(["không rõ", "chi ủy", "đảng viên"])}
    if kind == "numeric":
        return {"value": rng.randint(1, 1000)}
    if kind == "matching":
        return {"pairs": {left["id"]: rng.choice(ids) for left in slot["lefts"]}}
    if kind == "ordering":
        order = list(ids)
        rng.shuffle(order)
        return {"order": order}
    raise ValueError(kind)


def answer_for(slot: dict, rng: random.Random) -> Any:
    if rng.random() < P_CORRECT:
        return KEYS[slot["text"]]
    return wrong_answer(slot, rng)


class Failed(Exception):
    """A reply the learner did not expect (its status or its content)."""


def _body(raw: bytes) -> tuple[int, bytes]:
    """The status and the body of a whole HTTP/1.1 reply, read to the server's close."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    chunked = any(
        name.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower()
        for name, _, value in (line.partition(b":") for line in lines[1:])
    )
    if chunked:
        chunks, rest = [], body
        while True:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if not size:
                break
            chunks.append(rest[:size])
            rest = rest[size + 2 :]
        body = b"".join(chunks)
    return status, body


class Learner(User):
    # The learner paces itself in `exam`; locust's own wait is unused.
    wait_time = staticmethod(lambda: 0)  # type: ignore[assignment]
    timeout = 60.0

    def on_start(self) -> None:
        self.index = STATE["next"]
        STATE["next"] += 1
        if self.index >= len(SESSIONS):
            raise StopUser()
        me = SESSIONS[self.index]
        self.rng = random.Random(SEED * 1_000_003 + self.index)
        host = urlparse(str(self.host))
        self.address = (str(host.hostname), int(host.port or 80))
        cookie = f"{META['session_cookie']}={me['session']}; {META['csrf_cookie']}={me['csrf']}"
        self.head = (  # the headers every request of this learner carries
            f"Host: {self.address[0]}:{self.address[1]}\r\nCookie: {cookie}\r\n"
            f"X-CSRFToken: {me['csrf']}\r\nContent-Type: application/json\r\n"
        )
        self.log: dict[str, Any] = {"user": me["user"], "slots": {}, "events": []}
        LOG[me["user"]] = self.log

    # -- one exam, start to submit ------------------------------------------

    @task
    def exam(self) -> None:
        try:
            self._exam()
        finally:
            STATE["finished"] += 1
            if STATE["finished"] >= min(len(SESSIONS), self.environment.parsed_options.num_users):
                # Let the last replies reach the stats before stopping.
                gevent.spawn_later(2, self.environment.runner.quit)
            raise StopUser()

    def _exam(self) -> None:
        rng = self.rng
        arrival = WAVE_START + rng.uniform(0, SPAWN_SECONDS)
        self.log["late_s"] = round(max(0.0, time.time() - arrival), 3)
        time.sleep(max(0.0, arrival - time.time()))
        status, attempt = self._request(
            "POST", f"/api/quizzes/{META['quiz']}/attempts/", "start", ok=(200, 201)
        )
        if attempt is None:
            self.log["start_error"] = status
            return
        started = time.time()
        self.log["attempt"] = attempt["id"]
        self.attempt_id = attempt["id"]
        deadline = started + attempt["remaining_seconds"]
        submit_at = deadline - rng.uniform(3, 20)
        slots = attempt["slots"]
        revisit = rng.random() < P_REVISIT
        drop_at = rng.randint(3, 12) if rng.random() < P_DROP else -1
        seqs: dict[int, int] = {}
        order = list(range(len(slots)))
        cursor = 0
        saves = 0
        while True:
            pause = rng.uniform(5, 10)
            if time.time() + pause >= submit_at:
                break
            time.sleep(pause)
            if revisit and cursor > 3 and rng.random() < 0.25:
                slot = slots[rng.randrange(cursor)]  # change an earlier answer
            else:
                slot = slots[order[cursor % len(order)]]
                cursor += 1
            seq = seqs.get(slot["id"], 0) + 1
            seqs[slot["id"]] = seq
            response = answer_for(slot, rng)
            if saves == drop_at:
                self._drop(slot, seq, response)
                time.sleep(rng.uniform(0.5, 2))
                if rng.random() < 0.5:  # the client retries the same request...
                    self._save(slot, seq, response, resend=True)
                else:  # ...or the page re-sends the field with a new seq
                    seq += 1
                    seqs[slot["id"]] = seq
                    self._save(slot, seq, response, resend=True)
            else:
                self._save(slot, seq, response)
            saves += 1
        time.sleep(max(0.0, submit_at - time.time()))
        self._submit()

    # -- requests ------------------------------------------------------------

    def _record_sent(self, slot: dict, seq: int, response: Any) -> dict:
        entry = self.log["slots"].setdefault(str(slot["id"]), {"acked": 0, "sent": {}})
        entry["sent"][str(seq)] = response
        return entry

    def _wire(self, method: str, path: str, body: bytes) -> bytes:
        """The request as sent: this learner's headers, on a connection of its own."""
        return (
            f"{method} {path} HTTP/1.1\r\n{self.head}Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )

    def _request(
        self,
        method: str,
        path: str,
        name: str,
        body: bytes = b"",
        check: Any = None,
        ok: tuple[int, ...] = (200,),
    ) -> tuple[int, Any]:
        """Send one request on a connection of its own and read the reply to the
        server's close; report it to locust's statistics (and the timeline) as
        failed when its status is not in `ok`, its body not JSON, or
        `check(reply)` says what is wrong with it. Returns the status (0: no
        reply) and the JSON (None unless the status is in `ok` and the body JSON)."""
        started = time.perf_counter()
        status, reply, raw, error = 0, None, b"", None
        try:
            with socket.create_connection(self.address, timeout=self.timeout) as sock:
                sock.sendall(self._wire(method, path, body))
                chunks = []
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
            raw = b"".join(chunks)
            status, content = _body(raw)
            if status not in ok:
                raise Failed(f"{name} {status}")
            reply = json.loads(content)
            problem = check(reply) if check else None
            if problem:
                raise Failed(problem)
        except Exception as exc:  # every failure is counted, none stops the learner
            error = exc
        self.environment.events.request.fire(
            request_type=method,
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=len(raw),
            exception=error,
            context={},
        )
        return status, reply

    def _save(self, slot: dict, seq: int, response: Any, resend: bool = False) -> None:
        entry = self._record_sent(slot, seq, response)
        status, body = self._request(
            "PUT",
            f"/api/attempts/{self.attempt_id}/answers/{slot['id']}/",
            "save",
            json.dumps({"response": response, "seq": seq}).encode(),
            check=None if resend else lambda r: None if r["saved"] else "a fresh seq was not saved",
        )
        if body is None:
            self.log["events"].append(["save_error", slot["id"], seq, status])
            return
        entry["acked"] = max(entry["acked"], seq)
        if resend:
            self.log["events"].append(["resend", slot["id"], seq, body["saved"]])

    def _drop(self, slot: dict, seq: int, response: Any) -> None:
        """Send the request on a raw connection and hang up without reading the reply."""
        self._record_sent(slot, seq, response)
        body = json.dumps({"response": response, "seq": seq}).encode()
        path = f"/api/attempts/{self.attempt_id}/answers/{slot['id']}/"
        sock = socket.create_connection(self.address, timeout=5)
        try:
            sock.sendall(self._wire("PUT", path, body))
        finally:
            sock.close()
        self.log["events"].append(["drop", slot["id"], seq])

    def _submit(self) -> None:
        self.log["submit_sent"] = time.time()
        status, result = self._request("POST", f"/api/attempts/{self.attempt_id}/submit/", "submit")
        self.log["submit_status"] = status
        if result is None:  # refused, or a reply that was not JSON (verify.py reports it)
            return
        self.log["submit_acked"] = time.time()
        self.log["result"] = result


@events.request.add_listener
def _time_request(name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    TIMELINE.append(
        (round(time.time(), 3), name, round(response_time, 1), int(exception is not None))
    )


@events.quitting.add_listener
def _write_log(environment: Any, **kwargs: Any) -> None:
    (RUN_DIR / "client.json").write_text(json.dumps(LOG, ensure_ascii=False))
    # Every request's latency by when it was answered: the report splits the wave into phases.
    (RUN_DIR / "timeline.json").write_text(json.dumps(TIMELINE))
    (RUN_DIR / "gc.json").write_text(json.dumps(GC_PAUSES))
