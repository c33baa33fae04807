"""Two ``smecmm serve`` workers behind a round-robin proxy share everything through the real
services of docs/deploy.md: PostgreSQL, Redis, a Chroma server and an S3 store, on loopback.

Scripted applicants answer and upload through the proxy, one turn on one worker and the next
on the other. Midway one worker is SIGKILLed while it holds a request, and restarted; later an
admin ingests a document through the other, and the restarted one must answer from it within
seconds. The applicants never stop meanwhile. Afterwards every answer, link and upload the
API confirmed is read back through each worker, the evidence bytes from the store; and a rate
limit reached through both workers is reached once.

Each worker has a data directory of its own but for the shared ``documents/`` (the one volume
the workers share): nothing else may reach another worker through a disk. The embedder is the
"fake" one (character n-grams) and every question counts as covered: this test is about
shared state, and the default model takes minutes of CPU to build the index.
Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest

from assistant.cli.key_commands import issue_key
from assistant.interview.runtime import open_blobs
from assistant.settings import Settings
from assistant.storage import KeyRole
from assistant.storage.sql import SqlSessionStore
from tests.topology.applicants import Applicant, Interview, address_headers
from tests.utils.topology import (
    AppWorker,
    RoundRobin,
    Tally,
    Topology,
    topology_fixture,
    wait_until,
)

API = "/api/v1"
RATE_LIMIT = 30  # per client address and minute, counted in Redis for every worker
SETTINGS = {
    "SMECMM_EMBEDDING_MODEL": "fake",
    "SMECMM_EMBEDDING_THREADS": "1",
    "SMECMM_RELEVANCE_FLOOR_ZH": "0",  # fake vectors say nothing about relevance
    "SMECMM_RELEVANCE_MARGIN": "1",
    "SMECMM_INDEX_CHECK_SECONDS": "1",
    "SMECMM_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
    "SMECMM_SITE_RATE_LIMIT_PER_MINUTE": "0",
    "SMECMM_DOCUMENT_PARSERS": "1",
    "SMECMM_MAX_UPLOAD_MB": "2",
    "SMECMM_TRUSTED_PROXIES": "127.0.0.1",
}
APPLICANTS = 4
PACE_S = 0.6  # between an applicant's turns: the traffic must leave the restart some CPU
MAX_TURNS = 400  # per applicant: a bound should the phases below not end
BEFORE_KILL = 30  # confirmed turns in all
AFTER_RESTART = 12  # responses from the restarted worker before the reindex
PHASE_S = 180.0  # the bound on each phase (a loaded 2-core machine needs ~60 s at most)
DOCUMENT = """# 中小企业服务 服务机构 通用能力成熟度模型（正式文本）

## 6.3 服务平台与信息化

机构应建立覆盖服务受理、办理、回访全过程的服务平台，并保存服务记录不少于七年。
"""
QUESTION = "服务记录要保存多少年？"
NEW_WORDS = "七年"  # only the ingested document says it


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    yield from topology_fixture(tmp_path_factory.mktemp("topology"), SETTINGS)


class Stopwatch:
    """How long each phase took, printed with the figures."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.monotonic()

    def lap(self, name: str) -> float:
        now = time.monotonic()
        self.laps[name] = round(now - self._last, 1)
        self._last = now
        print(f"[topology] {name}: {self.laps[name]} s", flush=True)
        return self.laps[name]


@dataclass
class Traffic:
    applicants: list[Applicant]
    futures: list[Future[None]]
    tally: Tally

    def confirmed(self) -> int:
        self.raise_failures()
        return sum(a.turns_confirmed for a in self.applicants)

    def served_by(self, worker: AppWorker) -> int:
        self.raise_failures()
        return self.tally.served.get(worker.name, 0)

    def raise_failures(self) -> None:
        for future in self.futures:
            if future.done():
                future.result()  # an applicant's thread ended early: show why

    def interviews(self) -> list[Interview]:
        return [i for a in self.applicants for i in a.interviews]

    def snapshot(self) -> tuple[int, int, int, int]:
        """Turns sent, confirmed and cut; connections refused."""
        applicants = self.applicants
        return (
            sum(a.turns_sent for a in applicants),
            sum(a.turns_confirmed for a in applicants),
            sum(a.turns_cut for a in applicants),
            self.tally.refused,
        )


@dataclass
class Figures:
    """While the killed worker was down and starting again; the reindex's reach."""

    down: tuple[int, ...] = (0, 0, 0, 0)  # turns sent, confirmed, cut; connections refused
    restart_s: float = 0.0
    ingest_s: float = 0.0
    follow_s: float = 0.0


