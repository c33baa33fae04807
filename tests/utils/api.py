"""Builders for the HTTP API tests: hand-written fakes, keys, web files, SSE parsing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.runtime import IndexSummary, IngestSummary
from assistant.qa.models import Answer, Citation
from assistant.security import hash_token
from assistant.storage import ApiKeyRecord, KeyRole, SessionStore

__all__ = [
    "ALLOWED_ORIGIN",
    "OTHER_ORIGIN",
    "OTHER_SITE_SECRET",
    "add_key",
    "SITE_SECRET",
    "FakeAnswerer",
    "FakeMaintenance",
    "Keys",
    "add_keys",
    "bearer",
    "parse_sse",
    "write_web_dir",
]

ALLOWED_ORIGIN = "https://sme.example.org"
OTHER_ORIGIN = "https://elsewhere.example.com"
SITE_SECRET = "test-site-secret-0123456789abcdef"  # the site-token secret of k-site
OTHER_SITE_SECRET = "other-site-secret-fedcba9876543210"  # … of k-bare
_CREATED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeAnswerer:
    """Answers every question from one fixed clause; 'weather' questions are not covered."""

    def __init__(self) -> None:
        self.questions: list[tuple[str, int | None]] = []

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        self.questions.append((question, k))
        if "天气" in question or "weather" in question.lower():
            return Answer(
                question=question, language="zh", covered=False, text="标准未涉及此问题。"
            )
        citation = Citation(
            clause="9.4.2",
            title="服务运营 — 数据与台账",
            source="参考文本（本项目编写）",
            text="机构应按统一口径采集服务数据，定期开展量化分析。",
            level=4,
            score=0.5,
        )
        text = "四星要求按统一口径采集服务数据。\n\n并定期开展量化分析，用于改进服务（见 9.4.2）。"
        return Answer(
            question=question, language="zh", covered=True, text=text, citations=(citation,)
        )


@dataclass
class FakeMaintenance:
    """Records what the admin endpoints asked for; never touches an index."""

    ingested: list[tuple[str, bytes]] = field(default_factory=list)
    reindexed: int = 0

    def ingest(self, filename: str, data: bytes) -> IngestSummary:
        self.ingested.append((filename, data))
        return IngestSummary(filename, 12, self.reindex())

    def reindex(self) -> IndexSummary:
        self.reindexed += 1
        return IndexSummary(rebuilt=True, chunks=345, seconds=1.5)


@dataclass(frozen=True)
class Keys:
    assessor: str
    admin: str
    site: str
    site_id: str
    bare_site: str  # a site key with no origins
    revoked_site: str


def add_key(store: SessionStore, key_id: str, role: KeyRole, **fields: object) -> str:
    key = f"smecmm_{role.value}_{key_id}-secret-value"
    store.add_key(
        ApiKeyRecord.model_validate(
            {
                "id": key_id,
                "role": role,
                "key_hash": hash_token(key),
                "created_at": _CREATED,
                **fields,
            }
        )
    )
    return key


def add_keys(store: SessionStore) -> Keys:
    keys = Keys(
        assessor=add_key(store, "k-assessor", KeyRole.ASSESSOR, label="评估员张三"),
        admin=add_key(store, "k-admin", KeyRole.ADMIN, label="管理员"),
        site=add_key(
            store,
            "k-site",
            KeyRole.SITE,
            origins=(ALLOWED_ORIGIN, "http://localhost:3000"),
            token_secret=SITE_SECRET,
        ),
        site_id="k-site",
        bare_site=add_key(store, "k-bare", KeyRole.SITE, token_secret=OTHER_SITE_SECRET),
        revoked_site=add_key(store, "k-revoked", KeyRole.SITE, origins=(OTHER_ORIGIN,)),
    )
    store.revoke_key("k-revoked")
    return keys


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def parse_sse(body: str) -> list[tuple[str, Any]]:
    """``[(event, data), …]`` of a text/event-stream body; each data line is JSON."""
    events: list[tuple[str, Any]] = []
    for block in body.split("\n\n"):
        if not block.strip():
            continue
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def write_web_dir(root: Path) -> Path:
    """The few web files the page routes serve, standing in for ``web/``."""
    (root / "static").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("<!doctype html><title>评估助手</title>", encoding="utf-8")
    (root / "embed.html").write_text("<!doctype html><title>嵌入</title>", encoding="utf-8")
    (root / "widget.js").write_text("(function(){/* widget */})();\n", encoding="utf-8")
    (root / "static" / "chat.css").write_text("body{margin:0}\n", encoding="utf-8")
    return root
