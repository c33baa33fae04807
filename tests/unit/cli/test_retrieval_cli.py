"""``smecmm index``, ``ask`` and ``ingest`` as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.settings import get_settings
from tests.utils.documents import write_docx

runner = CliRunner()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def real_env(settings_env: pytest.MonkeyPatch, real_data_dir: Path) -> None:
    settings_env.setenv("SMECMM_DATA_DIR", str(real_data_dir))


def test_ask_cites_four_star_clauses_and_indicators(real_env: None) -> None:
    result = runner.invoke(app, ["ask", "四星对数据有什么要求？", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["covered"] and answer["language"] == "zh"
    assert answer["citations"] and all(c["level"] == 4 for c in answer["citations"])
    for citation in answer["citations"]:
        assert citation["clause"] in answer["text"]


def test_ask_pretty_output_is_chinese_markdown(real_env: None) -> None:
    result = runner.invoke(app, ["ask", "申请评估要找谁？"])
    assert result.exit_code == 0
    assert "附录 R.2.4" in result.output and "评估机构" in result.output
    # annex R is never cited as the standard: its source line says it is the project's rules
    assert "附录 R.2.4 评估机构（本项目规则）" in result.output


def test_ask_refuses_what_the_standard_does_not_cover(real_env: None) -> None:
    result = runner.invoke(app, ["ask", "小规模纳税人的增值税起征点是多少？", "--json"])
    answer = json.loads(result.output)
    assert not answer["covered"] and answer["citations"] == []
    # a look-alike (tax) is refused naming its topic, in the question's language
    assert answer["not_covered"] and answer["text"].startswith(
        f"这个问题关于{answer['not_covered'][0]}"
    )


def test_ask_in_english(real_env: None) -> None:
    answer = json.loads(
        runner.invoke(app, ["ask", "Who carries out the assessments?", "--json"]).output
    )
    assert answer["language"] == "en"


def test_index_reports_up_to_date(real_env: None) -> None:
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0 and "已是最新" in result.output


def test_a_rebuild_is_stamped_for_running_servers(
    settings_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from assistant.interview.runtime import open_session_store
    from assistant.settings import Settings

    settings_env.setenv("SMECMM_DATA_DIR", str(tmp_path))
    settings_env.setenv("SMECMM_EMBEDDING_MODEL", "fake")
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0 and "已重建" in result.output
    stamp = open_session_store(Settings()).index_stamp()
    assert stamp is not None and stamp.version == 1  # servers reopen the index at their check


def test_bad_embedding_setting_exits_2(settings_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings_env.setenv("SMECMM_DATA_DIR", str(tmp_path))
    settings_env.setenv("SMECMM_EMBEDDING_MODEL", "word2vec")
    result = runner.invoke(app, ["ask", "核心指标是什么？"])
    assert result.exit_code == 2 and "未知的向量模型" in result.output


OFFICIAL = [
    ("h1", "第一章 总则"),
    ("p", "第一条 为规范服务机构能力评估工作，制定本办法。"),
    ("p", "第二条 评估机构应当在受理申请后六十个工作日内完成现场核查并出具结论。"),
    ("h1", "第二章 证书管理"),
    ("p", "第三条 符合性证书有效期为三年，期满前三个月可申请复评。"),
]


def test_ingest_then_ask_cites_the_documents_own_articles(
    settings_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings_env.setenv("SMECMM_DATA_DIR", str(tmp_path / "data"))
    settings_env.setenv("SMECMM_EMBEDDING_MODEL", "fake")
    settings_env.setenv("SMECMM_RELEVANCE_FLOOR_ZH", "0")
    settings_env.setenv("SMECMM_RELEVANCE_MARGIN", "1")
    document = write_docx(tmp_path / "评估管理办法.docx", OFFICIAL)
    result = runner.invoke(app, ["ingest", str(document)])
    assert result.exit_code == 0, result.output
    assert "3 个条款" in result.output
    answer = json.loads(
        runner.invoke(app, ["ask", "符合性证书有效期几年", "--json", "-k", "10"]).output
    )
    cited = {(c["source"], c["clause"]) for c in answer["citations"]}
    assert ("评估管理办法.docx", "第三条") in cited
    # named by the file's stem: its first heading ("第一章 总则") names a chapter, not the document
    assert "《评估管理办法》第三条" in answer["text"]


def test_ingest_refuses_a_hostile_file_and_keeps_nothing(
    settings_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings_env.setenv("SMECMM_DATA_DIR", str(tmp_path / "data"))
    fake = tmp_path / "official.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf at all")
    result = runner.invoke(app, ["ingest", str(fake)])
    assert result.exit_code == 2 and "official.pdf" in result.output
    assert not (tmp_path / "data" / "documents").exists()
