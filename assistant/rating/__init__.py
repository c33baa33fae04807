"""The pure rating core: findings and rule data in, a rating out (DESIGN §2, §5)."""

from assistant.rating.engine import rate
from assistant.rating.models import (
    AreaResult,
    Basis,
    Blocker,
    EvidenceItem,
    EvidenceOutcome,
    Finding,
    LevelState,
    RatingResult,
    Reading,
    ReasonCode,
)

__all__ = [
    "AreaResult",
    "Basis",
    "Blocker",
    "EvidenceItem",
    "EvidenceOutcome",
    "Finding",
    "LevelState",
    "RatingResult",
    "Reading",
    "ReasonCode",
    "rate",
]
