"""Why a document is refused: a stable reason code and the message in Chinese and English.

The message never names the file: each caller adds the name in its own way (the evidence
intake as ``'a.pdf'：…``, operator ingest as ``'path': … / …``).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "DocumentRefused",
    "Reason",
    "bomb",
    "busy",
    "corrupt",
    "empty",
    "encrypted",
    "megabytes",
    "too_complex",
    "too_large",
]


class Reason(StrEnum):
    """Stable codes the API, the chat and the CLI can branch on."""

    TOO_LARGE = "too_large"
    EMPTY = "empty"
    UNSUPPORTED_TYPE = "unsupported_type"
    CORRUPT = "corrupt"
    ZIP_BOMB = "zip_bomb"  # would unpack, decode or expand to an absurd size
    ENCRYPTED = "encrypted"
    NO_TEXT = "no_text"  # operator ingest only: nothing to cite
    TOO_COMPLEX = "too_complex"  # past a page, content, XML or cell cap, or CPU/memory/time
    BUSY = "busy"  # every document reader is taken; try again shortly


class DocumentRefused(Exception):
    """A document that must not be read; ``zh`` and ``en`` are the message without the name."""

    def __init__(self, reason: Reason, zh: str, en: str) -> None:
        super().__init__(f"{reason.value}: {en}")
        self.reason = reason
        self.zh = zh
        self.en = en


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def too_large(size: int, limit: int) -> DocumentRefused:
    return DocumentRefused(
        Reason.TOO_LARGE,
        f"文件过大（{megabytes(size)} MB），上限为 {megabytes(limit)} MB",
        f"the file is too large ({megabytes(size)} MB); the limit is {megabytes(limit)} MB",
    )


def empty() -> DocumentRefused:
    return DocumentRefused(Reason.EMPTY, "文件是空的", "the file is empty")


def corrupt(kind: str, exc: BaseException) -> DocumentRefused:
    return DocumentRefused(
        Reason.CORRUPT,
        f"{kind} 文件已损坏或无法解析（{type(exc).__name__}）",
        f"corrupt or unreadable {kind} file ({type(exc).__name__}: {exc})",
    )


def bomb(zh: str, en: str) -> DocumentRefused:
    return DocumentRefused(
        Reason.ZIP_BOMB, f"{zh}，疑似压缩炸弹，已拒绝", f"{en}: refused as a possible zip bomb"
    )


def encrypted(zh: str, en: str) -> DocumentRefused:
    return DocumentRefused(Reason.ENCRYPTED, zh, en)


def too_complex(zh: str, en: str) -> DocumentRefused:
    return DocumentRefused(
        Reason.TOO_COMPLEX,
        f"文件过于复杂，无法在限定的资源内读取（{zh}），已拒绝；请拆分或简化后重新上传",
        f"the file is too complex to read within the set limits ({en}); split or simplify it",
    )


def busy() -> DocumentRefused:
    return DocumentRefused(
        Reason.BUSY,
        "服务器正忙于读取其他文件，请稍后重试",
        "the server is busy reading other files; try again shortly",
    )
