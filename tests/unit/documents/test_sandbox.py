"""The reading child: confined, killed on time, and answering each way it can end."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import threading
import time
from multiprocessing import Pipe
from pathlib import Path
from typing import Any

import pytest

from assistant.documents import EVIDENCE, DocumentRefused, Limits, Reason
from assistant.documents.sandbox import read_in_child, run_child, start_child, start_readers
from assistant.documents.worker import Job
from tests.utils.documents import probe_child
from tests.utils.evidence_files import blank_png, distinct_streams_pdf, pdf_bytes

UNCAPPED = Limits(max_content_bytes=10**9)  # only the rlimits and the clock stop it


def spinning_pdf() -> bytes:
    return distinct_streams_pdf(pages=30, stream_kib=512)  # nothing shared: ~30 s of parsing


def probe(limits: Limits) -> dict[str, Any]:
    start_readers()
    receiver, sender = Pipe(duplex=False)
    child = multiprocessing.get_context("forkserver").Process(
        target=probe_child, args=(sender, limits), daemon=True
    )
    start_child(child)
    sender.close()
    try:
        report: dict[str, Any] = json.loads(receiver.recv_bytes())
    finally:
        receiver.close()
        child.join()
    return report


def test_the_child_holds_nothing_of_the_server(tmp_path: Path) -> None:
    database = tmp_path / "sessions.db"
    connection = sqlite3.connect(database)  # an open database in the server process
    try:
        report = probe(Limits(cpu_seconds=7, memory_mb=900))
    finally:
        connection.close()
    assert not [path for path in report["fds"].values() if str(tmp_path) in path]
    assert not [
        path for path in report["fds"].values() if path.startswith("/") and path != "/dev/null"
    ]
    assert report["main"] is None  # the server's __main__ was not run again in the child
    assert report["environ"] == []
    assert (report["cpu"], report["memory"]) == ([7, 8], [900 * 2**20, 900 * 2**20])
    assert (report["fsize"], report["core"], report["nice"]) == ([0, 0], [0, 0], 10)


def test_the_cpu_limit_ends_a_child_that_parses_too_long() -> None:
    limits = Limits(max_content_bytes=10**9, cpu_seconds=1, wall_seconds=30)
    report = run_child(Job("pdf", spinning_pdf(), EVIDENCE, limits))
    assert report.refusal is not None and report.refusal.reason is Reason.TOO_COMPLEX
    assert "1 s of CPU time" in report.refusal.en and "CPU" in report.refusal.zh
    assert report.wall_seconds < 10


def test_the_wall_clock_kills_a_child() -> None:
    limits = Limits(max_content_bytes=10**9, cpu_seconds=60, wall_seconds=0.5)
    report = run_child(Job("pdf", spinning_pdf(), EVIDENCE, limits))
    assert report.refusal is not None and "took over 0.5 s" in report.refusal.en
    assert report.wall_seconds < 3


def test_the_memory_limit_refuses_what_would_not_fit() -> None:
    data = blank_png(6000, 6000)  # 100 KB that decodes to 108 MB
    assert run_child(Job("png", data, EVIDENCE, Limits())).refusal is None
    report = run_child(Job("png", data, EVIDENCE, Limits(memory_mb=256)))
    assert report.refusal is not None and report.refusal.reason is Reason.TOO_COMPLEX
    assert "256 MB" in report.refusal.en


def test_a_normal_file_reports_its_cost() -> None:
    report = run_child(Job("pdf", pdf_bytes([["第一页 服务回访记录"]]), EVIDENCE, Limits()))
    assert report.extracted is not None and report.extracted.text == "第一页 服务回访记录"
    assert report.cpu_seconds is not None and 0 < report.cpu_seconds < 2
    assert report.peak_rss_kb is not None and report.peak_rss_kb < 200 * 1024


def test_a_document_waits_for_a_free_reader_then_is_refused_as_busy() -> None:
    slow = Job(
        "pdf", spinning_pdf(), EVIDENCE, Limits(max_content_bytes=10**9, wall_seconds=2, parallel=1)
    )
    holder = threading.Thread(target=lambda: pytest.raises(DocumentRefused, read_in_child, slow))
    holder.start()
    time.sleep(0.3)  # the slow one holds the only reader
    quick = Job("pdf", pdf_bytes([["回访"]]), EVIDENCE, Limits(wall_seconds=0.5, parallel=1))
    started = time.perf_counter()
    with pytest.raises(DocumentRefused) as caught:
        read_in_child(quick)
    # refused after its own wait (0.5 s), not served once the slow one ends (2 s); loose above
    assert caught.value.reason is Reason.BUSY and 0.4 < time.perf_counter() - started < 3
    holder.join()
    assert read_in_child(quick).text == "回访"  # free again once the slow one was killed
