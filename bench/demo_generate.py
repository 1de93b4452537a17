"""How long the demo dataset takes to build, against a reference loop timed in the same run.

``demo.generate()`` runs in every ``kcp seed`` and in many tests, so it should stay around a
second. The figure is the median of cold builds (the cache cleared before each); the reference
is a fixed pure-Python loop timed the same way, so the ratio stays comparable on a loaded or
slower machine where the seconds alone would not.

Run: .venv/bin/python -m bench.demo_generate [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import TYPE_CHECKING

from demo.generate import build

if TYPE_CHECKING:
    from collections.abc import Callable

REFERENCE_ITERATIONS = 2_000_000


def _reference() -> int:
    total = 0
    for number in range(REFERENCE_ITERATIONS):
        total += number % 7
    return total


def _cold_build() -> None:
    build.cache_clear()
    build()


def median_seconds(work: Callable[[], object], rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="cold builds to take the median of")
    arguments = parser.parse_args()
    reference = median_seconds(_reference, arguments.rounds)
    generate = median_seconds(_cold_build, arguments.rounds)
    print(f"demo.generate() cold build:  {generate * 1000:8.1f} ms (median of {arguments.rounds})")
    print(f"reference loop, same run:    {reference * 1000:8.1f} ms")
    print(f"ratio build / reference:     {generate / reference:8.2f}")


if __name__ == "__main__":
    main()
