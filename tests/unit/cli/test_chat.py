"""``smecmm chat`` in a real pseudo-terminal: a whole one-star interview typed at the keyboard,
an upload, a report, quitting and resuming; and one run with retrieval answering a question."""

from __future__ import annotations

import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.cli.chat_commands import _turn
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.session.models import UserTurn
from assistant.storage import default_database_url
from assistant.storage.sql import SqlSessionStore
from tests.utils.interview import QUESTION, Driver, make_service
from tests.utils.pty_driver import PtyProcess, terminal_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

SMECMM = str(Path(sys.executable).with_name("smecmm"))
INSTITUTION = "示例中小企业服务中心"
PROMPT_DONE = r"进度 (\d+)/(\d+)"  # the last line of every reply
SESSION = r"session\s*([0-9a-f]{32})"
STARTUP = 60.0
TURN = 30.0


def answer_profile(term: PtyProcess) -> str:
    """Answer the five profile questions the way a person would; the plan's reply."""
    term.expect("全称", STARTUP)
    term.expect(PROMPT_DONE)
    for expected, line in (
        ("哪一类", INSTITUTION),
        ("服务领域", "2"),  # [2] 市场化服务机构
        ("多少家", "融资对接、政策咨询"),
        ("几星", "约300家"),
        ("问一星的", "1"),  # [1] 一星
    ):
        term.send(line)
        term.expect(expected, TURN, unwrap=True)
        shown = term.expect(PROMPT_DONE)
    return shown.before


def current_indicator(screen: str) -> str | None:
    found = re.findall(r"· ((?:SS|SD|ST|SO|CSI)-\d-\d{2}) ", screen)
    return found[-1] if found else None


def upload_and_link(term: PtyProcess, path: Path) -> str:
    """Upload ``path`` at SO-1-02 and link it there; the question shown again."""
    term.send(f"/upload {path}")
    term.expect("已收到文件", TURN)
    term.expect(r"\[1\] 全部关联", TURN)
    term.expect(PROMPT_DONE)
    term.send("SO-1-02")  # one indicator; "全部关联" would list them all for a yes first
    term.expect("已将该文件关联到：SO-1-02", TURN, unwrap=True)
    return term.expect(PROMPT_DONE, TURN).before


def answer_every_question(term: PtyProcess, evidence: Path) -> str:
    """Answer with the first button (满足) or "全部满足" until the summary; upload once."""
    screen = answer_profile(term)
    uploaded = False
    for _ in range(60):
        if "临时星级" in screen:
            return screen
        if "请逐项选择" in screen:
            term.send("全部满足")
        elif current_indicator(screen) == "SO-1-02" and not uploaded:
            screen = upload_and_link(term, evidence)
            uploaded = True
            continue
        else:
            assert "[1] 满足" in screen, screen[-800:]
            term.send("1")
        screen = term.expect(PROMPT_DONE, TURN).before
    raise AssertionError("no summary after 60 answers")


def read_session(data_dir: Path, session_id: str) -> tuple[dict[str, FindingStatus], list[str]]:
    store = SqlSessionStore(default_database_url(data_dir))
    try:
        findings = {i: f.status for i, f in store.get(session_id).findings.items()}
        links = [i for record in store.evidence(session_id) for i in record.indicator_ids]
    finally:
        store.close()
    return findings, links


def test_a_whole_one_star_interview_in_a_terminal(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    evidence = tmp_path / "服务记录.txt"
    recent = date.today() - timedelta(days=20)
    evidence.write_text(f"服务记录\n{recent:%Y年%m月%d日}，为中小企业提供融资对接服务。\n")
    report = tmp_path / "自评报告.md"
    env = terminal_env(data_dir)

    with PtyProcess.spawn([SMECMM, "chat", "--no-retrieval"], env=env, cwd=tmp_path) as term:
        session_id = term.expect(SESSION, STARTUP).group(1)
        summary = answer_every_question(term, evidence)
        assert "全部问题已完成" in summary
        assert "申报口径 一星" in summary
        assert "进度 26/26" in term.text
        term.send(f"/report md {report}")
        term.expect("已写入", TURN)
        term.send("/quit")
        term.expect(rf"smecmm chat --session\s*{session_id}", TURN, unwrap=True)
        assert term.wait() == 0

    assert INSTITUTION in report.read_text(encoding="utf-8")
    findings, links = read_session(data_dir, session_id)
    assert len(findings) == 26 and set(findings.values()) == {FindingStatus.MET}
    assert links == ["SO-1-02"]

    argv = [SMECMM, "chat", "--no-retrieval", "--session", session_id]
    with PtyProcess.spawn(argv, env=env, cwd=tmp_path) as term:
        term.expect(rf"session\s*{session_id}", STARTUP)
        again = term.expect(PROMPT_DONE, TURN)
        assert "临时星级" in again.before and again.group(1) == again.group(2) == "26"
        term.send("/quit")
        term.expect("saved; resume with", TURN, unwrap=True)
        assert term.wait() == 0


def test_a_question_mid_interview_is_answered_with_a_clause(
    tmp_path: Path, real_data_dir: Path
) -> None:
    env = terminal_env(real_data_dir, SMECMM_DATABASE_URL=f"sqlite:///{tmp_path / 'assistant.db'}")
    with PtyProcess.spawn([SMECMM, "chat"], env=env, cwd=tmp_path) as term:
        term.expect(SESSION, STARTUP)
        first = answer_profile(term)
        assert current_indicator(first) == "SS-1-01"
        term.send(QUESTION)
        answer = term.expect(PROMPT_DONE, STARTUP).before
        flat = re.sub(r"[ \t]*\n", "", answer)
        assert re.search(r"第 \d+(?:\.\d+)* 条|条款 \d+(?:\.\d+)*", flat), answer
        assert "继续刚才的问题" in flat
        assert current_indicator(answer.split("继续刚才的问题")[1]) == "SS-1-01"
        term.send("1")
        after = term.expect(PROMPT_DONE, TURN).before
        assert "已记录为：满足" in after and current_indicator(after) == "SS-1-02"
        term.send("/quit")
        assert term.wait() == 0


def test_a_number_typed_at_the_number_question_is_an_answer(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    driver = Driver.start(make_service(real_catalog, real_rules))
    while driver.question.field != "smes_served_per_year":
        driver.send(quick="skip")
    assert _turn("2", driver.reply) == UserTurn(text="2")
    assert _turn("1", driver.reply) == UserTurn(text="1")


def test_a_paste_over_the_turn_limit_is_refused_in_the_terminal(
    real_catalog: Catalog, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.cli import chat_commands
    from assistant.session.models import MAX_TEXT_CHARS

    driver = Driver.start(make_service(real_catalog, real_rules))
    before = len(driver.service.store.turns(driver.session_id))
    lines = iter(["我" * (MAX_TEXT_CHARS + 1), "/quit"])
    monkeypatch.setattr(chat_commands.Prompt, "ask", lambda *a, **k: next(lines))
    with chat_commands.console.capture() as captured:
        chat_commands._loop(driver.service, driver.session_id, driver.reply)
    shown = captured.get()
    assert f"{MAX_TEXT_CHARS + 1:,} 个字符" in shown and f"最多 {MAX_TEXT_CHARS:,}" in shown
    assert len(driver.service.store.turns(driver.session_id)) == before
