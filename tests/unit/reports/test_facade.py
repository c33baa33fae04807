"""``render_report``: formats, media types, safe file names and refusals."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from assistant.errors import ReportError
from assistant.reports import MEDIA_TYPES, ReportData, render_report, report_filename


@pytest.mark.parametrize(
    ("session_id", "fmt", "part", "expected"),
    [
        ("3f9c2a7e-51b4-4d2e", "pdf", "full", "self-assessment-3f9c2a7e.pdf"),
        ("AB-12/../cd", "docx", "full", "self-assessment-ab12cd.docx"),
        ("会话", "md", "full", "self-assessment-session.md"),
        ("abc", "json", "application_pack", "application-pack-abc.json"),
    ],
)
def test_filenames_are_ascii_and_safe(session_id: str, fmt: str, part: str, expected: str) -> None:
    assert report_filename(session_id, fmt, part) == expected


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_render_report_returns_content_with_its_media_type(zh_data: ReportData, fmt: Any) -> None:
    report = render_report(zh_data, fmt)
    assert report.media_type == MEDIA_TYPES[fmt]
    assert report.filename == f"self-assessment-3f9c2a7e.{fmt}"
    assert report.content


@pytest.mark.parametrize("fmt", ["html", "PDF", ""])
def test_an_unknown_format_is_refused(zh_data: ReportData, fmt: Any) -> None:
    with pytest.raises(ReportError, match="不支持的报告格式") as caught:
        render_report(zh_data, fmt)
    assert "unsupported report format" in caught.value.message("en")


def test_an_unknown_part_is_refused(zh_data: ReportData) -> None:
    with pytest.raises(ReportError):
        render_report(zh_data, "md", part="summary")  # type: ignore[arg-type]


def test_importing_reports_does_not_import_the_heavy_renderers() -> None:
    code = (
        "import sys, assistant.reports;"
        "print(any(m.split('.')[0] in {'matplotlib', 'reportlab', 'docx'} for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
