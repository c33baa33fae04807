"""Cross-checks between the catalog, its own rules and the standard rendition.

``python -m assistant.knowledge.check`` prints the indicator count of every area × level
cell and every problem found (``smecmm catalog lint`` adds the near-duplicate check); it exits
non-zero when there is a problem.

Each problem has a code, one per defect class:

    clause                    an indicator or area cites a clause the rendition lacks
    cell-count                an area × level cell has fewer than 4 or more than 8 indicators
    uncovered-characteristic  a level characteristic no indicator cites
    core-missing              a characteristic the notice states as a must at its level
                              (``must: true``) that no core indicator cites
    no-characteristic         an indicator cites no characteristic
    event-wording             an event-driven indicator neither allows not-applicable nor asks
                              for "a procedure, plus the last occurrence if there was one"
    max-age                   a direct requirement of a dated kind without a maximum age
    in-force-age              a policy, certificate or contract given a maximum age
    operating-time            operating time asked of a kind that cannot show it
    honour                    an honour or award asked as direct evidence, or not as a certificate
    see-also                  a cross-reference to an indicator the catalog lacks
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import default_knowledge_dir, load_catalog
from assistant.knowledge.schema import (
    DATED_KINDS,
    IN_FORCE_KINDS,
    OPERATING_TIME_KINDS,
    Catalog,
    EvidenceClass,
    EvidenceKind,
    Indicator,
)
from assistant.knowledge.standard import StandardDocument, load_standard

__all__ = [
    "EVENT_CUES",
    "HONOUR_CUES",
    "Problem",
    "cell_counts",
    "consistency_problems",
    "main",
    "structural_problems",
]

MIN_PER_CELL = 4
MAX_PER_CELL = 8
# "…的程序，以及最近一次（如有）的记录": the wording an event-driven requirement uses.
EVENT_CUES = re.compile(r"最近一次|如有|如发生|若有|若发生|发生过|如曾")
HONOUR_CUES = re.compile(r"荣誉|称号|表彰|获奖|奖项|奖励|评为")


@dataclass(frozen=True)
class Problem:
    code: str
    subject: str | None  # the indicator, characteristic or cell it is about
    text: str  # zh and en

    def __str__(self) -> str:
        return f"[{self.code}] {self.text}"


def cell_counts(catalog: Catalog) -> Counter[tuple[str, int]]:
    return Counter((i.area.value, int(i.level)) for i in catalog.indicators)


def _rendition_problems(catalog: Catalog, documents: tuple[StandardDocument, ...]) -> list[Problem]:
    clauses = {clause.number for document in documents for clause in document.clauses}
    problems = [
        Problem(
            "clause",
            i.id,
            f"indicator {i.id!r} cites clause {i.clause!r}, which the rendition does not have",
        )
        for i in catalog.indicators
        if i.clause not in clauses
    ]
    problems += [
        Problem(
            "clause",
            a.code.value,
            f"area {a.code.value!r} cites clause {a.clause!r}, which the rendition does not have",
        )
        for a in catalog.areas
        if a.clause not in clauses
    ]
    return problems


def _shape_problems(catalog: Catalog) -> list[Problem]:
    problems = []
    counts = cell_counts(catalog)
    for area in catalog.areas:
        for level in range(1, 6):
            n = counts[(area.code.value, level)]
            if not MIN_PER_CELL <= n <= MAX_PER_CELL:
                problems.append(
                    Problem(
                        "cell-count",
                        f"{area.code.value}-{level}",
                        f"cell {area.code.value}-{level} has {n} indicators, not 4–8",
                    )
                )
    tagged = {code for i in catalog.indicators for code in i.characteristics}
    cored = {code for i in catalog.indicators if i.core for code in i.characteristics}
    for spec in catalog.levels:
        for characteristic in spec.characteristics:
            code = characteristic.id
            if code not in tagged:
                problems.append(
                    Problem(
                        "uncovered-characteristic",
                        code,
                        f"characteristic {code!r} has no indicator",
                    )
                )
            if characteristic.must and code not in cored:
                problems.append(
                    Problem(
                        "core-missing",
                        code,
                        f"等级特征 {code}（{characteristic.text.zh}）为该等级必备，但没有核心指标"
                        f" / characteristic {code!r} is a must at its level but no core "
                        "indicator cites it",
                    )
                )
    return problems


def _indicator_problems(indicator: Indicator, ids: set[str]) -> list[Problem]:
    ident = indicator.id
    out: list[Problem] = []
    if not indicator.characteristics:
        out.append(
            Problem("no-characteristic", ident, f"{ident} 未引用等级特征 / cites no characteristic")
        )
    if (
        indicator.event
        and not indicator.na_allowed
        and not EVENT_CUES.search(indicator.requirement)
    ):
        out.append(
            Problem(
                "event-wording",
                ident,
                f"{ident} 为事件驱动指标，既不允许“不适用”，要求中也没有“最近一次（如有）”的表述"
                f" / {ident} is event-driven but neither allows not-applicable nor asks for "
                "a procedure plus the last occurrence if there was one",
            )
        )
    for other in indicator.see_also:
        if other not in ids:
            out.append(Problem("see-also", ident, f"{ident}: see_also {other!r} 不存在 / unknown"))
    for position, requirement in enumerate(indicator.evidence, start=1):
        kind = requirement.kind
        where = f"{ident} evidence[{position}] ({kind.value})"
        direct = requirement.evidence_class is EvidenceClass.DIRECT
        if direct and kind in DATED_KINDS and requirement.max_age_months is None:
            out.append(Problem("max-age", ident, f"{where}: 直接证据缺少时效 / no max_age_months"))
        if kind in IN_FORCE_KINDS and requirement.max_age_months is not None:
            out.append(
                Problem("in-force-age", ident, f"{where}: 有效期内即有效，不设时效 / in force")
            )
        if requirement.operating_months is not None and kind not in OPERATING_TIME_KINDS:
            out.append(
                Problem(
                    "operating-time",
                    ident,
                    f"{where}: 该类材料不能证明运行时长 / cannot show operating time",
                )
            )
        if HONOUR_CUES.search(requirement.description) and (
            direct or kind is not EvidenceKind.CERTIFICATE
        ):
            out.append(
                Problem(
                    "honour",
                    ident,
                    f"{where}: 荣誉只能作为证书类间接证据 / honours are indirect certificates",
                )
            )
    return out


def structural_problems(
    catalog: Catalog, documents: tuple[StandardDocument, ...] = ()
) -> list[Problem]:
    """Every structural problem; the rendition's clauses are checked when documents are given."""
    problems = _rendition_problems(catalog, documents) if documents else []
    problems += _shape_problems(catalog)
    ids = {i.id for i in catalog.indicators}
    for indicator in catalog.indicators:
        problems += _indicator_problems(indicator, ids)
    return problems


def consistency_problems(catalog: Catalog, documents: tuple[StandardDocument, ...]) -> list[str]:
    """The catalog against the rendition: clauses cited, cells filled, characteristics used."""
    kept = {"clause", "cell-count", "uncovered-characteristic"}
    return [
        p.text
        for p in _rendition_problems(catalog, documents) + _shape_problems(catalog)
        if p.code in kept
    ]


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
    problems = structural_problems(catalog, documents)
    for problem in problems:
        print("PROBLEM:", problem)  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
