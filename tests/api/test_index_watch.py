"""Two workers over one database and one data directory (embedded Chroma, fake embeddings):
a reindex through one is served by the other after its next check of the shared stamp; keys
and sessions made through one are honoured by the other at once.

Checks are driven by the tests (``index_check_seconds=0``: no background task)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import create_app
from api.index_watch import IndexWatch
from api.runtime import RuntimeBox, open_runtime
from assistant.cli.key_commands import issue_key
from assistant.interview.runtime import assemble, open_session_store
from assistant.settings import Settings
from assistant.storage import KeyRole
from tests.api.conftest import make_settings, start_session

DOCUMENT = """# 中小企业服务 服务机构 通用能力成熟度模型（正式文本）

## 6.3 服务平台与信息化

机构应建立覆盖服务受理、办理、回访全过程的服务平台，并保存服务记录不少于七年。
"""
QUESTION = "服务记录要保存多少年？"


def _box(client: TestClient) -> RuntimeBox:
    box: RuntimeBox = client.app.state.runtime  # type: ignore[attr-defined]
    return box


def _watch(client: TestClient) -> IndexWatch:
    watch: IndexWatch = client.app.state.index_watch  # type: ignore[attr-defined]
    return watch


def _settings(tmp_path: Path) -> Settings:
    # every question counts as covered: fake vectors say nothing about relevance
    return make_settings(
        tmp_path,
        embedding_model="fake",
        index_check_seconds=0,
        relevance_floor_zh=0,
        relevance_margin=1,
    )


def _cited(client: TestClient) -> str:
    answer = client.post("/api/v1/ask", json={"question": QUESTION})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return " ".join(citation["text"] for citation in body["citations"])


def test_a_reindex_on_one_worker_is_served_by_the_other_after_its_check(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    admin_key, _ = issue_key(open_session_store(settings), KeyRole.ADMIN, label="运维")
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        assert _watch(two).check() is False  # nothing reindexed yet
        before = _box(two).current
        assert "七年" not in _cited(two)

        ingested = one.post(
            "/api/v1/admin/documents",
            files={"file": ("正式文本.md", DOCUMENT.encode())},
            headers={"X-API-Key": admin_key},
        )
        assert ingested.status_code == 201, ingested.text
        stamp = _box(one).current.service.store.index_stamp()
        assert stamp is not None and _box(one).current.index_version == stamp.version
        assert _box(two).current is before  # until its next check
        assert "七年" not in _cited(two)  # its vectors were kept: still searchable

        assert _watch(two).check() is True
        assert _box(two).current.index_version == stamp.version
        assert "七年" in _cited(two)
        assert _watch(two).check() is False  # once per version
        assert _watch(one).check() is False  # the reindexing worker is current already
        assert (_watch(two).reloads, _watch(one).reloads) == (1, 0)


def test_keys_and_sessions_made_through_one_worker_work_on_the_other(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    stores = [open_session_store(settings) for _ in range(2)]
    apps = [create_app(settings, service=assemble(settings, s).service) for s in stores]
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        assessor_key, record = issue_key(stores[0], KeyRole.ASSESSOR, label="评估员")
        headers = {"X-API-Key": assessor_key}
        session = start_session(one)

        assert two.get("/api/v1/sessions", headers=headers).status_code == 200
        assert two.get(f"/api/v1/sessions/{session.id}", headers=session.auth).status_code == 200
        stores[0].revoke_key(record.id)
        assert two.get("/api/v1/sessions", headers=headers).status_code == 401


@pytest.fixture
def follower(tmp_path: Path) -> tuple[Settings, RuntimeBox]:
    """A worker's runtime without an index yet: what it reopens is all the test looks at."""
    settings = _settings(tmp_path)
    return settings, RuntimeBox(open_runtime(settings, retrieval=False))


def test_a_worker_whose_documents_differ_keeps_its_runtime(
    follower: tuple[Settings, RuntimeBox],
) -> None:
    """Its own corpus is not the stamped one: it must not rebuild shared vectors, nor retry."""
    settings, box = follower
    before = box.current
    stamp = before.service.store.bump_index_stamp("sha256:not-this-corpus", datetime.now(UTC))
    watch = IndexWatch(settings, box)

    assert watch.check() is False
    assert box.current.index_version == stamp.version
    assert box.current.service is before.service and box.current.answerer is None
    assert watch.check() is False and watch.reloads == 0
    assert not (settings.index_dir / "chroma").exists()  # nothing built


def test_a_follower_waits_while_the_vectors_are_being_built(
    follower: tuple[Settings, RuntimeBox],
) -> None:
    from assistant.retrieval.corpus import load_corpus
    from assistant.retrieval.store import begin_build, chroma_client, our_collections

    settings, box = follower
    client = chroma_client(settings.index_dir / "chroma", settings.chroma_url)
    corpus = load_corpus(settings.knowledge_dir, settings.documents_dir)
    begin_build(client, "smecmm_knowledge_midway", f"{corpus.content_hash}|fake", "fake")
    box.current.service.store.bump_index_stamp(corpus.content_hash, datetime.now(UTC))
    watch = IndexWatch(settings, box)

    assert watch.check() is False
    assert box.current.index_version is None  # not applied: the next check tries again
    assert list(our_collections(client)) == ["smecmm_knowledge_midway"]  # it built nothing
