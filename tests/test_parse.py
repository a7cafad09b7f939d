"""Vietnamese numbers and dates, at their edges."""

import datetime as dt

import pytest

from evidence import parse
from rules import vn

EARLY, LATE = dt.date(2021, 1, 1), dt.date(2027, 12, 31)


@pytest.mark.parametrize(
    "raw,value", [(1256, 1256), ("1.256", 1256), ("12.345.678", 12345678), (" 1256 ", 1256), (12.0, 12), ("0", 0)]
)
def test_counts(raw, value):
    assert parse.count(raw) == value


@pytest.mark.parametrize(
    "raw,message",
    [
        ("1,256", "mơ hồ"),
        (1.256, "cần số nguyên"),
        (-1, "số âm"),
        ("-3", "số âm"),
        ("mười", "không phải số nguyên"),
        (True, "có/không"),
    ],
)
def test_bad_counts(raw, message):
    with pytest.raises(ValueError, match=message):
        parse.count(raw)


@pytest.mark.parametrize(
    "raw,value", [("88,6%", 88.6), ("88,6 %", 88.6), (88.6, 88.6), ("90", 90.0), ("100%", 100.0), ("0,5", 0.5)]
)
def test_percents(raw, value):
    assert parse.percent(raw) == value


@pytest.mark.parametrize("raw", ["120%", "-1", "abc", "1.256"])
def test_bad_percents(raw):
    with pytest.raises(ValueError):
        parse.percent(raw)


def test_dates():
    assert parse.date("08/01/2026", EARLY, LATE) == dt.date(2026, 1, 8)
    assert parse.date("2026-01-08", EARLY, LATE) == dt.date(2026, 1, 8)
    assert parse.date(dt.datetime(2026, 1, 8, 9, 30), EARLY, LATE) == dt.date(2026, 1, 8)
    with pytest.raises(ValueError, match="không tồn tại"):
        parse.date("31/02/2026", EARLY, LATE)
    with pytest.raises(ValueError, match="ngoài khoảng hợp lý"):
        parse.date("01/01/1900", EARLY, LATE)
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse.date("January 8", EARLY, LATE)


def test_yes_no():
    assert parse.yes_no("Có") is True and parse.yes_no("không") is False and parse.yes_no("x") is True
    with pytest.raises(ValueError):
        parse.yes_no("có lẽ")


def test_display():
    assert vn.number(1256) == "1.256"
    assert vn.number(88.6146) == "88,61"
    assert vn.number(1256.5) == "1.256,5"
    assert vn.number(-1.5) == "-1,5"
    assert vn.date(dt.date(2019, 1, 8)) == "08/01/2019"


def test_a_stated_rate_agrees_up_to_its_own_rounding():
    from rules.kinds import _agrees

    assert _agrees(88.6, 1113 / 1256 * 100)  # 88,61 % stated as 88,6 %
    assert _agrees(89, 1113 / 1256 * 100)  # stated as a whole number
    assert not _agrees(86.6, 1113 / 1256 * 100)  # the real report's text against its own counts
    assert not _agrees(88.7, 88.64)
    assert _agrees(100, 100.0) and not _agrees(99.9, 100.0)
