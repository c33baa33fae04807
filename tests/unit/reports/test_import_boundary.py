"""Reports render the shared session records and a rating; they never reach the interview,
the store or HTTP (DESIGN §3)."""

from __future__ import annotations

import pytest

from tests.utils.imports import forbidden_imports, loaded_after, within

FORBIDDEN = (
    "assistant.interview",
    "assistant.storage",
    "assistant.cli",
    "assistant.llm",
    "api",
    "fastapi",
    "sqlalchemy",
)


def test_no_report_module_imports_the_interview_the_store_or_http() -> None:
    assert forbidden_imports("assistant.reports", FORBIDDEN) == []


@pytest.mark.parametrize("module", ["assistant.reports", "assistant.reports.pdf_report"])
def test_importing_the_reports_loads_none_of_them(module: str) -> None:
    leaked = [name for name in loaded_after(f"import {module}") if within(name, FORBIDDEN)]
    assert leaked == []
