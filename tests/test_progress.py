"""The progress line: on a terminal only, after the first couple of seconds, never with --quiet."""

import io

from scoring.run import progress
from scoring.run.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_run_on_a_terminal_shows_a_bar_then_erases_it(monkeypatch):
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    monkeypatch.setattr(progress, "EVERY_S", 0.0)
    screen = Terminal()
    assert list(Progress("Đang ghi báo cáo", total=4, stream=screen).wrap("abcd")) == list("abcd")
    text = screen.getvalue()
    assert "\rĐang ghi báo cáo [" in text and "] 4/4" in text and "2/4" in text
    assert text.endswith("\r\033[K")  # erased: the summary line that follows starts clean


def test_nothing_when_quiet_not_a_terminal_or_short(monkeypatch):
    quiet, pipe, short = Terminal(), io.StringIO(), Terminal()
    list(Progress("x", total=3, stream=quiet, quiet=True).wrap(range(3)))
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    list(Progress("x", total=3, stream=pipe).wrap(range(3)))
    monkeypatch.setattr(progress, "DELAY_S", 60.0)  # a run that ends before the delay
    list(Progress("x", total=3, stream=short).wrap(range(3)))
    assert quiet.getvalue() == pipe.getvalue() == short.getvalue() == ""


def test_without_a_total_it_counts():
    p = Progress("Đang chấm điểm", stream=Terminal())
    p.done = 120
    assert p.line(p.started + 3) == "Đang chấm điểm: 120 (3 giây)"
