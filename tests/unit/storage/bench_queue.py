"""How long the assessor queue takes on a large store (not a test: run it by hand).

    PYTHONPATH=. python -m tests.unit.storage.bench_queue [sessions] [sqlite|postgresql]

Fills a new SQLite file (or a database of a throwaway PostgreSQL server) with ``sessions``
sessions, a tenth of them signed, written straight as rows; then times each query of the
queue (median of 20 runs) and a full ``all_summaries`` pass.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from assistant.assessment.models import SessionQuery
from assistant.knowledge.schema import InstitutionType
from assistant.storage.sql import SqlSessionStore
from assistant.storage.tables import sessions, signoffs
from tests.unit.storage.assessment_builders import assessed, signoff
from tests.utils.postgres import running_postgres
from tests.utils.sessions import at

QUERIES = {
    "first page": SessionQuery(),
    "declared 3": SessionQuery(declared_stars=3),
    "signed": SessionQuery(signed=True),
    "market, not signed": SessionQuery(institution_type=InstitutionType.MARKET, signed=False),
    "one week": SessionQuery(updated_from=date(2026, 4, 1), updated_to=date(2026, 4, 7)),
    "text 示例 page 20": SessionQuery(text="示例", offset=1000),
}


def fill(store: SqlSessionStore, count: int) -> None:
    assessed(store, "template")
    store.add_signoff(signoff(store, "template"))
    with store.engine.begin() as conn:
        session = dict(conn.execute(sa.select(sessions)).one()._mapping)
        signed = dict(conn.execute(sa.select(signoffs)).one()._mapping)
        kinds = [k.value for k in InstitutionType]
        batch = []
        for n in range(count):
            batch.append(
                {
                    **session,
                    "id": f"{n:032x}",
                    "institution": f"示例机构 {n}" if n % 3 else f"Market {n}",
                    "institution_type": kinds[n % 3],
                    "declared_stars": n % 6,
                    "evidenced_stars": n % 4,
                    "updated_at": at(n * 7),
                }
            )
        conn.execute(sa.insert(sessions), batch)
        conn.execute(
            sa.insert(signoffs),
            [{**signed, "session_id": f"{n:032x}"} for n in range(0, count, 10)],
        )


def median_ms(run: Callable[[], object], times: int = 20) -> float:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent) * 1000


def run(url: str, count: int) -> None:
    store = SqlSessionStore(url)
    fill(store, count)
    print(f"{count} sessions, {store.engine.dialect.name}")
    for name, query in QUERIES.items():
        page, total = store.query_sessions(query)
        spent = median_ms(lambda q=query: store.query_sessions(q))  # type: ignore[misc]
        print(f"  {name:<22} {total:>7} found, page of {len(page):>3}: {spent:7.1f} ms")
    start = time.perf_counter()
    streamed = sum(1 for _ in store.all_summaries())
    print(f"  all_summaries: {streamed} in {time.perf_counter() - start:.2f} s")
    store.close()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    if sys.argv[2:] == ["postgresql"]:
        with running_postgres() as server:
            run(server.create_database(), count)
        return
    with tempfile.TemporaryDirectory() as work:
        run(f"sqlite:///{Path(work) / 'q.db'}", count)


if __name__ == "__main__":
    main()
