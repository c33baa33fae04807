"""Unit tests never reach a real model: building one raises ModelRequestsBlocked."""

from __future__ import annotations

import pytest

import assistant.llm.chat


@pytest.fixture(autouse=True)
def _no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assistant.llm.chat, "ALLOW_MODEL_REQUESTS", False)


@pytest.fixture
def allow_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt a test in: it may build (not call) a real provider's client."""
    monkeypatch.setattr(assistant.llm.chat, "ALLOW_MODEL_REQUESTS", True)
