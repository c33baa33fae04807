"""Import-boundary checks: what a package's sources import, and what importing it loads."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["ROOT", "forbidden_imports", "imported_modules", "loaded_after", "within"]

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path, package: str = "") -> list[str]:
    """Every module a source file imports, at top level or inside a function; a relative
    import is resolved against ``package``, the dotted package the file lies in."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append(_absolute(node, package))
    return names


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    parts = package.split(".")
    base = parts[: len(parts) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def within(name: str, roots: Iterable[str]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def forbidden_imports(package: str, roots: tuple[str, ...]) -> list[str]:
    """``file: module`` for each import, in any module of ``package``, of one of ``roots``."""
    top = ROOT.joinpath(*package.split("."))
    return [
        f"{path.relative_to(top)}: {name}"
        for path in sorted(top.rglob("*.py"))
        for name in imported_modules(path, ".".join([package, *path.relative_to(top).parent.parts]))
        if within(name, roots)
    ]


def loaded_after(statement: str) -> list[str]:
    """The modules a fresh interpreter holds after running ``statement``."""
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    return list(json.loads(out.stdout))
