"""``smecmm ingest`` refuses the costly files of issue 13 with the reader's reason, reads its
limits from the settings, and keeps nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.settings import get_settings
from tests.utils.documents import standard_pages, write_pdf
from tests.utils.evidence_files import large_xml_docx, shared_stream_pdf

runner = CliRunner()


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    get_settings.cache_clear()
    monkeypatch.setenv("SMECMM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SMECMM_EMBEDDING_MODEL", "fake")
    yield tmp_path / "data"
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("name", "build", "detail"),
    [
        ("标准.pdf", shared_stream_pdf, "the page content decompresses to over 8 MB"),
        ("标准.docx", large_xml_docx, "'word/document.xml' is over 16 MB"),
    ],
)
def test_ingest_refuses_a_costly_file_fast_and_keeps_nothing(
    data_dir: Path, tmp_path: Path, name: str, build: object, detail: str
) -> None:
    path = tmp_path / name
    path.write_bytes(build())  # type: ignore[operator]
    started = time.perf_counter()
    result = runner.invoke(app, ["ingest", str(path)])
    assert time.perf_counter() - started < 5
    assert result.exit_code == 2, result.output
    shown = " ".join(result.output.split())  # the terminal wraps and shortens lines
    assert (
        "文件过于复杂" in shown and f"too complex to read within the set limits ({detail}" in shown
    )
    assert not (data_dir / "documents").exists() and not (data_dir / "index").exists()


def test_the_page_cap_is_a_setting(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages, _ = standard_pages(chapters=2, items=3)
    path = write_pdf(tmp_path / "标准.pdf", pages)
    monkeypatch.setenv("SMECMM_DOCUMENT_MAX_PAGES", str(len(pages) - 1))
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 2, result.output
    shown = " ".join(result.output.split())
    assert f"({len(pages)} pages; the limit is {len(pages) - 1})" in shown
