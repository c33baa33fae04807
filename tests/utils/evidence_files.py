"""Builders of uploads as bytes: good files of every accepted type, and hostile ones.

PDFs use reportlab's CID font ``STSong-Light`` (registered by ``tests.utils.documents``), whose
Chinese text ``pypdf`` reads back. Zip bombs are built in memory by streaming zeros into one
member, or by lying about a member's size in the central directory.

Files that cost their reader dearly (issue 13) are built here too, never stored: a 4 KB PDF
whose pages all draw one 1 MB content stream, a 0.7 MB DOCX whose ``document.xml`` is 31 MB,
an XLSX whose one row holds a million cells, and XML tricks (entities, deep nesting). Big
XML is a ~150 KB block of varied text repeated: deflate's 32 KB window cannot see the
repeats, so the archive compresses it only ~40 times, under the zip-bomb ratio.
"""

from __future__ import annotations

import io
import random
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
    "W_NS",
    "Cell",
    "XLSX_TYPES",
    "billion_laughs_docx",
    "blank_pdf_bytes",
    "blank_png",
    "deep_docx",
    "declared_size_lie",
    "docx_bytes",
    "docx_of",
    "external_entity_docx",
    "image_bytes",
    "large_xml_docx",
    "minimal_xlsx",
    "ooxml_zip",
    "page_tree_pdf",
    "pdf_bytes",
    "png_header",
    "raw_pdf",
    "repeated_row_xlsx",
    "shared_stream_pdf",
    "streamed_bomb",
    "wide_row_xlsx",
    "xlsx_bytes",
    "xlsx_of",
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
    rows = "".join(
        f'<row r="{ref[1:]}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for ref, text in cells
    )
    return xlsx_of(f"<sheetData>{rows}</sheetData>".encode())


def xlsx_of(sheet_data: bytes, *, extra: Mapping[str, bytes | str] | None = None) -> bytes:
    """A minimal XLSX whose one sheet, 数据, holds ``sheet_data`` (``<sheetData>…``)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = XLSX_TYPES.replace(
        "</Types>",
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
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
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}">'.encode()
            + sheet_data
            + b"</worksheet>",
            "xl/styles.xml": f'<styleSheet xmlns="{main}"/>',
            **(extra or {}),
        },
        types=types,
    )


# --- files that cost their reader dearly -----------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WORDS = ("服务平台", "责任部门", "工作流程", "检查方式", "评审记录", "保存期限")
_WORDS += ("商业秘密", "保密措施", "服务需求", "质量监测", "客户投诉", "持续改进")


def raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; the first is the catalog), with its xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _text_stream(kib: int) -> bytes:
    content = b"BT /F1 9 Tf 72 720 Td (x) Tj ET\n" * (kib * 1024 // 32)
    packed = zlib.compress(content, 9)
    return (
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    )


def shared_stream_pdf(pages: int = 30, stream_kib: int = 512) -> bytes:
    """~4 KB: ``pages`` pages, each its own object, all drawing one ``stream_kib`` KiB content
    stream of text operators (pypdf parses it again for every page: a second or two each)."""
    kids = b" ".join(b"%d 0 R" % (5 + page) for page in range(pages))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids["
        + kids
        + b"]/Count %d" % pages
        + b"/Resources<</Font<</F1 3 0 R>>>>/MediaBox[0 0 612 792]>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        _text_stream(stream_kib),
    ]
    objects += [b"<</Type/Page/Parent 2 0 R/Contents 4 0 R>>"] * pages
    return raw_pdf(objects)


def distinct_streams_pdf(pages: int = 30, stream_kib: int = 128) -> bytes:
    """~15 KB: like :func:`shared_stream_pdf`, but every page has a content stream object of its
    own (the same bytes): nothing is shared, and parsing still costs a second or more a page."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * page) for page in range(pages))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids["
        + kids
        + b"]/Count %d" % pages
        + b"/Resources<</Font<</F1 3 0 R>>>>/MediaBox[0 0 612 792]>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    stream = _text_stream(stream_kib)
    for page in range(pages):
        objects += [b"<</Type/Page/Parent 2 0 R/Contents %d 0 R>>" % (5 + 2 * page), stream]
    return raw_pdf(objects)


