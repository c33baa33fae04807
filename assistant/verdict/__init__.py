"""The one presenter of the verdict (DESIGN §3, §5): the chat, the page, the CLI and the
reports show a rating through ``present`` — the same words, numbers and order everywhere."""

from assistant.verdict.build import present
from assistant.verdict.coverage import coverage
from assistant.verdict.models import AreaVerdict, BlockerGroup, BlockerLine, Verdict, Verdicts
from assistant.verdict.order import in_order
from assistant.verdict.words import gap_text

__all__ = [
    "AreaVerdict",
    "BlockerGroup",
    "BlockerLine",
    "Verdict",
    "Verdicts",
    "coverage",
    "gap_text",
    "in_order",
    "present",
]
