"""PDF reading under its caps, in this process (the child runs the same function)."""

from __future__ import annotations

import time

import pytest
from pypdf import PdfReader
from pypdf.errors import DependencyError
from reportlab.lib.pdfencrypt import StandardEncryption

from assistant.documents import DocumentRefused, Limits, Reason
from assistant.documents.pdf_text import pdf_text
from tests.utils.evidence_files import (
    distinct_streams_pdf,
    page_tree_pdf,
    pdf_bytes,
    shared_stream_pdf,
)

PAGES = [["第一页 6.3 服务平台", "机构应建立服务平台。"], ["第二页 附录A 评估表"]]


def test_an_aes_pdf_without_a_crypto_backend_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def needs_backend(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography is required for AES algorithm")

    permissions_only = StandardEncryption("", ownerPassword="owner", canModify=0)
    data = pdf_bytes(PAGES, encrypt=permissions_only)
    monkeypatch.setattr(PdfReader, "decrypt", needs_backend)
    with pytest.raises(DocumentRefused, match="pip install cryptography") as caught:
        pdf_text(data, Limits())
    assert caught.value.reason is Reason.ENCRYPTED


def test_pages_sharing_one_stream_count_it_once_each_and_are_refused_before_parsing() -> None:
    data = shared_stream_pdf(pages=30, stream_kib=512)  # 15 MB to parse, from ~4 KB
    assert len(data) < 5 * 1024
    started = time.perf_counter()
    with pytest.raises(DocumentRefused) as caught:
        pdf_text(data, Limits(max_content_bytes=8 * 1024 * 1024))
    assert time.perf_counter() - started < 1.0  # parsing even one page takes about a second
    assert caught.value.reason is Reason.TOO_COMPLEX
    assert "8 MB" in caught.value.zh and "once per page" in caught.value.en


def test_pages_repeating_one_stream_under_the_content_cap_are_refused_at_once() -> None:
    data = shared_stream_pdf(pages=30, stream_kib=128)  # 3.75 MB drawn: under the 8 MB cap
    assert len(data) < 4 * 1024
    started = time.perf_counter()
    with pytest.raises(DocumentRefused) as caught:
        pdf_text(data, Limits(max_content_bytes=8 * 1024 * 1024))
    assert time.perf_counter() - started < 1.0
    assert caught.value.reason is Reason.TOO_COMPLEX
    assert "反复引用同一段内容" in caught.value.zh and "again and again" in caught.value.en


def test_pages_with_their_own_streams_are_not_taken_for_repeats() -> None:
    data = distinct_streams_pdf(pages=4, stream_kib=1)
    assert pdf_text(data, Limits()).pages == 4


def test_the_content_cap_counts_what_parsing_would_cost() -> None:
    data = shared_stream_pdf(pages=4, stream_kib=2)  # 8 KiB of content in all
    assert pdf_text(data, Limits(max_content_bytes=8 * 1024)).pages == 4
    with pytest.raises(DocumentRefused, match="content"):
        pdf_text(data, Limits(max_content_bytes=8 * 1024 - 1))


def test_the_page_cap() -> None:
    data = pdf_bytes(PAGES * 3)
    assert pdf_text(data, Limits(max_pages=6)).pages == 6
    with pytest.raises(DocumentRefused) as caught:
        pdf_text(data, Limits(max_pages=5))
    assert (caught.value.reason, "共 6 页，上限 5 页" in caught.value.zh) == (
        Reason.TOO_COMPLEX,
        True,
    )


def test_a_page_tree_that_doubles_at_every_level_is_refused() -> None:
    with pytest.raises(DocumentRefused) as caught:
        pdf_text(page_tree_pdf(levels=18), Limits())  # 262,144 pages from 2 KB
    assert caught.value.reason is Reason.TOO_COMPLEX


def test_a_legitimate_pdf_reads_with_its_title() -> None:
    extracted = pdf_text(pdf_bytes(PAGES, title="评估办法"), Limits())
    assert (extracted.title, extracted.pages) == ("评估办法", 2)
    assert extracted.text.split("\f")[1] == "第二页 附录A 评估表"