def page_tree_pdf(levels: int = 18) -> bytes:
    """A page tree whose every node lists its child twice: 2**levels pages in ~2 KB."""
    objects = [
        b"<</Type/Catalog/Pages 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        _text_stream(1),
        b"<</Type/Page/Contents 3 0 R/Resources<</Font<</F1 2 0 R>>>>/MediaBox[0 0 612 792]>>",
    ]
    for level in range(levels):
        child = 6 + level if level < levels - 1 else 4
        count = 2 ** (levels - level)
        objects.append(b"<</Type/Pages/Kids[%d 0 R %d 0 R]/Count %d>>" % (child, child, count))
    return raw_pdf(objects)


def docx_of(document_xml: bytes | str, **members: bytes | str) -> bytes:
    """A minimal DOCX: the content types, the package relationship and ``document_xml``."""
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    types = DOCX_TYPES.replace(
        "</Types>",
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.styles+xml"/></Types>',
    )
    members = {"_rels/.rels": rels, "word/document.xml": document_xml, **members}
    return ooxml_zip(members, types=types)


def _varied_block(rng: random.Random, build: str, count: int) -> str:
    return "".join(
        build.format("".join(rng.choices(_WORDS, k=2 + (n % 3 == 0)))) for n in range(count)
    )


def large_xml_docx(megabytes: int = 31) -> bytes:
    """~0.7 MB: a DOCX whose ``document.xml`` is ``megabytes`` MiB of short paragraphs as Word
    writes them (ratio ~44, under the zip-bomb limit of 200)."""
    paragraph = (
        '<w:p><w:pPr><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr></w:pPr><w:r><w:rPr>'
        '<w:rFonts w:hint="eastAsia"/></w:rPr><w:t>{}</w:t></w:r></w:p>'
    )
    block = _varied_block(random.Random(7), paragraph, 1000).encode()
    body = block * (megabytes * 1024 * 1024 // len(block) + 1)
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
    return docx_of(head.encode() + b"<w:body>" + body + b"</w:body></w:document>")


def wide_row_xlsx(megabytes: int = 40) -> bytes:
    """An XLSX whose sheet XML is ``megabytes`` MiB: one row of ~2 million cells (openpyxl
    parses every cell of a row it reads, however far right)."""
    cell = '<c t="inlineStr"><is><t>{}</t></is></c>'
    block = _varied_block(random.Random(11), cell, 1000).encode()
    cells = block * (megabytes * 1024 * 1024 // len(block) + 1)
    return xlsx_of(b'<sheetData><row r="1">' + cells + b"</row></sheetData>")


def repeated_row_xlsx(rows: int) -> bytes:
    """``rows`` rows all numbered 1: openpyxl stops only at a row numbered past its cap."""
    row = '<row r="1"><c t="inlineStr"><is><t>{}</t></is></c></row>'
    return xlsx_of(
        b"<sheetData>" + _varied_block(random.Random(5), row, rows).encode() + b"</sheetData>"
    )


def billion_laughs_docx(levels: int = 9) -> bytes:
    """Entities that each expand to ten of the one before: 10**levels "lol"s from ~1 KB."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1)
    ]
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(entities)}]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol{levels};</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    return docx_of(xml)


def external_entity_docx(target: str = "file:///etc/passwd") -> bytes:
    """An external entity pointing at a file of the server (XXE)."""
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "{target}">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    return docx_of(xml)


def deep_docx(levels: int = 300) -> bytes:
    """Content controls nested ``levels`` deep, each holding the next."""
    opening = "<w:sdt><w:sdtContent>" * levels
    closing = "</w:sdtContent></w:sdt>" * levels
    xml = (
        f'<w:document xmlns:w="{W_NS}"><w:body>{opening}<w:p><w:r><w:t>深处</w:t></w:r></w:p>'
        f"{closing}</w:body></w:document>"
    )
    return docx_of(xml)


def blank_png(width: int, height: int) -> bytes:
    """A real, valid RGB PNG of black pixels: tiny on disk, ``3 * width * height`` bytes
    decoded (built row by row, never whole in memory)."""
    packer = zlib.compressobj(9)
    row = bytes(1 + 3 * width)  # filter byte 0, then the pixels
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )
