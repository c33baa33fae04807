"""Untrusted documents read safely: one reader for applicants' evidence and operators' texts.

    extracted = read_document(data, name, EVIDENCE, limits)   # or OPERATOR
    extracted.format, extracted.text, extracted.title          # "pdf", "…", "年度报告"

The type comes from the content (:mod:`sniff`); a ZIP's members are checked before any is
read (:mod:`container`); PDF, DOCX, XLSX and images are read in a child process with CPU,
memory and time limits and caps on pages, content, XML and cells (:mod:`sandbox`,
:mod:`worker`, :class:`Limits`). A refusal is ``DocumentRefused`` with a stable
``reason`` and the message in Chinese and English; nothing is written either way.
"""

from assistant.documents.extracted import Extracted
from assistant.documents.limits import Limits, document_limits
from assistant.documents.policy import (
    EVIDENCE,
    IMAGE_FORMATS,
    OPERATOR,
    Format,
    Policy,
)
from assistant.documents.reader import read_document
from assistant.documents.refusal import DocumentRefused, Reason
from assistant.documents.sandbox import start_readers

__all__ = [
    "EVIDENCE",
    "IMAGE_FORMATS",
    "OPERATOR",
    "DocumentRefused",
    "Extracted",
    "Format",
    "Limits",
    "Policy",
    "Reason",
    "document_limits",
    "read_document",
    "start_readers",
]
