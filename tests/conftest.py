from __future__ import annotations

import os

import pytest
from hypothesis import settings

from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.schema import Catalog, RuleSet

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
