"""Capacity: how many interview turns per second a real ``smecmm serve`` answers in time.

    python -m tests.benchmarks.capacity_benchmark [--setup sqlite|postgres|both]
        [--rates 30,60,90,...] [--step-seconds 30] [--think 2.0] [--slo-ms 300]

An OPEN-LOOP load generator (asyncio + httpx) on loopback. Applicants arrive at random
(a Poisson process), each starts a session and runs the scripted three-star interview of
``turn_benchmark`` (the profile with a number answer, free text, quick replies, checklists,
confirmations), thinking 1–3 s (2 s on average) after each reply; each has its own client
address (X-Forwarded-For from loopback, a trusted proxy), so the rate limits stay on. The load
rises in steps: at step *k* applicants arrive at ``rates[k]`` / (turns per interview) per
second, and at its start enough of them (``rates[k]`` × think time, less those under way) arrive
within one think time that the step offers ``rates[k]`` turns/s at once instead of after an
interview's length (the newcomers' first turns are the profile's, a little cheaper than the
rest). Arrivals never wait for the server, so an overloaded server meets a growing queue; each
turn's latency runs from the moment it was due, not from when it could be sent.

For each step it prints the turns offered (due) and achieved (answered) per second, the
latency percentiles of the turns due in the step, the errors, the server's CPU per turn (all
its processes, from /proc) and the machine's load; at the end the highest achieved rate whose
p99 stayed within ``--slo-ms`` with no errors. It stops early once a step is well past it.

Set-ups (each on fresh data, the server started as ``smecmm serve`` in a subprocess):

- ``sqlite``: one worker, SQLite in the data directory, rate limits in memory;
- ``postgres``: two workers on a throwaway PostgreSQL (tests/utils/postgres.py) with the rate
  limits in a throwaway Redis (tests/utils/redis_server.py).

The retrieval index uses the ``fake`` embedder (``--embedding-model`` to change it): scripted
turns never search it, and the real one would only lengthen the start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.benchmarks.turn_benchmark import MAX_TURNS, percentile, scripted
from tests.utils.ports import free_port
from tests.utils.postgres import running_postgres
from tests.utils.redis_server import running_redis

SESSIONS = "/api/v1/sessions"
STOP_FACTOR = 4  # a step whose p99 passes this many times the objective ends the run
_TICKS = os.sysconf("SC_CLK_TCK")


# -- the server ------------------------------------------------------------------------------


def process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of ``root`` and every process below it, from /proc."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += cpu.get(pid, 0.0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


@contextlib.contextmanager
def serving(env: dict[str, str], workers: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    command = [
        sys.executable, "-c", "from assistant.cli.main import app; app(prog_name='smecmm')",
        "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server)
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/api/v1/catalog", timeout=2).status_code == 200:
                return
        time.sleep(0.25)
    raise SystemExit("the server did not start in time")


# -- the load --------------------------------------------------------------------------------


@dataclass
class Turn:
    due: float
    done: float | None = None
    ok: bool = False
    server_ms: float = 0.0  # the server's own time (Server-Timing): the rest is queues


@dataclass
class Load:
    think_s: float
    turns: list[Turn] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lag_s: float = 0.0  # the generator's worst lateness in sending a due turn
    applicants: int = 0
    running: set[asyncio.Task[None]] = field(default_factory=set)

    def address(self) -> str:
        self.applicants += 1
        n = self.applicants
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


async def post(
    client: httpx.AsyncClient, load: Load, url: str, due: float | None = None, **kw: Any
) -> Any:
    """The reply's JSON, or None after an error; a turn (``due`` given) is counted."""
    turn = Turn(due=time.monotonic() if due is None else due)
    if due is not None:
        load.turns.append(turn)
    try:
        response = await client.post(url, **kw)
    except httpx.HTTPError as error:
        load.problems.append(f"{type(error).__name__}: {error}")
        return None
    finally:
        turn.done = time.monotonic()
    if response.status_code >= 400:
        load.problems.append(f"{response.status_code} {response.text[:160]}")
        return None
    turn.ok = True
    timing = response.headers.get("server-timing", "")
    turn.server_ms = float(timing.partition("dur=")[2] or 0)
    return response.json()


