"""Every model use runs through here: on any error, timeout or invalid output it takes the
deterministic path, logs ``llm fallback: …`` and counts it."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = [
    "InvalidOutput",
    "LlmMetrics",
    "UseStats",
    "logger",
    "record_fallback",
    "with_fallback",
]

logger = logging.getLogger("assistant.llm")

T = TypeVar("T")


class InvalidOutput(ValueError):
    """The model answered, but not in a form that may be used."""


@dataclass
class UseStats:
    """Counts for one use (mapping, phrasing, grounded)."""

    calls: int = 0
    fallbacks: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)  # seconds per model call

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.calls if self.calls else 0.0


class LlmMetrics:
    """Thread-safe counters shared by the model-backed components of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._uses: dict[str, UseStats] = {}

    def record(self, use: str, seconds: float, reason: str | None) -> None:
        with self._lock:
            stats = self._uses.setdefault(use, UseStats())
            stats.calls += 1
            stats.latencies.append(seconds)
            if reason is not None:
                stats.fallbacks += 1
                stats.reasons[reason] += 1

    def stats(self, use: str) -> UseStats:
        with self._lock:
            current = self._uses.get(use, UseStats())
            return UseStats(
                current.calls,
                current.fallbacks,
                Counter(current.reasons),
                list(current.latencies),
            )

    def snapshot(self) -> dict[str, UseStats]:
        with self._lock:
            names = list(self._uses)
        return {name: self.stats(name) for name in names}


def _reason(error: Exception) -> str:
    """A short, stable reason (counted as is): the kind of failure, not its particulars."""
    if isinstance(error, InvalidOutput):
        return f"invalid output: {error}"
    name = type(error).__name__
    if isinstance(error, TimeoutError) or "timeout" in name.lower():
        return f"timeout: {name}"
    return f"error: {name}"


def _detail(error: Exception) -> str:
    message = (str(error).splitlines() or [""])[0]
    return message if len(message) <= 200 else message[:199] + "…"


def record_fallback(use: str, metrics: LlmMetrics, started: float, error: Exception) -> str:
    """Log and count a failed model use; the reason, for the caller to keep."""
    reason = _reason(error)
    metrics.record(use, time.perf_counter() - started, reason)
    detail = _detail(error)
    suffix = f" ({detail})" if detail and not isinstance(error, InvalidOutput) else ""
    logger.warning("llm fallback: %s: %s%s", use, reason, suffix)
    return reason


def with_fallback(
    use: str,
    metrics: LlmMetrics,
    attempt: Callable[[], T],
    fallback: Callable[[], T],
) -> tuple[T, str | None]:
    """``attempt()``, or ``fallback()`` when it raises; the reason when it fell back."""
    started = time.perf_counter()
    try:
        result = attempt()
    # Any failure of the model layer must leave the conversation working.
    except Exception as error:
        return fallback(), record_fallback(use, metrics, started, error)
    metrics.record(use, time.perf_counter() - started, None)
    return result, None
