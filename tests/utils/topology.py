"""A whole deployment on loopback: the shared services and several ``smecmm serve`` workers.

What ``docs/deploy.md`` describes, started for real on free ports in temporary directories:
PostgreSQL (sessions, audit, keys, the index stamp), Redis (rate limits), a Chroma server
(``chroma run``, the vectors), an S3 server (moto, the evidence) and app workers, each its own
``smecmm serve`` process with a data directory of its own but for the shared ``documents/``,
so that nothing else reaches another worker through a disk.

    with running_topology(root, {"SMECMM_EMBEDDING_MODEL": "fake"}) as topology:
        topology.run_cli("index")            # once, before any worker starts
        for worker in topology.workers:
            worker.start()
            worker.wait_ready()
        topology.workers[1].kill()           # SIGKILL, as a crash would
        topology.workers[1].start()          # back on the same port

``RoundRobin`` stands in for the reverse proxy in front of the workers. Every wait here is
bounded; a server that does not come up raises with the tail of its log.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import assistant
from tests.utils.ports import free_port
from tests.utils.postgres import SKIP_ENV as PG_SKIP_ENV
from tests.utils.postgres import PostgresServer, PostgresUnavailable, find_bin_dir, start_postgres
from tests.utils.redis_server import RedisServer, RedisUnavailable, start_redis
from tests.utils.s3 import S3Server, S3Unavailable, start_s3

__all__ = [
    "LOOPBACK",
    "AppWorker",
    "ChromaServer",
    "ChromaUnavailable",
    "RoundRobin",
    "Services",
    "Tally",
    "Topology",
    "WorkerDown",
    "chroma_binary",
    "free_port",
    "missing_binaries",
    "running_topology",
    "topology_fixture",
    "wait_until",
]

LOOPBACK = "127.0.0.1"
_CHROMA_START_S = 60.0
_WORKER_START_S = 180.0  # a worker builds its lexical index at start: ~45 s on a loaded 2-core box
_INDEX_BUILD_S = 240.0
_STOP_S = 10.0
_LOG_TAIL = 3000


class ChromaUnavailable(RuntimeError):
    """``chroma run`` is missing or did not answer."""


class WorkerDown(RuntimeError):
    """Every worker refused the connection: there is nobody to send the request to."""


def wait_until(check: Callable[[], bool], timeout_s: float, what: str, step_s: float = 0.1) -> None:
    """Poll ``check`` until it holds; ``TimeoutError`` naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout_s:.0f} s")
        time.sleep(step_s)


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-_LOG_TAIL:] if path.exists() else ""


def _answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1.0)
    except httpx.HTTPError:
        return False
    return True


def _end(process: subprocess.Popen[bytes], *, kill: bool = False) -> None:
    """Stop a process started in its own session, and whatever it left behind in it (the
    document readers' forkserver of a worker)."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(_STOP_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(_STOP_S)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # the group is the one it was started in


# --- Chroma ----------------------------------------------------------------------------------


def chroma_binary() -> Path | None:
    """``chroma`` beside this interpreter (the chromadb package's script), else on PATH."""
    beside = Path(sys.executable).parent / "chroma"
    if beside.is_file():
        return beside
    found = shutil.which("chroma")
    return Path(found) if found else None


@dataclass
class ChromaServer:
    binary: Path
    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.root / "chroma.log"

    def start(self) -> None:
        command = [
            str(self.binary), "run", "--path", str(self.root / "data"),
            "--host", LOOPBACK, "--port", str(self.port),
        ]  # fmt: skip
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                start_new_session=True,
            )  # fmt: skip
        try:
            wait_until(self._ready, _CHROMA_START_S, f"chroma run on port {self.port}")
        except TimeoutError as error:
            self.stop()
            raise ChromaUnavailable(f"{error}\n{_tail(self.log_file)}") from None

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise ChromaUnavailable(f"chroma run exited:\n{_tail(self.log_file)}")
        try:
            return httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            process, self.process = self.process, None
            _end(process)


# --- app workers -----------------------------------------------------------------------------


def _code_root() -> Path:
    """The checkout whose ``assistant`` this test imports: the workers must run the same code."""
    return Path(assistant.__file__).resolve().parents[1]


def python_path() -> str:
    entries = [str(_code_root())]
    entries += [
        str(Path(part).resolve()) for part in os.environ.get("PYTHONPATH", "").split(os.pathsep)
    ]
    return os.pathsep.join(dict.fromkeys(e for e in entries if e))


