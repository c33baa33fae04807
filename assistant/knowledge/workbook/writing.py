"""The catalog and rules written as an .xlsx workbook, README sheet first, with drop-down
lists where a column takes a fixed set of values."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from assistant.knowledge.schema import (
    Catalog,
    EvidenceKind,
    FindingStatus,
    RuleSet,
)
from assistant.knowledge.workbook.layout import MAX_ROWS, SCORING, SHEETS

__all__ = ["export_workbook"]

# --- writing -----------------------------------------------------------------------------------

_README: tuple[tuple[str, str], ...] = (
    ("指标目录工作簿", "Catalog workbook"),
    (
        "本工作簿由 smecmm catalog export 导出，包含评估指标目录和评级规则的全部内容。",
        "Exported by `smecmm catalog export`: the whole indicator catalog and rating rules.",
    ),
    (
        "修改后用 smecmm catalog import 文件.xlsx --dry-run 检查，无误后去掉 --dry-run 导入。",
        "After editing, check with `smecmm catalog import FILE.xlsx --dry-run`, then import.",
    ),
    (
        "整个工作簿全部通过校验才会写入；任何错误都会列出工作表、行、列和原因，且不写入任何文件。",
        "Nothing is written unless the whole workbook is valid; each error names sheet, row, "
        "column and reason.",
    ),
    (
        "第 1 行是列名（不要改名），每行一条记录，空行忽略，列的先后可以调整。",
        "Row 1 holds the column keys (keep them); one record a row; blank rows are skipped; "
        "columns may be reordered.",
    ),
    (
        "列表字段：hints、hints_en 每行一条（单元格内 Alt+Enter 换行）；characteristics、"
        "see_also、core_pass_statuses 用逗号、分号或空格分隔。",
        "List fields: hints and hints_en one item a line (Alt+Enter in the cell); "
        "characteristics, see_also and core_pass_statuses separated by commas, semicolons or "
        "spaces.",
    ),
    (
        "是/否字段可填 TRUE/FALSE、true/false 或 是/否。",
        "Booleans: TRUE/FALSE, true/false or 是/否.",
    ),
    (
        "工作表：catalog（版本、标准号）、areas（能力域）、items（能力项）、levels（等级）、"
        "characteristics（等级特征，must 为该等级必须具备、须有核心指标覆盖）、indicators（指标，"
        "每行一条）、evidence（证据要求，按指标编号和序号 position 排列）、rules（评级规则参数）。",
        "Sheets: catalog (version, standard), areas, items, levels, characteristics (must: the "
        "level requires it and a core indicator covers it), indicators (one a row), evidence "
        "(requirements, keyed by indicator id and position), rules (rating parameters).",
    ),
    (
        "证据类型 kind：policy 制度文件、plan 规划/计划、record 记录、report 报告、screenshot 平台"
        "截图、contract 合同/协议、certificate 证书/资质、ledger 台账/数据表、case 案例材料、"
        "interview 访谈记录、observation 现场查看（后两类只能由评估人员确认）。",
        "Evidence kinds: policy, plan, record, report, screenshot, contract, certificate, ledger, "
        "case, interview, observation (the last two only through an assessor's confirmation).",
    ),
    (
        "证据规则：直接证据中记录、台账、报告、截图、案例、计划须填 max_age_months；"
        "制度、证书、合同在有效期内有效，不填时效；operating_months 只能用于记录、台账、报告；"
        "荣誉只作间接证据。",
        "Evidence rules: a direct record, ledger, report, screenshot, case or plan needs "
        "max_age_months; policies, certificates and contracts count while in force (no maximum "
        "age); operating_months only on records, ledgers and reports; honours are indirect only.",
    ),
    (
        "依据 basis：notice 为公开通知所述；practice 为本项目的做法，须在 basis_note 写明理由。",
        "basis: notice (stated by the public notice) or practice (the project's own reading, "
        "with its reason in basis_note).",
    ),
    (
        "版本：修改任何内容后请在 catalog 表（及改了规则时在 rules 表）更新版本号。",
        "Versions: after any change, raise the version on the catalog sheet (and on the rules "
        "sheet when a rule changed).",
    ),
)


def _sheet(book: Workbook, name: str) -> Any:
    sheet = book.create_sheet(name)
    keys = [key for key, _ in SHEETS[name]]
    sheet.append(keys)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _choice(sheet: Any, column: str, options: Sequence[str]) -> None:
    keys = [key for key, _ in SHEETS[sheet.title]]
    letter = get_column_letter(keys.index(column) + 1)
    rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
    rule.add(f"{letter}2:{letter}{MAX_ROWS}")
    sheet.add_data_validation(rule)


def _rows(catalog: Catalog, rules: RuleSet) -> Iterator[tuple[str, list[Any]]]:
    yield "catalog", ["version", catalog.version]
    yield "catalog", ["standard", catalog.standard]
    for area in catalog.areas:
        yield "areas", [area.code.value, area.name.zh, area.name.en, area.clause]
        for item in area.items:
            yield "items", [area.code.value, item.code, item.name.zh, item.name.en]
    for spec in catalog.levels:
        yield "levels", [int(spec.level), spec.name.zh, spec.name.en, spec.clause]
        for c in spec.characteristics:
            yield "characteristics", [int(spec.level), c.id, c.text.zh, c.text.en, c.must]
    for i in catalog.indicators:
        english = i.scoring_en
        yield (
            "indicators",
            [
                i.id,
                i.area.value,
                i.item,
                int(i.level),
                i.title.zh,
                i.title.en,
                i.requirement,
                i.core,
                float(i.weight),
                i.na_allowed,
                i.event,
                i.basis,
                i.basis_note,
                i.clause,
                ", ".join(i.characteristics),
                ", ".join(i.see_also) or None,
                i.question,
                i.question_en,
                "\n".join(i.hints) or None,
                "\n".join(i.hints_en) or None,
                *(getattr(i.scoring, part) for part in SCORING),
                *((getattr(english, part) if english else None) for part in SCORING),
            ],
        )
        for position, r in enumerate(i.evidence, start=1):
            yield (
                "evidence",
                [
                    i.id,
                    position,
                    r.kind.value,
                    r.evidence_class.value,
                    r.description,
                    r.min_count,
                    r.max_age_months,
                    r.operating_months,
                ],
            )
    yield "rules", ["version", rules.version]
    yield "rules", ["threshold", rules.threshold]
    overrides = "; ".join(f"{int(k)}: {v!r}" for k, v in sorted(rules.level_thresholds.items()))
    yield "rules", ["level_thresholds", overrides or None]
    for status in FindingStatus:
        if status in rules.scores:
            yield "rules", [f"score_{status.value}", rules.scores[status]]
    passing = [s.value for s in FindingStatus if s in rules.core_pass_statuses]
    yield "rules", ["core_pass_statuses", ", ".join(passing)]
    yield "rules", ["evidence_cap", rules.evidence_cap.value]


_WIDE = {"requirement", "question", "question_en", "hints", "hints_en", "description", "value"}
_WIDE |= {"basis_note", *(f"scoring_{p}" for p in SCORING)}


def export_workbook(catalog: Catalog, rules: RuleSet) -> bytes:
    """The catalog and rules as an .xlsx workbook (the README sheet first)."""
    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "README"
    readme.append(["中文", "English"])
    for zh, en in _README:
        readme.append([zh, en])
    readme.column_dimensions["A"].width = 90
    readme.column_dimensions["B"].width = 90
    for row in readme.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheets = {name: _sheet(book, name) for name in SHEETS}
    for name, values in _rows(catalog, rules):
        sheets[name].append(values)
    for name, sheet in sheets.items():
        for index, (key, _) in enumerate(SHEETS[name]):
            letter = get_column_letter(index + 1)
            sheet.column_dimensions[letter].width = 48 if key in _WIDE else 14
    booleans = ["TRUE", "FALSE"]
    for column in ("core", "na_allowed", "event"):
        _choice(sheets["indicators"], column, booleans)
    _choice(sheets["characteristics"], "must", booleans)
    _choice(sheets["indicators"], "basis", ["notice", "practice"])
    _choice(sheets["evidence"], "kind", [k.value for k in EvidenceKind])
    _choice(sheets["evidence"], "class", ["direct", "indirect"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
