"""Builders of uploads as bytes: good files of every accepted type, and hostile ones.

PDFs use reportlab's CID font ``STSong-Light`` (registered by ``tests.utils.documents``), whose
Chinese text ``pypdf`` reads back. Zip bombs are built in memory by streaming zeros into one
member, or by lying about a member's size in the central directory.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from docx import Document
from openpyxl import Workbook
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.utils.documents import FONT

__all__ = [
    "DOCX_TYPES",
    "Cell",
    "XLSX_TYPES",
    "blank_pdf_bytes",
    "declared_size_lie",
    "docx_bytes",
    "image_bytes",
    "minimal_xlsx",
    "ooxml_zip",
    "pdf_bytes",
    "png_header",
    "streamed_bomb",
    "xlsx_bytes",
]

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
XLSX_TYPES = DOCX_TYPES.replace("/word/document.xml", "/xl/workbook.xml").replace(
    "wordprocessingml.document", "spreadsheetml.sheet"
)

Cell = str | int | float | date | datetime | None


def pdf_bytes(
    pages: Sequence[Sequence[str]], *, title: str | None = None, encrypt: object = None
) -> bytes:
    """One page per entry, each line drawn as given."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    if title is not None:
        pdf.setTitle(title)
    for lines in pages:
        pdf.setFont(FONT, 11)
        y = 780
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def blank_pdf_bytes() -> bytes:
    """A page with a drawing and no text, like a scan."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.rect(72, 72, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_bytes(paragraphs: Sequence[str], *, heading: str | None = None) -> bytes:
    document = Document()
    if heading is not None:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(sheets: Mapping[str, Sequence[Sequence[Cell]]]) -> bytes:
    """One sheet per entry, rows from A1."""
    workbook = Workbook()
    first = True
    for name, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = name
        first = False
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def ooxml_zip(members: Mapping[str, bytes | str], *, types: str = DOCX_TYPES) -> bytes:
    """A ZIP with ``[Content_Types].xml`` first, then ``members`` as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def streamed_bomb(megabytes: int, *, types: str = DOCX_TYPES, member: str = "word/x.xml") -> bytes:
    """An Office-looking ZIP with one member of ``megabytes`` MiB of zeros (ratio ~1000)."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        with archive.open(member, "w", force_zip64=True) as handle:
            for _ in range(megabytes):
                handle.write(chunk)
    return buffer.getvalue()


def declared_size_lie(data: bytes, member: str, size: int) -> bytes:
    """``data`` (a ZIP) with ``member``'s uncompressed size in the central directory set to
    ``size``: a bomb by declaration, cheap to build."""
    name = member.encode()
    start = data.index(b"PK\x01\x02")
    while True:  # walk the central directory to the member's entry
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == name:
            return data[: start + 24] + struct.pack("<I", size) + data[start + 28 :]
        start = data.index(b"PK\x01\x02", start + 46)


def minimal_xlsx(cells: Sequence[tuple[str, str]]) -> bytes:
    """An XLSX as a minimal writer makes it: an empty style sheet (openpyxl warns that it falls
    back to its defaults) and inline strings.

    ``cells`` are ``(reference, text)`` pairs of the first sheet, e.g. ``("A1", "台账")``.
    """
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = XLSX_TYPES.replace(
        "</Types>",
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    rows = "".join(
        f'<row r="{ref[1:]}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for ref, text in cells
    )
    return ooxml_zip(
        {
            "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet '
            'name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.'
            f'org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{rows}'
            "</sheetData></worksheet>",
            "xl/styles.xml": f'<styleSheet xmlns="{main}"/>',
        },
        types=types,
    )
