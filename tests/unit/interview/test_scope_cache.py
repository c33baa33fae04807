"""Scope rates each cell's status combination once per process: answers stay those of a
scope that has seen nothing before, whatever it saw earlier."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from assistant.interview.scope import Scope
from assistant.knowledge.schema import AreaCode, Catalog, FindingStatus, RuleSet
from assistant.session.state import RecordedFinding

AT = datetime(2026, 6, 1, tzinfo=UTC)
CELL = ("SS-1-01", "SS-1-02", "SS-1-03")  # a core, a core, a checklist line of SS level 1
STATUSES = (FindingStatus.MET, FindingStatus.PARTLY_MET, FindingStatus.NOT_MET)


def findings(statuses: tuple[FindingStatus, ...]) -> dict[str, RecordedFinding]:
    return {
        ident: RecordedFinding(indicator_id=ident, status=status, updated_at=AT)
        for ident, status in zip(CELL, statuses, strict=True)
    }


def test_a_used_scope_answers_as_a_fresh_one(real_catalog: Catalog, real_rules: RuleSet) -> None:
    used = Scope(real_catalog, real_rules)
    combinations = list(itertools.product(STATUSES, repeat=len(CELL)))
    answers = []
    for statuses in [*combinations, *reversed(combinations)]:  # each one met twice
        found = findings(statuses)
        fresh = Scope(real_catalog, real_rules).failed_level(AreaCode.SS, found)
        assert used.failed_level(AreaCode.SS, found) == fresh, statuses
        answers.append(fresh)
    assert {None, 1} <= set(answers)  # both outcomes occur, so a stale answer would show
