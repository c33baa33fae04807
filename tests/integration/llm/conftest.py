"""llama.cpp's server with SmolLM2-135M-Instruct, started once for the session."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from assistant.llm.config import ModelConfig
from tests.utils.llamacpp import LlamaServer, gguf_path


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    if importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("xllamacpp is not installed (make test installs it)")
    try:
        gguf_path()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    server = LlamaServer(tmp_path_factory.mktemp("llamacpp") / "server.log", threads=2, ctx=2048)
    try:
        server.start(deadline_s=120)
    except RuntimeError as exc:
        pytest.fail(f"could not start the llama.cpp server: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def model_config(llama_server: LlamaServer) -> ModelConfig:
    """The server as an operator would configure it (SMECMM_LLM_MODEL=openai:…)."""
    return ModelConfig(
        spec="openai:smollm2-135m",
        base_url=f"{llama_server.base_url}/v1",
        timeout_s=60,
        max_tokens=48,
    )
