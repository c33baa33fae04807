"""Integration tests: real servers on loopback, started by session fixtures.

Marker ``llm_server``: the test talks to a real llama.cpp server (deselect with
``-m "not llm_server"``). Real model requests are allowed here, unlike in the unit tests.
"""

from __future__ import annotations

import pytest

import assistant.llm.chat


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "llm_server: talks to a real llama.cpp server started on loopback"
    )


@pytest.fixture(autouse=True)
def _allow_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assistant.llm.chat, "ALLOW_MODEL_REQUESTS", True)
