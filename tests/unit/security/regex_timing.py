"""Times every pattern on its hostile inputs; run in a child process, since ``re`` cannot be
interrupted once it backtracks.

``python -m tests.unit.security.regex_timing [--source PATTERN ...]`` prints, one per line,
``CHECK <where>`` before each pattern (so a parent that kills a hung child knows which one
hung), ``SLOW <where>\\t<seconds>\\t<input>`` for each input matched slower than the bound
three times in a row, and ``DONE <patterns> <inputs>`` at the end.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable

from tests.unit.security.regex_inventory import compiled_patterns, hostile_inputs

BOUND_S = 0.2
_TRIES = 3  # a slow reading is measured again: a busy machine slows linear matching too


def best_seconds(run: Callable[[], object]) -> float:
    """The fastest of up to ``_TRIES`` runs, stopping at the first within ``BOUND_S``."""
    best = float("inf")
    for _ in range(_TRIES):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
        if best <= BOUND_S:
            break
    return best


def _seconds(pattern: re.Pattern[str], text: str) -> float:
    def match_everywhere() -> None:
        for _match in pattern.finditer(text):
            pass
        pattern.fullmatch(text)

    return best_seconds(match_everywhere)


def _check(where: str, pattern: re.Pattern[str]) -> int:
    print(f"CHECK {where}", flush=True)
    inputs = hostile_inputs(pattern)
    for text in inputs:
        seconds = _seconds(pattern, text)
        if seconds > BOUND_S:
            print(f"SLOW {where}\t{seconds:.3f}\t{text[:12]!r}… ({len(text)} chars)", flush=True)
    return len(inputs)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", action="append", default=[], help="check this pattern only")
    args = parser.parse_args(argv)
    if args.source:
        targets = [(f"--source {source!r}", re.compile(source)) for source in args.source]
    else:
        targets = [(found.where, found.pattern) for found in compiled_patterns()]
    inputs = sum(_check(where, pattern) for where, pattern in targets)
    print(f"DONE {len(targets)} {inputs}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
