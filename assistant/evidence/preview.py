"""Previews of an uploaded file for the assessor: a PDF page or an image as a small picture.

Drawing a page (PDFium) or decoding an image (Pillow) reads untrusted bytes, so it runs in a
reading child with the document reader's confinement (``assistant.documents.sandbox``: CPU,
memory, time, no files, no environment), one of the same ``parallel`` slots. The child
answers with a line of JSON (page count, or the refusal) and then the PNG or JPEG bytes.
Pictures are at most ``max_side`` pixels on their longest side; images past the reader's
pixel limit are refused as decompression bombs before they are decoded.
"""

from __future__ import annotations

import io
import json
import threading
import warnings
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Literal

from assistant.documents.images import MAX_PIXELS
from assistant.documents.limits import Limits
from assistant.documents.refusal import DocumentRefused, Reason, busy, corrupt, too_complex

# The reading child's machinery, shared so that previews and uploads take the same slots.
from assistant.documents.sandbox import READER_SLOTS, new_child, start_child
from assistant.documents.worker import confine

__all__ = [
    "DEFAULT_MAX_SIDE",
    "PageOutOfRange",
    "Picture",
    "PictureKind",
    "draw_in_process",
    "draw_picture",
]

DEFAULT_MAX_SIDE = 1400
PictureKind = Literal["pdf", "png", "jpeg"]
_MAX_ANSWER = 64 * 1024 * 1024
_MAX_SCALE = 4.0  # a tiny page is not blown up past four times its size


@dataclass(frozen=True)
class Picture:
    """One drawn page or re-encoded image."""

    data: bytes
    media_type: str  # image/png or image/jpeg
    page: int  # 1-based; 1 for an image
    pages: int  # the document's page count; 1 for an image
    width: int
    height: int


@dataclass(frozen=True)
class _Job:
    kind: PictureKind
    data: bytes
    page: int
    max_side: int
    limits: Limits


class PageOutOfRange(ValueError):
    """The asked page is past the document's last; ``pages`` says how many it has."""

    def __init__(self, page: int, pages: int) -> None:
        super().__init__(f"page {page} of {pages}")
        self.page = page
        self.pages = pages


def draw_picture(
    data: bytes, kind: PictureKind, page: int, limits: Limits, max_side: int = DEFAULT_MAX_SIDE
) -> Picture:
    """Draw ``page`` (1-based) of a PDF, or re-encode an image, in a confined child.

    ``DocumentRefused`` for a hostile or broken file, ``PageOutOfRange`` past the end."""
    job = _Job(kind, data, page, max_side, limits.budgeted(len(data)))
    with READER_SLOTS.hold(job.limits.parallel, job.limits.wall_seconds) as free:
        if not free:
            raise busy()
        answer = _run(job)
    return _picture(job, answer)


def draw_in_process(
    data: bytes, kind: PictureKind, page: int, max_side: int = DEFAULT_MAX_SIDE
) -> Picture:
    """The same drawing without a child (what the child runs once confined)."""
    if kind == "pdf":
        return _draw_pdf(data, page, max_side)
    return _draw_image(data, kind, max_side)


# --- the server side ------------------------------------------------------------------------


def _run(job: _Job) -> bytes | None:
    receiver, sender = Pipe(duplex=False)
    child = new_child(_main, (sender, job), "smecmm-preview")
    timer = threading.Timer(job.limits.wall_seconds, child.kill)
    timer.daemon = True
    start_child(child)
    sender.close()
    timer.start()
    try:
        answer: bytes | None = receiver.recv_bytes(_MAX_ANSWER)
    except (EOFError, OSError):  # killed, died, or answered too much
        answer = None
    finally:
        timer.cancel()
        receiver.close()
        child.join()
        child.close()
    return answer