def base_env(settings: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without any SMECMM_* of the developer's, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMECMM_")}
    env.update(
        PYTHONPATH=python_path(),
        HF_HUB_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(settings)
    return env


def smecmm(*args: str) -> list[str]:
    """The ``smecmm`` command under this interpreter."""
    return [sys.executable, "-m", "assistant.cli", *args]


@dataclass
class AppWorker:
    """One ``smecmm serve`` process; its settings differ from the others' only in the data dir."""

    name: str
    env: dict[str, str]
    root: Path  # its data dir and log; the cwd, so that no developer's .env is read
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.root / "serve.log"

    def start(self) -> None:
        """Launch (not waiting for it to listen: ``wait_ready``)."""
        self.root.mkdir(parents=True, exist_ok=True)
        env = {**self.env, "SMECMM_DATA_DIR": str(self.root / "data")}
        command = smecmm("serve", "--host", LOOPBACK, "--port", str(self.port))
        with self.log_file.open("ab") as log:
            log.write(f"--- start {self.starts + 1}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [*command, "--log-level", "warning"], cwd=self.root, env=env,
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        self.starts += 1

    def wait_ready(self, timeout_s: float = _WORKER_START_S) -> None:
        """Until it answers HTTP (uvicorn listens only once the app has started)."""
        try:
            wait_until(self._ready, timeout_s, f"worker {self.name} on port {self.port}", 0.2)
        except TimeoutError as error:
            raise RuntimeError(f"{error}\n{_tail(self.log_file)}") from None

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"worker {self.name} exited:\n{_tail(self.log_file)}")
        return _answers(f"{self.url}/widget.js")  # a page route: not rate limited

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, as a crash or the OOM killer would."""
        assert self.process is not None
        process, self.process = self.process, None
        _end(process, kill=True)

    def stop(self) -> None:
        if self.process is not None:
            process, self.process = self.process, None
            _end(process)


# --- the reverse proxy's part ----------------------------------------------------------------


@dataclass
class Tally:
    """What the traffic met, counted across threads."""

    sent: int = 0
    responses: dict[int, int] = field(default_factory=dict)  # status → count
    served: dict[str, int] = field(default_factory=dict)  # worker → responses
    # requests under way, by worker and by "worker METHOD last-path-segment"
    in_flight: dict[str, int] = field(default_factory=dict)
    refused: int = 0  # connection refused: sent again to the next worker, as a proxy does
    cut: int = 0  # sent, then the connection broke: the outcome is unknown to the client
    server_errors: list[str] = field(default_factory=list)
    phase: str = "start"  # what the test is doing meanwhile: it labels the 5xx
    errors_by_phase: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, **deltas: int) -> None:
        with self.lock:
            for name, delta in deltas.items():
                setattr(self, name, getattr(self, name) + delta)

    def flight(self, keys: tuple[str, ...], delta: int) -> None:
        with self.lock:
            for key in keys:
                self.in_flight[key] = self.in_flight.get(key, 0) + delta

    def response(self, worker: str, method: str, path: str, response: httpx.Response) -> None:
        with self.lock:
            code = response.status_code
            self.responses[code] = self.responses.get(code, 0) + 1
            self.served[worker] = self.served.get(worker, 0) + 1
            if code >= 500:
                self.server_errors.append(
                    f"[{self.phase}] {worker} {method} {path} → {code}: {response.text[:200]}"
                )
                self.errors_by_phase[self.phase] = self.errors_by_phase.get(self.phase, 0) + 1


class RoundRobin:
    """Each request to the next worker, as nginx's ``upstream`` does. A worker that refuses the
    connection is passed over for the next (``proxy_next_upstream error``); a request that
    reached a worker is never sent again (nginx does not repeat a POST), so a connection cut
    mid-request is the caller's to find out about (``None``)."""

    def __init__(self, workers: Sequence[AppWorker], tally: Tally, timeout_s: float = 60.0):
        self.workers = workers
        self.tally = tally
        self._next = 0
        self._lock = threading.Lock()
        # No keep-alive: a pooled connection to a killed worker would fail after sending.
        self._client = httpx.Client(
            timeout=timeout_s, limits=httpx.Limits(max_keepalive_connections=0)
        )

    def close(self) -> None:
        self._client.close()

    def _order(self) -> list[AppWorker]:
        with self._lock:
            start = self._next
            self._next += 1
        n = len(self.workers)
        return [self.workers[(start + i) % n] for i in range(n)]

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        """The response, or ``None`` when the connection broke after the request was sent."""
        for worker in self._order():
            response = self.send_to(worker, method, path, **kwargs)
            if response is not _REFUSED:
                return response if isinstance(response, httpx.Response) else None
        raise WorkerDown(f"every worker refused {method} {path}")

    def send_to(
        self, worker: AppWorker, method: str, path: str, **kwargs: Any
    ) -> httpx.Response | object | None:
        """One attempt at one worker: a response, ``_REFUSED`` or ``None`` (cut)."""
        self.tally.count(sent=1)
        keys = (worker.name, f"{worker.name} {method} {path.rsplit('/', 1)[-1]}")
        self.tally.flight(keys, 1)
        try:
            response = self._client.request(method, worker.url + path, **kwargs)
        except httpx.ConnectError:
            self.tally.count(refused=1)
            return _REFUSED
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            self.tally.count(cut=1)
            return None
        finally:
            self.tally.flight(keys, -1)
        self.tally.response(worker.name, method, path, response)
        return response


_REFUSED = object()


# --- the whole -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Services:
    postgres: PostgresServer
    redis: RedisServer
    s3: S3Server
    chroma: ChromaServer


@dataclass
class Topology:
    root: Path
    services: Services
    database_url: str
    settings: dict[str, str]  # the SMECMM_* every worker gets
    workers: list[AppWorker]

    @property
    def documents(self) -> Path:
        """Ingested official documents: the one directory the workers share (a shared volume
        mounted at ``<data dir>/documents``), the corpus every worker's index is built from."""
        return self.root / "documents"

    def data_dir(self, name: str) -> Path:
        """A data directory of its own, but for the shared documents."""
        folder = self.root / name
        (folder / "data").mkdir(parents=True, exist_ok=True)
        self.documents.mkdir(exist_ok=True)
        link = folder / "data" / "documents"
        if not link.is_symlink():
            link.symlink_to(self.documents, target_is_directory=True)
        return folder

    def env(self, **extra: str) -> dict[str, str]:
        return base_env({**self.settings, **extra})

    def run_cli(self, *args: str, timeout_s: float = _INDEX_BUILD_S) -> str:
        """``smecmm <args>`` with the workers' settings and a data dir of its own."""
        folder = self.data_dir("cli")
        env = self.env(SMECMM_DATA_DIR=str(folder / "data"))
        done = subprocess.run(
            smecmm(*args), cwd=folder, env=env, capture_output=True, text=True,
            timeout=timeout_s, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"smecmm {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout


def missing_binaries() -> list[str]:
    """The servers this machine lacks, each with its install hint."""
    missing = []
    if find_bin_dir() is None:
        missing.append("PostgreSQL (apt-get install postgresql)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server (apt-get install redis-server)")
    if chroma_binary() is None:
        missing.append("chroma (pip install chromadb)")
    return missing


def _start_services(stack: ExitStack, root: Path) -> Services:
    """PostgreSQL, Redis, S3 and Chroma, started side by side; each stopped when ``stack``
    closes. The first failure is raised once all have finished starting."""
    binary = chroma_binary()
    if binary is None:
        raise ChromaUnavailable("chroma not found: pip install chromadb")
    chroma = ChromaServer(binary, root / "chroma")
    chroma.root.mkdir(parents=True)
    stack.callback(chroma.stop)
    with ThreadPoolExecutor(4, thread_name_prefix="start") as pool:
        postgres = pool.submit(start_postgres)
        redis = pool.submit(start_redis)
        s3 = pool.submit(start_s3)
        chroma_started = pool.submit(chroma.start)
    if postgres.exception() is None:
        stack.callback(postgres.result().remove)
        stack.callback(postgres.result().stop)
    for started in (redis, s3):
        if started.exception() is None:
            stack.callback(started.result().remove)
    for future in (postgres, redis, s3, chroma_started):
        future.result()  # raises the failure, if any
    return Services(postgres.result(), redis.result(), s3.result(), chroma)


@contextmanager
def running_topology(
    root: Path, settings: Mapping[str, str], *, workers: int = 2
) -> Iterator[Topology]:
    """Start the shared services, then make ``workers`` app workers (not started: build the
    index first, then ``start`` and ``wait_ready`` them)."""
    with ExitStack() as stack:
        services = _start_services(stack, root)
        database_url = services.postgres.create_database()
        s3 = services.s3
        shared = {
            "SMECMM_DATABASE_URL": database_url,
            "SMECMM_REDIS_URL": services.redis.url,
            "SMECMM_CHROMA_URL": services.chroma.url,
            **s3.env(s3.make_bucket()),
            **settings,
        }
        topology = Topology(root, services, database_url, shared, [])
        for n in range(workers):
            name = "ab"[n] if n < 2 else str(n)
            worker = AppWorker(name, topology.env(), topology.data_dir(f"worker-{name}"))
            stack.callback(worker.stop)
            topology.workers.append(worker)
        yield topology


def topology_fixture(root: Path, settings: Mapping[str, str]) -> Iterator[Topology]:
    """Body of a pytest fixture: skip only when a server binary is missing here (and fail
    under CI, where the Makefile installs them and a skip would hide a missing step)."""
    if os.environ.get(PG_SKIP_ENV) == "1":
        pytest.skip(f"{PG_SKIP_ENV}=1: PostgreSQL tests skipped")
    missing = missing_binaries()
    if missing:
        message = f"not installed: {', '.join(missing)} (`make test` installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with ExitStack() as stack:
        try:
            topology = stack.enter_context(running_topology(root, settings))
        except (PostgresUnavailable, RedisUnavailable, S3Unavailable, ChromaUnavailable) as error:
            pytest.fail(str(error), pytrace=False)
        yield topology
