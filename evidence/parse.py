"""Read numbers, dates and yes/no the way Vietnamese units write them; refuse to guess.

"1.256" = 1256 ; "88,6%" = 88.6 ; "08/01/2019" = 8 January 2019 ; "1,256" is ambiguous.
Each function returns the value or raises ValueError with a Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
import math
import re

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.256 or 12.345.678: dots group thousands
_VN_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})*,\d+$|^\d+,\d+$")  # 1.256,5 or 88,6
_PLAIN = re.compile(r"^\d+(\.\d+)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YES = {"có", "co", "yes", "y", "true", "x", "1", "đạt", "đã", "rồi"}
NO = {"không", "khong", "no", "n", "false", "0", "chưa", "không đạt"}


def count(raw: object) -> int:
    """A whole number ≥ 0: 1256, "1.256", "1256"."""
    if isinstance(raw, bool):
        raise ValueError("cần số nguyên ≥ 0, không phải có/không")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(f"cần số nguyên ≥ 0, gặp {raw}")
        if not raw.is_integer():
            raise ValueError(f"cần số nguyên, gặp {raw!r} (nếu là số nghìn, ghi 1256 hoặc '1.256' trong dấu nháy)")
        value = int(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(" ", "").replace("\u00a0", "")
        if len(text) > 20:  # no count of dossiers or staff has 20 digits; int() refuses over 4,300
            raise ValueError(f"'{text[:20]}…' ({len(text)} ký tự) quá dài: không phải một số đếm")
        if text.isdigit():
            value = int(text)
        elif _GROUPED.match(text):
            value = int(text.replace(".", ""))
        elif re.match(r"^\d{1,3}(,\d{3})+$", text):
            raise ValueError(f"'{raw}' mơ hồ: dấu phẩy là dấu thập phân trong tiếng Việt; ghi {text.replace(',', '')}")
        elif text.startswith("-") and text[1:].replace(".", "").isdigit():
            raise ValueError(f"số âm {raw!r}: cần số nguyên ≥ 0")
        else:
            raise ValueError(f"'{raw}' không phải số nguyên")
    else:
        raise ValueError(f"cần số nguyên ≥ 0, gặp {type(raw).__name__}")
    if value < 0:
        raise ValueError(f"số âm {value}: cần số nguyên ≥ 0")
    return value


def decimal(raw: object) -> float:
    """A decimal number written either way: 88.6, "88,6", "1.256,5"."""
    if isinstance(raw, bool):
        raise ValueError("cần số, không phải có/không")
    if isinstance(raw, (int, float)):
        return float(raw)
    if not isinstance(raw, str):
        raise ValueError(f"cần số, gặp {type(raw).__name__}")
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if _VN_DECIMAL.match(body):
        value = float(body.replace(".", "").replace(",", "."))
    elif _GROUPED.match(body):
        value = float(body.replace(".", ""))
    elif _PLAIN.match(body):
        value = float(body)
    else:
        raise ValueError(f"'{raw}' không phải số")
    return -value if negative else value


def percent(raw: object) -> float:
    """A percentage in [0, 100]: 88.6, "88,6%", "88,6 %"."""
    text = raw.strip().removesuffix("%").strip() if isinstance(raw, str) else raw
    try:
        value = decimal(text)
    except ValueError:
        raise ValueError(f"'{raw}' không phải tỷ lệ % (ví dụ 88,6%)") from None
    if not 0 <= value <= 100:
        raise ValueError(f"tỷ lệ {value:g} % ngoài khoảng 0–100")
    return value


def date(raw: object, earliest: dt.date, latest: dt.date) -> dt.date:
    """A date: a real date, "08/01/2019" (day first) or "2019-01-08", inside [earliest, latest]."""
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        m = _DMY.match(text)
        iso = _ISO.match(text)
        try:
            if m:
                value = dt.date(int(m[3]), int(m[2]), int(m[1]))
            elif iso:
                value = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            else:
                raise ValueError(f"'{raw}' không phải ngày (dạng dd/mm/yyyy, ví dụ 08/01/2026)")
        except ValueError as e:
            if "dd/mm" in str(e):
                raise
            raise ValueError(f"ngày '{raw}' không tồn tại") from None
    else:
        raise ValueError(f"cần ngày dạng dd/mm/yyyy, gặp {type(raw).__name__}")
    if not earliest <= value <= latest:
        raise ValueError(f"ngày {value:%d/%m/%Y} ngoài khoảng hợp lý {earliest:%d/%m/%Y}–{latest:%d/%m/%Y}")
    return value


def yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"'{raw}' không phải Có/Không")
