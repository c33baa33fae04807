"""Drive a terminal program through a pseudo-terminal, as a person at a keyboard would.

    with PtyProcess.spawn([smecmm, "chat"], env=terminal_env(data_dir), cwd=tmp) as term:
        term.expect(r"全称")            # waits until the screen shows it (ANSI codes removed)
        term.send("示例中心")           # types a line and presses Enter
        assert term.wait() == 0

The child gets a real terminal (``os.openpty``) as stdin, stdout and stderr, so ``rich``
formats for a terminal and ``input()`` reads a line the way it does for a person. What the
child prints is kept as text with ANSI escape sequences and carriage returns removed;
``expect`` searches it from the end of the previous match onwards.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import errno
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

__all__ = ["Expected", "PtyProcess", "strip_ansi", "terminal_env"]

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)
_WRAPPED = re.compile(r"[ \t]*\n")


def _unwrap(window: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with wrapped line breaks removed, and (unwrapped start, raw start) per piece."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    raw = joined = 0
    for wrap in _WRAPPED.finditer(window):
        spans.append((joined, raw))
        pieces.append(window[raw : wrap.start()])
        joined += wrap.start() - raw
        raw = wrap.end()
    spans.append((joined, raw))
    pieces.append(window[raw:])
    return "".join(pieces), spans


def _raw_index(spans: list[tuple[int, int]], index: int) -> int:
    """Where ``index`` of the unwrapped text lies in the raw text."""
    starts = [joined for joined, _ in spans]
    joined, raw = spans[bisect.bisect_right(starts, index) - 1]
    return raw + index - joined


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text).replace("\r", "")


def terminal_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A plain, predictable terminal for the child: no colour, 120 columns, offline."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        NO_COLOR="1",
        COLUMNS="120",
        LINES="50",
        TERM="xterm",
        PYTHONIOENCODING="utf-8",
        PYTHONUNBUFFERED="1",
        HF_HUB_OFFLINE="1",
        SMECMM_DATA_DIR=str(data_dir),
    )
    env.setdefault("LANG", "C.UTF-8")
    env.update(extra)
    return env


@dataclass(frozen=True)
class Expected:
    match: re.Match[str]
    before: str  # the text between the previous match and this one

    def group(self, index: int | str = 0) -> str:
        return self.match.group(index)


class PtyProcess:
    """A child process on a pseudo-terminal. Use as a context manager: it is killed on exit."""

    def __init__(self, process: subprocess.Popen[bytes], master: int) -> None:
        self.process = process
        self._master = master
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._raw = ""
        self._text = ""
        self._position = 0
        self._eof = False

    @classmethod
    def spawn(
        cls,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        columns: int = 120,
        rows: int = 50,
    ) -> PtyProcess:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        try:
            process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                cwd=cwd,
                start_new_session=True,  # the terminal becomes the child's controlling tty
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        return cls(process, master)

    # ------------------------------------------------------------------ reading

    @property
    def text(self) -> str:
        """Everything the child printed so far, without escape sequences."""
        return self._text

    def _read(self, timeout: float) -> bool:
        """Read what is available within ``timeout``; False once the child closed the tty."""
        if self._eof:
            return False
        ready, _, _ = select.select([self._master], [], [], max(timeout, 0))
        if not ready:
            return True
        try:
            chunk = os.read(self._master, 65536)
        except OSError as error:  # Linux reports EIO once the last writer closed the tty
            if error.errno != errno.EIO:
                raise
            chunk = b""
        if not chunk:
            self._eof = True
            self._raw += self._decoder.decode(b"", final=True)
        else:
            self._raw += self._decoder.decode(chunk)
        self._text = strip_ansi(self._raw)
        return not self._eof

    def expect(self, pattern: str, timeout: float = 30.0, *, unwrap: bool = False) -> Expected:
        """Wait until ``pattern`` appears after the previous match; AssertionError on timeout.

        ``unwrap`` searches with the terminal's line wrapping undone (a line break and the
        blanks before it removed), for long lines that ``rich`` folded at 120 columns.
        """
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            found = self._search(regex, unwrap)
            if found is not None:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._eof:
                tail = self._text[self._position :][-2000:]
                state = "exited" if self._eof else "timed out"
                raise AssertionError(f"{state} waiting for {pattern!r}; screen since:\n{tail}")
            self._read(min(remaining, 0.5))

    def _search(self, regex: re.Pattern[str], unwrap: bool) -> Expected | None:
        window = self._text[self._position :]
        spans = [(0, 0)]
        if unwrap:
            window, spans = _unwrap(window)
        match = regex.search(window)
        if match is None:
            return None
        self._position += _raw_index(spans, match.end())
        return Expected(match, window[: match.start()])

    # ------------------------------------------------------------------ writing

    def send(self, line: str) -> None:
        """Type ``line`` and press Enter."""
        os.write(self._master, (line + "\r").encode("utf-8"))

    # ------------------------------------------------------------------ ending

    def wait(self, timeout: float = 30.0) -> int:
        """Read until the child exits; its exit code."""
        deadline = time.monotonic() + timeout
        while self._read(min(max(deadline - time.monotonic(), 0), 0.5)):
            if time.monotonic() >= deadline:
                raise AssertionError("the child did not exit; screen:\n" + self._text[-2000:])
        return self.process.wait(timeout=max(deadline - time.monotonic(), 1))

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self._master)

    def __enter__(self) -> PtyProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
