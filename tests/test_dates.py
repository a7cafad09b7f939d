"""Document dates against the calendar: after today is an error (not issued yet), after the
assessment year (and any later deadline the catalog sets for the field) a warning."""

import datetime as dt

import pytest
from click.testing import CliRunner

from cli import main
from evidence.validate import build_unit
from rules import clock
from rules.errors import InputError

UNIT = {"id": "u", "name": "U", "type": "co_quan_so"}


def _unit(catalog, today, **evidence):
    return build_unit({"unit": UNIT, "evidence": evidence}, catalog, "u.yaml", today=today)


def test_a_document_dated_today_counts_one_dated_tomorrow_is_refused(syt):
    today = dt.date(2026, 11, 24)
    assert _unit(syt, today, staff_appraisal={"number": "1/QĐ", "date": "24/11/2026"}).warnings == []
    with pytest.raises(InputError) as e:
        _unit(syt, today, staff_appraisal={"number": "1/QĐ", "date": "25/11/2026"})
    assert str(e.value) == (
        "u.yaml [evidence.staff_appraisal]: Kết quả đánh giá, xếp loại CCVC năm: ngày 25/11/2026 sau ngày hôm nay "
        "(24/11/2026): văn bản chưa thể được ban hành; kiểm tra lại ngày, tháng, năm"
    )


def test_every_future_document_is_named_and_other_fields_still_checked(syt):
    with pytest.raises(InputError) as e:
        _unit(
            syt,
            dt.date(2026, 11, 24),
            cchc_plan="20/12/2026",
            satisfaction_report={"number": "5/BC", "date": "01/12/2026"},
            docs_outgoing="nhiều",
        )
    fields = [p.field for p in e.value.problems]
    assert fields == ["evidence.cchc_plan", "evidence.satisfaction_report", "evidence.docs_outgoing"]  # file order


def test_after_the_year_is_a_warning_unless_the_catalog_allows_later(syt):
    later = dt.date(2028, 6, 1)  # an inspection long after, so nothing is in the future
    # The plan for 2026 dated 31/12/2027: a mistyped year, most likely; scored as it stands (too late).
    unit = _unit(syt, later, cchc_plan="31/12/2027")
    assert unit.warnings == [
        "Kế hoạch CCHC năm 2026 của đơn vị: ngày 31/12/2027 sau năm đánh giá 2026; nếu gõ nhầm năm, hãy sửa"
    ]
    # Last day of the year: no warning. Thi đua may be issued until 31/01 of the next year (late).
    assert _unit(syt, later, staff_appraisal="31/12/2026", emulation_results="31/01/2027").warnings == []
    assert _unit(syt, later, staff_appraisal="01/01/2027").warnings == [
        "Kết quả đánh giá, xếp loại CCVC năm: ngày 01/01/2027 sau năm đánh giá 2026; nếu gõ nhầm năm, hãy sửa"
    ]
    assert _unit(syt, later, emulation_results="01/02/2027").warnings == [
        "Kết quả bình xét thi đua năm 2026 có đánh giá kết quả thực hiện CCHC: ngày 01/02/2027 sau năm đánh giá "
        "2026 và sau mốc 31/01/2027; nếu gõ nhầm năm, hãy sửa"
    ]


def test_the_catalog_gives_each_document_field_its_last_date(syt):
    assert syt.dated_until["emulation_results"] == dt.date(2027, 1, 31)  # late_until: 31/01 năm sau
    assert syt.dated_until["cchc_plan"] == dt.date(2026, 12, 31)  # due the year before: the year's end
    assert set(syt.dated_until) == set(syt.fields)


def test_the_command_line_refuses_a_future_document_with_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_TODAY", "2026-11-24")
    path = tmp_path / "u.yaml"
    path.write_text(
        "unit: {id: u, name: U, type: co_quan_so}\nevidence:\n  cchc_plan: {number: 1/KH, date: 30/11/2026}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 2
    assert f"{path}, dòng 3 [evidence.cchc_plan]" in result.stderr
    assert "ngày 30/11/2026 sau ngày hôm nay (24/11/2026)" in result.stderr
    monkeypatch.setenv("CCHC_TODAY", "2026-12-01")  # the same file scored a week later
    assert CliRunner().invoke(main, ["score", str(path)]).exit_code == 0


def test_a_bad_cchc_today_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_TODAY", "24/11/2026")
    result = CliRunner().invoke(main, ["score", "examples/co-quan-so.yaml"])
    assert result.exit_code == 2
    assert "CCHC_TODAY='24/11/2026': cần ngày dạng YYYY-MM-DD" in result.stderr


def test_today_is_the_day_in_vietnam(monkeypatch):
    monkeypatch.delenv("CCHC_TODAY")
    assert clock.today() == dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    monkeypatch.setenv("CCHC_TODAY", "2027-01-15")
    assert clock.today() == dt.date(2027, 1, 15)


def test_rule_tests_do_not_depend_on_the_day(tmp_path):
    # A catalog's YAML tests for a coming year hold dates after today: they still run.
    result = CliRunner().invoke(main, ["rules", "test"])
    assert result.exit_code == 0, result.output
