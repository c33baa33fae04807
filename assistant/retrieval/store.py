"""Chroma, embedded (PersistentClient) by default or a ``chroma run`` server by URL.

Chroma is always given an explicit embedding function: its own default downloads a model,
which cannot work offline.

Each build of the index goes into a collection of its own, named after what it holds
(``smecmm_knowledge_<digest of corpus hash and embedder>``; a forced rebuild of the same
content adds a suffix), and is marked built only once every vector is in. A collection in
use is never deleted nor rebuilt in place: other workers search it until they switch to the
stamped build (``api.index_watch``). After a build the collections older than the previous
one are deleted (``prune``). The single collection of earlier versions (``smecmm_knowledge``)
is read like any other build.
"""

from __future__ import annotations

import hashlib
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import InMemoryVectorStore

from assistant.errors import ConfigurationError, SearchUnavailable

__all__ = [
    "BUILDING",
    "COLLECTION",
    "ChromaVectorIndex",
    "InMemoryVectorIndex",
    "VectorIndex",
    "begin_build",
    "build_name",
    "built_collection",
    "chroma_client",
    "collection_metadata",
    "finish_build",
    "our_collections",
    "prune",
    "touch",
]

log = logging.getLogger(__name__)


class VectorIndex(ABC):
    """Dense search over chunk keys; a search returns (key, cosine similarity) pairs.

    ``search_vector`` takes a query already embedded by ``embeddings``: a question is embedded
    once and that vector serves every index it is compared with."""

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings

    @abstractmethod
    def add(self, keys: Sequence[str], texts: Sequence[str]) -> None: ...

    @abstractmethod
    def search_vector(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]: ...

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        return self.search_vector(self.embeddings.embed_query(query), k)


