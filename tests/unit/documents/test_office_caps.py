"""DOCX and XLSX under the XML caps, in this process (the child runs the same reading):
sizes, element counts, DTDs and entities, nesting, and the cells openpyxl would parse."""

from __future__ import annotations

import time

import pytest

from assistant.documents import EVIDENCE, DocumentRefused, Extracted, Limits, Reason
from assistant.documents.worker import Job, read_job
from tests.utils.evidence_files import (
    W_NS,
    billion_laughs_docx,
    deep_docx,
    docx_of,
    external_entity_docx,
    large_xml_docx,
    repeated_row_xlsx,
    wide_row_xlsx,
    xlsx_of,
)

MB = 1024 * 1024


def read(data: bytes, limits: Limits | None = None) -> Extracted:
    return read_job(Job("zip", data, EVIDENCE, limits or Limits()))


def refusal(data: bytes, limits: Limits | None = None) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as caught:
        read(data, limits)
    return caught.value


def paragraphs(count: int) -> bytes:
    body = "<w:p><w:r><w:t>第一条</w:t></w:r></w:p>" * count
    return docx_of(f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def test_a_31_mb_document_xml_is_refused_by_its_declared_size_at_once() -> None:
    data = large_xml_docx(31)
    assert 600 * 1024 < len(data) < 800 * 1024  # ~44:1, under the zip-bomb ratio
    started = time.perf_counter()
    refused = refusal(data)
    assert time.perf_counter() - started < 2  # parsing it took 73 s; refusing takes milliseconds
    assert refused.reason is Reason.TOO_COMPLEX
    assert "'word/document.xml'" in refused.zh and "16 MB" in refused.en


def test_a_large_document_under_the_caps_is_read_as_a_stream() -> None:
    extracted = read(large_xml_docx(2))
    assert extracted.text.count("\n\n") > 10_000
    assert extracted.text.startswith(extracted.text.split("\n\n")[0])


def test_the_element_cap() -> None:
    assert read(paragraphs(1000), Limits(max_xml_elements=3002)).text.count("第一条") == 1000
    refused = refusal(paragraphs(1000), Limits(max_xml_elements=3001))
    assert (refused.reason, "3001" in refused.en) == (Reason.TOO_COMPLEX, True)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(billion_laughs_docx, id="billion-laughs"),
        pytest.param(external_entity_docx, id="external-entity"),
        pytest.param(
            lambda: docx_of(
                "<!--" + "x" * 100_000 + "-->"  # pushes the DOCTYPE past the first chunk
                f'<!DOCTYPE w:document [<!ENTITY e "e">]><w:document xmlns:w="{W_NS}">'
                "<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
            ),
            id="doctype-after-a-long-comment",
        ),
        pytest.param(
            lambda: xlsx_of(
                b"<sheetData/>",
                extra={"xl/sharedStrings.xml": '<!DOCTYPE sst SYSTEM "http://127.0.0.1/x"><sst/>'},
            ),
            id="xlsx-shared-strings-dtd",
        ),
    ],
)
def test_a_dtd_is_refused_before_anything_expands(build: object) -> None:
    refused = refusal(build())  # type: ignore[operator]
    assert refused.reason is Reason.ZIP_BOMB
    assert "DTD" in refused.zh and "root:" not in refused.en  # no file content came back


def test_deep_nesting_is_refused() -> None:
    assert refusal(deep_docx(300)).reason is Reason.TOO_COMPLEX
    assert read(deep_docx(100)).text == "深处"


def test_a_row_of_too_many_cells_is_refused_by_the_bytes_read() -> None:
    refused = refusal(wide_row_xlsx(3), Limits(max_xml_bytes=MB))
    assert (refused.reason, "'xl/worksheets/sheet1.xml'" in refused.en) == (
        Reason.TOO_COMPLEX,
        True,
    )


def test_the_cells_openpyxl_would_parse_are_counted() -> None:
    assert refusal(wide_row_xlsx(1), Limits(max_cells=1000)).reason is Reason.TOO_COMPLEX
    # rows all numbered 1: openpyxl never reaches its row cap, so every row counts
    assert refusal(repeated_row_xlsx(3000), Limits(max_cells=2000)).reason is Reason.TOO_COMPLEX


def test_rows_past_the_row_cap_cost_nothing() -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 20_001))
    extracted = read(xlsx_of(f"<sheetData>{rows}</sheetData>".encode()), Limits(max_cells=6000))
    lines = extracted.text.splitlines()
    assert (lines[0], lines[1], lines[-1], len(lines)) == ("数据", "1", "5000", 5001)
