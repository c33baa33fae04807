"""Time and memory of the association's dashboard and its Excel export over many sessions.

    python -m tests.benchmarks.dashboard_benchmark [--sessions 5000] [--db FILE]

The sessions go into a SQLite file through the store's own ``create`` and ``commit_turn``:
each has a profile (one of the three institution types or none), 30 to all 128 findings of
the real catalog and the rating of those findings by the real engine (40 rating templates,
reused), a quarter of them signed off; created over 18 months. Then, once without and once
under ``tracemalloc`` (for the peak of Python allocations): the dashboard JSON
(``from_store``) with no cache and again with every rating cached (as when a page asks for
the counts and then its charts), one chart, and the Excel export (its memory as the growth of
the process's peak RSS: tracing it would take too long). The dashboard is also measured at a
fifth of the sessions: streamed, its peak should hardly grow with their number.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from assistant.dashboard import chart, export_xlsx, from_store
from assistant.dashboard.stats import ContributionCache
from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.schema import Catalog, FindingStatus, InstitutionType, RuleSet
from assistant.rating import Finding, RatingResult, rate
from assistant.session.models import Profile
from assistant.session.state import Stage
from assistant.storage import SessionStore
from assistant.storage.sql import SqlSessionStore
from tests.unit.dashboard.builders import AS_OF, sign
from tests.utils.sessions import new_session, next_turn, recorded

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
TEMPLATES = 40
_STATUSES = (
    FindingStatus.MET,
    FindingStatus.LARGELY_MET,
    FindingStatus.PARTLY_MET,
    FindingStatus.NOT_MET,
)
_TYPES = (*InstitutionType, None)

Template = tuple[dict[str, FindingStatus], RatingResult]


def templates(catalog: Catalog, rules: RuleSet, rng: random.Random) -> list[Template]:
    made = []
    ids = [i.id for i in catalog.indicators]
    for _ in range(TEMPLATES):
        answered = ids[: rng.randrange(30, len(ids) + 1)]
        weights = (rng.random() * 8, 2, 1, 1)
        statuses = dict(
            zip(answered, rng.choices(_STATUSES, weights, k=len(answered)), strict=True)
        )
        confirmed = rng.random()  # assessor-confirmed findings need no evidence
        findings = [
            Finding(indicator_id=k, status=v, assessor_confirmed=rng.random() < confirmed)
            for k, v in statuses.items()
        ]
        made.append((statuses, rate(catalog, rules, findings, AS_OF)))
    return made


def populate(store: SessionStore, made: list[Template], numbers: range, rng: random.Random) -> None:
    for n in numbers:
        statuses, rating = made[n % len(made)]
        created = START + timedelta(days=rng.randrange(0, 540), minutes=n)
        session, greeting = new_session(f"s{n:06d}", created=created)
        store.create(session, greeting)
        profile = Profile(name=f"第{n}号中小企业服务机构", institution_type=rng.choice(_TYPES))
        state = session.state.model_copy(update={"profile": profile, "stage": Stage.INDICATORS})
        when = created + timedelta(hours=1)
        findings = {k: recorded(k, v, when=when, reason="按台账核对") for k, v in statuses.items()}
        updated, turn = next_turn(session, findings=findings, state=state, when=when, rating=rating)
        store.commit_turn(updated, turn, rating=rating)
        if n % 4 == 0:
            sign(store, session.id, rating, by="评估机构甲")


def measure(label: str, work: Callable[[], Any], *, traced: bool = True) -> Any:
    """Time ``work``; then run it again under tracemalloc for its peak of Python allocations
    (``traced=False``: the growth of the process's peak RSS instead, for work too long to
    trace twice)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    if traced:
        tracemalloc.start()
        work()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = f"peak {peak / 2**20:7.1f} MiB"
    else:
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        memory = f"max RSS +{grown / 1024:6.1f} MiB"
    print(f"{label:38s} {seconds:8.2f} s   {memory}")  # noqa: T201
    return result


def run(count: int, db: Path) -> None:
    rules_dir = default_knowledge_dir() / "rules"
    catalog, rules = load_catalog(rules_dir), load_rules(rules_dir)
    made = templates(catalog, rules, random.Random(15))
    reuse = db.exists()
    store = SqlSessionStore(f"sqlite:///{db}")
    print(f"{'':38s} {'time':>8s}     memory")  # noqa: T201
    if not reuse:
        rng = random.Random(count)
        small = max(1, count // 5)
        started = time.perf_counter()
        populate(store, made, range(small), rng)
        measure(f"dashboard JSON, {small} sessions", lambda: from_store(store, catalog))
        populate(store, made, range(small, count), rng)
        print(f"(populated {count} sessions in {time.perf_counter() - started:.0f} s)")  # noqa: T201
    board = measure(
        f"dashboard JSON, {board_size(store)} sessions", lambda: from_store(store, catalog)
    )
    warm = ContributionCache()
    measure(
        "  again, filling a rating cache",
        lambda: from_store(store, catalog, cache=warm),
        traced=False,
    )
    measure("  again, ratings cached", lambda: from_store(store, catalog, cache=warm))
    measure("stars chart (SVG, from the JSON)", lambda: chart("stars", board, "zh"))
    data = measure(
        "Excel export, ratings cached",
        lambda: export_xlsx(store, catalog, cache=warm),
        traced=False,
    )
    print(  # noqa: T201
        f"workbook {len(data) / 2**20:.1f} MiB; {board.totals.sessions} applications, "
        f"{board.totals.signed} signed; evidenced stars {list(board.stars.evidenced)}"
    )
    store.close()


def board_size(store: SessionStore) -> int:
    return sum(1 for _ in store.all_summaries())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument(
        "--db", type=Path, help="keep the SQLite file here; an existing one is measured as is"
    )
    args = parser.parse_args()
    if args.db:
        run(args.sessions, args.db)
        return
    with tempfile.TemporaryDirectory() as folder:
        run(args.sessions, Path(folder) / "dashboard.db")


if __name__ == "__main__":
    main()