async def applicant(client: httpx.AsyncClient, load: Load, delay_s: float = 0.0) -> None:
    await asyncio.sleep(delay_s)
    headers = {"X-Forwarded-For": load.address()}
    created = await post(client, load, SESSIONS, headers=headers)
    if created is None:
        return
    headers["Authorization"] = f"Bearer {created['token']}"
    url = f"{SESSIONS}/{created['session_id']}/messages"
    reply = created["reply"]
    for n in range(MAX_TURNS):
        step = scripted(reply, n)
        if step is None:
            return
        due = time.monotonic() + random.uniform(0.5, 1.5) * load.think_s
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        load.lag_s = max(load.lag_s, time.monotonic() - due)
        answered = await post(client, load, url, due, json=step[1], headers=headers)
        if answered is None:
            return
        reply = answered["reply"]


async def arrivals(client: httpx.AsyncClient, load: Load, per_second: float, until: float) -> None:
    """Applicants at random, ``per_second`` on average, until ``until``; never waiting on one."""
    while True:
        await asyncio.sleep(random.expovariate(per_second))
        if time.monotonic() >= until:
            return
        start(applicant(client, load), load)


def start(coroutine: Any, load: Load) -> None:
    task = asyncio.create_task(coroutine)
    load.running.add(task)
    task.add_done_callback(load.running.discard)


def top_up(client: httpx.AsyncClient, load: Load, rate: float) -> None:
    """Bring the applicants under way to what ``rate`` keeps busy (rate × think time), their
    starts spread over one think time, so that a step is not an interview long ramp."""
    wanted = round(rate * load.think_s) - len(load.running)
    for _ in range(max(0, wanted)):
        start(applicant(client, load, random.uniform(0, load.think_s)), load)


# -- steps and figures -----------------------------------------------------------------------


@dataclass
class Step:
    rate: float
    offered: float
    achieved: float
    latencies_ms: list[float]
    server_ms: list[float]
    errors: int
    server_cpu_ms: float  # per answered turn
    load_avg: float

    def p(self, share: float) -> float:
        return percentile(self.latencies_ms, share) if self.latencies_ms else float("inf")

    def server_p99(self) -> float:
        return percentile(self.server_ms, 0.99) if self.server_ms else float("nan")

    def row(self) -> str:
        p50 = statistics.median(self.latencies_ms) if self.latencies_ms else float("inf")
        return (
            f"{self.rate:7.0f} {self.offered:8.1f} {self.achieved:9.1f} {p50:8.0f} "
            f"{self.p(0.95):8.0f} {self.p(0.99):8.0f} {self.server_p99():9.0f} {self.errors:7d} "
            f"{self.server_cpu_ms:9.1f} {self.load_avg:6.2f}"
        )


HEADER = (
    f"{'rate':>7s} {'offered':>8s} {'achieved':>9s} {'p50 ms':>8s} {'p95 ms':>8s} "
    f"{'p99 ms':>8s} {'server99':>9s} {'errors':>7s} {'cpu ms/t':>9s} {'load':>6s}"
)


def measure(load: Load, rate: float, start: float, end: float, cpu_s: float) -> Step:
    now = time.monotonic()
    due = [t for t in load.turns if start <= t.due < end]
    answered = [t for t in load.turns if t.done is not None and start <= t.done < end and t.ok]
    latencies = [((t.done if t.done is not None else now) - t.due) * 1000 for t in due]
    errors = sum(1 for t in due if t.done is not None and not t.ok)
    seconds = end - start
    return Step(
        rate=rate,
        offered=len(due) / seconds,
        achieved=len(answered) / seconds,
        latencies_ms=latencies,
        server_ms=[t.server_ms for t in due if t.ok],
        errors=errors,
        server_cpu_ms=cpu_s * 1000 / len(answered) if answered else float("nan"),
        load_avg=os.getloadavg()[0],
    )


