"""Scores an official would sign: statements without số/ngày, Excel percent cells, the Sở's survey file."""

import pytest
from openpyxl import load_workbook

from evidence.survey import load_survey
from evidence.validate import build_unit
from rules.errors import InputError
from scoring.outputs.workbooks import write_template
from tests.helpers import EXAMPLES, ROOT, score_units


def _unit(catalog, **evidence):
    return build_unit({"unit": {"id": "u", "name": "U", "type": "co_quan_so"}, "evidence": evidence}, catalog, "t")


def test_a_statement_without_number_or_date_is_unverified_not_missing(syt):
    unit = _unit(syt, iso_announcement="đã công bố hệ thống ISO", cchc_plan={"statement": "đã ban hành"})
    results = {c.code: c for c in score_units(syt, [unit]).units[0].criteria}
    assert (results["7.4.1"].status, results["7.4.1"].points) == ("unverified", 0)
    assert "không có số, ngày văn bản" in results["7.4.1"].explanation
    assert results["1.1.1"].status == "unverified"
    assert score_units(syt, [unit]).units[0].coverage.unverified == ["1.1.1", "7.4.1"]


def test_a_percent_formatted_excel_cell_is_read_as_percent(syt, tmp_path):
    path = tmp_path / "u.xlsx"
    write_template(syt, path)
    wb = load_workbook(path)
    ws = wb["Đơn vị"]
    for row in ws.iter_rows(min_row=2):
        if row[2].value in ("id", "name", "type"):  # column C holds the key, B the value
            row[1].value = {"id": "u", "name": "U", "type": "benh_vien"}[row[2].value]
    ev = wb["Tài liệu kiểm chứng"]
    for row in ev.iter_rows(min_row=2):
        if row[0].value == "patient_satisfaction_percent":
            row[5].value, row[5].number_format = 0.85, "0%"
        if row[0].value == "dossiers_online_percent":
            row[5].value = 0.5  # a percent below 1 typed without formatting: a warning
    wb.save(path)
    from evidence.excel import read_workbook

    [(unit, error)] = read_workbook(path, syt)
    assert error is None, error
    assert unit.values["patient_satisfaction_percent"] == 85
    assert any("0,5 % rất nhỏ" in w for w in unit.warnings)


def test_survey_file_accepts_likert_labels_and_names_bad_rows(syt, tmp_path):
    good = tmp_path / "s.yaml"
    good.write_text('results:\n  - {unit_id: u1, question: "8.3.1", Rất hài lòng: 3, Hài lòng: 1}\n', encoding="utf-8")
    assert load_survey(good, syt) == {"u1": {"8.3.1": {"A": 3, "B": 1}}}
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'results:\n  - {unit_id: u1, question: "9.9", A: 1}\n  - {unit_id: u1, question: "8.3.2", E: 1}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        load_survey(bad, syt)
    text = str(e.value)
    assert "dòng 2" in text and "question" in text and "dòng 3" in text and "phương án 'E' không có" in text


def test_example_survey_scores_every_unit(syt):
    from scoring import Scorer, load_evidence

    survey = load_survey(ROOT / "surveys" / "2026.yaml", syt)
    units = load_evidence([EXAMPLES], syt, survey).units
    with Scorer(syt, workers=1) as scorer:
        run = scorer.score(units)
    assert all(c.status != "pending" for u in run.units for c in u.criteria if c.code.startswith("8.3"))
