"""One catalog for every year: relative deadlines at their boundary days, values by date, criteria
from a year, units of 2019, 2022 and 2026 with the default catalog, extensions and `rules diff`.
Expected values are worked out by hand from rules/catalogs/syt-2026.yaml and the files below."""

import datetime as dt

import pytest
from click.testing import CliRunner

from cli import main
from evidence.validate import build_unit
from rules.dated import relative_date
from rules.errors import InputError
from rules.load import load_catalog
from tests.helpers import ALL_KINDS, score_units


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("31/12 năm trước", 2019, dt.date(2018, 12, 31)),
        ("31/01 năm sau", 2026, dt.date(2027, 1, 31)),
        ("15/11", 2022, dt.date(2022, 11, 15)),
        ("31/12/N-1", 2020, dt.date(2019, 12, 31)),
        ("cuối tháng 02", 2024, dt.date(2024, 2, 29)),  # leap year
        ("cuối tháng 02", 2023, dt.date(2023, 2, 28)),
        ("29/02", 2024, dt.date(2024, 2, 29)),
        ("cuối quý I", 2026, dt.date(2026, 3, 31)),
        ("cuối quý IV năm trước", 2026, dt.date(2025, 12, 31)),
        ("ngày 02 tháng cuối quý III", 2021, dt.date(2021, 9, 2)),
        ("Ngày  02 tháng cuối quý iv", 2021, dt.date(2021, 12, 2)),
    ],
)
def test_relative_deadlines(text, year, expected):
    assert relative_date(text, year) == expected


@pytest.mark.parametrize("text", ["29/02", "31/04", "cuối tháng 13", "tuần đầu tiên"])
def test_impossible_deadlines_are_refused(text):
    with pytest.raises(ValueError):
        relative_date(text, 2023)


def _unit(catalog, year, **evidence):
    raw = {"unit": {"id": f"u{year}", "name": "Cơ quan Sở", "type": "co_quan_so", "year": year}, "evidence": evidence}
    return build_unit(raw, catalog, "t")


def _results(catalog, unit):
    score = score_units(catalog, [unit]).units[0]
    return score, {c.code: c for c in score.criteria}


def test_a_2019_unit_scores_with_the_values_of_2019():
    catalog = load_catalog("syt-2026", 2019)
    assert (catalog.year, catalog.max_points, catalog.title[-4:]) == (2019, 98.5, "2019")
    assert "3.4.2" not in catalog.leaf  # Cổng dịch vụ công quốc gia: from 2020
    unit = _unit(
        catalog,
        2019,
        cchc_plan={"number": "01a/KH-SYT", "date": "31/12/2018"},  # the deadline day itself: on time
        report_q1={"number": "1/BC", "date": "02/03/2019"},  # ngày 02 tháng cuối quý I: on time
        report_h1={"number": "2/BC", "date": "03/06/2019"},  # one day late
        report_q3={"number": "3/BC", "date": "02/09/2019"},
        report_year={"number": "4/BC", "date": "15/11/2019"},
        tthc_eligible_online=10,
        tthc_online=10,
    )
    score, r = _results(catalog, unit)
    assert (r["1.1.1"].points, r["1.1.1"].status) == (1, "met")
    assert "hạn 31/12/2018" in r["1.1.1"].explanation
    assert r["1.2.1"].points == 1 and "Báo cáo 6 tháng: 03/06/2019 trễ 1 ngày" in r["1.2.1"].explanation
    assert r["3.4.1"].points == 1.5 and r["3.4.1"].title.endswith("mức độ 3, 4")
    assert r["3.4.1"].explanation.split("Căn cứ: ")[1].startswith("Nghị định số 43/2011/NĐ-CP ngày 13/6/2011")
    # the area's maximum in 2019 lacks 3.4.2's 1,5 points
    assert next(a for a in score.areas if a.code == "3").max_points == 20 - 1.5  # 20 from 2020 on


