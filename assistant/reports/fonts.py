"""Where the Chinese fonts are. PDF embedding needs TrueType outlines (reportlab cannot embed
the CFF outlines of Noto CJK); the chart can use either."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ReportError

__all__ = ["CHART_FONTS", "PDF_FONTS", "FontFile", "find_font"]


@dataclass(frozen=True, slots=True)
class FontFile:
    path: Path
    subfont: int = 0  # the face's index in a TrueType collection (.ttc)


PDF_FONTS: tuple[FontFile, ...] = (
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")),
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")),
    FontFile(Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")),
    FontFile(Path("/usr/share/fonts/truetype/arphic/uming.ttc")),
    FontFile(Path("/Library/Fonts/Arial Unicode.ttf")),
    FontFile(Path("C:/Windows/Fonts/simhei.ttf")),
)

CHART_FONTS: tuple[FontFile, ...] = (
    FontFile(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")),
    FontFile(Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc")),
    *PDF_FONTS,
)

_INSTALL_HINT_ZH = "请安装中文字体：apt-get install fonts-wqy-microhei"
_INSTALL_HINT_EN = "install a Chinese font: apt-get install fonts-wqy-microhei"


def find_font(candidates: tuple[FontFile, ...]) -> FontFile:
    """The first candidate that exists; a ``ReportError`` naming the install command if none."""
    for candidate in candidates:
        if candidate.path.is_file():
            return candidate
    tried = [str(c.path) for c in candidates]
    raise ReportError(
        f"找不到可嵌入的中文字体（已查找 {tried!r}）；{_INSTALL_HINT_ZH}",
        en=f"no embeddable Chinese font found (looked for {tried!r}); {_INSTALL_HINT_EN}",
    )
