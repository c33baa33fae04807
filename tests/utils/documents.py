"""Builders for the PDF, DOCX and hostile files that the extraction and segmentation tests read.

PDFs are drawn with reportlab's built-in CID font ``STSong-Light`` (no font file needed), whose
text ``pypdf`` extracts back as Chinese. Lines are drawn as given, so a test decides exactly
where the layout wraps; :func:`wrap` breaks a paragraph at a fixed display width the way a
typesetter would, mid-sentence.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import unicodedata
import zipfile
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from assistant.documents import Limits

__all__ = [
    "CODE",
    "DocxBlock",
    "probe_child",
    "standard_pages",
    "wrap",
    "write_blank_pdf",
    "write_docx",
    "write_pdf",
    "write_zip_bomb",
]

FONT = "STSong-Light"
CODE = "T/ZXGJXH 002—2023"
LINE_WIDTH = 80  # display columns of a full line: 40 Chinese characters
_TOP, _BOTTOM, _LEADING, _SIZE = 780, 50, 17, 10.5

_TOPICS = ("服务需求调查", "服务流程管理", "服务人员培训", "服务质量监测", "客户投诉处理")
_TOPICS += ("服务数据管理", "合作资源管理", "持续改进", "信息安全管理")

DocxBlock = tuple[str, str | Sequence[Sequence[str]]]

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(paragraph: str, width: int = LINE_WIDTH) -> list[str]:
    """Break ``paragraph`` into lines of at most ``width`` display columns, wherever it falls."""
    lines, current = [], ""
    for char in paragraph:
        if _columns(current + char) > width:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current else lines


def write_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    header: str | None = CODE,
    footer: str | None = "第 {page} 页",
    header_from: int = 2,
    encrypt: object = None,
    title: str | None = None,
) -> Path:
    """One PDF page per entry of ``pages``, each line drawn as given, with running furniture."""
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title is not None:
        pdf.setTitle(title)
    for number, lines in enumerate(pages, start=1):
        pdf.setFont(FONT, _SIZE)
        if header and number >= header_from:
            pdf.drawString(72, _TOP + 30, header)
        y = _TOP
        for line in lines:
            pdf.drawString(72, y, line)
            y -= _LEADING
        if footer:
            pdf.drawCentredString(A4[0] / 2, _BOTTOM - 20, footer.format(page=number))
        pdf.showPage()
    pdf.save()
    return path


def write_blank_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF with drawings but no text layer, like a scan."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        pdf.rect(72, 72, 400, 600, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def write_docx(path: Path, blocks: Sequence[DocxBlock]) -> Path:
    """``("title"|"h1"|"h2"|"p", text)`` paragraphs and ``("table", rows)`` tables, in order."""
    document = Document()
    for kind, content in blocks:
        if kind == "table":
            rows = list(content)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        elif kind == "title":
            document.add_heading(str(content), level=0)
        elif kind in ("h1", "h2"):
            document.add_heading(str(content), level=int(kind[1]))
        else:
            document.add_paragraph(str(content))
    document.save(str(path))
    return path


def write_zip_bomb(path: Path, megabytes: int, *, docx_like: bool = True) -> Path:
    """A ZIP whose ``word/document.xml`` unpacks to ``megabytes`` MiB of zeros, streamed."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if docx_like:
            archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return path


def standard_pages(chapters: int = 5, items: int = 8) -> tuple[list[list[str]], int]:
    """A realistic standard: cover, contents, foreword, ``chapters`` x ``items`` clauses.

    Returns the pages (25 lines each) and the number of clauses the text should yield.
    """
    cover = ["团 体 标 准", CODE, "中小企业服务 服务机构 通用能力成熟度模型", "2023年12月20日发布"]
    contents = ["目  次", "前言 ........................ I"]
    contents += [f"{c} 能力域{c} ........................ {c}" for c in range(1, chapters + 1)]
    body: list[str] = ["前言", *wrap("本文件按照标准化工作导则的规定起草。" * 4)]
    expected = 1
    for chapter in range(1, chapters + 1):
        body += [f"{chapter} 能力域{chapter}", f"{chapter}.1 一般要求"]
        for item in range(1, items + 1):
            number = f"{chapter}.1.{item}"
            topic = _TOPICS[(chapter + item) % len(_TOPICS)]
            sentence = (
                f"机构应建立{topic}制度，明确责任部门、工作流程和检查方式，每年至少评审一次，"
            )
            sentence += (
                f"评审结论应形成记录并按照{chapter}.1.1的规定保存，记录的保存期限不少于三年，"
            )
            sentence += "涉及中小企业商业秘密的记录应当采取保密措施。"
            body += wrap(f"{number} {sentence}")
            expected += 1
    pages = [cover, contents] + [body[i : i + 25] for i in range(0, len(body), 25)]
    return pages, expected


def probe_child(connection: Connection, limits: Limits) -> None:
    """A reading child's target that confines itself as the real one does, then reports what
    it holds: the files behind its descriptors, its rlimits, its niceness, its main module."""
    from assistant.documents.worker import confine

    confine(limits)
    fds = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
    report = {
        "fds": fds,
        "cpu": resource.getrlimit(resource.RLIMIT_CPU),
        "memory": resource.getrlimit(resource.RLIMIT_AS),
        "fsize": resource.getrlimit(resource.RLIMIT_FSIZE),
        "core": resource.getrlimit(resource.RLIMIT_CORE),
        "nice": os.nice(0),
        "main": getattr(sys.modules["__main__"], "__file__", None),
        "environ": sorted(os.environ),
        "vm_kb": _status_kb("VmSize"),
    }
    connection.send_bytes(json.dumps(report).encode())
    connection.close()


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1])
