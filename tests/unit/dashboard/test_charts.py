"""The SVG charts: well-formed XML, an accessible image with a title and a text alternative,
every number written as text, hostile text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from assistant.dashboard.charts import CHART_NAMES, blockers_chart, chart, stars_chart
from assistant.dashboard.models import (
    BlockerCount,
    Dashboard,
    DashboardFilter,
    LevelBlockers,
    MonthCounts,
    StarCounts,
    Totals,
)
from assistant.dashboard.svg import Series, grouped_bars, horizontal_bars
from assistant.rating.models import ReasonCode

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '机构</text><script>alert("x")</script>&amp;\x00\x1b\'"'


def board(title: str = "服务人员上岗前培训") -> Dashboard:
    stars = StarCounts(
        declared=(3, 7, 2, 0, 1, 0),
        evidenced=(5, 6, 1, 0, 1, 0),
        signed=(0, 4, 1, 0, 0, 0),
        not_rated=2,
        unsigned=8,
    )
    blocker = BlockerCount(
        level=2,
        indicator_id="ST-1-02",
        title_zh=title,
        title_en="Induction training",
        core=True,
        count=11,
        reasons={ReasonCode.CORE_NOT_MET: 9, ReasonCode.EVIDENCE_MISSING: 2},
    )
    levels = tuple(
        LevelBlockers(
            level=n, applications=13 if n == 2 else 0, blockers=(blocker,) if n == 2 else ()
        )
        for n in range(1, 6)
    )
    return Dashboard(
        filters=DashboardFilter(),
        generated_at=datetime(2026, 6, 1, tzinfo=UTC),
        totals=Totals(sessions=15, rated=13, signed=5, locked=5),
        stars=stars,
        by_type=(),
        by_month=(
            MonthCounts(month="2026-04", sessions=9, rated=8, signed=3),
            MonthCounts(month="2026-05", sessions=6, rated=5, signed=2),
        ),
        blockers=levels,
    )


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") is None  # sized by its viewBox, so it scales to any screen
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("name", CHART_NAMES)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_chart_is_an_accessible_image(name: str, language: str) -> None:
    root = parse(chart(name, board(), "en" if language == "en" else "zh", level=2))
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text and len(desc.text) > 10
    labelled = root.get("aria-labelledby", "").split()
    assert labelled == [title.get("id"), desc.get("id")]


def test_the_stars_chart_writes_every_number_on_its_bars_and_in_its_description() -> None:
    root = parse(stars_chart(board(), "zh"))
    shown = texts(root)
    for number in ("7", "6", "4", "3", "5"):
        assert number in shown
    assert shown.count("0") >= 6
    desc = root.findtext(f"{SVG}desc") or ""
    assert "一星：申报 7，证据 6，签署 4" in desc
    assert {"申报", "证据", "签署", "未达一星", "五星"} <= set(shown)


def test_the_series_differ_by_pattern_not_only_by_colour() -> None:
    root = parse(stars_chart(board(), "en"))
    patterns = list(root.iter(f"{SVG}pattern"))
    assert len(patterns) == 3
    marks = [len(list(p)) for p in patterns]
    assert marks[0] == 1 and all(m == 2 for m in marks[1:])  # solid, then marked fills
    assert len({ET.tostring(p[-1]) for p in patterns}) == 3


def test_the_months_chart_counts_per_month() -> None:
    root = parse(chart("months", board(), "en"))
    shown = texts(root)
    assert {"2026-04", "2026-05", "9", "6", "3", "2"} <= set(shown)
    assert "2026-04: Applications 9, Signed 3" in (root.findtext(f"{SVG}desc") or "")


def test_the_blockers_chart_names_the_indicator_and_the_count() -> None:
    root = parse(blockers_chart(board(), "zh", level=2))
    shown = texts(root)
    assert "ST-1-02 服务人员上岗前培训" in shown and "11" in shown
    assert "13" in (root.findtext(f"{SVG}desc") or "")
    empty = parse(blockers_chart(board(), "zh", level=4))
    assert empty.findtext(f"{SVG}desc") == "暂无数据。"


def test_hostile_text_is_escaped_everywhere() -> None:
    svg = blockers_chart(board(HOSTILE), "zh", level=2)
    root = parse(svg)
    assert "<script" not in svg and "\x00" not in svg and "\x1b" not in svg
    assert not list(root.iter(f"{SVG}script"))
    desc = root.findtext(f"{SVG}desc") or ""
    assert '机构</text><script>alert("x")</script>&amp;' in desc  # shown as text, whole


def test_hostile_series_and_category_names_are_escaped() -> None:
    svg = grouped_bars("x", HOSTILE, HOSTILE, [HOSTILE], [Series(HOSTILE, (1,))])
    root = parse(svg)
    assert root.findtext(f"{SVG}title", "").startswith("机构</text><script>")
    assert not list(root.iter(f"{SVG}script"))
    long_label = "指标" * 80
    bars = parse(horizontal_bars("y", "t", "d", [long_label, HOSTILE], [4, 2]))
    cut = [t for t in texts(bars) if t.startswith("指标")]
    assert len(cut) == 1 and cut[0].endswith("…") and len(cut[0]) < 40  # fits beside its bar
