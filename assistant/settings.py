"""The one place configuration is read: environment variables prefixed ``SMECMM_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.knowledge.loader import default_knowledge_dir

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SMECMM_", env_file=".env", extra="ignore")

    knowledge_dir: Path = Field(default_factory=default_knowledge_dir)

    @property
    def rules_dir(self) -> Path:
        return self.knowledge_dir / "rules"

    @property
    def standard_dir(self) -> Path:
        return self.knowledge_dir / "standard"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
