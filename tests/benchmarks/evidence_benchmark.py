"""Evidence intake speed: accepting (sniffing, checking, reading) uploads of each type, refusing
hostile ones, and suggesting indicators on the real retrieval index at several query lengths.

    python -m tests.benchmarks.evidence_benchmark [--retrieval DATA_DIR]

``--retrieval`` opens (and, when absent or stale, builds) the index in ``DATA_DIR``: point it at
a scratch directory, or a copy of ``var/``, never at a data dir in use.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from assistant.errors import EvidenceRejected
from assistant.evidence import accept_upload, describe_upload
from assistant.evidence.linking import searcher_suggester, suggest_indicators
from tests.utils.evidence_files import (
    XLSX_TYPES,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    png_header,
    streamed_bomb,
    xlsx_bytes,
)

LIMIT = 50 * 1024 * 1024
TODAY = date(2026, 6, 30)
LINE = "2025年3月1日 为甲公司提供融资对接服务，企业反馈满意，已归档服务记录并安排回访。"


def _ledger(rows: int) -> bytes:
    start = date(2024, 1, 1)
    body = [[start + timedelta(days=i % 700), f"企业{i}", "政策咨询", i % 5] for i in range(rows)]
    return xlsx_bytes({"服务台账": [["日期", "企业", "服务", "次数"], *body]})


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "PDF 20 pages (CJK)": ("r.pdf", lambda: pdf_bytes([[LINE] * 40] * 20)),
    "DOCX 400 paragraphs": ("r.docx", lambda: docx_bytes([LINE] * 400, heading="服务记录")),
    "XLSX 5,000 rows": ("t.xlsx", lambda: _ledger(5_000)),
    "XLSX 50,000 rows (capped)": ("t.xlsx", lambda: _ledger(50_000)),
    "PNG 2000x1500": ("a.png", lambda: image_bytes("PNG", (2000, 1500))),
    "JPEG 4000x3000": ("a.jpg", lambda: image_bytes("JPEG", (4000, 3000))),
    "text 1 MB": ("a.txt", lambda: (LINE + "\n").encode() * 8_000),
    "refused: DOCX bomb 100 MB": ("b.docx", lambda: streamed_bomb(100)),
    "refused: XLSX bomb 100 MB": (
        "b.xlsx",
        lambda: streamed_bomb(100, types=XLSX_TYPES, member="xl/worksheets/sheet1.xml"),
    ),
    "refused: PNG 30000x30000 header": ("b.png", lambda: png_header(30_000, 30_000)),
}


def _time(run: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _accept(name: str, data: bytes) -> str:
    try:
        upload = accept_upload(name, data, max_bytes=LIMIT)
    except EvidenceRejected as refused:
        return f"refused {refused.reason}"
    describe_upload(upload, today=TODAY)
    return f"{upload.format}, {len(upload.text):,} chars"


def intake() -> None:
    print(f"{'upload':32} {'size':>10} {'median ms':>10}  outcome")
    for label, (name, build) in CASES.items():
        data = build()
        outcome = _accept(name, data)
        ms = _time(lambda name=name, data=data: _accept(name, data))  # type: ignore[misc]
        print(f"{label:32} {len(data):>10,} {ms:>10.1f}  {outcome}")


def retrieval(data_dir: Path) -> None:
    from assistant.retrieval.runtime import open_index
    from assistant.settings import Settings

    index, _ = open_index(Settings(data_dir=data_dir))
    search = searcher_suggester(index.searcher)
    catalog = index.corpus.catalog
    search("预热")
    text = "服务对象满意度调查报告\n" + LINE * 60
    print(f"\n{'query chars':>12} {'seconds per upload (3 distinct texts)':>40}")
    for chars in (200, 400, 600, 1_000, 1_500):
        times = []
        for n in range(3):
            started = time.perf_counter()
            suggest_indicators(
                f"{n}{chars}" + text, "报告.docx", catalog, search, query_chars=chars
            )
            times.append(time.perf_counter() - started)
        print(f"{chars:>12} {', '.join(f'{t:.2f}' for t in times):>40}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retrieval", type=Path, help="data dir holding (or to hold) the index")
    args = parser.parse_args()
    intake()
    if args.retrieval:
        retrieval(args.retrieval)


if __name__ == "__main__":
    main()