def test_one_day_late_in_2019_and_the_leap_day_boundary():
    catalog = load_catalog("syt-2026", 2019)
    late = _unit(catalog, 2019, cchc_plan={"number": "01/KH", "date": "01/01/2019"})
    assert _results(catalog, late)[1]["1.1.1"].points == 0.5  # trễ 1 ngày: points_late
    catalog_2020 = load_catalog("syt-2026", 2020)
    q1 = _unit(catalog_2020, 2020, report_q1={"number": "1/BC", "date": "03/03/2020"})
    assert "Báo cáo quý I: 03/03/2020 trễ 1 ngày" in _results(catalog_2020, q1)[1]["1.2.1"].explanation


def test_a_2022_unit_uses_level_3_4_terms_and_a_2023_unit_the_decree_42_terms():
    c2022, c2023 = load_catalog("syt-2026", 2022), load_catalog("syt-2026", 2023)
    r2022 = _results(c2022, _unit(c2022, 2022, tthc_eligible_online=20, tthc_online=19))[1]
    assert r2022["3.4.1"].points == 0 and "mức độ 3, 4" in r2022["3.4.1"].explanation  # 95 % < 100 %
    assert "42/2022" not in r2022["3.4.1"].reference
    r2023 = _results(c2023, _unit(c2023, 2023, tthc_eligible_online=20, tthc_online=20))[1]
    assert r2023["3.4.1"].points == 1.5 and "toàn trình, một phần" in r2023["3.4.1"].explanation
    assert "Nghị định 42/2022/NĐ-CP" in r2023["3.4.1"].reference and "(áp dụng từ 2023)" in r2023["3.4.1"].reference


def test_a_2026_unit_keeps_its_hand_checked_score():
    catalog = load_catalog("syt-2026", 2026)
    assert catalog.max_points == 100 and "3.4.2" in catalog.leaf
    assert catalog.leaf["1.1.1"].params.deadline == dt.date(2025, 12, 31)
    assert catalog.leaf["1.1.1"].params.late_until == dt.date(2026, 3, 31)


