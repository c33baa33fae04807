"""Runs the web page's JavaScript unit tests (``tests/web/*.test.mjs``) with Node's test runner.

They cover the pure modules of ``web/static``: the Markdown renderer (no markup gets through),
the event-stream parser, the reload storage and the UI dictionary. Skipped where no ``node``
(18 or newer) is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.knowledge.loader import default_knowledge_dir, load_catalog
from assistant.vocabulary import payload

HERE = Path(__file__).parent
NODE = shutil.which("node")


def _node_major(node: str) -> int:
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    return int(version.stdout.strip().lstrip("v").split(".")[0])


@pytest.fixture(scope="module")
def vocabulary_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The labels the API serves at /api/v1/vocabulary, for the page's label functions."""
    catalog = load_catalog(default_knowledge_dir() / "rules")
    path = tmp_path_factory.mktemp("web") / "vocabulary.json"
    path.write_text(json.dumps(payload(catalog), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("module", sorted(p.name for p in HERE.glob("*.test.mjs")))
def test_javascript_module(module: str, vocabulary_file: Path) -> None:
    assert NODE is not None
    if _node_major(NODE) < 18:
        pytest.skip("node 18 or newer runs node:test")
    result = subprocess.run(
        [NODE, "--test", str(HERE / module)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "SMECMM_VOCABULARY": str(vocabulary_file)},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
