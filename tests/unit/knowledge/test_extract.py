"""Text out of operator files, with the type read from the bytes and hostile files refused."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from assistant.errors import KnowledgeError
from assistant.knowledge.extract import DocumentRefused, extract, extract_text
from tests.utils.documents import (
    CODE,
    write_blank_pdf,
    write_docx,
    write_pdf,
    write_zip_bomb,
)
from tests.utils.evidence_files import (
    docx_bytes,
    external_entity_docx,
    large_xml_docx,
    ooxml_zip,
    shared_stream_pdf,
)

PAGES = [["第一页 6.3 服务平台", "机构应建立服务平台。"], ["第二页 附录A 评估表"]]
CJK = re.compile(r"[\u4e00-\u9fff]")


def snapshot(directory: Path) -> dict[str, int]:
    return {str(p.relative_to(directory)): p.stat().st_size for p in directory.rglob("*")}


# --- what comes out --------------------------------------------------------------------------


def test_pdf_chinese_text_comes_back_page_by_page(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "a.pdf", PAGES, title="评估办法")
    extracted = extract(path)
    assert extracted.kind == "pdf"
    assert extracted.title == "评估办法"
    assert extracted.text.split("\f") == [
        "第一页 6.3 服务平台\n机构应建立服务平台。\n第 1 页",
        f"{CODE}\n第二页 附录A 评估表\n第 2 页",
    ]


def test_docx_paragraphs_headings_and_tables_in_order(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "a.docx",
        [
            ("h1", "第一章 总则"),
            ("p", "第一条 为规范评估，\n制定本办法。"),
            ("table", [["序号", "材料"], ["1", "营业执照|副本"]]),
            ("p", "第二条 本办法自发布之日起施行。"),
        ],
    )
    extracted = extract(path)
    assert (extracted.kind, extracted.title) == ("docx", "第一章 总则")
    assert extracted.text == (
        "第一章 总则\n\n第一条 为规范评估，\n制定本办法。\n\n"
        "| 序号 | 材料 |\n| 1 | 营业执照｜副本 |\n\n第二条 本办法自发布之日起施行。"
    )


def test_a_heading_paragraph_keeps_its_own_line(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "a.docx", [("h2", "6.3\n服务平台"), ("p", "机构应建立平台。")])
    assert extract_text(path) == "6.3 服务平台\n\n机构应建立平台。"


@pytest.mark.parametrize(
    ("name", "data", "kind", "text"),
    [
        pytest.param("a.md", "# 标题\r\n正文\r\n".encode(), "markdown", "# 标题\n正文\n", id="md"),
        pytest.param("a.txt", "\ufeff第一条 正文".encode(), "text", "第一条 正文", id="txt-bom"),
        pytest.param("a.txt", "第一条 正文".encode("gb18030"), "text", "第一条 正文", id="gb18030"),
        pytest.param("A.TXT", "正文".encode(), "text", "正文", id="upper-suffix"),
    ],
)
def test_text_files_are_decoded(
    tmp_path: Path, name: str, data: bytes, kind: str, text: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    extracted = extract(path)
    assert (extracted.kind, extracted.text, extracted.title) == (kind, text, None)


def test_the_type_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "standard.txt", PAGES)
    assert extract(pdf).kind == "pdf"
    docx = write_docx(tmp_path / "standard.zip", [("p", "第一条 正文。")])
    assert extract(docx).kind == "docx"


def test_a_pdf_locked_for_editing_only_is_read(tmp_path: Path) -> None:
    permissions_only = StandardEncryption("", ownerPassword="owner", canModify=0)
    path = write_pdf(tmp_path / "locked.pdf", PAGES, encrypt=permissions_only)
    assert "机构应建立服务平台。" in extract_text(path)


# --- what is refused -------------------------------------------------------------------------


def renamed(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(directory: Path) -> Path:
        path = directory / name
        path.write_bytes(data)
        return path

    return build


def truncated_pdf(directory: Path) -> Path:
    whole = write_pdf(directory / "whole.pdf", PAGES).read_bytes()
    path = directory / "truncated.pdf"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    return path


def garbled_pdf(directory: Path) -> Path:
    path = directory / "garbled.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    return path


def corrupt_zip(directory: Path) -> Path:
    path = directory / "corrupt.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x14\x00\x00\x00" + bytes(200))
    return path


def not_a_docx(directory: Path) -> Path:
    path = directory / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return path


def _encrypted_member() -> bytes:
    data = bytearray(docx_bytes(["第一条 正文。"]))
    at = data.index(b"PK\x01\x02")  # the first central-directory entry: set "encrypted"
    data[at + 8] |= 0x1
    return bytes(data)


def empty_docx(directory: Path) -> Path:
    return write_docx(directory / "empty.docx", [("p", "   ")])


HOSTILE = [
    pytest.param(
        renamed("setup.pdf", b"MZ\x90\x00" + bytes(512)), "不支持的文件类型", id="exe-as-pdf"
    ),
    pytest.param(
        renamed("scan.pdf", b"\x89PNG\r\n\x1a\n" + bytes(64)), "不支持的文件类型", id="png-as-pdf"
    ),
    pytest.param(
        renamed("notes.pdf", "第一条 正文".encode()), "不支持的文件类型", id="text-as-pdf"
    ),
    pytest.param(
        renamed("old.doc", b"\xd0\xcf\x11\xe0" + bytes(64)), "另存为 DOCX", id="legacy-doc"
    ),
    pytest.param(renamed("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(64)), "不支持", id="png-as-txt"),
    pytest.param(renamed("latin1.md", "café".encode("latin-1")), "UTF-8", id="md-not-utf8"),
    pytest.param(renamed("blank.txt", b"  \n\n"), "没有文字", id="blank-text"),
    pytest.param(truncated_pdf, "不完整", id="truncated-pdf"),
    pytest.param(garbled_pdf, "已损坏", id="garbled-pdf"),
    pytest.param(
        lambda d: write_pdf(d / "secret.pdf", PAGES, encrypt="secret"), "已加密", id="encrypted"
    ),
    pytest.param(lambda d: write_blank_pdf(d / "scan.pdf"), "OCR", id="no-text-layer"),
    pytest.param(corrupt_zip, "已损坏", id="corrupt-zip-as-docx"),
    pytest.param(not_a_docx, "不是 DOCX", id="zip-without-document"),
    pytest.param(empty_docx, "没有文字", id="empty-docx"),
    pytest.param(lambda d: write_zip_bomb(d / "bomb.docx", 300), "压缩炸弹", id="zip-bomb-300mb"),
    pytest.param(lambda d: write_zip_bomb(d / "dense.docx", 20), "压缩炸弹", id="absurd-ratio"),
    pytest.param(lambda d: d / "missing.pdf", "不存在", id="missing"),
    # the evidence intake's checks, now on this path too
    pytest.param(
        renamed("t.docx", ooxml_zip({"../../etc/cron.d/x": "x"})), "不安全的路径", id="dotdot"
    ),
    pytest.param(renamed("t.docx", _encrypted_member()), "已加密", id="encrypted-member"),
    pytest.param(
        renamed("t.docx", b"\xd0\xcf\x11\xe0" + bytes(64) + "EncryptedPackage".encode("utf-16-le")),
        "已加密",
        id="office-password",
    ),
    pytest.param(renamed("xxe.docx", external_entity_docx()), "实体", id="external-entity"),
    # costly to read (issue 13)
    pytest.param(renamed("4kb.pdf", shared_stream_pdf()), "过于复杂", id="shared-stream-pdf"),
    pytest.param(renamed("31mb.docx", large_xml_docx()), "过于复杂", id="31mb-document-xml"),
]


@pytest.mark.parametrize(("build", "reason"), HOSTILE)
def test_hostile_files_are_refused_with_a_chinese_message(
    tmp_path: Path, build: Callable[[Path], Path], reason: str
) -> None:
    path = build(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(KnowledgeError) as caught:
        extract_text(path)
    message = str(caught.value)
    assert reason in message
    assert repr(str(path)) in message
    chinese, english = message.split(" / ")
    assert CJK.search(chinese) and not CJK.search(english.replace(repr(str(path)), ""))
    assert snapshot(tmp_path) == before  # nothing written


def test_size_limits_come_from_the_arguments(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "a.pdf", PAGES)
    with pytest.raises(KnowledgeError, match="文件过大"):
        extract_text(pdf, max_bytes=1000)
    docx = write_docx(tmp_path / "a.docx", [("p", "第一条 正文。")])
    with pytest.raises(KnowledgeError, match="压缩炸弹"):
        extract_text(docx, max_unpacked=1000)


@pytest.mark.parametrize(
    ("data", "name"),
    [(shared_stream_pdf(), "4kb.pdf"), (large_xml_docx(), "31mb.docx")],
    ids=["shared-stream-pdf", "31mb-document-xml"],
)
def test_costly_documents_are_refused_with_the_evidence_reason(
    tmp_path: Path, data: bytes, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentRefused) as caught:
        extract_text(path)
    assert caught.value.reason == "too_complex"
    assert "too complex" in caught.value.message("en")