async def run_steps(base: str, server_pid: int, args: argparse.Namespace) -> list[Step]:
    load = Load(think_s=args.think)
    limits = httpx.Limits(max_connections=1024, max_keepalive_connections=256, keepalive_expiry=4)
    timeout = httpx.Timeout(60.0)
    steps: list[Step] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        await applicant(client, Load(think_s=0.0))  # warm: one interview, not measured
        feeders: list[asyncio.Task[None]] = []
        print(HEADER)
        for rate in args.rates:
            start = time.monotonic()
            end = start + args.step_seconds
            cpu = process_tree_cpu(server_pid)
            top_up(client, load, rate)
            feeders.append(
                asyncio.create_task(arrivals(client, load, rate / args.turns, float("inf")))
            )
            if len(feeders) > 1:  # the new feeder replaces the last: the rate rises to ``rate``
                feeders[-2].cancel()
            await asyncio.sleep(args.step_seconds)
            step = measure(load, rate, start, end, process_tree_cpu(server_pid) - cpu)
            print(step.row(), flush=True)
            steps.append(step)
            if step.p(0.99) > STOP_FACTOR * args.slo_ms:
                break
        for task in (*feeders, *load.running):
            task.cancel()
        await asyncio.gather(*feeders, *load.running, return_exceptions=True)
    if load.problems:
        print(f"  {len(load.problems)} errors, e.g. {load.problems[0]}")
    print(f"  generator: latest send {load.lag_s * 1000:.0f} ms after due")
    return steps


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop when installed (as uvicorn uses it): the generator spends less of the CPU."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def best(steps: Sequence[Step], slo_ms: float) -> float:
    within = [s.achieved for s in steps if s.p(0.99) <= slo_ms and s.errors == 0]
    return max(within, default=0.0)


# -- set-ups ---------------------------------------------------------------------------------


def turns_per_interview() -> int:
    """The scripted interview's length, counted once in process on a memory store."""
    from tests.benchmarks.turn_benchmark import count_turns

    return count_turns()


def base_env(data_dir: Path, args: argparse.Namespace) -> dict[str, str]:
    return {
        "SMECMM_DATA_DIR": str(data_dir),
        "SMECMM_EMBEDDING_MODEL": args.embedding_model,
        "SMECMM_DATABASE_URL": "",
        "SMECMM_REDIS_URL": "",
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")])),
    }


def run_setup(name: str, env: dict[str, str], workers: int, args: argparse.Namespace) -> float:
    print(f"\n== {name}: {workers} worker(s); load average {os.getloadavg()[0]:.2f} ==")
    with serving(env, workers) as (base, server):
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            steps = runner.run(run_steps(base, server.pid, args))
    top = best(steps, args.slo_ms)
    print(f"  highest rate at p99 ≤ {args.slo_ms:.0f} ms: {top:.1f} turns/s ({name})")
    return top


def sqlite_setup(args: argparse.Namespace) -> float:
    with tempfile.TemporaryDirectory(prefix="smecmm-capacity-") as folder:
        return run_setup("SQLite", base_env(Path(folder), args), 1, args)


def postgres_setup(args: argparse.Namespace) -> float:
    with (
        tempfile.TemporaryDirectory(prefix="smecmm-capacity-") as folder,
        running_postgres() as postgres,
        running_redis() as redis,
    ):
        env = base_env(Path(folder), args)
        env["SMECMM_DATABASE_URL"] = postgres.create_database()
        env["SMECMM_REDIS_URL"] = redis.url
        return run_setup("PostgreSQL + Redis", env, 2, args)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--setup", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--rates",
        type=lambda text: [float(part) for part in text.split(",")],
        default=[30.0, 60.0, 90.0, 120.0, 150.0, 180.0, 210.0, 240.0, 270.0, 300.0],
        help="offered turns per second, one step each (comma-separated)",
    )
    parser.add_argument("--step-seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=2.0, help="mean think time, seconds")
    parser.add_argument("--slo-ms", type=float, default=300.0)
    parser.add_argument("--embedding-model", default="fake")
    args = parser.parse_args(argv)
    args.turns = turns_per_interview()
    print(f"scripted interview: {args.turns} turns; think {args.think:.1f} s on average")
    figures = {}
    if args.setup in ("sqlite", "both"):
        figures["SQLite, 1 worker"] = sqlite_setup(args)
    if args.setup in ("postgres", "both"):
        figures["PostgreSQL + Redis, 2 workers"] = postgres_setup(args)
    print()
    for name, top in figures.items():
        print(f"{name}: {top:.1f} turns/s at p99 ≤ {args.slo_ms:.0f} ms")


if __name__ == "__main__":
    main()
