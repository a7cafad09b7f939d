"""The Excel template: generated from the catalog, filled like a person would, read back losslessly."""

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from evidence.excel import EVIDENCE_SHEET, MANUAL_SHEET, NA_SHEET, UNIT_SHEET, read_workbook
from evidence.loaders import load_paths
from rules.errors import InputError
from tests.helpers import ROOT, score_units

EXAMPLE = ROOT / "examples" / "bv-da-khoa-tinh.yaml"


@pytest.fixture()
def blank(tmp_path):
    path = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_template_layout(blank, syt):
    wb = load_workbook(blank)
    assert wb.sheetnames[:5] == ["Hướng dẫn", UNIT_SHEET, EVIDENCE_SHEET, MANUAL_SHEET, NA_SHEET]
    ev = wb[EVIDENCE_SHEET]
    assert ev.freeze_panes == "A2" and ev.protection.sheet
    rows = {r[0].value: r for r in ev.iter_rows(min_row=2)}
    assert set(rows) == set(syt.fields)
    plan = rows["cchc_plan"]
    assert plan[1].value == (  # what the evidence is for: criterion, maximum, what earns it
        "1.1.1 Ban hành kế hoạch CCHC năm 2026 trước ngày 31/12/2025 (tối đa 1 điểm). "
        "Yêu cầu: Ban hành kế hoạch CCHC năm sau và gửi Sở Y tế trước ngày 31/12"
    )
    assert plan[2].value == syt.fields["cchc_plan"].label
    assert rows["units_inspected"][1].value.endswith("Chỉ áp dụng: Cơ quan Sở Y tế")
    assert ev.row_dimensions[plan[0].row].height >= 30  # tall enough for the wrapped text
    assert plan[6].protection.locked is False and plan[2].protection.locked is True
    kinds = {dv.type for dv in ev.data_validations.dataValidation}
    assert {"list", "whole", "decimal", "date"} <= kinds
    manual = [r[0].value for r in wb[MANUAL_SHEET].iter_rows(min_row=2)]
    assert manual == ["1.6", "5.7"]
    help_text = "\n".join(str(r[0].value or "") for r in wb["Hướng dẫn"].iter_rows())
    assert "cchc " not in help_text and "đoàn kiểm tra" not in help_text.lower()  # no command line, for units
    labels = wb["Danh mục"]
    offered = {c.value for col in labels.iter_cols() if col[0].value == "unit_type" for c in col[1:]}
    assert offered == set(syt.unit_types.values())  # unit types chosen by their Vietnamese names
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            assert int(ws.page_setup.paperSize) == 9 and int(ws.page_setup.fitToWidth) == 1, ws.title  # A4
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.coordinate


def fill(path, syt):
    """Fill the blank template cell by cell from the YAML example, as a person would type it."""
    yaml_unit = load_paths([EXAMPLE], syt).units[0]
    wb = load_workbook(path)
    info = wb[UNIT_SHEET]
    for row in info.iter_rows(min_row=2, max_row=6):
        key = row[2].value
        row[1].value = {
            "id": "bv-dktinh",
            "name": "Bệnh viện Đa khoa tỉnh",
            "type": "benh_vien",
            "parent": "syt-co-quan",
            "year": 2026,
        }[key]
    ev = wb[EVIDENCE_SHEET]
    for row in ev.iter_rows(min_row=2):
        value = yaml_unit.values.get(row[0].value)
        if value is None:
            continue
        spec = syt.fields[row[0].value]
        if spec.type == "document":
            row[6].value, row[7].value = value.number, dt.datetime.combine(value.date, dt.time())
        elif spec.type == "yes_no":
            row[5].value = "Có" if value else "Không"
        elif spec.type == "choice":
            row[5].value = value if len(value) <= 2 else spec.options[value]
        elif spec.type == "count" and value >= 1000:
            row[5].value = f"{value:,}".replace(",", ".")  # typed the Vietnamese way, as text
        else:
            row[5].value = value
    for row in wb[MANUAL_SHEET].iter_rows(min_row=2):
        score = yaml_unit.manual.get(row[0].value)
        if score:
            row[3].value, row[4].value = score.points, score.reason
    wb.save(path)
    return yaml_unit


def test_filled_template_scores_like_yaml(blank, syt):
    yaml_unit = fill(blank, syt)
    ((from_excel, error),) = read_workbook(blank, syt)
    assert error is None, error
    assert from_excel.values == yaml_unit.values
    a, b = (score_units(syt, [u]).units[0] for u in (yaml_unit, from_excel))
    assert (a.points, a.max_points, a.index, a.band) == (b.points, b.max_points, b.index, b.band)
    assert [c.points for c in a.criteria] == [c.points for c in b.criteria]


def test_prefilled_template_round_trip(tmp_path, syt):
    out = tmp_path / "bv.xlsx"
    assert CliRunner().invoke(main, ["template", "-o", str(out), "--from", str(EXAMPLE)]).exit_code == 0
    original = load_paths([EXAMPLE], syt).units[0]
    ((again, error),) = read_workbook(out, syt)
    assert error is None
    assert again.values == original.values and again.manual == original.manual and again.unit == original.unit


