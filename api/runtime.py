"""What the app serves from: the interview service, the question answerer, and the knowledge
maintenance behind the admin endpoints. Built from the settings at start-up, or injected."""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from assistant.errors import AssistantError, KnowledgeError
from assistant.evidence import display_name
from assistant.interview.ports import Answerer
from assistant.interview.runtime import assemble, open_session_store
from assistant.interview.service import InterviewService
from assistant.settings import Settings
from assistant.storage import SessionStore

if TYPE_CHECKING:
    from assistant.retrieval.index import RetrievalIndex

__all__ = [
    "INGEST_SUFFIXES",
    "IndexMaintenance",
    "IndexSummary",
    "IngestSummary",
    "Maintenance",
    "Runtime",
    "RuntimeBox",
    "build_runtime",
    "open_runtime",
]

INGEST_SUFFIXES = frozenset({".pdf", ".docx", ".md", ".markdown", ".txt"})


@dataclass(frozen=True)
class Runtime:
    """Swapped whole (never mutated) when the index is rebuilt, so a request sees one state."""

    service: InterviewService
    answerer: Answerer | None
    # The version of the shared index stamp this runtime serves (None: no reindex recorded
    # yet); api.index_watch swaps in a newer runtime when another worker reindexed.
    index_version: int | None = None


class RuntimeBox:
    """The current runtime; requests read ``current``, a rebuild replaces it."""

    def __init__(self, runtime: Runtime) -> None:
        self.current = runtime
        self.lock = threading.Lock()  # one rebuild or reload at a time in this process


@dataclass(frozen=True, slots=True)
class IndexSummary:
    rebuilt: bool
    chunks: int
    seconds: float


@dataclass(frozen=True, slots=True)
class IngestSummary:
    filename: str
    clauses: int
    index: IndexSummary


class Maintenance(Protocol):
    """The admin endpoints' work: take in an official document, rebuild the index."""

    def ingest(self, filename: str, data: bytes) -> IngestSummary: ...

    def reindex(self) -> IndexSummary: ...


def build_runtime(
    settings: Settings,
    index: RetrievalIndex | None,
    store: SessionStore,
    index_version: int | None = None,
) -> Runtime:
    parts = assemble(settings, store, index)
    return Runtime(parts.service, parts.answerer, index_version)


def open_runtime(settings: Settings, *, retrieval: bool = True) -> Runtime:
    """The embedded defaults; ``retrieval=False`` serves without /ask and link suggestions."""
    from assistant.interview.cues_relevance import warm_up

    warm_up()
    store = open_session_store(settings)
    index = version = None
    if retrieval:
        from assistant.retrieval.runtime import open_index

        # Read before the index opens: a reindex in between is picked up at the next check.
        stamp = store.index_stamp()
        version = stamp.version if stamp is not None else None
        index, _ = open_index(settings)
    return build_runtime(settings, index, store, version)


class IndexMaintenance:
    """Ingests into ``settings.documents_dir`` and rebuilds the index in this process.

    The rebuilt runtime replaces the box's, on the same session store, and the reindex is
    stamped in the shared database: every other worker reopens the index at its next check
    (``api.index_watch``, every ``SMECMM_INDEX_CHECK_SECONDS``).
    """

    def __init__(self, settings: Settings, box: RuntimeBox) -> None:
        self._settings = settings
        self._box = box

    def ingest(self, filename: str, data: bytes) -> IngestSummary:
        from assistant.documents import document_limits
        from assistant.knowledge.extract import DocumentRefused
        from assistant.knowledge.segment import ingest_document
        from assistant.retrieval.corpus import store_document

        name = display_name(filename)
        if Path(name).suffix.lower() not in INGEST_SUFFIXES:
            raise KnowledgeError(
                f"{name!r}：只接受 PDF、DOCX、Markdown 或 TXT 文件",
                en=f"{name!r}: only PDF, DOCX, Markdown or TXT files are accepted",
            )
        with tempfile.TemporaryDirectory(prefix="smecmm-ingest-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            try:
                document = ingest_document(path, limits=document_limits(self._settings))
            except DocumentRefused as exc:  # named as uploaded, its reason kept
                raise DocumentRefused(name, exc.zh, exc.en, reason=exc.reason) from None
            except AssistantError as exc:  # the message must not show the server's temp path
                raise KnowledgeError(
                    str(exc).replace(f"{folder}/", ""),
                    en=exc.message("en").replace(f"{folder}/", ""),
                ) from None
        store_document(document, self._settings.documents_dir)
        return IngestSummary(name, len(document.clauses), self.reindex())

    def reindex(self) -> IndexSummary:
        from assistant.retrieval.runtime import open_index

        box = self._box
        with box.lock:
            index, report = open_index(self._settings)
            store = box.current.service.store
            # Swapped before the stamp, so this worker is never behind the others.
            box.current = build_runtime(self._settings, index, store, box.current.index_version)
            stamp = store.bump_index_stamp(report.content_hash, datetime.now(UTC))
            box.current = replace(box.current, index_version=stamp.version)
        return IndexSummary(report.rebuilt, report.chunks, report.seconds)
