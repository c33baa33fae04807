"""``smecmm sessions``: revoke a token; prune abandoned sessions (a dry run first), keeping
finished ones, assessed ones and evidence files another session still names."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.errors import SessionNotFound
from assistant.evidence import FileBlobStore
from assistant.interview.runtime import open_session_store
from assistant.knowledge.schema import FindingStatus
from assistant.session.state import Actor, Stage
from assistant.settings import Settings, get_settings
from assistant.storage import SessionStore
from tests.utils.sessions import change, evidence_record, new_session, next_turn

runner = CliRunner()
LONG_AGO = datetime.now(UTC) - timedelta(days=120)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("SMECMM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SMECMM_DATABASE_URL", raising=False)
    monkeypatch.delenv("SMECMM_SESSION_PRUNE_AFTER_DAYS", raising=False)
    get_settings.cache_clear()
    yield Settings(data_dir=tmp_path)
    get_settings.cache_clear()


def seed(store: SessionStore, blobs: FileBlobStore) -> None:
    """s-old (abandoned: its own file and one shared with s-new), s-done, s-assessed, s-new."""
    for sid in ("s-old", "s-done", "s-assessed", "s-new"):
        store.create(*new_session(sid, created=LONG_AGO))
    old = [evidence_record("s-old", e, when=LONG_AGO) for e in ("ev-own", "ev-shared")]
    store.commit_turn(*next_turn(store.get("s-old"), when=LONG_AGO), evidence=old)
    done = store.get("s-done")
    finished = done.state.model_copy(update={"stage": Stage.DONE})
    store.commit_turn(*next_turn(done, state=finished, when=LONG_AGO))
    store.commit_turn(
        *next_turn(store.get("s-assessed"), when=LONG_AGO),
        changes=[change("SS-1-01", None, FindingStatus.MET, actor=Actor.ASSESSOR, when=LONG_AGO)],
    )
    store.commit_turn(
        *next_turn(store.get("s-new"), when=datetime.now(UTC)),
        evidence=[evidence_record("s-new", "ev-shared", when=datetime.now(UTC))],
    )
    for evidence_id in ("ev-own", "ev-shared"):
        path = blobs.path(blobs.put(evidence_id.encode()))
        os.utime(path, (time.time() - 7200, time.time() - 7200))


def blob(blobs: FileBlobStore, evidence_id: str) -> Path:
    return blobs.path(evidence_record("s", evidence_id).sha256)


def test_a_dry_run_lists_what_would_go_and_changes_nothing(settings: Settings) -> None:
    store, blobs = open_session_store(settings), FileBlobStore(settings.evidence_dir)
    seed(store, blobs)
    before = store.list_sessions()

    result = runner.invoke(app, ["sessions", "prune", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "s-old" in result.output
    assert all(sid not in result.output for sid in ("s-done", "s-assessed", "s-new"))
    assert "将删除 1 个" in result.output and "would remove 1 sessions" in result.output
    assert result.output.index("将删除") < result.output.index("would remove")  # zh first
    assert store.list_sessions() == before
    assert blob(blobs, "ev-own").is_file()


def test_prune_removes_the_abandoned_session_and_only_its_own_file(settings: Settings) -> None:
    store, blobs = open_session_store(settings), FileBlobStore(settings.evidence_dir)
    seed(store, blobs)

    result = runner.invoke(app, ["sessions", "prune"])

    assert result.exit_code == 0, result.output
    assert "已删除 1 个" in result.output and "2 条证据记录、1 个证据文件" in result.output
    with pytest.raises(SessionNotFound):
        store.get("s-old")
    assert {s.id for s in store.list_sessions()} == {"s-done", "s-assessed", "s-new"}
    assert not blob(blobs, "ev-own").exists()
    assert blob(blobs, "ev-shared").is_file()  # s-new still names the same bytes


def test_older_than_overrides_the_setting(settings: Settings) -> None:
    store, blobs = open_session_store(settings), FileBlobStore(settings.evidence_dir)
    seed(store, blobs)

    kept = runner.invoke(app, ["sessions", "prune", "--older-than", "200"])
    refused = runner.invoke(app, ["sessions", "prune", "--older-than", "0"])

    assert kept.exit_code == 0 and "已删除 0 个" in kept.output
    assert store.get("s-old").id == "s-old"
    assert refused.exit_code == 2


def test_a_zero_setting_switches_pruning_off(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, blobs = open_session_store(settings), FileBlobStore(settings.evidence_dir)
    seed(store, blobs)
    monkeypatch.setenv("SMECMM_SESSION_PRUNE_AFTER_DAYS", "0")
    get_settings.cache_clear()

    result = runner.invoke(app, ["sessions", "prune"])

    assert result.exit_code == 0 and "不清理" in result.output
    assert store.get("s-old").id == "s-old"


def test_revoke_stops_the_token_and_an_unknown_id_is_an_error(settings: Settings) -> None:
    store = open_session_store(settings)
    store.create(*new_session("s-1"))
    store.set_resume_code("s-1", "code-hash", datetime.now(UTC) + timedelta(days=1))

    done = runner.invoke(app, ["sessions", "revoke", "s-1"])
    unknown = runner.invoke(app, ["sessions", "revoke", "s-nowhere"])

    assert done.exit_code == 0 and "已停用" in done.output
    assert store.get("s-1").token_revoked_at is not None
    assert store.redeem_resume_code("code-hash", "t", datetime.now(UTC)) is None
    assert unknown.exit_code == 2 and "s-nowhere" in unknown.output
