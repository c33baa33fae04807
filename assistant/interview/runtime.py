"""Build the interview service from the settings: the one place the parts are wired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from assistant.documents import document_limits
from assistant.evidence import BlobStore, open_blob_store, searcher_suggester
from assistant.interview.ports import Answerer, AnswerMapper, QuestionPhraser
from assistant.interview.service import InterviewService
from assistant.interview.tokens import TokenPolicy
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.loader import load_catalog, load_rules
from assistant.knowledge.schema import Catalog
from assistant.settings import Settings
from assistant.storage import SessionStore, default_database_url, open_store

if TYPE_CHECKING:
    from assistant.retrieval.index import RetrievalIndex

__all__ = ["Assembly", "assemble", "open_blobs", "open_service", "open_session_store"]


@dataclass(frozen=True)
class Assembly:
    """The interview and the question answerer, sharing one index."""

    service: InterviewService
    answerer: Answerer | None


def open_session_store(settings: Settings) -> SessionStore:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return open_store(settings.database_url or default_database_url(settings.data_dir))


def open_blobs(settings: Settings) -> BlobStore:
    """The evidence store ``SMECMM_BLOB_URL`` names (files in the data directory by default)."""
    from assistant.evidence.blobs_s3 import S3Options

    secret = settings.s3_secret_access_key
    options = S3Options(
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=secret.get_secret_value() if secret is not None else "",
        addressing_style=settings.s3_addressing_style,
        connect_timeout=settings.s3_connect_timeout,
        read_timeout=settings.s3_read_timeout,
        max_attempts=settings.s3_max_attempts,
    )
    return open_blob_store(settings.blob_url, default_root=settings.evidence_dir, s3=options)


def assemble(
    settings: Settings, store: SessionStore, index: RetrievalIndex | None = None
) -> Assembly:
    """Wire the parts; with no index there are no mid-interview answers or link suggestions."""
    catalog = load_catalog(settings.rules_dir)
    answerer: Answerer | None = None
    if index is not None:
        from assistant.retrieval.runtime import open_answerer

        answerer = open_answerer(settings, index)
    mapper: AnswerMapper | None = None
    phraser: QuestionPhraser | None = None
    if settings.llm_model.strip().lower() not in ("", "none"):
        mapper, phraser, answerer = _model_parts(settings, catalog, answerer)
    desk = UploadDesk(
        catalog,
        open_blobs(settings),
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        search=searcher_suggester(index.searcher) if index is not None else None,
        limits=document_limits(settings),
    )
    service = InterviewService(
        catalog,
        load_rules(settings.rules_dir),
        store,
        desk=desk,
        mapper=mapper,
        answerer=answerer,
        phraser=phraser,
        token_policy=TokenPolicy(idle=timedelta(days=settings.session_token_idle_days)),
    )
    return Assembly(service, answerer)


def _model_parts(
    settings: Settings, catalog: Catalog, answerer: Answerer | None
) -> tuple[AnswerMapper, QuestionPhraser, Answerer | None]:
    """A configured model reads answers, phrases questions and writes grounded answers; each
    part falls back to the deterministic one on any failure (assistant.llm)."""
    from assistant.interview.mapping import DeterministicMapper
    from assistant.llm import ModelConfig, open_model_layer

    layer = open_model_layer(ModelConfig.from_settings(settings))
    assert layer is not None
    grounded = layer.answerer(answerer) if answerer is not None else None
    return layer.mapper(DeterministicMapper(catalog=catalog)), layer.phraser(), grounded


def open_service(
    settings: Settings, *, retrieval: bool = True, store: SessionStore | None = None
) -> InterviewService:
    """The service with the embedded defaults; ``retrieval=False`` skips loading the index,
    for reports and quick starts."""
    index = None
    if retrieval:
        from assistant.retrieval.runtime import open_index

        index, _ = open_index(settings)
    return assemble(settings, store or open_session_store(settings), index).service
