"""Does one area attain one level? Exact arithmetic, three-valued answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import lru_cache

from assistant.knowledge.schema import FindingStatus, Indicator, RuleSet
from assistant.rating.models import LevelOutcome, LevelState

__all__ = ["evaluate_level", "exact"]


@lru_cache(maxsize=1024)
def exact(value: float) -> Fraction:
    """The decimal the data file meant (0.8 is 4/5), so 0.8 ≥ 0.8 holds exactly."""
    return Fraction(repr(value))


def _core_fails(
    indicators: Sequence[Indicator], statuses: Mapping[str, FindingStatus], rules: RuleSet
) -> bool:
    return any(
        i.core
        and statuses[i.id] not in (FindingStatus.NOT_RATED, FindingStatus.NOT_APPLICABLE)
        and statuses[i.id] not in rules.core_pass_statuses
        for i in indicators
    )


def evaluate_level(
    level: int,
    indicators: Sequence[Indicator],
    statuses: Mapping[str, FindingStatus],
    rules: RuleSet,
) -> LevelOutcome:
    """Attained, failed, or not rated when the unrated findings could still tip it."""
    applicable = [i for i in indicators if statuses[i.id] is not FindingStatus.NOT_APPLICABLE]
    unrated = [i for i in applicable if statuses[i.id] is FindingStatus.NOT_RATED]
    total = sum((exact(i.weight) for i in applicable), Fraction(0))
    rated = [i for i in applicable if statuses[i.id] is not FindingStatus.NOT_RATED]
    earned = sum((exact(i.weight) * exact(rules.score(statuses[i.id])) for i in rated), Fraction(0))
    open_weight = sum((exact(i.weight) for i in unrated), Fraction(0))
    low, high = (earned / total, (earned + open_weight) / total) if total else (Fraction(1),) * 2
    threshold = exact(rules.threshold_for(level))
    if _core_fails(applicable, statuses, rules) or high < threshold:
        state = LevelState.FAILED
    elif low >= threshold and not any(i.core for i in unrated):
        state = LevelState.ATTAINED
    else:
        state = LevelState.NOT_RATED
    return LevelOutcome(
        level=level,
        state=state,
        score=float(low),
        best_possible=float(high),
        threshold=float(threshold),
    )
