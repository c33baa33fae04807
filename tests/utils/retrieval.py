"""Builders for retrieval tests: a corpus, and indexes on fake or real backends."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from assistant.knowledge.loader import default_knowledge_dir
from assistant.retrieval.corpus import Corpus, load_corpus
from assistant.retrieval.embeddings import FakeEmbeddings
from assistant.retrieval.index import RetrievalIndex, add_all
from assistant.retrieval.store import InMemoryVectorIndex


def shipped_corpus(documents_dir: Path | None = None) -> Corpus:
    return load_corpus(default_knowledge_dir(), documents_dir or Path("/nonexistent"))


def in_memory_index(corpus: Corpus | None = None) -> RetrievalIndex:
    """The shipped corpus on fixed vectors in LangChain's in-memory store: wiring, not quality."""
    corpus = corpus or shipped_corpus()
    vectors = InMemoryVectorIndex(FakeEmbeddings())
    add_all(vectors, corpus.chunks, None)
    return RetrievalIndex(corpus, vectors, RetrievalIndex.tokenizer_for(corpus))


def small_corpus(tag: str, extra: str | None = None) -> Corpus:
    """The shipped corpus cut to its first 40 chunks, with content hash ``sha256:<tag>``, so
    that a build into Chroma is quick; ``extra`` adds a clause 9.5.99 saying it."""
    base = shipped_corpus()
    chunks = base.chunks[:40]
    if extra is not None:
        update = {"key": f"test:{tag}", "clause": "9.5.99", "title": "新条款"}
        text = {"text": extra, "search_text": extra, "embed_text": extra}
        chunks = (*chunks, chunks[0].model_copy(update={**update, **text}))
    return replace(base, chunks=chunks, content_hash=f"sha256:{tag}")
