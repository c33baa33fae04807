"""The canonical YAML writer: what it writes reads back as the same models, and the shipped
files are in its layout (so the Excel round trip is byte-identical)."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.schema import CatalogHeader, IndicatorFile, RuleSet
from assistant.knowledge.yaml_writer import scalar, write_rules_dir, yaml_files
from tests.utils.builders import catalog, indicator, requirement, rules

TRICKY = [
    "普通文字",
    "提示：冒号在中间",
    "A common problem: a colon",
    "- looks like a list",
    "# looks like a comment",
    "yes",
    "null",
    "6.1",
    "10",
    "  spaces around  ",
    "line one\nline two",
    "{braces}",
    "[brackets]",
    "quote ' and \" marks",
    "trailing colon:",
    "*alias",
    "&anchor",
    "!tag",
    "%percent",
    "@at",
    "`tick",
    "a, b",
    "",
]


@given(st.text(max_size=40) | st.sampled_from(TRICKY))
def test_any_text_reads_back_unchanged(text: str) -> None:
    for flow in (False, True):
        written = scalar(text, flow=flow)
        document = f"{{k: {written}}}" if flow else f"k: {written}"
        assert yaml.safe_load(document) == {"k": text}


def test_plain_where_it_is_safe_quoted_where_not() -> None:
    assert scalar("服务台账") == "服务台账"
    assert scalar("6.1") == '"6.1"'
    assert scalar("yes") == '"yes"'
    assert scalar("a, b") == "a, b"
    assert scalar("a, b", flow=True) == '"a, b"'
    assert scalar("6.1.1", quote=True) == '"6.1.1"'


SMALL = catalog(
    indicator(
        "SS-1-01",
        core=True,
        weight=2.0,
        event=True,
        na_allowed=True,
        see_also=["SD-1-01"],
        hints=["提示一：冒号", "# 井号开头"],
        hints_en=["Hint: one", "Hint two"],
        question_en="Is it so?",
        evidence=[
            requirement("record", min_count=3, max_age_months=12, operating_months=6),
            requirement("policy"),
            {"kind": "certificate", "class": "indirect", "description": "荣誉证书"},
        ],
        scoring_en={"met": "all", "largely": "most", "partly": "some", "sample": "3 records"},
    ),
    indicator("SS-1-02", basis="practice", basis_note="本项目的理解：见附录 R"),
    indicator("SD-1-01"),
)


def test_written_files_read_back_as_the_same_models(tmp_path: Path) -> None:
    files = yaml_files(SMALL, rules())
    assert set(files) == {
        "catalog.yaml",
        "rules.yaml",
        "indicators/SS.yaml",
        "indicators/SD.yaml",
    }
    ss = IndicatorFile.model_validate(yaml.safe_load(files["indicators/SS.yaml"]))
    assert ss.indicators == tuple(i for i in SMALL.indicators if i.area.value == "SS")
    header = CatalogHeader.model_validate(yaml.safe_load(files["catalog.yaml"]))
    assert (header.areas, header.levels) == (SMALL.areas, SMALL.levels)
    again = RuleSet.model_validate(yaml.safe_load(files["rules.yaml"]))
    assert again.scores == rules().scores and again.threshold == rules().threshold
    write_rules_dir(files, tmp_path)
    loaded = load_catalog(tmp_path)
    assert set(loaded.indicators) == set(SMALL.indicators)
    assert yaml_files(loaded, load_rules(tmp_path)) == files  # a fixed point


def test_the_layout_is_what_the_docstring_says() -> None:
    text = yaml_files(SMALL, rules())["indicators/SS.yaml"]
    assert "  # ── 1星 / 1星 " in text
    assert '    clause: "6.1.1"\n' in text
    assert "    characteristics: [L1-C1]\n" in text
    assert "    see_also: [SD-1-01]\n" in text
    assert "    event: true\n    basis: notice\n" in text
    assert "min_count: 3" in text and "min_count: 1" not in text
    assert "\n\n  - id: SS-1-02\n" in text  # one blank line between indicators
    assert "basis_note: 本项目的理解：见附录 R" in text


def test_the_shipped_files_are_canonical() -> None:
    """Rewriting the shipped catalog changes no byte (the round trip's other half)."""
    rules_dir = default_knowledge_dir() / "rules"
    files = yaml_files(load_catalog(rules_dir), load_rules(rules_dir))
    shipped = {
        "catalog.yaml",
        "rules.yaml",
        *(f"indicators/{p.name}" for p in (rules_dir / "indicators").glob("*.yaml")),
    }
    assert set(files) == shipped
    for relative, text in files.items():
        assert (rules_dir / relative).read_text(encoding="utf-8") == text, relative
