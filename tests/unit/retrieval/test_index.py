"""The index is built once, reused, and rebuilt when the knowledge or the embedder changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.knowledge.loader import default_knowledge_dir
from assistant.retrieval.corpus import load_corpus
from assistant.retrieval.embeddings import FakeEmbeddings
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.store import chroma_client
from tests.utils.retrieval import shipped_corpus


def open_fake(client: object, corpus=None, embedder: str = "fake"):  # type: ignore[no-untyped-def]
    return RetrievalIndex.open(corpus or shipped_corpus(), client, FakeEmbeddings(), embedder)


def test_build_then_reuse_then_rebuild_on_embedder_change(tmp_path: Path) -> None:
    client = chroma_client(tmp_path / "chroma")
    _, first = open_fake(client)
    index, second = open_fake(chroma_client(tmp_path / "chroma"))
    assert first.rebuilt and not second.rebuilt
    assert index.searcher.search("服务产品化", 3)
    _, third = open_fake(client, embedder="fake:other")
    assert third.rebuilt


def test_a_build_cut_short_is_rebuilt_at_the_next_start(tmp_path: Path) -> None:
    def interrupt(done: int, total: int) -> None:
        if done >= 64:
            raise KeyboardInterrupt

    client = chroma_client(tmp_path / "chroma")
    with pytest.raises(KeyboardInterrupt):
        RetrievalIndex.open(shipped_corpus(), client, FakeEmbeddings(), "fake", progress=interrupt)
    index, report = open_fake(chroma_client(tmp_path / "chroma"))
    assert report.rebuilt
    assert len(index.searcher.search("核心指标", 10)) == 10


def test_changed_knowledge_rebuilds_and_is_searchable(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), knowledge)
    client = chroma_client(tmp_path / "chroma")
    _, first = open_fake(client, load_corpus(knowledge, tmp_path / "docs"))
    chapter = knowledge / "standard" / "09-operation.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + "\n### 9.5.99 量子通信服务\n机构应提供量子通信咨询。\n",
        encoding="utf-8",
    )
    index, second = open_fake(client, load_corpus(knowledge, tmp_path / "docs"))
    assert first.rebuilt and second.rebuilt
    assert second.content_hash != first.content_hash
    assert index.searcher.search("量子通信", 1)[0].chunk.clause == "9.5.99"


def test_chroma_server_holds_the_index_for_several_workers(
    chroma_server: str, tmp_path: Path
) -> None:
    _, first = open_fake(chroma_client(tmp_path / "unused", chroma_server))
    index, second = open_fake(chroma_client(tmp_path / "unused", chroma_server))
    assert first.rebuilt and not second.rebuilt
    hits = index.searcher.search("一体化服务平台", 5)
    assert hits and all(h.chunk.key for h in hits)
    assert not (tmp_path / "unused").exists()