def _picture(job: _Job, answer: bytes | None) -> Picture:
    if answer is None:
        raise too_complex(
            f"绘制预览超出限制（{job.limits.wall_seconds:g} 秒、{job.limits.memory_mb} MB）",
            f"drawing the preview went past the limits ({job.limits.wall_seconds:g} s, "
            f"{job.limits.memory_mb} MB)",
        )
    head, _, body = answer.partition(b"\n")
    meta = json.loads(head)
    if "refused" in meta:
        refused = meta["refused"]
        raise DocumentRefused(Reason(refused["reason"]), refused["zh"], refused["en"])
    if "out_of_range" in meta:
        raise PageOutOfRange(job.page, int(meta["pages"]))
    return Picture(
        body,
        str(meta["media_type"]),
        int(meta["page"]),
        int(meta["pages"]),
        int(meta["width"]),
        int(meta["height"]),
    )


# --- the child ------------------------------------------------------------------------------


def _main(connection: Connection, job: _Job) -> None:
    confine(job.limits)
    try:
        picture = draw_in_process(job.data, job.kind, job.page, job.max_side)
    except PageOutOfRange as exc:
        connection.send_bytes(json.dumps({"out_of_range": True, "pages": exc.pages}).encode())
    except DocumentRefused as exc:
        _send_refusal(connection, exc)
    except MemoryError:
        _send_refusal(connection, too_complex("绘制时内存不足", "out of memory while drawing"))
    except Exception as exc:  # a parser fed hostile bytes can fail in any way
        _send_refusal(connection, corrupt(job.kind.upper(), exc))
    else:
        meta = {
            "media_type": picture.media_type,
            "page": picture.page,
            "pages": picture.pages,
            "width": picture.width,
            "height": picture.height,
        }
        connection.send_bytes(json.dumps(meta).encode() + b"\n" + picture.data)
    connection.close()


def _send_refusal(connection: Connection, exc: DocumentRefused) -> None:
    refused = {"reason": exc.reason.value, "zh": exc.zh, "en": exc.en}
    connection.send_bytes(json.dumps({"refused": refused}).encode())


def _draw_pdf(data: bytes, page: int, max_side: int) -> Picture:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentRefused(
                Reason.ENCRYPTED, "PDF 已加密，无法预览", "the PDF is encrypted"
            ) from exc
        raise corrupt("PDF", exc) from exc
    try:
        pages = len(document)
        if not 1 <= page <= pages:
            raise PageOutOfRange(page, pages)
        pdf_page = document[page - 1]
        width, height = pdf_page.get_size()
        longest = max(width, height, 1.0)
        scale = min(max_side / longest, _MAX_SCALE)
        image = pdf_page.render(scale=scale).to_pil()
        image.thumbnail((max_side, max_side))  # rounding never makes it a pixel larger
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
        return Picture(buffer.getvalue(), "image/png", page, pages, image.width, image.height)
    finally:
        document.close()


def _draw_image(data: bytes, kind: PictureKind, max_side: int) -> Picture:
    from PIL import Image

    pillow_format = "PNG" if kind == "png" else "JPEG"
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _bomb(image.width, image.height)
                if pillow_format == "JPEG":
                    image.draft("RGB", (max_side, max_side))  # decode at a reduced scale
                image.thumbnail((max_side, max_side))
                out = image.convert("RGBA" if pillow_format == "PNG" else "RGB")
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _bomb(0, 0) from exc
    buffer = io.BytesIO()
    out.save(buffer, format=pillow_format)
    media_type = "image/png" if pillow_format == "PNG" else "image/jpeg"
    return Picture(buffer.getvalue(), media_type, 1, 1, out.width, out.height)


def _bomb(width: int, height: int) -> DocumentRefused:
    size = f"{width} x {height}，" if width else ""
    return DocumentRefused(
        Reason.ZIP_BOMB,
        f"图片像素过多（{size}上限 {MAX_PIXELS} 像素），疑似解压炸弹，已拒绝",
        f"the image has too many pixels ({size.rstrip('，')}{'; ' if size else ''}limit "
        f"{MAX_PIXELS}): refused as a possible decompression bomb",
    )
