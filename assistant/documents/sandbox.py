"""The server side of a reading child: start it, wait for it, kill it when time is up.

Children come from multiprocessing's *forkserver*: a clean Python process, started once
(:func:`start_readers`, or on the first document), that has imported the parsers and
forks a child per document in ~20 ms (a fresh ``python -m`` would pay ~0.8 s of imports
every time). A child gets only its job and the pipe it answers on. At most
``Limits.parallel`` children run at once per server process; a document that waits longer
than ``wall_seconds`` for one is refused as ``busy``. A child still running after
``wall_seconds`` is killed; one that dies answers nothing, and its exit says why.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import Pipe, forkserver

from pydantic import ValidationError

from assistant.documents.extracted import Extracted
from assistant.documents.refusal import DocumentRefused, busy, corrupt, too_complex
from assistant.documents.worker import MAX_REPLY_BYTES, Job, Reply, main

__all__ = [
    "READER_SLOTS",
    "ChildReport",
    "new_child",
    "read_in_child",
    "run_child",
    "start_child",
    "start_readers",
]

log = logging.getLogger("assistant.documents")

_PRELOAD = ["assistant.documents.worker", "pypdf", "lxml.etree", "openpyxl", "PIL.Image"]
_CONTEXT = multiprocessing.get_context("forkserver")
# multiprocessing tells every child to run the parent's main module again (for `smecmm serve`
# that imports the whole CLI and API: over a second per document). A reader needs none of it,
# so the child is started while a bare module stands in for __main__.
_BARE_MAIN = types.ModuleType("__main__")
_MAIN_SWAP = threading.Lock()
_PRELOADED = threading.Lock()
_preloading: list[bool] = []


def _preload() -> None:
    """Name the parsers the forkserver imports; effective only before it starts."""
    with _PRELOADED:
        if not _preloading:
            forkserver.set_forkserver_preload(_PRELOAD)
            _preloading.append(True)


def start_readers() -> None:
    """Start the forkserver now rather than on the first document (it imports the parsers)."""
    _preload()
    forkserver.ensure_running()


class _Slots:
    """At most ``most`` holders at once; the count is per process."""

    def __init__(self) -> None:
        self._busy = 0
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, most: int, timeout: float) -> Iterator[bool]:
        with self._changed:
            got = self._changed.wait_for(lambda: self._busy < most, timeout)
            if got:
                self._busy += 1
        try:
            yield got
        finally:
            if got:
                with self._changed:
                    self._busy -= 1
                    self._changed.notify()


_SLOTS = _Slots()
READER_SLOTS = _SLOTS  # shared by every child that reads an upload (readers and previews)


@dataclass(frozen=True)
class ChildReport:
    """How one child went: its text or refusal, and what it cost."""

    extracted: Extracted | None
    refusal: DocumentRefused | None
    wall_seconds: float
    cpu_seconds: float | None = None  # as the child measured itself; None if it died
    peak_rss_kb: int | None = None


def read_in_child(job: Job) -> Extracted:
    """The text a child reads from ``job``; ``DocumentRefused`` when it refuses or fails."""
    with _SLOTS.hold(job.limits.parallel, job.limits.wall_seconds) as free:
        if not free:
            raise busy()
        report = run_child(job)
    log.debug(
        "read %s (%d bytes) in %.3f s, cpu %s s, peak %s KB: %s",
        job.kind,
        len(job.data),
        report.wall_seconds,
        report.cpu_seconds,
        report.peak_rss_kb,
        report.refusal.reason if report.refusal else "ok",
    )
    if report.refusal is not None:
        raise report.refusal
    assert report.extracted is not None
    return report.extracted


def new_child(
    target: Callable[..., object], args: tuple[object, ...], name: str
) -> multiprocessing.process.BaseProcess:
    """A child process of the document readers' forkserver (with its parsers preloaded)."""
    _preload()
    return _CONTEXT.Process(target=target, args=args, name=name, daemon=True)


def start_child(child: multiprocessing.process.BaseProcess) -> None:
    with _MAIN_SWAP:
        main_module = sys.modules["__main__"]
        sys.modules["__main__"] = _BARE_MAIN
        try:
            child.start()
        finally:
            sys.modules["__main__"] = main_module


def run_child(job: Job) -> ChildReport:
    """One child for ``job``, waited for at most ``job.limits.wall_seconds``."""
    receiver, sender = Pipe(duplex=False)
    child = new_child(main, (sender, job), "smecmm-reader")
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        child.kill()

    started = time.monotonic()
    start_child(child)
    sender.close()
    timer = threading.Timer(job.limits.wall_seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        answer: bytes | None = receiver.recv_bytes(MAX_REPLY_BYTES + 1024 * 1024)
    except (EOFError, OSError):  # died without answering, or answered too much
        answer = None
    finally:
        timer.cancel()
        receiver.close()
        child.join()
    wall = time.monotonic() - started
    exitcode = child.exitcode
    child.close()
    if answer is None:
        return ChildReport(None, _death(job, exitcode, expired.is_set()), wall)
    return _report(job, answer, wall)


def _report(job: Job, answer: bytes, wall: float) -> ChildReport:
    try:
        reply = Reply.model_validate_json(answer)
    except ValidationError as exc:
        return ChildReport(None, corrupt(job.kind.upper(), exc), wall)
    if reply.refused is not None:
        part = reply.refused
        refusal = DocumentRefused(part.reason, part.zh, part.en)
        return ChildReport(None, refusal, wall, reply.cpu_seconds, reply.peak_rss_kb)
    if reply.text is None:
        return ChildReport(None, corrupt(job.kind.upper(), ValueError("empty reply")), wall)
    text = reply.text
    extracted = Extracted(text.format, text.text, text.title, text.pages)
    return ChildReport(extracted, None, wall, reply.cpu_seconds, reply.peak_rss_kb)


def _death(job: Job, exitcode: int | None, expired: bool) -> DocumentRefused:
    limits = job.limits
    if expired:
        return too_complex(
            f"读取超过 {limits.wall_seconds:g} 秒", f"reading took over {limits.wall_seconds:g} s"
        )
    if exitcode == -signal.SIGXCPU:
        return too_complex(
            f"读取用尽 {limits.cpu_seconds} 秒 CPU 时间",
            f"reading used up {limits.cpu_seconds} s of CPU time",
        )
    if exitcode == -signal.SIGKILL:  # the kernel's OOM killer, or an operator
        return too_complex(
            f"读取时所需内存超过 {limits.memory_mb} MB", f"reading needs over {limits.memory_mb} MB"
        )
    return corrupt(job.kind.upper(), RuntimeError(f"the reader ended with exit code {exitcode}"))
