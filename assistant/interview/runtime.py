"""Build the interview service from the settings: the one place the parts are wired."""

from __future__ import annotations

from assistant.evidence import FileBlobStore, searcher_suggester
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.loader import load_catalog, load_rules
from assistant.settings import Settings
from assistant.storage import SessionStore, default_database_url, open_store

__all__ = ["open_service", "open_session_store"]


def open_session_store(settings: Settings) -> SessionStore:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return open_store(settings.database_url or default_database_url(settings.data_dir))


def open_service(
    settings: Settings, *, retrieval: bool = True, store: SessionStore | None = None
) -> InterviewService:
    """The service with the embedded defaults; ``retrieval=False`` skips loading the index
    (no mid-interview questions, no link suggestions), for reports and quick starts."""
    catalog = load_catalog(settings.rules_dir)
    rules = load_rules(settings.rules_dir)
    answerer = search = None
    if retrieval:
        from assistant.retrieval.runtime import open_answerer, open_index

        index, _ = open_index(settings)
        answerer = open_answerer(settings, index)
        search = searcher_suggester(index.searcher)
    desk = UploadDesk(
        catalog,
        FileBlobStore(settings.evidence_dir),
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        search=search,
    )
    return InterviewService(
        catalog,
        rules,
        store or open_session_store(settings),
        desk=desk,
        answerer=answerer,
    )
