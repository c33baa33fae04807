"""When the vectors cannot be searched (Chroma down, or the collection gone under a worker),
an evidence upload still counts, with the links the file's own words suggest, and ``/ask``
answers 503 in the one error shape, never 500.

The failing store is real: an index built in embedded Chroma whose collection is then deleted."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from assistant.interview.runtime import assemble
from assistant.retrieval.embeddings import FakeEmbeddings
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.store import chroma_client
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import make_settings, start_session
from tests.utils.retrieval import small_corpus

LEDGER = (
    "服务台账（2025年1月—2025年6月）\n企业名称，服务内容，服务日期\n甲公司，融资对接，2025-03-02\n"
)


@pytest.fixture
def client(tmp_path: Path, store: SqlSessionStore) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, relevance_floor_zh=0, relevance_margin=1)
    chroma = chroma_client(tmp_path / "chroma")
    index, _ = RetrievalIndex.open(small_corpus("gone"), chroma, FakeEmbeddings(), "fake")
    chroma.delete_collection(index.collection)  # what a reindex elsewhere did before the fix
    parts = assemble(settings, store, index)
    app = create_app(settings, service=parts.service, answerer=parts.answerer)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_an_upload_counts_without_the_search(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    session = start_session(client)
    with caplog.at_level(logging.WARNING):
        response = client.post(
            f"/api/v1/sessions/{session.id}/evidence",
            files={"file": ("台账.txt", LEDGER.encode(), "text/plain")},
            headers=session.auth,
        )

    assert response.status_code == 201, response.text
    evidence = response.json()["evidence"]
    assert evidence["suggested_ids"]  # from the file's own words
    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth)
    assert [e["id"] for e in listed.json()["evidence"]] == [evidence["id"]]
    assert any("without the search" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "检索服务暂时不可用，请稍后重试"),
        ({"Accept-Language": "en"}, "Search is unavailable for now; try again"),
        ({"Accept": "text/event-stream"}, "检索服务暂时不可用，请稍后重试"),
    ],
)
def test_ask_answers_503_in_the_error_shape(
    client: TestClient, headers: dict[str, str], message: str
) -> None:
    response = client.post(
        "/api/v1/ask", json={"question": "服务记录要保存多少年？"}, headers=headers
    )

    assert response.status_code == 503, response.text
    assert response.json() == {"error": {"code": "search_unavailable", "message": message}}


def test_the_api_documents_503_on_ask(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "503" in schema["paths"]["/api/v1/ask"]["post"]["responses"]
