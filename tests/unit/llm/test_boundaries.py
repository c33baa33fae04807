"""The model layer is optional: nothing below it imports it, and it imports providers lazily."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROVIDER_PACKAGES = ("langchain_openai", "langchain_ollama", "openai", "ollama")


def _loaded_after(statement: str) -> list[str]:
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return list(json.loads(out.stdout))


def _hits(modules: list[str], roots: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == r or m.startswith(r + ".") for r in roots)]


def test_the_model_layer_imports_no_provider_until_one_is_configured() -> None:
    loaded = _loaded_after(
        "import assistant.llm\n"
        "from assistant.llm import ModelConfig, open_model_layer\n"
        "assert open_model_layer(ModelConfig()) is None"
    )
    assert _hits(loaded, PROVIDER_PACKAGES) == []


@pytest.mark.parametrize(
    "module",
    [
        "assistant.rating",
        "assistant.qa.service",
        "assistant.interview.ports",
        "assistant.session.models",
        "assistant.retrieval.search",
    ],
)
def test_the_deterministic_core_does_not_load_the_model_layer(module: str) -> None:
    loaded = _loaded_after(f"import {module}")
    assert _hits(loaded, ("assistant.llm", *PROVIDER_PACKAGES)) == []