class ChromaVectorIndex(VectorIndex):
    """One collection, which must exist; a failed search raises ``SearchUnavailable``."""

    def __init__(self, client: Any, embeddings: Embeddings, collection: str = "") -> None:
        from langchain_chroma import Chroma

        super().__init__(embeddings)
        self.collection = collection or COLLECTION
        self._store = Chroma(
            client=client,
            collection_name=self.collection,
            embedding_function=embeddings,
            create_collection_if_not_exists=False,  # a deleted one must not come back empty
        )

    def add(self, keys: Sequence[str], texts: Sequence[str]) -> None:
        documents = [
            Document(page_content=t, metadata={"key": k}) for k, t in zip(keys, texts, strict=True)
        ]
        self._store.add_documents(documents, ids=list(keys))

    def search_vector(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        # Ids and distances only: the documents and metadata the LangChain wrapper would also
        # fetch cost more than the search (9.7 ms against 2.0 ms for 600 neighbours).
        try:
            query: list[Sequence[float]] = [list(vector)]
            found = self._store._collection.query(
                query_embeddings=query, n_results=k, include=["distances"]
            )
        except Exception as exc:  # server down, collection gone: chromadb has no common base
            log.warning("searching collection %r failed: %r", self.collection, exc)
            raise SearchUnavailable(
                "检索服务暂时不可用，请稍后重试", en="Search is unavailable for now; try again"
            ) from exc
        # ids are the chunks' keys; the collection uses cosine space: distance = 1 - cosine
        ids, distances = found["ids"][0], (found["distances"] or [[]])[0]
        return [(key, 1.0 - float(d)) for key, d in zip(ids, distances, strict=True)]


class InMemoryVectorIndex(VectorIndex):
    """LangChain's in-memory store: no persistence; for tests and tiny corpora."""

    def __init__(self, embeddings: Embeddings) -> None:
        super().__init__(embeddings)
        self._store = InMemoryVectorStore(embeddings)

    def add(self, keys: Sequence[str], texts: Sequence[str]) -> None:
        self._store.add_texts(list(texts), metadatas=[{"key": k} for k in keys], ids=list(keys))

    def search_vector(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        pairs = self._store.similarity_search_with_score_by_vector(list(vector), k=k)
        return [(doc.metadata["key"], float(score)) for doc, score in pairs]


COLLECTION = "smecmm_knowledge"  # the one collection of earlier versions; the builds' prefix
BUILDING = "building"  # a build's "stamp" until its last vector is in
STALE_BUILD_S = 3600.0  # an unfinished build older than this was cut short: prune deletes it


def chroma_client(path: Path, url: str = "") -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    options = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not url:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=options)
    parsed = urlparse(url)
    if not parsed.hostname:
        raise ConfigurationError(f"Chroma 地址 {url!r} 无效 / invalid Chroma URL")
    return chromadb.HttpClient(
        host=parsed.hostname,
        port=parsed.port or 8000,
        ssl=parsed.scheme == "https",
        settings=options,
    )


def our_collections(client: Any) -> dict[str, dict[str, Any]]:
    """Name → metadata of every collection of this index (builds and the legacy one)."""
    found: dict[str, dict[str, Any]] = {}
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name == COLLECTION or name.startswith(f"{COLLECTION}_"):
            meta = collection.metadata if not isinstance(collection, str) else None
            found[name] = dict(meta or {})
    return found


def _at(metadata: dict[str, Any]) -> float:
    """When a build was finished or last chosen to serve (0 for the legacy collection)."""
    value = metadata.get("at", 0.0)
    return float(value) if isinstance(value, int | float) else 0.0


def built_collection(client: Any, stamp: str) -> str | None:
    """The newest finished build of ``stamp`` (corpus hash | embedder), or None."""
    builds = [(_at(m), n) for n, m in our_collections(client).items() if m.get("stamp") == stamp]
    return max(builds)[1] if builds else None


def collection_metadata(client: Any) -> dict[str, Any]:
    """The metadata of the newest finished build, or {} when there is none."""
    finished = [(_at(m), m) for m in our_collections(client).values() if _finished(m)]
    return max(finished, key=lambda pair: pair[0])[1] if finished else {}


def _finished(metadata: dict[str, Any]) -> bool:
    return isinstance(metadata.get("stamp"), str) and metadata["stamp"] != BUILDING


def build_name(client: Any, stamp: str, *, fresh: bool = False) -> str:
    """The collection a build of ``stamp`` goes into: the same for every builder of the same
    content (two workers building at once write the same vectors into one), or, ``fresh``
    (a forced rebuild) when that one is finished, a new one beside it."""
    name = f"{COLLECTION}_{hashlib.sha256(stamp.encode()).hexdigest()[:16]}"
    existing = our_collections(client)
    if fresh and _finished(existing.get(name, {})):
        return f"{name}_{time.time_ns():x}"
    return name


def begin_build(client: Any, name: str, stamp: str, embedder: str) -> None:
    metadata = {"stamp": BUILDING, "for": stamp, "embedder": embedder, "started": time.time()}
    collection = client.get_or_create_collection(
        name, metadata={**metadata, "hnsw:space": "cosine"}
    )
    _set_metadata(collection, metadata)


def finish_build(client: Any, name: str, stamp: str) -> None:
    """Marked last: a build cut short is never used, and is resumed by the next one."""
    _set_metadata(client.get_collection(name), {"stamp": stamp, "at": time.time()})


def touch(client: Any, name: str) -> None:
    """Record that a builder chose ``name`` to serve, so ``prune`` keeps it as the previous."""
    try:
        _set_metadata(client.get_collection(name), {"at": time.time()})
    except Exception as exc:  # only bookkeeping: serving goes on
        log.warning("recording the use of collection %r failed: %r", name, exc)


def _set_metadata(collection: Any, changes: dict[str, Any]) -> None:
    kept = {k: v for k, v in (collection.metadata or {}).items() if not k.startswith("hnsw:")}
    collection.modify(metadata={**kept, **changes})


def prune(client: Any, keep: str) -> list[str]:
    """After the build ``keep``: delete the finished builds older than the one before it
    (workers may still search that until they switch) and builds cut short long ago.
    Returns the names deleted."""
    others = {n: m for n, m in our_collections(client).items() if n != keep}
    finished = sorted((n for n, m in others.items() if _finished(m)), key=lambda n: -_at(others[n]))
    cutoff = time.time() - STALE_BUILD_S
    abandoned = [
        n for n, m in others.items() if not _finished(m) and float(m.get("started", 0)) < cutoff
    ]
    deleted = []
    for name in [*finished[1:], *abandoned]:
        try:
            client.delete_collection(name)
        except Exception as exc:  # gone already (another builder pruned): nothing to do
            log.info("deleting collection %r: %r", name, exc)
            continue
        deleted.append(name)
    if deleted:
        log.info("deleted old index collections %s", ", ".join(deleted))
    return deleted
