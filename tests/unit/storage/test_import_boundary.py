"""Storage keeps the shared session records, never the interview, the reports or HTTP
(DESIGN §3: storage and reports depend on shared session types, not on the interview)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils.imports import forbidden_imports, imported_modules, loaded_after, within

FORBIDDEN = (
    "assistant.interview",
    "assistant.reports",
    "assistant.cli",
    "assistant.llm",
    "api",
    "fastapi",
)


def test_no_storage_module_imports_a_layer_above_it() -> None:
    assert forbidden_imports("assistant.storage", FORBIDDEN) == []


@pytest.mark.parametrize("module", ["assistant.storage", "assistant.storage.sql"])
def test_importing_the_store_loads_no_layer_above_it(module: str) -> None:
    leaked = [name for name in loaded_after(f"import {module}") if within(name, FORBIDDEN)]
    assert leaked == []


def test_the_check_sees_a_forbidden_import_written_in_any_form(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "import api.app\n"
        "from ..interview import service\n"
        "def late():\n"
        "    from assistant.reports.data import ReportData\n",
        encoding="utf-8",
    )
    names = imported_modules(source, "assistant.storage")
    assert [n for n in names if within(n, FORBIDDEN)] == [
        "api.app",
        "assistant.interview",
        "assistant.reports.data",
    ]


def test_of_the_assessment_package_the_store_loads_only_the_models() -> None:
    """The assessor's services build on the store: the store may only use their models."""
    loaded = loaded_after("import assistant.storage.sql")
    assert {name for name in loaded if within(name, ("assistant.assessment",))} == {
        "assistant.assessment",
        "assistant.assessment.models",
    }
