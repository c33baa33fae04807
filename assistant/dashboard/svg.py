"""Two chart shapes drawn as SVG text: grouped vertical bars and horizontal bars.

No JavaScript and no library: the server writes the markup, a page shows it as an ``<img>``.
Each chart is an accessible image (``role="img"``, ``<title>`` and ``<desc>``), every bar
carries its number as text and each series has its own fill pattern beside its colour, so the
chart reads in greyscale and to a screen reader. Every text is XML-escaped; characters XML
forbids are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["Series", "grouped_bars", "horizontal_bars", "xml_text"]

# Characters XML 1.0 does not allow (a single class: linear time).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_QUOTES = {'"': "&quot;", "'": "&apos;"}
# A presentation attribute, not a style: the SVG is served under a CSP without inline styles.
_FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif"
# Colours after the reports' radar chart (declared blue, evidenced orange), then green.
_FILLS = ("#1f5fa8", "#d9822b", "#2e7d4f", "#7b4fa8")
_PATTERNS = (
    "",  # solid
    '<path d="M0,6 L6,0" stroke="#fff" stroke-width="1.6"/>',  # hatched
    '<circle cx="3" cy="3" r="1.2" fill="#fff"/>',  # dotted
    '<path d="M0,3 H6" stroke="#fff" stroke-width="1.4"/>',  # striped
)
_WIDE = re.compile("[\u2e80-\uffef]")  # CJK and full-width: about one em each


def _width(text: str, size: int = 12) -> float:
    wide = len(_WIDE.findall(text))
    return size * (wide + 0.58 * (len(text) - wide))


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]
    style: int = 0  # which colour and pattern: the same series looks the same in every chart


def xml_text(text: str) -> str:
    """Text made safe for XML character data and attribute values."""
    return escape(_NOT_XML.sub("", text), _QUOTES)


def _fit(text: str, room: float) -> str:
    """The text, cut and ended with "…" where it would be wider than ``room``."""
    if _width(text) <= room:
        return text
    text = text[: int(room)]  # never more characters than pixels: the loop stays short
    while text and _width(text + "…") > room:
        text = text[:-1]
    return text + "…"


def _defs(prefix: str, styles: Sequence[int]) -> str:
    parts = []
    for index in styles:
        fill = _FILLS[index % len(_FILLS)]
        mark = _PATTERNS[index % len(_PATTERNS)]
        parts.append(
            f'<pattern id="{prefix}-p{index}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{fill}"/>{mark}</pattern>'
        )
    return f"<defs>{''.join(parts)}</defs>"


def _open(prefix: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" font-family="{_FONT}">',
        f'<title id="{prefix}-title">{xml_text(title)}</title>',
        f'<desc id="{prefix}-desc">{xml_text(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="16" y="26" font-size="16" font-weight="bold" fill="#222">'
        f"{xml_text(title)}</text>",
    ]


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="#222">{xml_text(text)}</text>'
    )


def _legend(prefix: str, series: Sequence[Series], y: float) -> list[str]:
    parts, x = [], 16.0
    for one in series:
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14" '
            f'fill="url(#{prefix}-p{one.style})" stroke="#222" stroke-width="0.5"/>'
        )
        parts.append(_text(x + 20, y, one.name, anchor="start"))
        x += 36 + _width(one.name)
    return parts


def grouped_bars(
    prefix: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
) -> str:
    """Bars per category, one per series side by side, each with its number on top."""
    group = max(64, 26 * len(series) + 18)
    left, top, plot_h = 48, 76, 220
    width = max(640, left + 16 + group * len(categories))
    height = top + plot_h + 56
    peak = max((v for s in series for v in s.values), default=0) or 1
    bar = (group - 18) / max(1, len(series))
    parts = [*_open(prefix, width, height, title, desc), _defs(prefix, [s.style for s in series])]
    parts += _legend(prefix, series, 48)
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 8}" y2="{base}" stroke="#444"/>')
    for c, name in enumerate(categories):
        x0 = left + c * group + 9
        for s, one in enumerate(series):
            value = one.values[c]
            h = plot_h * value / peak
            x = x0 + s * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="url(#{prefix}-p{one.style})" stroke="#222" stroke-width="0.5"/>'
            )
            parts.append(_text(x + (bar - 2) / 2, base - h - 4, str(value), size=11))
        parts.append(_text(x0 + (group - 18) / 2, base + 20, name))
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(
    prefix: str, title: str, desc: str, labels: Sequence[str], values: Sequence[int]
) -> str:
    """One bar per label, longest first as given, the label left and the number after it."""
    row, top, label_w, bar_w = 28, 48, 300, 360
    width = label_w + bar_w + 72
    height = top + row * max(1, len(labels)) + 16
    peak = max(values, default=0) or 1
    parts = [*_open(prefix, width, height, title, desc), _defs(prefix, [0])]
    if not labels:
        parts.append(_text(16, top + 18, "—", anchor="start"))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        w = bar_w * value / peak
        parts.append(_text(label_w - 8, y + 17, _fit(label, label_w - 16), anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
            f'fill="url(#{prefix}-p0)" stroke="#222" stroke-width="0.5"/>'
        )
        parts.append(_text(label_w + w + 6, y + 17, str(value), anchor="start"))
    parts.append("</svg>")
    return "".join(parts)
