"""Everything retrieval indexes: the rendition, operator documents and the indicators."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.knowledge.loader import content_hash, load_catalog
from assistant.knowledge.schema import Catalog
from assistant.knowledge.standard import Clause, StandardDocument, load_standard
from assistant.retrieval.chunks import Chunk, area_chapters, catalog_chunks, document_chunks
from assistant.retrieval.clause_keys import load_clause_keys
from assistant.retrieval.glossary import Glossary, load_glossary, load_out_of_scope

__all__ = ["Corpus", "load_corpus", "load_stored_documents", "store_document"]

# Bump when chunking changes, so every index is rebuilt.
# 2: indicator chunks index the scoring guidance; 3: English clause keys; 4: Chinese keys and
# the indicators' English text (BM25), English words stemmed
CHUNKING_VERSION = 5


@dataclass(frozen=True)
class Corpus:
    catalog: Catalog
    documents: tuple[StandardDocument, ...]
    chunks: tuple[Chunk, ...]
    glossary: Glossary
    out_of_scope: tuple[str, ...]
    content_hash: str


def store_document(document: StandardDocument, directory: Path) -> Path:
    """Keep an ingested document as JSON, named by its content hash."""
    payload = {
        "source": document.source,
        "meta": document.meta,
        "clauses": [
            {"number": c.number, "title": c.title, "text": c.text, "parents": c.parents}
            for c in document.clauses
        ],
    }
    directory.mkdir(parents=True, exist_ok=True)
    digest = content_hash(payload).removeprefix("sha256:")[:16]
    path = directory / f"{digest}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _document_from_json(path: Path) -> StandardDocument:
    data = json.loads(path.read_text(encoding="utf-8"))
    clauses = tuple(
        Clause(
            number=c["number"],
            title=c["title"],
            text=c["text"],
            parents=tuple((p[0], p[1]) for p in c["parents"]),
            source=data["source"],
        )
        for c in data["clauses"]
    )
    return StandardDocument(source=data["source"], meta=data["meta"], clauses=clauses)


def load_stored_documents(directory: Path) -> tuple[StandardDocument, ...]:
    if not directory.is_dir():
        return ()
    return tuple(_document_from_json(p) for p in sorted(directory.glob("*.json")))


def load_corpus(knowledge_dir: Path, documents_dir: Path) -> Corpus:
    catalog = load_catalog(knowledge_dir / "rules")
    documents = load_standard(knowledge_dir / "standard") + load_stored_documents(documents_dir)
    keys = load_clause_keys(knowledge_dir / "retrieval" / "clause_keys.yaml")
    keys.check_against(documents)
    chapters = area_chapters(catalog)
    clause_chunks = document_chunks(documents, chapters, keys.merged(), keys.keys)
    chunks = tuple(clause_chunks + catalog_chunks(catalog))
    glossary = load_glossary(knowledge_dir / "retrieval" / "glossary.yaml")
    outside = load_out_of_scope(knowledge_dir / "retrieval" / "out_of_scope.yaml")
    digest = content_hash(
        {"chunking": CHUNKING_VERSION, "chunks": [c.model_dump(mode="json") for c in chunks]}
    )
    return Corpus(catalog, documents, chunks, glossary, outside.topics, digest)
