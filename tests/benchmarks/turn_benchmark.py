"""CPU time of one interview turn, in this process, on a SQLite store.

    python -m tests.benchmarks.turn_benchmark [--interviews 5] [--layer service|app|both]
                                              [--profile FILE]

Scripted interviews (a three-star institution: the profile with a number answer, then free
text, quick replies, checklists and confirmations until the summary) run against the real
catalog and rules on a SQLite file. Every turn is timed with ``time.process_time`` (every
thread of the process), at two layers:

- ``service``: what the message handler does for a turn — check the session token, check the
  session's turn quota, ``InterviewService.send`` (state machine, rating when shown, the
  turn's transaction);
- ``app``: the whole ``POST /api/v1/sessions/{id}/messages`` through the ASGI app in this
  process (middleware, rate limits, dependencies, validation, JSON both ways), called as an
  ASGI server would call it: no HTTP client, whose own cost is not the server's.

It prints p50/p95 per kind of turn and over all turns. ``--profile FILE`` writes a cProfile
dump of the service layer (read it with ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from api.app import create_app
from assistant.interview.runtime import open_service
from assistant.interview.service import InterviewService
from assistant.session.models import UserTurn
from assistant.settings import Settings
from assistant.storage.sql import SqlSessionStore

PROFILE: tuple[tuple[str, dict[str, str]], ...] = (
    ("profile text", {"text": "基准测试中小企业服务中心"}),
    ("profile choice", {"quick_reply": "type:public_service"}),
    ("profile text", {"text": "科技咨询、融资对接、人才培训"}),
    ("number answer", {"text": "每年大约服务 350 家企业"}),
    ("profile choice", {"quick_reply": "stars:3"}),
)
TEXTS = (
    "有的，我们一直这样做，也有书面文件。",
    "基本都有，个别地方还在完善。",
    "只在一个部门试行。",
)
STATUSES = ("met", "largely_met", "met", "partly_met")
MAX_TURNS = 120
TYPICAL = ("number answer", "finding text", "finding choice", "checklist")


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def scripted(reply: dict[str, Any], n: int) -> tuple[str, dict[str, Any]] | None:
    """The next turn of the script for the question on screen (None: the interview is over)."""
    if n < len(PROFILE):
        return PROFILE[n]
    question = reply.get("question") or {}
    kind = question.get("kind")
    if kind == "checklist":
        ids = [ref["id"] for ref in question["indicators"]]
        answers = {i: STATUSES[(n + k) % len(STATUSES)] for k, i in enumerate(ids)}
        return "checklist", {"answers": answers}
    if kind == "confirm":
        return "confirm", {"text": "是"}
    if kind == "indicator":
        if n % 2:
            return "finding text", {"text": TEXTS[n % len(TEXTS)]}
        return "finding choice", {"quick_reply": STATUSES[n % len(STATUSES)]}
    return None


Send = Callable[[dict[str, Any]], dict[str, Any]]


def run_interview(send: Send, first: dict[str, Any], times: dict[str, list[float]]) -> None:
    reply = first
    for n in range(MAX_TURNS):
        step = scripted(reply, n)
        if step is None:
            break
        kind, payload = step
        started = time.process_time()
        reply = send(payload)
        times[kind].append((time.process_time() - started) * 1000)


def service_layer(service: InterviewService, interviews: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(interviews):
        started = service.start()
        sid, token = started.session_id, started.token

        def send(payload: dict[str, Any], sid: str = sid, token: str = token) -> dict[str, Any]:
            assert service.verify_token(sid, token)
            service.store.head(sid)  # the turn quota's read (api.quotas)
            return service.send(sid, UserTurn.model_validate(payload)).model_dump(mode="json")

        run_interview(send, started.reply.model_dump(mode="json"), times)
    return times


async def asgi_post(app: Any, path: str, payload: bytes, headers: dict[str, str]) -> Any:
    """POST straight into the ASGI app (no HTTP client, whose own cost is not the server's)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            *((name.lower().encode(), value.encode()) for name, value in headers.items()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = sent[0]["status"]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    if status >= 400:
        raise RuntimeError(f"{path}: {status} {body[:200]!r}")
    return body


async def _app_layer(service: InterviewService, settings: Settings, interviews: int) -> Any:
    app = create_app(settings, service=service)
    times: dict[str, list[float]] = defaultdict(list)
    for n in range(interviews):
        headers = {"X-Forwarded-For": f"10.0.{n // 250}.{n % 250 + 1}"}  # limits stay on
        created = json.loads(await asgi_post(app, "/api/v1/sessions", b"", headers))
        path = f"/api/v1/sessions/{created['session_id']}/messages"
        headers["Authorization"] = f"Bearer {created['token']}"
        reply = created["reply"]
        for number in range(MAX_TURNS):
            step = scripted(reply, number)
            if step is None:
                break
            kind, payload = step
            body = json.dumps(payload).encode()
            started = time.process_time()
            answer = await asgi_post(app, path, body, headers)
            times[kind].append((time.process_time() - started) * 1000)
            reply = json.loads(answer)["reply"]
    return times


def count_turns() -> int:
    """How many turns the script takes (on a memory store; the script is deterministic)."""
    from assistant.storage import InMemorySessionStore

    with tempfile.TemporaryDirectory(prefix="smecmm-turns-") as folder:
        service = open_service(
            Settings(data_dir=Path(folder)), retrieval=False, store=InMemorySessionStore()
        )
        return sum(len(values) for values in service_layer(service, 1).values())


def print_times(layer: str, times: dict[str, list[float]]) -> None:
    print(f"\n{layer}: CPU ms per turn")
    print(f"{'turn':16s} {'n':>5s} {'p50':>7s} {'p95':>7s}")
    for kind in sorted(times):
        values = times[kind]
        print(f"{kind:16s} {len(values):5d} {statistics.median(values):7.2f} ", end="")
        print(f"{percentile(values, 0.95):7.2f}")
    typical = [ms for kind in TYPICAL for ms in times.get(kind, [])]
    every = [ms for values in times.values() for ms in values]
    for name, values in (("typical", typical), ("all turns", every)):
        print(f"{name:16s} {len(values):5d} {statistics.median(values):7.2f} ", end="")
        print(f"{percentile(values, 0.95):7.2f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--interviews", type=int, default=5)
    parser.add_argument("--layer", choices=("service", "app", "both"), default="both")
    parser.add_argument("--profile", type=Path, help="write a cProfile dump of the service layer")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="smecmm-turns-") as folder:
        settings = Settings(data_dir=Path(folder))
        store = SqlSessionStore(f"sqlite:///{folder}/turns.db")
        service = open_service(settings, retrieval=False, store=store)
        service_layer(service, 1)  # warm: imports, caches, the database file
        try:
            if args.layer in ("service", "both"):
                profiler = cProfile.Profile() if args.profile else None
                if profiler:
                    profiler.enable()
                print_times("service", service_layer(service, args.interviews))
                if profiler:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
            if args.layer in ("app", "both"):
                times = asyncio.run(_app_layer(service, settings, args.interviews))
                print_times("app (in-process ASGI)", times)
        finally:
            store.close()


if __name__ == "__main__":
    main()