def test_prefilled_template_shows_the_unit_type_by_name(tmp_path, syt):
    out = tmp_path / "bv.xlsx"
    assert CliRunner().invoke(main, ["template", "-o", str(out), "--from", str(EXAMPLE)]).exit_code == 0
    wb = load_workbook(out)
    info = {r[2].value: r[1].value for r in wb[UNIT_SHEET].iter_rows(min_row=2)}
    assert info["type"] == "Bệnh viện"
    rows = {r[0].value: r[1].value for r in wb[EVIDENCE_SHEET].iter_rows(min_row=2)}
    assert rows["units_inspected"] == "Không dùng để chấm với loại đơn vị này"  # 1.3.1 is the Sở's alone


def test_template_from_a_file_of_several_units_picks_one(tmp_path, syt):
    several = ROOT / "examples" / "trung-tam-y-te.yaml"
    out = tmp_path / "ap.xlsx"
    refused = CliRunner().invoke(main, ["template", "-o", str(out), "--from", str(several)])
    assert refused.exit_code == 2 and "chọn một bằng --unit" in refused.stderr and "ttyt-an-phu" in refused.stderr
    args = ["template", "-o", str(out), "--from", str(several), "--unit", "ttyt-an-phu"]
    assert CliRunner().invoke(main, args).exit_code == 0
    ((unit, error),) = read_workbook(out, syt)
    assert error is None and unit.unit.id == "ttyt-an-phu" and unit.unit.type == "trung_tam_y_te"
    missing = CliRunner().invoke(main, [*args[:-1], "khong-co"])
    assert missing.exit_code == 2 and "không có đơn vị mã 'khong-co'" in missing.stderr


def test_wrong_cell_names_sheet_row_and_field(blank, syt):
    fill(blank, syt)
    wb = load_workbook(blank)
    ev = wb[EVIDENCE_SHEET]
    row = next(r for r in ev.iter_rows(min_row=2) if r[0].value == "staff_total")
    row[5].value = "một nghìn"
    wb.save(blank)
    result = CliRunner().invoke(main, ["validate", str(blank)])
    assert result.exit_code == 2
    assert (
        f"sheet 'Tài liệu kiểm chứng', dòng {row[0].row} [evidence.staff_total]: Tổng số công chức, viên chức:"
        in result.stderr
    )


def test_binary_file_named_xlsx(tmp_path, syt):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\x00\x01 not a zip")
    with pytest.raises(InputError, match="không phải tệp Excel .xlsx hợp lệ"):
        read_workbook(bad, syt)


def test_missing_sheet_and_column(blank, tmp_path, syt):
    wb = load_workbook(blank)
    del wb[EVIDENCE_SHEET]
    no_sheet = tmp_path / "no-sheet.xlsx"
    wb.save(no_sheet)
    with pytest.raises(InputError, match="thiếu sheet 'Tài liệu kiểm chứng'"):
        read_workbook(no_sheet, syt)
    wb = load_workbook(blank)
    wb[EVIDENCE_SHEET]["F1"] = "Khác"
    no_column = tmp_path / "no-column.xlsx"
    wb.save(no_column)
    with pytest.raises(InputError, match="sheet 'Tài liệu kiểm chứng', dòng 1: thiếu cột 'Giá trị'"):
        read_workbook(no_column, syt)


def test_example_workbook_is_scored_with_the_rest(tmp_path, syt):
    shutil.copy(ROOT / "examples" / "bv-san-nhi.xlsx", tmp_path)
    loaded = load_paths([tmp_path], syt)
    assert not loaded.failures and loaded.units[0].unit.id == "bv-san-nhi"


def test_text_that_looks_like_a_formula_stays_text(tmp_path, syt):
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        'unit: {id: bv-x, name: "=HYPERLINK(\\"http://x\\")", type: benh_vien, year: 2026}\n'
        'evidence:\n  cchc_plan: {number: "=1+1", date: 20/12/2025}\n',
        encoding="utf-8",
    )
    out = tmp_path / "evil.xlsx"
    assert CliRunner().invoke(main, ["template", "-o", str(out), "--from", str(evil)]).exit_code == 0
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "=1+1" for c in cells)
    ((unit, error),) = read_workbook(out, syt)
    assert error is None and unit.unit.name.startswith("=HYPERLINK") and unit.values["cchc_plan"].number == "=1+1"


def test_field_help_shows_on_its_label(tmp_path, all_kinds):
    from openpyxl import load_workbook

    from scoring.outputs.workbooks import write_template

    spec = all_kinds.fields["plan"].model_copy(update={"help": "Ghi số ký hiệu và ngày ký"})
    catalog = all_kinds.model_copy(update={"fields": {**all_kinds.fields, "plan": spec}})
    write_template(catalog, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")[EVIDENCE_SHEET]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "plan")
    assert row[2].comment is not None and row[2].comment.text == "Ghi số ký hiệu và ngày ký"
