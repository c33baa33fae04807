"""Chroma, embedded (PersistentClient) by default or a ``chroma run`` server by URL.

Chroma is always given an explicit embedding function: its own default downloads a model,
which cannot work offline.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import InMemoryVectorStore

from assistant.errors import ConfigurationError

__all__ = [
    "COLLECTION",
    "ChromaVectorIndex",
    "InMemoryVectorIndex",
    "VectorIndex",
    "chroma_client",
    "collection_metadata",
    "reset",
    "stamp",
]


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
    def __init__(self, client: Any, embeddings: Embeddings) -> None:
        from langchain_chroma import Chroma

        super().__init__(embeddings)
        self._store = Chroma(
            client=client, collection_name=COLLECTION, embedding_function=embeddings
        )

    def add(self, keys: Sequence[str], texts: Sequence[str]) -> None:
        documents = [
            Document(page_content=t, metadata={"key": k}) for k, t in zip(keys, texts, strict=True)
        ]
        self._store.add_documents(documents, ids=list(keys))

    def search_vector(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        pairs = self._store.similarity_search_by_vector_with_relevance_scores(list(vector), k=k)
        # the collection uses cosine space: distance = 1 - cosine similarity
        return [(doc.metadata["key"], 1.0 - float(distance)) for doc, distance in pairs]


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


COLLECTION = "smecmm_knowledge"


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


def collection_metadata(client: Any) -> dict[str, Any]:
    """The metadata of our collection, or {} when it does not exist yet."""
    try:
        return dict(client.get_collection(COLLECTION).metadata or {})
    except Exception:  # chromadb raises NotFoundError or ValueError depending on version
        return {}


def stamp(client: Any, value: str) -> None:
    collection = client.get_collection(COLLECTION)
    metadata = {k: v for k, v in (collection.metadata or {}).items() if not k.startswith("hnsw:")}
    collection.modify(metadata={**metadata, "stamp": value})


def reset(client: Any, metadata: dict[str, Any]) -> None:
    try:
        client.delete_collection(COLLECTION)
    except Exception:  # nothing to delete
        pass
    client.create_collection(COLLECTION, metadata={**metadata, "hnsw:space": "cosine"})
