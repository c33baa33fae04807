"""The reading child: confined by rlimits, it reads one document and answers in JSON.

:func:`main` runs in a process forked from a clean server process (multiprocessing's
forkserver, started once, with the parsers preloaded), so it holds no database connection,
no open file of the server and none of its memory. It first confines itself: CPU seconds
(``RLIMIT_CPU``, then SIGXCPU ends it), address space (``RLIMIT_AS``: allocations past it
fail with ``MemoryError``), no core dump and no file written (``RLIMIT_CORE``,
``RLIMIT_FSIZE``), standard streams to ``/dev/null``, an empty environment, a lower priority
than the server's own requests. Its answer is JSON bytes, never a
pickle: the server must not unpickle what a hostile document may have steered.
:func:`read_job` is the same reading without the process, for tests and benchmarks.
"""

from __future__ import annotations

import os
import resource
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection

from pydantic import BaseModel, ConfigDict

from assistant.documents.container import open_office
from assistant.documents.docx_text import docx_text
from assistant.documents.extracted import Extracted
from assistant.documents.images import verify_image
from assistant.documents.limits import MB, Limits
from assistant.documents.pdf_text import pdf_text
from assistant.documents.policy import Format, Policy
from assistant.documents.refusal import DocumentRefused, Reason, corrupt, megabytes, too_complex
from assistant.documents.sniff import Kind
from assistant.documents.xlsx_text import xlsx_text

__all__ = ["MAX_REPLY_BYTES", "Job", "Reply", "confine", "main", "read_job"]

MAX_REPLY_BYTES = 64 * MB  # the text, as JSON
_NICENESS = 10


@dataclass(frozen=True)
class Job:
    """One document for the child: the sniffed kind, the bytes, and what to allow."""

    kind: Kind
    data: bytes
    policy: Policy
    limits: Limits


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextPart(_Model):
    format: Format
    text: str
    title: str | None
    pages: int


class RefusalPart(_Model):
    reason: Reason
    zh: str
    en: str


class Reply(_Model):
    """What the child answers: the text or the refusal, and what reading cost it."""

    text: TextPart | None = None
    refused: RefusalPart | None = None
    cpu_seconds: float = 0.0
    peak_rss_kb: int = 0


def read_job(job: Job) -> Extracted:
    """Read the document in this process (the child calls this once confined)."""
    if job.kind == "pdf":
        return pdf_text(job.data, job.limits)
    if job.kind == "png" or job.kind == "jpeg":
        return verify_image(job.data, job.kind)
    archive, fmt = open_office(job.data, job.limits, job.policy)
    with archive:
        try:
            if fmt == "docx":
                return docx_text(archive, job.limits)
            return xlsx_text(archive, job.data, job.limits)
        except DocumentRefused:
            raise
        except MemoryError:
            raise
        except Exception as exc:  # a parser fed hostile bytes can fail in any way
            raise corrupt(fmt.upper(), exc) from exc


def main(connection: Connection, job: Job) -> None:
    """The child's body: confine, read, answer, exit."""
    confine(job.limits)
    reply = _answer(job)
    connection.send_bytes(reply)
    connection.close()


def _answer(job: Job) -> bytes:
    try:
        reply = _reply(job)
    except MemoryError:  # the text itself did not fit
        reply = _refused(_out_of_memory(job.limits))
    encoded = reply.model_dump_json().encode()
    if len(encoded) > MAX_REPLY_BYTES:
        limit = megabytes(MAX_REPLY_BYTES)
        too_long = too_complex(f"文字超过 {limit} MB", f"its text is over {limit} MB")
        encoded = _refused(too_long).model_dump_json().encode()
    return encoded


def _reply(job: Job) -> Reply:
    try:
        extracted = read_job(job)
    except DocumentRefused as exc:
        return _refused(exc)
    except MemoryError:
        return _refused(_out_of_memory(job.limits))
    except RecursionError as exc:
        return _refused(too_complex("嵌套过深", f"nesting too deep: {exc}"))
    except Exception as exc:  # whatever escaped the readers' own handling
        return _refused(corrupt(job.kind.upper(), exc))
    text = TextPart(
        format=extracted.format, text=extracted.text, title=extracted.title, pages=extracted.pages
    )
    return Reply(text=text, **_usage())


def _refused(exc: DocumentRefused) -> Reply:
    return Reply(refused=RefusalPart(reason=exc.reason, zh=exc.zh, en=exc.en), **_usage())


def _out_of_memory(limits: Limits) -> DocumentRefused:
    return too_complex(
        f"读取时所需内存超过 {limits.memory_mb} MB", f"reading it needs over {limits.memory_mb} MB"
    )


def _usage() -> dict[str, float | int]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_kb": usage.ru_maxrss}


# --- confinement -----------------------------------------------------------------------------


def confine(limits: Limits) -> None:
    os.nice(_NICENESS)  # the server's own requests come first
    os.environ.clear()  # no secret of the server's settings (the forkserver inherited them)
    _lower(resource.RLIMIT_CORE, 0)
    _lower(resource.RLIMIT_FSIZE, 0)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write to a file fails instead
    cpu = limits.cpu_seconds
    _lower(resource.RLIMIT_CPU, cpu, hard=cpu + 1)
    _lower(resource.RLIMIT_AS, limits.memory_mb * MB)
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(null, stream)
    os.close(null)


def _lower(limit: int, soft: int, *, hard: int | None = None) -> None:
    """Set ``limit`` to ``soft`` (and ``hard``), never above a hard limit already in force."""
    _, current = resource.getrlimit(limit)
    wanted = soft if hard is None else hard
    if current != resource.RLIM_INFINITY:
        wanted = min(wanted, current)
        soft = min(soft, current)
    resource.setrlimit(limit, (soft, wanted))
