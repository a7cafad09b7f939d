"""A progress line on stderr for long runs: shown only on a terminal, only once a run has taken
more than a couple of seconds, never with --quiet; cleared when the run ends."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")
DELAY_S = 2.0  # a run shorter than this prints nothing
EVERY_S = 0.2  # at most five redraws a second


class Progress:
    def __init__(self, label: str, total: int | None = None, quiet: bool = False, stream: IO[str] | None = None):
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.label, self.total, self.done = label, total, 0
        self.started = self.last = time.monotonic()
        self.shown = False

    def step(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started >= DELAY_S and now - self.last >= EVERY_S:
            self.last, self.shown = now, True
            self.stream.write("\r" + self.line(now))
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = now - self.started
        if not self.total:
            return f"{self.label}: {self.done} ({elapsed:.0f} giây)"
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        left = elapsed / share - elapsed if share > 0 else 0
        return f"{self.label} [{bar:<30}] {self.done}/{self.total}, còn khoảng {left:.0f} giây "

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")  # erase the line: what follows starts clean
            self.stream.flush()
            self.shown = False

    def wrap(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, counted as they pass."""
        try:
            for item in items:
                yield item
                self.step()
        finally:
            self.close()