def test_two_workers_lose_nothing_when_one_is_killed(topology: Topology) -> None:
    watch = Stopwatch()
    topology.run_cli("index")  # built once into the Chroma server, before any worker starts
    watch.lap("index")
    admin = _admin_key(topology)
    for worker in topology.workers:
        worker.start()
    for worker in topology.workers:
        worker.wait_ready()
    watch.lap("workers")

    tally = Tally()
    proxy = RoundRobin(topology.workers, tally)
    stop = threading.Event()
    applicants = [Applicant(n, proxy, stop, PACE_S) for n in range(APPLICANTS)]
    figures = Figures()
    with ThreadPoolExecutor(APPLICANTS, thread_name_prefix="applicant") as pool:
        futures = [pool.submit(a.run, MAX_TURNS) for a in applicants]
        traffic = Traffic(applicants, futures, tally)
        try:
            _kill_and_restart(traffic, topology.workers[1], figures)
            watch.lap("kill and restart")
            _reindex_through(topology.workers[0], topology.workers[1], proxy, admin, figures)
            watch.lap("reindex")
        finally:
            stop.set()
        for future in futures:
            future.result(timeout=PHASE_S)
    proxy.close()

    refusals = [r for a in applicants for r in a.refusals]
    lost = _lost_answers(topology, traffic.interviews())
    watch.lap("read back")
    _report(traffic, figures, lost)
    _check_rate_limit_is_shared(topology.workers)
    watch.lap("rate limit")
    assert lost == [], f"{len(lost)} confirmed answers or uploads lost: {lost[:10]}"
    assert refusals == []
    errors = tally.server_errors
    assert errors == [], f"{len(errors)} 5xx {tally.errors_by_phase}, first: {errors[:3]}"


def _admin_key(topology: Topology) -> str:
    store = SqlSessionStore(topology.database_url)
    try:
        key, _ = issue_key(store, KeyRole.ADMIN, label="拓扑测试 / topology test")
    finally:
        store.close()
    return key


def _kill_and_restart(traffic: Traffic, victim: AppWorker, figures: Figures) -> None:
    """Once the traffic is under way, SIGKILL ``victim`` while it holds a request, restart it
    at once, and wait until it has served a few."""
    traffic.tally.phase = "before the kill"
    wait_until(lambda: traffic.confirmed() >= BEFORE_KILL, PHASE_S, "turns before the kill")
    _wait_for_a_request_on(victim, traffic.tally)
    before = traffic.snapshot()
    started = time.monotonic()
    traffic.tally.phase = "killed and restarting"
    victim.kill()
    victim.start()
    victim.wait_ready()
    figures.restart_s = time.monotonic() - started
    figures.down = tuple(b - a for a, b in zip(before, traffic.snapshot(), strict=True))
    traffic.tally.phase = "after the restart"
    served = traffic.served_by(victim)
    wait_until(
        lambda: traffic.served_by(victim) >= served + AFTER_RESTART,
        PHASE_S,
        "turns through the restarted worker",
    )


def _wait_for_a_request_on(victim: AppWorker, tally: Tally) -> None:
    """Until the victim holds an upload (read in a child process: the longest request), or at
    least some request; then a moment, so that the request has reached it."""
    upload = f"{victim.name} POST evidence"
    try:
        wait_until(lambda: tally.in_flight.get(upload, 0) > 0, 10, "an upload on it", 0.01)
    except TimeoutError:
        wait_until(lambda: tally.in_flight.get(victim.name, 0) > 0, 10, "a request on it", 0.01)
    time.sleep(0.1)


def _ask(proxy: RoundRobin, worker: AppWorker) -> str:
    """The cited texts of the worker's answer to ``QUESTION`` (its 5xx go to the tally)."""
    response = proxy.send_to(
        worker, "POST", f"{API}/ask", json={"question": QUESTION}, headers=address_headers()
    )
    assert isinstance(response, httpx.Response), f"worker {worker.name} did not answer /ask"
    assert response.status_code == 200, response.text
    return " ".join(citation["text"] for citation in response.json()["citations"])


def _reindex_through(
    admin_worker: AppWorker, other: AppWorker, proxy: RoundRobin, admin: str, figures: Figures
) -> None:
    """An official document ingested through one worker (which reindexes and stamps the
    database) is cited by the other after its next look at the stamp."""
    assert NEW_WORDS not in _ask(proxy, other)
    proxy.tally.phase = "reindex"
    started = time.monotonic()
    ingested = httpx.post(
        f"{admin_worker.url}{API}/admin/documents",
        files={"file": ("正式文本.md", DOCUMENT.encode())},
        headers={"X-API-Key": admin, **address_headers()},
        timeout=PHASE_S,
    )
    assert ingested.status_code == 201, ingested.text
    figures.ingest_s = time.monotonic() - started
    started = time.monotonic()
    wait_until(lambda: NEW_WORDS in _ask(proxy, other), PHASE_S, "the reindex on the other", 0.5)
    figures.follow_s = time.monotonic() - started
    proxy.tally.phase = "after the reindex"


