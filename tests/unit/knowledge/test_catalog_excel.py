"""The catalog's Excel round trip: export → import is byte-identical; an edited cell arrives;
a broken workbook names sheet, row and column, and writes nothing."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.workbook import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    SHEETS,
    WorkbookError,
    export_workbook,
    import_workbook,
    read_workbook,
)
from assistant.knowledge.yaml_writer import write_rules_dir, yaml_files
from assistant.settings import get_settings
from tests.utils.builders import catalog, indicator, requirement, rules

runner = CliRunner()

SMALL = catalog(
    indicator(
        "SS-1-01",
        core=True,
        see_also=["SD-1-01"],
        hints=["提示一", "提示二：冒号"],
        hints_en=["Hint one", "Hint two"],
        evidence=[requirement("record", min_count=2, operating_months=6), requirement("policy")],
    ),
    indicator("SS-1-02", basis="practice", basis_note="本项目的理解"),
    indicator("SD-1-01", event=True, na_allowed=True),
)


def snapshot(rules_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(rules_dir)): p.read_bytes() for p in rules_dir.rglob("*.yaml")}


@pytest.fixture
def small_dir(tmp_path: Path) -> Path:
    rules_dir = tmp_path / "knowledge" / "rules"
    write_rules_dir(yaml_files(SMALL, rules()), rules_dir)
    return rules_dir


def workbook_of(rules_dir: Path) -> bytes:
    return export_workbook(load_catalog(rules_dir), load_rules(rules_dir))


Edit = Callable[[Any], None]


def edited(data: bytes, change: Edit) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell(sheet: Any, row: int, key: str) -> Any:
    header = [c.value for c in sheet[1]]
    return sheet.cell(row=row, column=header.index(key) + 1)


def row_of(sheet: Any, key: str, value: str) -> int:
    header = [c.value for c in sheet[1]]
    column = header.index(key) + 1
    for number in range(2, sheet.max_row + 1):
        if sheet.cell(row=number, column=column).value == value:
            return number
    raise KeyError(value)


# --- the round trip --------------------------------------------------------------------------


def test_export_then_import_is_byte_identical(small_dir: Path) -> None:
    before = snapshot(small_dir)
    result = import_workbook(workbook_of(small_dir), small_dir, dry_run=False)
    assert result.changed == () and not result.written
    assert snapshot(small_dir) == before


def test_the_shipped_catalog_round_trips_byte_identical(tmp_path: Path) -> None:
    shipped = default_knowledge_dir() / "rules"
    target = tmp_path / "rules"
    shutil.copytree(shipped, target)
    for path in (target / "indicators").glob("*.yaml"):
        path.unlink()
    (target / "catalog.yaml").write_text("stale", encoding="utf-8")
    result = import_workbook(workbook_of(shipped), target, dry_run=False)
    assert result.written
    assert {k: v for k, v in snapshot(target).items() if not k.startswith("migrations")} == {
        k: v for k, v in snapshot(shipped).items() if not k.startswith("migrations")
    }


def test_every_sheet_and_column_is_exported(small_dir: Path) -> None:
    book = load_workbook(io.BytesIO(workbook_of(small_dir)))
    assert book.sheetnames == ["README", *SHEETS]
    for name, columns in SHEETS.items():
        assert [c.value for c in book[name][1]] == [key for key, _ in columns]
    evidence = book["evidence"]
    assert evidence.max_row == 3  # header and SS-1-01's two requirements, keyed by position
    assert [cell(evidence, 3, k).value for k in ("indicator_id", "position", "kind")] == [
        "SS-1-01",
        2,
        "policy",
    ]
    indicators = book["indicators"]
    first = row_of(indicators, "id", "SS-1-01")
    assert cell(indicators, first, "hints").value == "提示一\n提示二：冒号"
    assert cell(indicators, first, "see_also").value == "SD-1-01"
    readme = [r[0].value for r in book["README"].iter_rows(min_row=2)]
    assert any("smecmm catalog import" in (text or "") for text in readme)


@pytest.fixture
def cli_env(small_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    get_settings.cache_clear()
    monkeypatch.setenv("SMECMM_KNOWLEDGE_DIR", str(small_dir.parent))
    yield small_dir
    get_settings.cache_clear()


def test_an_edited_cell_reaches_catalog_json(cli_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "catalog.xlsx"
    exported = runner.invoke(app, ["catalog", "export", str(path)])
    assert exported.exit_code == 0, exported.output

    def retitle(book: Any) -> None:
        sheet = book["indicators"]
        cell(sheet, row_of(sheet, "id", "SS-1-02"), "title_zh").value = "改过的标题"
        cell(sheet, row_of(sheet, "id", "SS-1-02"), "weight").value = 1.5
        book["catalog"]["B2"].value = "2.1"

    path.write_bytes(edited(path.read_bytes(), retitle))
    dry = runner.invoke(app, ["catalog", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "将改动" in dry.output and "indicators/SS.yaml" in dry.output
    assert "改过的标题" not in (cli_env / "indicators" / "SS.yaml").read_text(encoding="utf-8")

    done = runner.invoke(app, ["catalog", "import", str(path)])
    assert done.exit_code == 0, done.output
    shown = json.loads(runner.invoke(app, ["catalog", "--json"]).output)
    changed = next(i for i in shown["indicators"] if i["id"] == "SS-1-02")
    assert (changed["title"]["zh"], changed["weight"]) == ("改过的标题", 1.5)
    assert shown["version"] == "2.1"
    assert "SD.yaml" not in done.output  # only the files whose text changed are written


# --- broken workbooks --------------------------------------------------------------------


def _set(sheet: str, key: str, ident: tuple[str, str], value: object) -> Edit:
    def change(book: Any) -> None:
        target = book[sheet]
        cell(target, row_of(target, *ident), key).value = value

    return change


BROKEN: list[tuple[str, Edit, str, str | None, str]] = [
    (
        "weight",
        _set("indicators", "weight", ("id", "SS-1-01"), "heavy"),
        "indicators",
        "weight",
        "数字",
    ),
    ("core", _set("indicators", "core", ("id", "SS-1-01"), "often"), "indicators", "core", "是/否"),
    ("bad id", _set("indicators", "id", ("id", "SS-1-02"), "SS-9-1"), "indicators", "id", "AREA"),
    (
        "scoring blank",
        _set("indicators", "scoring_sample", ("id", "SD-1-01"), None),
        "indicators",
        "scoring_sample",
        "必填",
    ),
    (
        "no characteristic",
        _set("indicators", "characteristics", ("id", "SD-1-01"), None),
        "indicators",
        "characteristics",
        "至少",
    ),
    (
        "practice without note",
        _set("indicators", "basis_note", ("id", "SS-1-02"), None),
        "indicators",
        "basis_note",
        "basis_note",
    ),
    (
        "evidence kind",
        _set("evidence", "kind", ("kind", "policy"), "photo"),
        "evidence",
        "kind",
        "取值",
    ),
    (
        "operating time on a policy",
        _set("evidence", "operating_months", ("kind", "policy"), 6),
        "evidence",
        "operating_months",
        "运行时长",
    ),
    (
        "dated without age",
        _set("evidence", "max_age_months", ("kind", "record"), None),
        "evidence",
        "max_age_months",
        "max_age_months",
    ),
    (
        "unknown see_also",
        _set("indicators", "see_also", ("id", "SS-1-01"), "SD-1-09"),
        "indicators",
        "see_also",
        "交叉引用",
    ),
    (
        "unknown characteristic",
        _set("indicators", "characteristics", ("id", "SS-1-01"), "L1-C1, L1-C9"),
        "indicators",
        "characteristics",
        "等级特征",
    ),
    (
        "evidence of no indicator",
        _set("evidence", "indicator_id", ("kind", "policy"), "SS-1-09"),
        "evidence",
        "indicator_id",
        "指标不存在",
    ),
    (
        "threshold",
        _set("rules", "value", ("key", "threshold"), 1.5),
        "rules",
        "value",
        "数值过大",
    ),
    (
        "unknown column",
        lambda b: b["areas"].cell(row=1, column=9, value="colour"),
        "areas",
        "colour",
        "不认识的列",
    ),
    ("missing sheet", lambda b: b.remove(b["levels"]), "levels", None, "缺少该工作表"),
]


@pytest.mark.parametrize(
    ("name", "change", "sheet", "column", "why"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_a_broken_workbook_names_where_and_writes_nothing(
    small_dir: Path, name: str, change: Edit, sheet: str, column: str | None, why: str
) -> None:
    before = snapshot(small_dir)
    data = edited(workbook_of(small_dir), change)
    with pytest.raises(WorkbookError) as raised:
        import_workbook(data, small_dir, dry_run=False)
    errors = raised.value.errors
    assert any(e.sheet == sheet and e.column == column for e in errors), errors
    located = next(e for e in errors if e.sheet == sheet and e.column == column)
    assert why in located.zh or why in located.en, located
    if sheet not in ("levels", "areas"):
        assert located.row is not None and located.row >= 2
    assert str(located).startswith(f"工作表 {sheet}")
    assert snapshot(small_dir) == before


def test_errors_are_all_reported_at_once(small_dir: Path) -> None:
    def two(book: Any) -> None:
        _set("indicators", "weight", ("id", "SS-1-01"), "heavy")(book)
        _set("indicators", "level", ("id", "SD-1-01"), 9)(book)

    with pytest.raises(WorkbookError) as raised:
        read_workbook(edited(workbook_of(small_dir), two))
    columns = {(e.sheet, e.column) for e in raised.value.errors}
    assert {("indicators", "weight"), ("indicators", "level")} <= columns


def test_evidence_positions_must_run_from_one(small_dir: Path) -> None:
    data = edited(workbook_of(small_dir), _set("evidence", "position", ("kind", "policy"), 5))
    with pytest.raises(WorkbookError) as raised:
        read_workbook(data)
    assert {(e.sheet, e.column) for e in raised.value.errors} == {("evidence", "position")}


def test_chinese_kind_names_and_words_are_accepted(small_dir: Path) -> None:
    def chinese(book: Any) -> None:
        _set("evidence", "kind", ("kind", "policy"), "制度文件")(book)
        _set("indicators", "core", ("id", "SS-1-02"), "是")(book)

    loaded, _ = read_workbook(edited(workbook_of(small_dir), chinese))
    assert loaded.indicator("SS-1-01").evidence[1].kind.value == "policy"
    assert loaded.indicator("SS-1-02").core


def test_a_blank_row_is_skipped_and_columns_may_move(small_dir: Path) -> None:
    def shuffle(book: Any) -> None:
        sheet = book["items"]
        sheet.insert_rows(2)
        sheet.move_range("A1:D40", cols=1)

    loaded, _ = read_workbook(edited(workbook_of(small_dir), shuffle))
    assert loaded.areas == SMALL.areas


# --- an untrusted file ---------------------------------------------------------------------


def test_not_a_workbook() -> None:
    with pytest.raises(WorkbookError, match="不是 .xlsx"):
        read_workbook(b"PK\x03\x04 not really")


def test_a_zip_bomb_is_refused_before_it_is_opened() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (51 * 1024 * 1024))
    with pytest.raises(WorkbookError, match="解压后过大"):
        read_workbook(buffer.getvalue())


def test_an_xml_entity_declaration_is_refused(small_dir: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(workbook_of(small_dir)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/workbook.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + content
            archive.writestr(info, content)
    with pytest.raises(WorkbookError, match="DTD"):
        read_workbook(buffer.getvalue())


def test_too_many_rows_and_too_long_cells(small_dir: Path) -> None:
    def flood(book: Any) -> None:
        sheet = book["items"]
        for n in range(MAX_ROWS + 5):
            sheet.append(["SS", f"SS.{n + 10}", "项", "item"])
        cell(book["indicators"], 2, "requirement").value = "长" * (MAX_CELL_CHARS + 1)

    with pytest.raises(WorkbookError) as raised:
        read_workbook(edited(workbook_of(small_dir), flood))
    reasons = {(e.sheet, e.en.split(" ")[0]) for e in raised.value.errors}
    assert ("items", "over") in reasons and ("indicators", "over") in reasons
