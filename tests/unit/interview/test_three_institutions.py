"""Three institutions interviewed end to end through the library, with the real mapper, the
real retrieval index, SQLite storage and real uploads (issue 4's acceptance scenario)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from assistant.errors import EvidenceRejected
from assistant.evidence import MemoryBlobStore, searcher_suggester
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.schema import Catalog, EvidenceClass, EvidenceKind, FindingStatus, RuleSet
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.runtime import coverage_check
from assistant.session.models import Language, QuestionKind, UserTurn
from assistant.settings import Settings
from assistant.storage import open_store
from tests.utils.interview_script import Applicant

NOW = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
Factory = Callable[[], InterviewService]

# One file per kind of evidence, named and dated the way institutions name them.
FILENAMES = {
    EvidenceKind.POLICY: "服务管理制度",
    EvidenceKind.PLAN: "2026年度工作计划",
    EvidenceKind.RECORD: "服务记录",
    EvidenceKind.REPORT: "2025年度工作总结报告",
    EvidenceKind.LEDGER: "服务企业台账",
    EvidenceKind.CONTRACT: "合作协议",
    EvidenceKind.CERTIFICATE: "资质证书",
    EvidenceKind.CASE: "典型服务案例",
}


@pytest.fixture()
def factory(
    tmp_path: Path, real_catalog: Catalog, real_rules: RuleSet, real_index: RetrievalIndex
) -> Factory:
    """A new service each call, on the same SQLite file: a call is a process restart."""
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    blobs = MemoryBlobStore()
    answerer = QuestionAnswerer(real_index, coverage_check(Settings()), k=5)

    def make() -> InterviewService:
        desk = UploadDesk(
            real_catalog,
            blobs,
            max_bytes=5 * 1024 * 1024,
            search=searcher_suggester(real_index.searcher),
        )
        return InterviewService(
            real_catalog,
            real_rules,
            open_store(url),
            desk=desk,
            answerer=answerer,
            clock=lambda: NOW,
        )

    return make


def _start(
    service: InterviewService, language: Language, policy: Callable[[str], FindingStatus]
) -> Applicant:
    started = service.start(language=language)
    applicant = Applicant(service, started.session_id, language, policy)
    applicant.reply = started.reply
    return applicant


def _level(indicator_id: str) -> int:
    return int(indicator_id.split("-")[1])


def _asked(applicant: Applicant) -> set[str]:
    """The indicators asked about (an upload's link suggestions are not questions)."""
    return {
        ref.id
        for reply in applicant.seen
        if reply.question is not None and reply.question.kind is not QuestionKind.EVIDENCE
        for ref in reply.question.indicators
    }


# ------------------------------------------------------------------------------------ A


def _policy_a(indicator_id: str) -> FindingStatus:
    """A solid three-star candidate: everything in place, a few things still maturing."""
    if _level(indicator_id) == 3 and indicator_id.endswith("-06"):
        return FindingStatus.LARGELY_MET
    return FindingStatus.MET


def _text_file(kind: EvidenceKind, number: int) -> tuple[str, bytes]:
    name = f"{FILENAMES[kind]}_{number}.txt"
    body = f"{FILENAMES[kind]}\n编制日期：2026年10月{10 + number}日\n机构：星海中小企业服务中心\n"
    return name, body.encode("utf-8")


def _screenshot() -> tuple[str, bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (30, 120, 200)).save(buffer, format="PNG")
    return "服务平台首页.png", buffer.getvalue()


def _level_one_evidence(catalog: Catalog) -> dict[EvidenceKind, tuple[int, list[str]]]:
    """Per kind: how many files the level-one indicators ask for, and which ones ask."""
    needs: dict[EvidenceKind, tuple[int, list[str]]] = {}
    for indicator in catalog.indicators:
        if indicator.level != 1:
            continue
        for requirement in indicator.evidence:
            if requirement.evidence_class is not EvidenceClass.DIRECT:
                continue
            count, ids = needs.get(requirement.kind, (0, []))
            needs[requirement.kind] = (max(count, requirement.min_count), [*ids, indicator.id])
    return needs


def _upload_level_one_evidence(applicant: Applicant, catalog: Catalog) -> int:
    uploads = 0
    for kind, (count, ids) in _level_one_evidence(catalog).items():
        for number in range(1, count + 1):
            name, data = (
                _screenshot() if kind is EvidenceKind.SCREENSHOT else _text_file(kind, number)
            )
            reply = applicant.service.upload(applicant.session_id, name, data)
            uploads += 1
            assert reply.question is not None and reply.question.kind is QuestionKind.EVIDENCE
            if kind is EvidenceKind.SCREENSHOT:  # an image carries no date: the applicant adds it
                applicant.send(UserTurn(text="日期 2026-10-20"))
            records = applicant.service.view(applicant.session_id).evidence
            record = next(r for r in records if r.filename == name)
            assert record.kind is kind, (name, record.kind)
            reply = applicant.send(UserTurn(text=" ".join(ids)))
            if len(set(ids)) > 2:  # one file for many indicators: listed, then confirmed
                assert reply.question is not None
                assert reply.question.quick_replies[0].value == "link:confirm"
                applicant.send(UserTurn(quick_reply="link:confirm"))
    return uploads


def test_three_star_candidate(factory: Factory, real_catalog: Catalog) -> None:
    applicant = _start(factory(), "zh", _policy_a)
    applicant.answer_profile(
        {
            "name": "星海中小企业服务中心",
            "institution_type": "市场化服务机构",
            "service_fields": "政策咨询、融资对接、数字化转型",
            "smes_served_per_year": "每年约1,200家",
            "target_stars": "三星",
        }
    )
    profile = applicant.service.view(applicant.session_id).profile
    assert (profile.target_stars, profile.smes_served_per_year) == (3, 1200)

    # free-text answers, then a question about the standard in the middle of the interview
    applicant.until(lambda r: r.progress.answered >= 10)
    before = applicant.reply
    assert before is not None
    answer = applicant.send(UserTurn(text="四星对数据有什么要求？"))
    assert answer.citations and any(c.level == 4 for c in answer.citations)
    assert answer.question == before.question

    # evidence for every level-one requirement, uploaded mid-interview
    uploads = _upload_level_one_evidence(applicant, real_catalog)
    assert applicant.reply is not None and applicant.reply.question == before.question

    # the process restarts: a new service on the same database continues where it stopped
    applicant.until(lambda r: r.progress.answered >= 40)
    last = applicant.reply
    resumed = factory()
    assert resumed.view(applicant.session_id).reply == last
    applicant.service = resumed

    done = applicant.finish()
    assert done.rating is not None
    assert (done.rating.declared.stars, done.rating.evidenced.stars) == (3, 1)
    assert done.progress.answered == done.progress.total == 84  # levels 1–3 of catalog 2.0
    assert {_level(i) for i in _asked(applicant)} == {1, 2, 3}
    kinds = {r.question.kind for r in applicant.seen if r.question}
    assert QuestionKind.CHECKLIST in kinds and QuestionKind.EVIDENCE in kinds
    print(
        f"\n3-star interview: {applicant.turns} turns after the profile "
        f"({applicant.confirmations} confirmations, {uploads} uploads)"
    )


# ------------------------------------------------------------------------------------ B


def _policy_b(indicator_id: str) -> FindingStatus:
    """A one-star starter: operation has no written service procedures yet at two stars."""
    if indicator_id.startswith("SO-2-"):
        return FindingStatus.NOT_MET
    return FindingStatus.MET


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", '<Types><Override PartName="/word/document.xml"/></Types>'
        )
        archive.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))
    return buffer.getvalue()


