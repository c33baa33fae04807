"""``query_sessions`` on every backend: each filter, their combinations and the paging give
exactly what a brute-force filter of all sessions gives, in the queue's order, with the
total; a text search takes LIKE's wildcards literally."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.assessment.models import SessionQuery
from assistant.knowledge.schema import InstitutionType
from assistant.session.state import Stage
from assistant.storage.base import SessionSummary
from tests.unit.storage.assessment_builders import ASSESSOR, assessed, signoff
from tests.unit.storage.conftest import Store
from tests.utils.sessions import at

DAY = 24 * 60
PUBLIC, MARKET, NONPROFIT = InstitutionType

# id, name, type, stars (declared, evidenced) or None, stage, day of the last turn
POPULATION = (
    ("s-a01", "深圳市示例中小企业服务中心", PUBLIC, (3, 2), Stage.INDICATORS, 1),
    ("s-a02", "广州 100% 服务站", MARKET, (2, 2), Stage.DONE, 2),
    ("s-a03", "Alpha_Beta 孵化器", NONPROFIT, (5, 4), Stage.DONE, 2),
    ("s-a04", "AlphaXBeta 创业园", MARKET, (1, 0), Stage.INDICATORS, 3),
    ("s-a05", "alpha beta consulting", None, None, Stage.PROFILE, 4),
    ("s-a06", None, None, None, Stage.PROFILE, 5),
    ("s-a07", "示例!转义 中心", PUBLIC, (3, 3), Stage.DONE, 6),
    ("s-a08", "杭州示例服务中心", PUBLIC, (4, 2), Stage.DONE, 6),
    ("s-b09", "成都中小企业之家", NONPROFIT, (0, 0), Stage.INDICATORS, 8),
    ("s-b10", "苏州 50%_off 服务", MARKET, (3, 2), Stage.DONE, 9),
)
SIGNED = ("s-a02", "s-a03", "s-a08", "s-b10")  # s-b10 is reopened: not locked
QUERIES = (
    SessionQuery(),
    SessionQuery(declared_stars=3),
    SessionQuery(evidenced_stars=2),
    SessionQuery(evidenced_stars=0),
    SessionQuery(signed=True),
    SessionQuery(signed=False),
    SessionQuery(stage="done"),
    SessionQuery(stage="profile"),
    SessionQuery(institution_type=PUBLIC),
    SessionQuery(institution_type=MARKET, signed=False),
    SessionQuery(updated_from=date(2026, 3, 4)),
    SessionQuery(updated_to=date(2026, 3, 4)),
    SessionQuery(updated_from=date(2026, 3, 4), updated_to=date(2026, 3, 8)),
    SessionQuery(updated_from=date(2026, 3, 7), updated_to=date(2026, 3, 7)),
    SessionQuery(text="示例"),
    SessionQuery(text="%"),
    SessionQuery(text="_"),
    SessionQuery(text="!"),
    SessionQuery(text="alpha"),
    SessionQuery(text="ALPHA_"),
    SessionQuery(text="s-b"),
    SessionQuery(text="无此机构"),
    SessionQuery(text=""),
    SessionQuery(stage="done", declared_stars=3, institution_type=MARKET, text="服务"),
    SessionQuery(signed=True, updated_from=date(2026, 3, 5), evidenced_stars=2),
)


def populate(store: Store) -> None:
    for sid, name, kind, stars, stage, day in POPULATION:
        assessed(store, sid, name=name, kind=kind, stars=stars, stage=stage, when=at(day * DAY))
    for sid in SIGNED:
        store.add_signoff(signoff(store, sid))
    store.reopen_signoff("s-b10", 1, by=ASSESSOR, reason="补充材料", at=at(10 * DAY))


def _lower(text: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def brute_force(everything: list[SessionSummary], query: SessionQuery) -> list[SessionSummary]:
    """The filters written out plainly, one session at a time."""
    kept = []
    for s in everything:
        day = s.updated_at.date()
        wanted = (
            (query.declared_stars is None or s.declared_stars == query.declared_stars)
            and (query.evidenced_stars is None or s.evidenced_stars == query.evidenced_stars)
            and (query.signed is None or s.locked == query.signed)
            and (query.stage is None or s.stage == query.stage)
            and (query.institution_type is None or s.institution_type == query.institution_type)
            and (query.updated_from is None or day >= query.updated_from)
            and (query.updated_to is None or day <= query.updated_to)
            and (
                not query.text
                or _lower(query.text) in _lower(s.id)
                or _lower(query.text) in _lower(s.institution or "")
            )
        )
        if wanted:
            kept.append(s)
    return sorted(kept, key=lambda s: (-s.updated_at.timestamp(), s.id))


def test_every_query_matches_the_brute_force_filter_page_by_page(store: Store) -> None:
    populate(store)
    everything = store.list_sessions(limit=1000)
    assert len(everything) == len(POPULATION)

    for query in QUERIES:
        expected = brute_force(everything, query)
        pages: list[SessionSummary] = []
        for offset in range(0, len(POPULATION) + 3, 3):
            page, total = store.query_sessions(
                query.model_copy(update={"offset": offset, "limit": 3})
            )
            assert total == len(expected), query
            pages.extend(page)
        assert pages == expected, query
        whole, total = store.query_sessions(query)
        assert (whole, total) == (expected, len(expected)), query


def test_the_filters_select_what_the_population_says(store: Store) -> None:
    populate(store)

    def ids(**filters: object) -> set[str]:
        page, total = store.query_sessions(SessionQuery.model_validate(filters))
        assert total == len(page)
        return {s.id for s in page}

    assert ids(signed=True) == {"s-a02", "s-a03", "s-a08"}
    assert ids(text="%") == {"s-a02", "s-b10"}  # a literal percent sign, not "anything"
    assert ids(text="_") == {"s-a03", "s-b10"}
    assert ids(text="alpha_beta") == {"s-a03"}  # not AlphaXBeta: "_" is no wildcard
    assert ids(text="!") == {"s-a07"}  # the escape character itself
    assert ids(updated_from=date(2026, 3, 8), updated_to=date(2026, 3, 8)) == {"s-a07", "s-a08"}
    assert ids(institution_type=NONPROFIT, stage="indicators") == {"s-b09"}


def test_paging_past_the_end_gives_an_empty_page_and_the_total(store: Store) -> None:
    populate(store)

    page, total = store.query_sessions(SessionQuery(offset=50))

    assert (page, total) == ([], len(POPULATION))


@pytest.mark.parametrize("limit", [0, 201])
def test_a_page_size_out_of_bounds_is_refused_by_the_model(limit: int) -> None:
    with pytest.raises(ValueError):
        SessionQuery(limit=limit)