def test_the_units_year_picks_the_catalog_year_and_a_year_outside_is_refused(tmp_path):
    unit = tmp_path / "u.yaml"
    unit.write_text(
        "unit: {id: u, name: U, type: co_quan_so, year: 2019}\nevidence:\n"
        "  cchc_plan: {number: 01/KH, date: 20/12/2018}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["score", str(unit), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"year":2019' in result.stdout.replace(" ", "")
    wrong = CliRunner().invoke(main, ["score", str(unit), "--year", "2026"])
    assert wrong.exit_code == 2 and "dùng --year 2019" in wrong.stderr
    unit.write_text(unit.read_text(encoding="utf-8").replace("2019}", "2018}"), encoding="utf-8")
    old = CliRunner().invoke(main, ["validate", str(unit)])
    assert old.exit_code == 2 and "năm đánh giá 2018 ngoài các năm bộ tiêu chí chấm (2019–2026)" in old.stderr


def test_rules_check_covers_every_year():
    result = CliRunner().invoke(main, ["rules", "check", "syt-2026"])
    assert result.exit_code == 0, result.output
    assert [line.split()[3] for line in result.stdout.splitlines()] == [str(y) for y in range(2019, 2027)]


def test_rules_diff_between_two_years():
    result = CliRunner().invoke(main, ["rules", "diff", "syt-2026@2019", "syt-2026@2026"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("So sánh syt-2026 năm 2019 → syt-2026 năm 2026 (thời hạn, tên tính theo năm đánh giá")
    assert ": 1 tiêu chí thêm, 0 tiêu chí bỏ, 5 thay đổi" in out.splitlines()[0]
    assert (
        "+ 3.4.2: thêm «Ít nhất 80 % TTHC trực tuyến được tích hợp trên Cổng dịch vụ công quốc gia (1,5 điểm)»" in out
    )
    assert "~ 3.4: điểm tối đa 4,5 → 6" in out
    assert "1.1.1" not in out  # "31/12 năm trước" moved with the year: not a change
    assert "5.5" not in out  # "Nghị định 90/2020/NĐ-CP" is a number, not a year to move
    assert "~ Bộ tiêu chí: điểm tối đa 98,5 → 100" in out


def test_what_moves_with_the_year_is_not_a_change():
    from rules.diff import _moved

    assert _moved(dt.date(2023, 2, 28), 1, 2023) == dt.date(2024, 2, 29)  # cuối tháng 02, leap year
    assert _moved(dt.date(2024, 2, 29), 1, 2024) == dt.date(2025, 2, 28)
    assert _moved(dt.date(2025, 12, 31), 1, 2026) == dt.date(2026, 12, 31)
    assert _moved("Kế hoạch năm 2026 trước ngày 31/12/2025", 1, 2026) == "Kế hoạch năm 2027 trước ngày 31/12/2026"
    assert _moved("theo Nghị định 90/2020/NĐ-CP, KH-KT2022", 1, 2020) == "theo Nghị định 90/2020/NĐ-CP, KH-KT2022"
    assert _moved("Quyết định năm 2015", 1, 2026) == "Quyết định năm 2015"  # not N-1, N or N+1


EXTENSION = """\
id: tinh-x
extends: {base}
title: Bộ tiêu chí tỉnh X năm {{N}}
years: {{from: 2022, until: 2026}}
max_points: 18
remove: ["2.3"]
override:
  "2": {{max_points: 6}}
  "1.1": {{params: {{deadline: 31/12 năm trước, issued_from: 01/10 năm trước}}}}
  "2.1":
    params:
      gte:
        - {{from: 2022, value: 80}}
        - {{from: 2024-01-01, value: 90, reference: "Quyết định 12/QĐ-UBND tỉnh X"}}
        - {{from: 2025-07-01, value: 95}}
"""


def _extension(tmp_path, text):
    path = tmp_path / "tinh-x.yaml"
    path.write_text(text.format(base=ALL_KINDS), encoding="utf-8")
    return path


def test_an_extension_removes_overrides_and_dates_its_targets(tmp_path):
    path = _extension(tmp_path, EXTENSION)
    c2023, c2024, c2025 = (load_catalog(path, y) for y in (2023, 2024, 2025))
    assert "2.3" not in c2023.leaf and c2023.max_points == 18 and c2023.title == "Bộ tiêu chí tỉnh X năm 2023"
    assert c2023.leaf["1.1"].params.deadline == dt.date(2022, 12, 31)
    assert c2023.leaf["1.1"].params.issued_from == dt.date(2022, 10, 1)
    # the value in force on 1 January: 80 until 2023, 90 from 2024; the mid-2025 change waits for 2026
    assert (c2023.leaf["2.1"].params.gte, c2024.leaf["2.1"].params.gte, c2025.leaf["2.1"].params.gte) == (80, 90, 90)
    assert load_catalog(path, 2026).leaf["2.1"].params.gte == 95
    assert c2024.basis(c2024.leaf["2.1"]).endswith("gte = 90: Quyết định 12/QĐ-UBND tỉnh X (áp dụng từ 01/01/2024)")
    unit = build_unit(
        {"unit": {"id": "u", "name": "U", "type": "co_quan_so", "year": 2023}, "evidence": {"satisfaction": 85}},
        c2023,
        "t",
    )
    assert _results(c2023, unit)[1]["2.1"].points == 2  # 85 % ≥ 80 % in 2023 (it would fail the base's 90 %)
    with pytest.raises(InputError, match="chấm các năm 2022–2026, không có năm 2021"):
        load_catalog(path, 2021)


def test_a_broken_extension_is_refused_with_file_line_and_code(tmp_path):
    unknown = _extension(tmp_path, EXTENSION.replace('"1.1": {{params', '"9.9": {{params'))
    with pytest.raises(InputError) as e:
        load_catalog(unknown, 2023)
    problem = e.value.problems[0]
    assert (problem.file, problem.where) == (str(unknown), "dòng 9")
    assert "không có tiêu chí mã '9.9'" in problem.message
    maxima = _extension(tmp_path, EXTENSION.replace('  "2": {{max_points: 6}}\n', ""))
    with pytest.raises(InputError) as e:
        load_catalog(maxima, 2023)
    problem = next(p for p in e.value.problems if p.message.startswith("2:"))
    assert problem.file == str(maxima) and problem.where == "dòng 6"  # the remove: line
    assert "tổng điểm tối đa các tiêu chí con là 6, khác 8" in problem.message
