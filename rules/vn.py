"""Vietnamese display of numbers and dates: 1.256 ; 88,6 ; 08/01/2019."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any


# Scoring writes the same few numbers (points, maxima, rates) hundreds of thousands of times; typed,
# so that 1, 1.0 and True (written "1", "1" and "có") are kept apart.
@functools.lru_cache(maxsize=65536, typed=True)
def number(x: float | int, decimals: int = 2) -> str:
    """1256 -> '1.256', 88.615 -> '88,62', 0.5 -> '0,5', 2.0 -> '2'."""
    if isinstance(x, bool):
        return "có" if x else "không"
    if isinstance(x, int) or float(x).is_integer():
        return f"{int(x):,}".replace(",", ".")
    text = f"{x:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def signed(x: float) -> str:
    """A bonus or deduction with its sign: 0.5 -> '+0,5', -1 -> '−1'."""
    return ("+" if x > 0 else "−" if x < 0 else "") + number(abs(x))


def index(x: float | None) -> str:
    """An index always with two decimals, as officials write it: 77.2 -> '77,20'."""
    if x is None:
        return "—"
    return f"{x:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


@functools.lru_cache(maxsize=4096)  # deadlines and issue dates: a few hundred, in every explanation
def date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


_NUMBERS = frozenset({bool, int, float})


def value(x: Any) -> str:
    """Any evidence or explanation value, as a Vietnamese reader expects it."""
    if x.__class__ in _NUMBERS:  # the most frequent, first
        return number(x)
    if x is None or x == "":
        return "—"
    if isinstance(x, (bool, int, float)):  # their subclasses (numpy's float64, an IntEnum)
        return number(x)
    if isinstance(x, dt.date):
        return date(x)
    number_ = getattr(x, "number", None)
    issued = getattr(x, "date", None)
    if issued is not None:  # a document
        return " ".join(p for p in (number_ or "", "ngày " + date(issued)) if p)
    return str(x)
