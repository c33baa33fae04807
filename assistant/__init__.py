"""SME service-institution maturity assessment assistant (T/ZXGJXH 002—2023)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sme-cmm-assistant")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

__all__ = ["__version__"]
