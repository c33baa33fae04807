"""Builders for retrieval tests: a corpus, and indexes on fake or real backends."""

from __future__ import annotations

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
