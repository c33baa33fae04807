"""/ask latency over the held-out questions, server side (the index opened beforehand).

    python -m tests.benchmarks.ask_benchmark [--questions FILE]      (also run by `make bench`)

Two ways, one pass after the other, on one answerer as a server has (one embedding engine per
process: two engines in one process take the cores from each other), its query cache cleared
between the passes so the second is not flattered. One warm-up question each, left out of the
figures:

1. the answerer called directly (``open_answerer``, as the API and CLI build it);
2. ``POST /api/v1/ask`` through the FastAPI TestClient, the app built as tests/api/conftest.py
   builds it (real catalog, rules and SQLite store, rate limits off) with the real answerer:
   as the client sees it, and as the server spent it (its ``Server-Timing`` header; the rest
   is the TestClient's thread hand-offs).

The index is the one of the default settings (``var/index``; built first when missing).
Only timings are printed, never a question.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from api import create_app
from assistant.evidence import FileBlobStore
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.qa.evaluate import DEFAULT_QUESTIONS, WARM_UP, load_questions, percentile
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.runtime import open_answerer, open_index
from assistant.settings import Settings, get_settings
from assistant.storage.sql import SqlSessionStore
from tests.utils.api import FakeMaintenance, write_web_dir


def timed(
    questions: Sequence[str], calls: Sequence[Callable[[str], object]], forget: Callable[[], None]
) -> list[list[float]]:
    """Per call, the milliseconds of each question; one call's pass after the other's, with
    ``forget`` (the cache) before each."""
    latencies: list[list[float]] = []
    for call in calls:
        forget()
        call(WARM_UP)
        spent = []
        for question in questions:
            started = time.perf_counter()
            call(question)
            spent.append((time.perf_counter() - started) * 1000)
        latencies.append(spent)
    return latencies


@contextmanager
def api_client(root: Path, answerer: QuestionAnswerer) -> Iterator[TestClient]:
    """The app of tests/api/conftest.py, the real answerer in place of the fake."""
    settings = Settings.model_validate(
        {
            "data_dir": root / "data",
            "web_dir": write_web_dir(root / "web"),
            "rate_limit_per_minute": 0,
            "site_rate_limit_per_minute": 0,
        }
    )
    rules_dir = default_knowledge_dir() / "rules"
    catalog = load_catalog(rules_dir)
    store = SqlSessionStore(f"sqlite:///{root / 'assistant.db'}")
    desk = UploadDesk(catalog, FileBlobStore(root / "evidence"), max_bytes=1024 * 1024)
    service = InterviewService(catalog, load_rules(rules_dir), store, desk=desk)
    app = create_app(settings, service=service, answerer=answerer, maintenance=FakeMaintenance())
    try:
        with TestClient(app) as client:
            yield client
    finally:
        store.close()


def post_ask(client: TestClient, server_ms: list[float]) -> Callable[[str], object]:
    """``POST /api/v1/ask``; the server's own time (``Server-Timing``) goes to ``server_ms``."""

    def ask(question: str) -> object:
        response = client.post("/api/v1/ask", json={"question": question})
        response.raise_for_status()
        server_ms.append(float(response.headers["Server-Timing"].partition(";dur=")[2]))
        return response.json()

    return ask


def line(name: str, latencies: Sequence[float]) -> str:
    return (
        f"{name:34s} n {len(latencies):4d}   p50 {statistics.median(latencies):7.1f} ms"
        f"   p95 {percentile(latencies, 0.95):7.1f} ms   max {max(latencies):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="/ask latency over the held-out questions")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    args = parser.parse_args()
    questions = [q.question for q in load_questions(args.questions)]
    settings = get_settings()
    print(f"{len(questions)} questions; index {settings.index_dir}")  # noqa: T201
    index = open_index(settings)[0]
    answerer = open_answerer(settings, index)
    server_ms: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, api_client(Path(tmp), answerer) as client:
        calls = [answerer.ask, post_ask(client, server_ms)]
        latencies = timed(questions, calls, index.searcher.clear_cache)
    names = ("answerer.ask (direct)", "POST /api/v1/ask (TestClient)")
    for name, spent in zip(names, latencies, strict=True):
        print(line(name, spent))  # noqa: T201
    print(line("POST /api/v1/ask, server side", server_ms[1:]))  # noqa: T201 (no warm-up)


if __name__ == "__main__":
    main()
