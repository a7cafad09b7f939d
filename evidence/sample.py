"""Reading back the inspection sample written by `cchc sample` (its JSON, or its text table), so
that the inspectors' workbook and the comparison know which units were drawn."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rules.errors import InputError, Problem

# A unit line of the text table: two spaces, the unit id, two spaces or more, its type and the
# reason it was chosen. (A stratum line reads "  Bệnh viện: 1/3": no id, no run of spaces.)
_UNIT_LINE = re.compile(r"^  (?P<id>[A-Za-z0-9_.-]+) {2,}\S")


def read_sample(path: Path, unit_ids: set[str]) -> list[str]:
    """The drawn units' ids, in the file's order; each must be one of the units read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(Problem(f"không đọc được tệp mẫu kiểm tra ({type(e).__name__})", str(path))) from None
    try:
        data = json.loads(text)
        ids = [str(s["unit_id"]) for s in data["selected"]]
    except json.JSONDecodeError:
        ids = [m["id"] for line in text.splitlines() if (m := _UNIT_LINE.match(line))]
    except (KeyError, TypeError):
        message = "tệp JSON không phải kết quả của `cchc sample` (thiếu selected[].unit_id)"
        raise InputError(Problem(message, str(path))) from None
    if not ids:
        raise InputError(Problem("không thấy đơn vị nào trong tệp mẫu kiểm tra (kết quả của `cchc sample`)", str(path)))
    unknown = [i for i in ids if i not in unit_ids]
    if unknown:
        message = f"đơn vị trong mẫu không có trong tài liệu kiểm chứng đã nạp: {', '.join(unknown)}"
        raise InputError(Problem(message, str(path)))
    return ids
