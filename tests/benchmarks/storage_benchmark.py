"""Turn write latency of the session store: SQLite file and a real PostgreSQL server.

    python -m tests.benchmarks.storage_benchmark [--turns 300]

Each turn is what the interview writes after an answer: the session state, a reply of about
5 KB of JSON (Chinese text, a checklist question with quick replies, proposed findings,
citations), 1–3 finding changes (so the current findings grow towards the whole catalog),
and, every tenth turn, the rating of the real catalog (~40 KB of JSON) as when the user asks
for it. Latencies are of ``commit_turn`` alone and of the ``get`` that precedes it.
PostgreSQL runs on this machine with fsync on (tests/utils/postgres.py); SQLite runs with the
store's settings (WAL, synchronous=FULL) and, for comparison, with synchronous=NORMAL.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.rating import Finding, RatingResult, rate
from assistant.session.models import ProposedFinding, Reply, UserTurn
from assistant.storage import InMemorySessionStore, SessionRecord, SessionStore
from assistant.storage.sql import SqlSessionStore
from tests.utils.postgres import running_postgres
from tests.utils.sessions import T0, at, change, citation, new_session, next_turn, recorded, reply

STATUSES = (FindingStatus.MET, FindingStatus.LARGELY_MET, FindingStatus.PARTLY_MET)
RATING_EVERY = 10
ANSWER_TEXT = (
    "我们机构自 2023 年起建立了统一的服务台账，按月汇总服务对象、服务内容、服务时长和企业"
    "反馈，台账由运营部专人维护，每季度形成分析报告报送理事会。"
) * 14


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Figures:
    backend: str
    get_ms: list[float]
    commit_ms: list[float]
    rated_ms: list[float]

    def row(self) -> str:
        return (
            f"{self.backend:24s} {statistics.median(self.get_ms):7.2f} "
            f"{statistics.median(self.commit_ms):8.2f} {percentile(self.commit_ms, 0.95):8.2f} "
            f"{max(self.commit_ms):8.2f} {statistics.median(self.rated_ms):11.2f}"
        )


def realistic_reply(session_id: str, ids: Sequence[str], answered: int) -> Reply:
    proposals = tuple(
        ProposedFinding(
            indicator_id=i,
            status=FindingStatus.LARGELY_MET,
            confidence=0.72,
            rationale="您提到台账按月汇总并每季度分析，但 2024 年上半年的记录不完整。",
            operating_months=24,
        )
        for i in ids[:2]
    )
    return reply(
        session_id,
        "已记录您的回答。\n\n" + ANSWER_TEXT,
        answered=answered,
        ask=tuple(ids[:4]),
        proposed=proposals,
        citations=(citation("6.4.3"), citation("6.4.4")),
    )


def turn_writer(catalog: Catalog, rules: RuleSet) -> Callable[[SessionRecord, int], Any]:
    ids = [indicator.id for indicator in catalog.indicators]

    def next_write(session: SessionRecord, n: int) -> tuple[Any, ...]:
        touched = [ids[(3 * n + k) % len(ids)] for k in range(1 + n % 3)]
        findings = dict(session.findings)
        changes = []
        for k, indicator_id in enumerate(touched):
            status = STATUSES[(n + k) % len(STATUSES)]
            before = findings.get(indicator_id)
            findings[indicator_id] = recorded(indicator_id, status, when=at(n), reason=f"第 {n} 题")
            changes.append(change(indicator_id, before.status if before else None, status))
        rating: RatingResult | None = None
        if n % RATING_EVERY == 0:
            rated = [
                Finding(indicator_id=f.indicator_id, status=f.status) for f in findings.values()
            ]
            rating = rate(catalog, rules, rated, T0.date())
        updated, turn = next_turn(
            session, findings=findings, user=UserTurn(text=ANSWER_TEXT[:300]), rating=rating
        )
        big = realistic_reply(session.id, touched + ids[:4], len(findings))
        turn = turn.model_copy(update={"reply": big.model_copy(update={"rating": rating})})
        return updated, turn, changes, rating

    return next_write


def measure(
    name: str, store: SessionStore, turns: int, catalog: Catalog, rules: RuleSet
) -> Figures:
    write = turn_writer(catalog, rules)
    session, greeting = new_session(f"bench-{name}")
    store.create(session, greeting)
    figures = Figures(name, [], [], [])
    for n in range(1, turns + 1):
        started = time.perf_counter()
        session = store.get(session.id)
        figures.get_ms.append((time.perf_counter() - started) * 1000)
        updated, turn, changes, rating = write(session, n)
        started = time.perf_counter()
        session = store.commit_turn(updated, turn, changes=changes, rating=rating)
        elapsed = (time.perf_counter() - started) * 1000
        (figures.commit_ms if rating is None else figures.rated_ms).append(elapsed)
    return figures


def sqlite_store(path: Path, synchronous: str) -> SqlSessionStore:
    store = SqlSessionStore(f"sqlite:///{path}")
    if synchronous != "FULL":
        store.engine.dispose()

        def relax(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")

        sa.event.listen(store.engine, "connect", relax)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300)
    turns = parser.parse_args().turns
    rules_dir = default_knowledge_dir() / "rules"
    catalog, rules = load_catalog(rules_dir), load_rules(rules_dir)
    sample = realistic_reply("x" * 32, [i.id for i in catalog.indicators[:4]], 40)
    size = len(json.dumps(sample.model_dump(mode="json"), ensure_ascii=False).encode())
    print(f"{turns} turns; reply JSON {size / 1024:.1f} KB; a rating every {RATING_EVERY} turns")
    heads = ("get p50", "turn p50", "p95", "max", "+rating p50")
    widths = (7, 8, 8, 8, 11)
    print(f"{'backend':24s} " + " ".join(f"{h:>{w}s}" for h, w in zip(heads, widths, strict=True)))
    print(f"{'':24s} " + " ".join(f"{'ms':>{w}s}" for w in widths))
    results = [measure("memory (fake)", InMemorySessionStore(), turns, catalog, rules)]
    with tempfile.TemporaryDirectory() as tmp:
        for sync in ("FULL", "NORMAL"):
            store = sqlite_store(Path(tmp) / f"{sync}.db", sync)
            results.append(measure(f"sqlite WAL sync={sync}", store, turns, catalog, rules))
            store.close()
    with running_postgres() as server:
        store = SqlSessionStore(server.create_database())
        results.append(measure("postgresql 15 (local)", store, turns, catalog, rules))
        store.close()
    for figures in results:
        print(figures.row())


if __name__ == "__main__":
    main()
