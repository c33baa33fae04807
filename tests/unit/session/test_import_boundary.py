"""The shared session records sit below every layer that uses them."""

from __future__ import annotations

from tests.utils.imports import forbidden_imports, loaded_after, within

ABOVE = (
    "assistant.interview",
    "assistant.storage",
    "assistant.reports",
    "assistant.cli",
    "assistant.llm",
    "api",
)


def test_the_session_records_import_no_layer_that_uses_them() -> None:
    assert forbidden_imports("assistant.session", ABOVE) == []


def test_importing_the_session_records_loads_no_layer_that_uses_them() -> None:
    loaded = loaded_after("import assistant.session.models, assistant.session.state")
    assert [name for name in loaded if within(name, ABOVE)] == []


def test_the_security_hash_is_below_the_interview_too() -> None:
    loaded = loaded_after("import assistant.security")
    assert [name for name in loaded if within(name, ABOVE)] == []
