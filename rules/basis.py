"""The national documents that set the PAR index's framework in each assessment year: what an
imported catalog cites as its basis until the Sở writes the law behind each criterion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Framework:
    first_year: int  # the first assessment year scored under it
    short: str  # "876/QĐ-BNV"
    citation: str  # as a "Căn cứ" writes it


FRAMEWORKS = [
    Framework(
        2017,
        "2640/QĐ-BNV",
        "Quyết định số 2640/QĐ-BNV ngày 10/10/2017 của Bộ trưởng Bộ Nội vụ phê duyệt Đề án Xác định Chỉ số CCHC",
    ),
    Framework(
        2020,
        "1150/QĐ-BNV",
        "Quyết định số 1150/QĐ-BNV ngày 30/12/2020 của Bộ trưởng Bộ Nội vụ phê duyệt Đề án Xác định Chỉ số CCHC",
    ),
    Framework(
        2022,
        "876/QĐ-BNV",
        "Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ trưởng Bộ Nội vụ phê duyệt Đề án Xác định Chỉ số CCHC",
    ),
]


def framework_of(year: int) -> Framework:
    """The framework in force for an assessment year (the earliest one for years before it)."""
    return max((f for f in FRAMEWORKS if f.first_year <= year), key=lambda f: f.first_year, default=FRAMEWORKS[0])
