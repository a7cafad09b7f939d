"""Whose rules these are: the bundled catalog's "Căn cứ" is national law in force in the assessment
year, a Sở's plan is cited only as the source of a target and only from the year it was issued, and
no explanation of a year cites a document issued after that year."""

import re

import pytest

from evidence.validate import build_unit
from rules.load import load_catalog
from tests.helpers import score_units

# The year a document was issued, as citations write it: "… ngày 24/6/2022 của …", "42/2022/NĐ-CP",
# "Kế hoạch CCHC năm 2022 của …", "06/2022/QH15".
ISSUED = [
    re.compile(r"ngày \d{1,2}/\d{1,2}/(\d{4})(?: của|,| sửa| \()"),
    re.compile(r"\b\d+/(\d{4})/(?:NĐ-CP|QĐ-TTg|TT-\w+|QH\d+|NQ-\w+)"),
    re.compile(r"năm (\d{4}) của"),
    re.compile(r"\bKH-[A-Z]{2}(\d{4})\b"),
]


def issued_years(text: str) -> set[int]:
    return {int(m) for pattern in ISSUED for m in pattern.findall(text)}


def test_the_pattern_finds_what_citations_write():
    text = "Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ; chỉ tiêu tham khảo: Kế hoạch CCHC năm 2021 của Sở"
    assert issued_years(text) == {2022, 2021}
    assert issued_years("Ban hành kế hoạch trước ngày 31/12/2018") == set()  # a deadline, not a citation


@pytest.mark.parametrize("year", range(2019, 2027))
def test_no_basis_of_a_year_cites_a_later_document(year):
    catalog = load_catalog("syt-2026", year)
    assert catalog.decision is None  # the sample catalog cites no placeholder decision
    late = {
        leaf.code: sorted(y for y in issued_years(catalog.basis(leaf)) if y > year)
        for leaf in catalog.leaves
        if any(y > year for y in issued_years(catalog.basis(leaf)))
    }
    assert late == {}


def test_no_explanation_of_2019_cites_a_document_after_2019():
    catalog = load_catalog("syt-2026", 2019)
    raw = {"unit": {"id": "u", "name": "Bệnh viện A", "type": "benh_vien", "year": 2019}, "evidence": {}}
    score = score_units(catalog, [build_unit(raw, catalog, "t")]).units[0]
    cited = {c.code: issued_years(c.explanation) for c in score.criteria}
    assert {code: years for code, years in cited.items() if any(y > 2019 for y in years)} == {}
    assert all("Sở Y tế Kon Tum" not in c.explanation for c in score.criteria)  # its 2022 plan


def test_the_basis_changes_with_the_law_in_force():
    def basis(year, code):
        return load_catalog("syt-2026", year).basis(load_catalog("syt-2026", year).leaf[code])

    assert basis(2019, "2.2").startswith("Thông tư số 01/2011/TT-BNV")
    assert basis(2020, "2.2").startswith("Nghị định số 30/2020/NĐ-CP ngày 05/3/2020")
    assert basis(2021, "3.2.2").startswith("Nghị định số 61/2018/NĐ-CP")
    assert basis(2022, "3.2.2").startswith("Quyết định số 766/QĐ-TTg ngày 23/6/2022")
    assert "chỉ tiêu tham khảo" not in basis(2021, "1.1.1")  # the Kon Tum plan of 2022 not yet issued
    assert basis(2022, "1.1.1").endswith(
        "; chỉ tiêu tham khảo: Kế hoạch CCHC năm 2022 của Sở Y tế Kon Tum, Mục III.1: kế hoạch CCHC của đơn vị "
        "gửi về Sở Y tế trước ngày 31/12 năm trước"
    )
    frameworks = {year: load_catalog("syt-2026", year).framework for year in (2019, 2020, 2021, 2022, 2026)}
    assert frameworks == {2019: "2640/QĐ-BNV", 2020: "1150/QĐ-BNV", 2021: "1150/QĐ-BNV", 2022: "876/QĐ-BNV",
                          2026: "876/QĐ-BNV"}  # fmt: skip