def test_one_star_starter_with_adaptive_skipping_and_a_refused_upload(factory: Factory) -> None:
    applicant = _start(factory(), "zh", _policy_b)
    applicant.checklist_style = "text"
    applicant.answer_profile(
        {
            "name": "青禾社区企业服务社",
            "institution_type": "社会公益组织",
            "service_fields": "创业辅导",
            "smes_served_per_year": "80",
            "target_stars": "3",
        }
    )
    applicant.until(lambda r: r.progress.answered >= 3)
    on_screen = applicant.reply
    assert on_screen is not None and on_screen.question is not None

    # back: the previous question again, showing what was recorded; answering it returns here
    back = applicant.send(UserTurn(text="上一题"))
    assert back.question is not None and back.question != on_screen.question
    assert "当前记录：满足" in back.text
    applicant.step()
    assert applicant.reply is not None and applicant.reply.question == on_screen.question

    # a zip bomb named like a Word file changes nothing
    store_version = applicant.service.store.get(applicant.session_id).version
    with pytest.raises(EvidenceRejected) as refused:
        applicant.service.upload(applicant.session_id, "制度汇编.docx", _zip_bomb())
    assert refused.value.reason == "zip_bomb"
    assert applicant.service.store.get(applicant.session_id).version == store_version
    assert applicant.service.view(applicant.session_id).evidence == ()

    done = applicant.finish()
    assert done.rating is not None
    assert (done.rating.declared.stars, done.rating.evidenced.stars) == (1, 0)
    asked = _asked(applicant)
    assert not any(i.startswith("SO-3-") for i in asked), "SO above its failed core was asked"
    assert any(i.startswith("SS-3-") for i in asked)
    assert done.progress.total < 84


# ------------------------------------------------------------------------------------ C


def _policy_c(indicator_id: str) -> FindingStatus:
    """Two stars in English: nothing at three stars is in place yet."""
    if _level(indicator_id) == 3:
        return FindingStatus.NOT_MET
    return FindingStatus.MET


def test_two_star_institution_in_english_with_skip_and_revisit(
    factory: Factory, real_catalog: Catalog
) -> None:
    applicant = _start(factory(), "en", _policy_c)
    applicant.answer_profile(
        {
            "name": "Harbour SME Service Centre",
            "institution_type": "public service institution",
            "service_fields": "policy advice and training",
            "smes_served_per_year": "about 450",
            "target_stars": "not sure",
        }
    )
    first = applicant.reply
    assert first is not None and "strategy" in first.text and "five stars" in first.text
    skipped = applicant.reply.question.indicators[0].id if applicant.reply.question else ""
    applicant.send(UserTurn(text="skip"))
    revisit = applicant.until(
        lambda r: r.question is not None and skipped in {i.id for i in r.question.indicators}
    )
    assert "skipped" in revisit.text.lower()
    applicant.checklist_style = "text"
    done = applicant.finish()
    assert done.rating is not None
    assert (done.rating.declared.stars, done.rating.evidenced.stars) == (2, 0)
    assert "Provisional rating" in done.text
    # an area with a core indicator at three stars is not asked above it once that core fails;
    # an area without one (catalog 2.0: ST, CSI) stops the same way once its three-star score
    # can no longer reach the pass mark
    asked = _asked(applicant)
    cored = {i.area.value for i in real_catalog.indicators if i.core and i.level == 3}
    assert cored == {"SS", "SD", "SO"}
    assert {_level(i) for i in asked if i.split("-")[0] in cored} == {1, 2, 3}
    assert {_level(i) for i in asked} == {1, 2, 3}
