"""PNG and JPEG: decoded in full (JPEG at 1/8 scale), decompression bombs refused.

Images have no text (no OCR); decoding them proves they are the images they claim to be.
"""

from __future__ import annotations

import io
import warnings

from assistant.documents.extracted import Extracted
from assistant.documents.policy import Format
from assistant.documents.refusal import DocumentRefused, Reason, corrupt

__all__ = ["MAX_PIXELS", "verify_image"]

MAX_PIXELS = 50_000_000  # a long scrolling screenshot is ~25 megapixels


def verify_image(data: bytes, fmt: Format) -> Extracted:
    """The image, checked; ``DocumentRefused`` for a bomb or a broken file."""
    from PIL import Image

    pillow_format = "PNG" if fmt == "png" else "JPEG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                _check_pixels(*image.size)
                image.verify()
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                image.draft("RGB", (max(image.width // 8, 1), max(image.height // 8, 1)))
                image.load()
    except DocumentRefused:
        raise
    except MemoryError:  # the child answers that it ran out
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _image_bomb(None) from exc
    except Exception as exc:  # a decoder fed hostile bytes can fail in any way
        raise corrupt(pillow_format, exc) from exc
    return Extracted(fmt, "")


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise _image_bomb((width, height))


def _image_bomb(size: tuple[int, int] | None) -> DocumentRefused:
    detail = f"{size[0]} x {size[1]}，" if size else ""
    return DocumentRefused(
        Reason.ZIP_BOMB,
        f"图片像素过多（{detail}上限 {MAX_PIXELS} 像素），疑似解压炸弹，已拒绝",
        f"the image has too many pixels ({detail.rstrip('，')}{'; ' if size else ''}limit "
        f"{MAX_PIXELS}): refused as a possible decompression bomb",
    )
