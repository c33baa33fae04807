"""The one order of blockers (DESIGN §5): failing core indicators, then what raises the score
most, then missing or stale evidence. Unanswered indicators are counted, never listed."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.rating.models import Blocker, ReasonCode
from assistant.verdict.models import BlockerGroup

__all__ = ["GROUP_OF", "group_of", "in_order"]

GROUP_OF: dict[ReasonCode, BlockerGroup] = {
    ReasonCode.CORE_NOT_MET: BlockerGroup.CORE,
    ReasonCode.BELOW_THRESHOLD: BlockerGroup.SCORE,
    ReasonCode.EVIDENCE_MISSING: BlockerGroup.EVIDENCE,
    ReasonCode.EVIDENCE_STALE: BlockerGroup.EVIDENCE,
}
_RANK = {group: rank for rank, group in enumerate(BlockerGroup)}


def group_of(blocker: Blocker) -> BlockerGroup | None:
    """None for an unanswered indicator: it is counted apart."""
    return GROUP_OF.get(blocker.code)


def in_order(blockers: Iterable[Blocker], cores: frozenset[str]) -> list[Blocker]:
    """The listed blockers, in the order every interface shows them; within a group a core
    indicator first, then the biggest gain, then the indicator id."""
    listed = [b for b in blockers if group_of(b) is not None]
    return sorted(
        listed,
        key=lambda b: (
            _RANK[GROUP_OF[b.code]],
            b.indicator_id not in cores,
            -b.gain,
            b.indicator_id,
        ),
    )
