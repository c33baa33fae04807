"""What reading one untrusted document may cost: sizes, counts, CPU, memory and time.

The defaults let a real 500-page policy document or a year's service ledger through and
refuse what no office program writes (a 31 MB ``document.xml``, a 4 KB PDF whose pages all
draw one 1 MB content stream). The settings ``document_*`` override them
(:func:`document_limits`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.settings import Settings

__all__ = ["MB", "Limits", "document_limits"]

MB = 1024 * 1024
_BASE_CPU_SECONDS = 2
_CPU_SECONDS_PER_MB = 20  # ~4x the heaviest honest documents measured (benchmarks)
_WALL_MARGIN_SECONDS = 2.0  # the child's start and a busy machine


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on one document. Sizes are bytes; ``parallel`` is per server process."""

    max_bytes: int = 20 * MB  # the file itself
    max_unpacked: int = 128 * MB  # a DOCX/XLSX's members together, as declared
    max_members: int = 2_000
    cpu_seconds: int = 30  # RLIMIT_CPU of the reading child
    memory_mb: int = 1024  # RLIMIT_AS of the reading child (its address space)
    wall_seconds: float = 60.0  # then the child is killed
    parallel: int = 2  # children reading at once; a further upload waits for one
    max_pages: int = 2_000
    max_content_bytes: int = 8 * MB  # decompressed page content, counted page by page
    max_xml_bytes: int = 16 * MB  # one XML part as read
    max_xml_elements: int = 2_000_000  # one XML part
    max_cells: int = 500_000  # XLSX cells (empty ones too) in the rows that are read

    def budgeted(self, size: int) -> Limits:
        """A copy whose CPU and wall-clock limits grow with the file: a parser's work on an
        honest document follows its size, so a few kilobytes never buy the whole budget.

        ``cpu_seconds`` and ``wall_seconds`` stay the ceiling. An honest 130 KB, 100-page PDF
        needs under 1 s of CPU; a 4 KB file gets 2 s.
        """
        cpu = min(self.cpu_seconds, _BASE_CPU_SECONDS + size * _CPU_SECONDS_PER_MB // MB)
        wall = min(self.wall_seconds, 2.0 * cpu + _WALL_MARGIN_SECONDS)
        return replace(self, cpu_seconds=cpu, wall_seconds=wall)

    def sized(self, *, max_bytes: int | None = None, max_unpacked: int | None = None) -> Limits:
        """A copy with other size caps (an argument left ``None`` keeps the current one)."""
        return replace(
            self,
            max_bytes=self.max_bytes if max_bytes is None else max_bytes,
            max_unpacked=self.max_unpacked if max_unpacked is None else max_unpacked,
        )


def document_limits(settings: Settings) -> Limits:
    """The limits the settings name."""
    return Limits(
        max_bytes=settings.max_upload_mb * MB,
        cpu_seconds=settings.document_cpu_seconds,
        memory_mb=settings.document_memory_mb,
        wall_seconds=settings.document_wall_seconds,
        parallel=settings.document_parsers,
        max_pages=settings.document_max_pages,
        max_content_bytes=settings.document_max_content_mb * MB,
        max_xml_bytes=settings.document_max_xml_mb * MB,
        max_xml_elements=settings.document_max_xml_elements,
        max_cells=settings.document_max_cells,
    )
