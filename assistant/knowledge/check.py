"""Cross-checks between the catalog and the standard rendition.

``python -m assistant.knowledge.check`` prints the indicator count of every area × level
cell and every problem found; it exits non-zero when there is a problem.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import default_knowledge_dir, load_catalog
from assistant.knowledge.schema import Catalog
from assistant.knowledge.standard import StandardDocument, load_standard

__all__ = ["cell_counts", "consistency_problems", "main"]

MIN_PER_CELL = 4
MAX_PER_CELL = 8


def cell_counts(catalog: Catalog) -> Counter[tuple[str, int]]:
    return Counter((i.area.value, int(i.level)) for i in catalog.indicators)


def consistency_problems(catalog: Catalog, documents: tuple[StandardDocument, ...]) -> list[str]:
    clauses = {clause.number for document in documents for clause in document.clauses}
    problems = [
        f"indicator {i.id!r} cites clause {i.clause!r}, which the rendition does not have"
        for i in catalog.indicators
        if i.clause not in clauses
    ]
    problems += [
        f"area {a.code.value!r} cites clause {a.clause!r}, which the rendition does not have"
        for a in catalog.areas
        if a.clause not in clauses
    ]
    counts = cell_counts(catalog)
    for area in catalog.areas:
        for level in range(1, 6):
            n = counts[(area.code.value, level)]
            if not MIN_PER_CELL <= n <= MAX_PER_CELL:
                problems.append(f"cell {area.code.value}-{level} has {n} indicators, not 4–8")
    tagged = {code for i in catalog.indicators for code in i.characteristics}
    for spec in catalog.levels:
        for characteristic in spec.characteristics:
            if characteristic.id not in tagged:
                problems.append(f"characteristic {characteristic.id!r} has no indicator")
    return problems


def main(argv: list[str] | None = None) -> int:
    root = Path(argv[0]) if argv else default_knowledge_dir()
    try:
        catalog = load_catalog(root / "rules")
    except KnowledgeError as exc:
        print(exc)  # noqa: T201
        return 1
    documents = load_standard(root / "standard")
    counts = cell_counts(catalog)
    for area in catalog.areas:
        row = " ".join(f"{counts[(area.code.value, level)]:2d}" for level in range(1, 6))
        print(f"{area.code.value:4s} {row}")  # noqa: T201
    print(f"total {len(catalog.indicators)} indicators; {catalog.content_hash}")  # noqa: T201
    problems = consistency_problems(catalog, documents)
    for problem in problems:
        print("PROBLEM:", problem)  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
