"""Every pattern of ``assistant/`` and ``api/`` meets hostile 4,000-character input in bounded
time: runs of spaces, digits, CJK and its own pieces, each with a tail that makes it fail.

The patterns are found by ``regex_inventory`` (every compiled pattern of every module that
imports ``re``), so a new one is covered without editing this file. Matching runs in a child
process (``regex_timing``): a backtracking ``re`` cannot be interrupted, so a hung pattern is
named by the child's last ``CHECK`` line when the parent's timeout kills it. Linear patterns
take milliseconds per input; the old checklist pattern needed minutes for one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from tests.unit.security.known_bad import OLD_CHECKLIST
from tests.unit.security.regex_inventory import ROOT

_TIMEOUT_S = 120.0  # the whole inventory; about 10 s on an idle machine
_HUNG_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class _Run:
    lines: list[str]
    timed_out: bool

    def tagged(self, tag: str) -> list[str]:
        return [line.removeprefix(tag + " ") for line in self.lines if line.startswith(tag + " ")]

    @property
    def last_checked(self) -> str:
        return (self.tagged("CHECK") or ["(before the first pattern)"])[-1]


def _run(*args: str, timeout: float) -> _Run:
    command = [sys.executable, "-m", "tests.unit.security.regex_timing", *args]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout or b""
        text = output.decode() if isinstance(output, bytes) else output
        return _Run(text.splitlines(), timed_out=True)
    assert done.returncode == 0, done.stderr
    return _Run(done.stdout.splitlines(), timed_out=False)


def test_every_pattern_meets_hostile_input_in_bounded_time():
    run = _run(timeout=_TIMEOUT_S)
    assert not run.timed_out, f"{run.last_checked} did not finish within {_TIMEOUT_S:.0f} s"
    assert not run.tagged("SLOW"), "\n".join(run.tagged("SLOW"))
    patterns, inputs = (int(n) for n in run.tagged("DONE")[0].split())
    assert patterns > 50 and inputs > 50 * patterns


def test_the_timing_check_catches_the_old_checklist_pattern():
    run = _run("--source", f"(?i){OLD_CHECKLIST.pattern}", timeout=_HUNG_TIMEOUT_S)
    assert run.timed_out or run.tagged("SLOW")
    assert run.last_checked.startswith("--source '(?i)(?P<all>")
