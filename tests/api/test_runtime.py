"""The app as ``smecmm serve`` starts it: the runtime opened from the settings at start-up
(fake embeddings keep the index small), and the admin endpoints on the real index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from api.runtime import IndexMaintenance, RuntimeBox, open_runtime
from assistant.cli.key_commands import issue_key
from assistant.errors import KnowledgeError
from assistant.interview.runtime import open_session_store
from assistant.settings import Settings
from assistant.storage import KeyRole
from tests.api.conftest import make_settings

DOCUMENT = """# 中小企业服务 服务机构 通用能力成熟度模型（正式文本）

## 6.3 服务平台与信息化

机构应建立覆盖服务受理、办理、回访全过程的服务平台，并保存服务记录不少于三年。

## 6.4 数据与台账

机构应按统一口径建立服务台账，每季度分析服务数据。
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, str, Settings]]:
    settings = make_settings(tmp_path, embedding_model="fake")
    store = open_session_store(settings)
    admin_key, _ = issue_key(store, KeyRole.ADMIN, label="运维")
    app = create_app(settings)
    with TestClient(app) as client:
        yield client, admin_key, settings


def test_the_served_app_opens_its_runtime_and_maintains_the_index(
    served: tuple[TestClient, str, Settings],
) -> None:
    client, admin_key, settings = served
    admin = {"X-API-Key": admin_key}
    box = client.app.state.runtime
    first = box.current

    started = client.post("/api/v1/sessions")
    asked = client.post("/api/v1/ask", json={"question": "四星对数据有什么要求？"})
    reindexed = client.post("/api/v1/admin/reindex", headers=admin)
    ingested = client.post(
        "/api/v1/admin/documents", files={"file": ("正式文本.md", DOCUMENT.encode())}, headers=admin
    )

    assert started.status_code == 201
    assert asked.status_code == 200 and asked.json()["question"] == "四星对数据有什么要求？"
    assert reindexed.status_code == 200 and reindexed.json()["rebuilt"] is False
    assert ingested.status_code == 201, ingested.text
    assert ingested.json()["clauses"] == 2
    assert ingested.json()["index"]["rebuilt"] is True
    assert list(settings.documents_dir.glob("*.json"))
    assert box.current is not first  # the rebuilt index was swapped in
    assert box.current.service.store is first.service.store
    # Sessions live on across the swap.
    session_id = started.json()["session_id"]
    token = started.json()["token"]
    view = client.get(
        f"/api/v1/sessions/{session_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert view.status_code == 200


def test_an_unreadable_document_is_refused_without_server_paths(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, embedding_model="fake")
    maintenance = IndexMaintenance(settings, RuntimeBox(open_runtime(settings, retrieval=False)))

    with pytest.raises(KnowledgeError) as wrong_type:
        maintenance.ingest("程序.exe", b"MZ\x90\x00")
    with pytest.raises(KnowledgeError) as no_clauses:
        maintenance.ingest("说明.md", "只有一段话，没有任何条款编号。".encode())

    assert "'程序.exe'" in str(wrong_type.value)
    assert "smecmm-ingest" not in str(no_clauses.value)
    assert "smecmm-ingest" not in no_clauses.value.message("en")
    assert "说明.md" in str(no_clauses.value)
    assert not settings.documents_dir.exists()


def test_the_answer_reader_is_ready_before_the_first_applicant(tmp_path: Path) -> None:
    from assistant.interview.cues_relevance import _tokenizer

    _tokenizer.cache_clear()
    open_runtime(make_settings(tmp_path), retrieval=False)
    assert _tokenizer().initialized  # jieba's dictionary loaded at start-up, not on first reply
