"""``smecmm backup`` / ``smecmm restore``: counts in both languages, refusals with exit code 2
and the reason in Chinese and English, ``--force`` to replace a target's data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.knowledge.schema import FindingStatus
from assistant.settings import get_settings
from tests.utils.installation import Installation
from tests.utils.sessions import api_key, change, evidence_record, new_session, next_turn, recorded

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``SMECMM_DATA_DIR`` names a folder of the test; the rest of the settings are defaults."""
    for name in ("SMECMM_DATABASE_URL", "SMECMM_BLOB_URL", "SMECMM_CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    use_data_dir(monkeypatch, tmp_path / "a")
    yield tmp_path / "a"
    get_settings.cache_clear()


def use_data_dir(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("SMECMM_DATA_DIR", str(folder))
    get_settings.cache_clear()


def seed_light(data_dir: Path) -> set[str]:
    """Two sessions (one with an uploaded file and a finding) and a key, written directly."""
    place = Installation(data_dir)
    try:
        for sid in ("s-1", "s-2"):
            place.store.create(*new_session(sid))
        place.blobs.put(b"ev-1")
        place.store.commit_turn(
            *next_turn(place.store.get("s-1"), findings={"SS-1-01": recorded("SS-1-01")}),
            changes=[change("SS-1-01", None, FindingStatus.MET)],
            evidence=[evidence_record("s-1", "ev-1")],
        )
        place.store.add_key(api_key())
    finally:
        place.close()
    return {"s-1", "s-2"}


def test_backup_then_restore_into_another_data_directory(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = seed_light(data_dir)
    archive = tmp_path / "backup.tar.gz"

    made = runner.invoke(app, ["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert "会话 2 个、发现 1 条" in made.output and "2 sessions, 1 findings" in made.output
    assert "证据文件 1 个" in made.output and "1 keys" in made.output

    again = runner.invoke(app, ["backup", str(archive)])
    assert again.exit_code == 2
    assert "已存在" in again.stderr and "already exists" in again.stderr

    use_data_dir(monkeypatch, tmp_path / "b")
    restored = runner.invoke(app, ["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "已恢复：会话 2 个" in restored.output and "restored: 2 sessions" in restored.output
    copy = Installation(tmp_path / "b")
    try:
        assert {s.id for s in copy.store.list_sessions()} == sessions
    finally:
        copy.close()

    refused = runner.invoke(app, ["restore", str(archive)])
    assert refused.exit_code == 2
    assert "--force" in refused.stderr and "nothing was written" in refused.stderr

    forced = runner.invoke(app, ["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    assert "已替换原有数据：会话 2 个" in forced.output


def test_a_damaged_archive_is_refused_in_both_languages(data_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "broken.tar.gz"
    archive.write_bytes(b"\x1f\x8b not really gzip")

    result = runner.invoke(app, ["restore", str(archive)])

    assert result.exit_code == 2
    assert "错误：备份文件" in result.stderr and "Error: The backup file" in result.stderr
    assert not data_dir.exists()
