"""What reading a document costs in its child: wall time in the server, the child's own CPU
time and peak RSS, for normal files and for the files of issue 13, with the default limits.

    python -m tests.benchmarks.documents_benchmark

The first row, a 40x30 PNG, is the cost of a child itself; "in-process" reads the same file
without a child, for comparison.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from assistant.documents import EVIDENCE, Limits, start_readers
from assistant.documents.sandbox import ChildReport, run_child
from assistant.documents.sniff import sniff
from assistant.documents.worker import Job, read_job
from tests.utils import evidence_files as files
from tests.utils.documents import standard_pages, write_pdf

LINE = "2025年3月1日 为甲公司提供融资对接服务，企业反馈满意，已归档服务记录并安排回访。"
LIMITS = Limits()


def _policy_pdf() -> bytes:
    pages, _ = standard_pages(chapters=70, items=11)  # ~100 pages
    with TemporaryDirectory() as folder:
        return write_pdf(Path(folder) / "p.pdf", pages).read_bytes()


def _ledger() -> bytes:
    rows = [[f"2025-{1 + i % 12:02d}-01", f"企业{i}", "政策咨询", i % 5] for i in range(5_000)]
    return files.xlsx_bytes({"服务台账": [["日期", "企业", "服务", "次数"], *rows]})


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "PNG 40x30 (a child's own cost)": ("a.png", files.image_bytes),
    "PDF ~100-page policy": ("p.pdf", _policy_pdf),
    "DOCX 400 paragraphs": ("r.docx", lambda: files.docx_bytes([LINE] * 400, heading="办法")),
    "XLSX 5,000-row ledger": ("t.xlsx", _ledger),
    "PDF 4 KB, pages share 1 stream": ("s.pdf", files.shared_stream_pdf),
    "PDF page tree doubling": ("t.pdf", files.page_tree_pdf),
    "DOCX 0.7 MB, 31 MB XML": ("x.docx", files.large_xml_docx),
    "XLSX one row, 40 MB XML": ("w.xlsx", files.wide_row_xlsx),
    "DOCX billion laughs": ("l.docx", files.billion_laughs_docx),
}


def _outcome(report: ChildReport) -> str:
    if report.refusal is not None:
        return f"refused {report.refusal.reason.value}"
    assert report.extracted is not None
    return f"{report.extracted.format}, {len(report.extracted.text):,} chars"


def _in_process_ms(job: Job) -> float:
    started = time.perf_counter()
    try:
        read_job(job)
    except Exception:  # a refusal: its time is what counts
        pass
    return (time.perf_counter() - started) * 1000


def main() -> None:
    start_readers()
    run_child(Job("png", files.image_bytes(), EVIDENCE, LIMITS))  # the forkserver is up
    print(
        f"{'document':34} {'bytes':>10} {'wall ms':>8} {'child cpu ms':>12} {'peak MB':>8}"
        f" {'in-process ms':>13}  outcome"
    )
    for label, (name, build) in CASES.items():
        data = build()
        job = Job(sniff(data, name, EVIDENCE), data, EVIDENCE, LIMITS)
        reports = [run_child(job) for _ in range(3)]
        wall = statistics.median(r.wall_seconds for r in reports) * 1000
        cpu = statistics.median((r.cpu_seconds or 0) for r in reports) * 1000
        peak = max((r.peak_rss_kb or 0) for r in reports) / 1024
        print(
            f"{label:34} {len(data):>10,} {wall:>8.0f} {cpu:>12.0f} {peak:>8.0f}"
            f" {_in_process_ms(job):>13.0f}  {_outcome(reports[0])}"
        )


if __name__ == "__main__":
    main()