def _read(worker: AppWorker, path: str, auth: dict[str, str]) -> httpx.Response:
    return httpx.get(worker.url + path, headers={**auth, **address_headers()}, timeout=30)


def _lost_answers(topology: Topology, interviews: Sequence[Interview]) -> list[str]:
    """Every confirmed answer, link and upload, looked for through each worker; the uploaded
    bytes read from the evidence store."""
    lost: list[str] = []
    for worker in topology.workers:
        for interview in interviews:
            lost += _lost_in(worker, interview)
    blobs = open_blobs(_settings_of(topology))
    for interview in interviews:
        for upload in interview.uploads:
            if blobs.read(upload.sha256) != upload.data:
                lost.append(f"{upload.evidence_id}: the stored bytes differ")
    return lost


def _lost_in(worker: AppWorker, interview: Interview) -> list[str]:
    response = _read(worker, f"{API}/sessions/{interview.id}", interview.auth)
    where = f"{worker.name} {interview.id}"
    if response.status_code != 200:
        return [f"{where}: {response.status_code} {response.text[:200]}"]
    view = response.json()
    recorded = {i: f["status"] for i, f in view["findings"].items()}
    lost = [
        f"{where} {indicator}: {status} → {recorded.get(indicator)}"
        for indicator, status in interview.findings.items()
        if recorded.get(indicator) != status
    ]
    evidence = {record["id"]: record for record in view["evidence"]}
    for upload in interview.uploads:
        record = evidence.get(upload.evidence_id)
        if record is None or record["sha256"] != upload.sha256:
            lost.append(f"{where} upload {upload.evidence_id}")
    for evidence_id, indicators in interview.links.items():
        linked = set(evidence.get(evidence_id, {}).get("indicator_ids", ()))
        if not indicators <= linked:
            lost.append(f"{where} links of {evidence_id}: {sorted(indicators - linked)}")
    return lost


def _settings_of(topology: Topology) -> Settings:
    values = {
        key.removeprefix("SMECMM_").lower(): value
        for key, value in topology.settings.items()
        if key.startswith("SMECMM_")
    }
    return Settings.model_validate({**values, "data_dir": topology.root / "reader"})


def _check_rate_limit_is_shared(workers: Sequence[AppWorker]) -> None:
    """One address, requests alternating between the workers: refused after about
    ``RATE_LIMIT`` in all (each worker counting alone would allow twice as many), and then
    refused by both."""
    address = {"X-Forwarded-For": "198.51.100.7"}
    bound = RATE_LIMIT * 3 // 2
    with httpx.Client(timeout=30) as client:
        for n in range(bound):
            worker = workers[n % len(workers)]
            response = client.get(f"{worker.url}{API}/vocabulary", headers=address)
            if response.status_code == 429:
                break
        else:
            raise AssertionError(f"no 429 after {bound} requests: the counts are not shared")
        other = workers[(n + 1) % len(workers)]
        again = client.get(f"{other.url}{API}/vocabulary", headers=address)
    assert response.headers["Retry-After"]
    assert again.status_code == 429, "the other worker did not count the same requests"


def _report(traffic: Traffic, figures: Figures, lost: list[str]) -> None:
    tally = traffic.tally
    sent, confirmed, cut, _ = traffic.snapshot()
    applicants = traffic.applicants
    uploads = sum(len(i.uploads) for i in traffic.interviews())
    down_sent, down_confirmed, down_cut, down_refused = figures.down
    print(
        f"\ntopology: {APPLICANTS} applicants, {len(traffic.interviews())} interviews; "
        f"turns sent {sent}, confirmed {confirmed}, cut {cut}, lost {len(lost)}; uploads "
        f"confirmed {uploads} of {sum(a.uploads_sent for a in applicants)} sent; requests "
        f"{tally.sent}, statuses {dict(sorted(tally.responses.items()))}, by worker "
        f"{dict(sorted(tally.served.items()))}, 5xx {tally.errors_by_phase}, connections "
        f"refused {tally.refused}\n"
        f"kill to ready again ({figures.restart_s:.1f} s): turns sent {down_sent}, confirmed "
        f"{down_confirmed}, cut by the kill {down_cut}, connections refused and sent to the "
        f"other worker {down_refused}\n"
        f"reindex: ingest through one worker {figures.ingest_s:.1f} s, then cited by the other "
        f"after {figures.follow_s:.1f} s"
    )
