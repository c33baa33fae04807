"""Open the retrieval index and the question answerer from the settings."""

from __future__ import annotations

from pathlib import Path

from assistant.knowledge.loader import load_rules
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.corpus import Corpus, load_corpus
from assistant.retrieval.embeddings import embedder_name, make_embeddings
from assistant.retrieval.foreign import warm_up
from assistant.retrieval.glossary import load_out_of_scope
from assistant.retrieval.index import BuildReport, Progress, RetrievalIndex
from assistant.retrieval.relevance import CoverageCheck
from assistant.retrieval.scope_head import load_calibration, open_scope_head
from assistant.retrieval.store import chroma_client
from assistant.settings import Settings

__all__ = ["coverage_check", "open_answerer", "open_index"]


def coverage_check(settings: Settings) -> CoverageCheck:
    outside = load_out_of_scope(settings.knowledge_dir / "retrieval" / "out_of_scope.yaml")
    calibration = load_calibration(_calibration_path(settings))
    return CoverageCheck(
        floor_zh=settings.relevance_floor_zh,
        floor_en=settings.relevance_floor_en,
        margin=settings.relevance_margin,
        lookalikes=outside.lookalikes,
        head_threshold=calibration.threshold if calibration and settings.scope_head else None,
        head_rescue=calibration.rescue if calibration and settings.scope_head else None,
    )


def _calibration_path(settings: Settings) -> Path:
    return settings.knowledge_dir / "retrieval" / "scope_head.yaml"


def open_index(
    settings: Settings,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    corpus: Corpus | None = None,
    reuse_only: bool = False,
) -> tuple[RetrievalIndex, BuildReport]:
    """The index of ``corpus`` (by default the one the settings name), built when needed;
    ``reuse_only`` raises ``IndexNotReady`` instead of building."""
    corpus = corpus or load_corpus(settings.knowledge_dir, settings.documents_dir)
    embeddings = make_embeddings(settings.embedding_model, threads=settings.embedding_threads)
    client = chroma_client(settings.index_dir / "chroma", settings.chroma_url)
    embedder = embedder_name(settings.embedding_model)
    index, report = RetrievalIndex.open(
        corpus,
        client,
        embeddings,
        embedder,
        rebuild=rebuild,
        progress=progress,
        reuse_only=reuse_only,
    )
    if settings.scope_head:
        # Trained beside the index when missing or stale (about a thousand short questions).
        index.searcher.scope_head = open_scope_head(
            settings.index_dir,
            embeddings,
            embedder,
            examples_path=settings.knowledge_dir / "retrieval" / "scope_examples.yaml",
            calibration=load_calibration(_calibration_path(settings)),
            may_train=not reuse_only,
        )
    return index, report


def open_answerer(settings: Settings, index: RetrievalIndex | None = None) -> QuestionAnswerer:
    index = index or open_index(settings)[0]
    warm_up()  # the foreign-noun tagger, before the first question
    floor = coverage_check(settings)
    rules = load_rules(settings.rules_dir)
    return QuestionAnswerer(index, floor, k=settings.retrieval_k, rules=rules)
