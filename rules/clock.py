"""Today's date, the one the scoring is done on: the wall clock, or CCHC_TODAY when set.

CCHC_TODAY (YYYY-MM-DD) re-runs a scoring as of a past day (an inspection done on 15/01) and keeps
tests independent of the day they run on. Documents dated after it are refused (not yet issued),
and the to-do list says what can still be earned from it.
"""

from __future__ import annotations

import datetime as dt
import os

from rules.errors import InputError

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving: a fixed offset is exact


def today() -> dt.date:
    pinned = os.environ.get("CCHC_TODAY", "").strip()
    if not pinned:
        return dt.datetime.now(VIETNAM).date()  # the day in Vietnam, whatever the server's zone
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise InputError(f"CCHC_TODAY={pinned!r}: cần ngày dạng YYYY-MM-DD (ví dụ 2027-01-15)") from None
