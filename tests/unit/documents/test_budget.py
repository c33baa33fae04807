"""A document's CPU and wall-clock budget grows with its size: a small file buys little time."""

from __future__ import annotations

import time

import pytest

from assistant.documents import EVIDENCE, DocumentRefused, Limits, Reason, read_document
from assistant.documents.limits import MB
from tests.utils.evidence_files import distinct_streams_pdf


@pytest.mark.parametrize(
    ("size", "cpu", "wall"),
    [
        (4 * 1024, 2, 6.0),
        (130 * 1024, 4, 10.0),
        (MB, 22, 46.0),
        (5 * MB, 30, 60.0),  # the settings' ceiling
    ],
)
def test_the_budget_follows_the_size_up_to_the_ceiling(size: int, cpu: int, wall: float) -> None:
    budget = Limits(cpu_seconds=30, wall_seconds=60.0).budgeted(size)
    assert (budget.cpu_seconds, budget.wall_seconds) == (cpu, wall)


def test_a_lower_ceiling_wins() -> None:
    budget = Limits(cpu_seconds=1, wall_seconds=1.5).budgeted(10 * MB)
    assert (budget.cpu_seconds, budget.wall_seconds) == (1, 1.5)


def test_a_small_pdf_that_would_parse_for_a_minute_is_stopped_within_its_budget() -> None:
    data = distinct_streams_pdf(pages=30, stream_kib=128)  # nothing shared, ~60 s to parse
    assert len(data) < 32 * 1024
    started = time.perf_counter()
    with pytest.raises(DocumentRefused) as caught:
        read_document(data, "年度报告.pdf", EVIDENCE)
    elapsed = time.perf_counter() - started
    assert caught.value.reason is Reason.TOO_COMPLEX
    assert "CPU" in caught.value.zh or "秒" in caught.value.zh
    assert elapsed < Limits().budgeted(len(data)).wall_seconds + 2
