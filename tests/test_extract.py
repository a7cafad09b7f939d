"""`cchc extract`: values read from a unit's own report, each pattern family and its traps, the
draft's shape, and the unreviewed-draft warning in validate and score."""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bench.extract import measure, rates
from cli import main
from evidence.extract import extract
from evidence.report_text import Passage, read_report

HERE = Path(__file__).parent / "extract"


def values(syt, *lines: str, table: bool = False) -> dict:
    passages = [("bc.txt", Passage(line, f"dòng {i}", table)) for i, line in enumerate(lines, start=1)]
    return {name: f.value for name, f in extract(passages, syt, 2026).items() if f.value is not None}


def test_counts_in_vietnamese_formats(syt):
    assert values(syt, "Trong năm tiếp nhận 1.256 hồ sơ.")["dossiers_received"] == 1256
    assert values(syt, "Tổng số hồ sơ tiếp nhận: 1 256 hồ sơ.")["dossiers_received"] == 1256
    assert values(syt, "Trễ hạn 01 hồ sơ.")["dossiers_late"] == 1  # a leading zero
    assert values(syt, "Số hồ sơ tiếp nhận | 2.310", table=True)["dossiers_received"] == 2310


def test_a_comma_thousands_count_is_a_candidate_not_a_value(syt):
    passages = [("bc.txt", Passage("Tiếp nhận 1,256 hồ sơ.", "dòng 1"))]
    found = extract(passages, syt, 2026)["dossiers_received"]
    assert found.value is None
    assert found.candidates[0].note == "mơ hồ: «1,256» có thể là số thập phân hoặc hàng nghìn"


def test_rates_and_their_traps(syt):
    assert values(syt, "Tỷ lệ giải quyết đúng hạn đạt 99,52%.")["dossiers_on_time_percent"] == 99.52
    assert "satisfaction_percent" not in values(syt, "Tỷ lệ hài lòng từ 90% đến 95% ở các khoa.")  # a range
    got = values(syt, "Tỷ lệ người bệnh hài lòng đạt 91,2% (cùng kỳ năm trước đạt 89,5%).")
    assert got["patient_satisfaction_percent"] == 91.2


def test_each_figure_goes_to_its_own_phrase(syt):
    got = values(
        syt,
        "Tiếp nhận 1.256 hồ sơ, đã giải quyết trước và đúng hạn 1.240 hồ sơ, trễ hạn 6 hồ sơ, "
        "đang giải quyết trong hạn 10 hồ sơ.",
    )
    assert [got[f] for f in ("dossiers_received", "dossiers_on_time", "dossiers_late", "dossiers_pending")] == [
        1256,
        1240,
        6,
        10,
    ]
    assert values(syt, "Số hồ sơ tiếp nhận trực tuyến: 900 hồ sơ.") == {"dossiers_online": 900}  # longest phrase


def test_last_year_the_sector_ordinals_and_changes_are_not_the_units_figures(syt):
    got = values(syt, "Trong năm tiếp nhận 1.256 hồ sơ (năm 2025 tiếp nhận 1.100 hồ sơ).")
    assert got["dossiers_received"] == 1256
    assert values(syt, "Toàn ngành tiếp nhận 45.210 hồ sơ trong năm.") == {}
    assert values(syt, "Năm 2025 tiếp nhận 1.100 hồ sơ.") == {}
    assert values(syt, "Tiếp nhận tăng 156 hồ sơ so với năm trước.") == {}
    assert "staff_informed" not in values(syt, "Lần thứ 2 tổ chức phổ biến cho các khoa.")


def test_two_different_figures_are_a_conflict_with_no_value(syt):
    passages = [
        ("bc.txt", Passage("Trong năm tiếp nhận 1.256 hồ sơ.", "dòng 3")),
        ("bc.txt", Passage("Tổng số hồ sơ tiếp nhận là 1.265 hồ sơ.", "dòng 9")),
    ]
    found = extract(passages, syt, 2026)["dossiers_received"]
    assert found.value is None and found.conflict
    assert [(c.value, c.where) for c in found.candidates] == [(1256, "bc.txt, dòng 3"), (1265, "bc.txt, dòng 9")]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Đơn vị ban hành Kế hoạch số 01a/KH-SYT ngày 08/01/2026 về cải cách hành chính năm 2026.", "01a/KH-SYT"),
        ("Ban hành KH số 13/KH-BVĐK ngày 25 tháng 02 năm 2026 về CCHC năm 2026.", "13/KH-BVĐK"),
        ("Kế hoạch CCHC năm 2026 tại Kế hoạch số 7/KH-CCDS ngày 06/01/2026.", "7/KH-CCDS"),
    ],
)
def test_documents_in_the_usual_shapes(syt, sentence, expected):
    assert values(syt, sentence)["cchc_plan"]["number"] == expected


def test_a_cited_higher_document_is_not_the_units_own(syt):
    got = values(
        syt,
        "Thực hiện Kế hoạch số 45/KH-SYT ngày 10/01/2026 của Sở Y tế, Trung tâm ban hành Kế hoạch số "
        "401/KH-TTYT ngày 30/12/2025 về cải cách hành chính năm 2026.",
    )
    assert got["cchc_plan"] == {"number": "401/KH-TTYT", "date": "30/12/2025"}
    assert values(syt, "Căn cứ Kế hoạch số 13/KH-SYT ngày 25/02/2026 của Sở Y tế về CCHC năm 2026;") == {}


def test_a_year_column_table_reads_this_years_figures():
    passages = read_report(HERE / "cdc-thanh-hoa-quy-3-2026.docx", 2026)
    rows = [p.text for p in passages if p.table]
    assert rows[1] == "Tổng số hồ sơ tiếp nhận | 712"  # not 640, last year's column
    assert passages[0].where == "đoạn 1" and [p.where for p in passages if p.table][1] == "bảng 1, dòng 2"


def test_a_pdf_line_wrapped_mid_sentence_is_read_as_one_sentence():
    passages = read_report(HERE / "chi-cuc-quang-nam-2026.pdf", 2026)
    plan = next(p for p in passages if "03/KH-CCATTP" in p.text)
    assert "ngày 06/01/2026" in plan.text and plan.where == "trang 1, dòng 3"


def test_precision_and_recall_on_the_labelled_reports():
    counts, mistakes = measure()
    precision, recall, right, wrong, missed = rates(counts, ("document", "count", "percent"))
    assert wrong == 0, mistakes
    assert precision >= 0.95 and recall >= 0.8, mistakes
    assert right >= 40


def test_the_draft_is_unreviewed_and_scores_with_a_warning(tmp_path):
    draft = tmp_path / "nhap.yaml"
    args = ["extract", str(HERE / "ttyt-quang-tri-2026.txt"), "--unit-type", "Trung tâm Y tế", "-o", str(draft)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data["reviewed"] is False and data["unit"]["type"] == "trung_tam_y_te"
    assert data["evidence"]["dossiers_received"] == 1256
    source = data["draft"]["found"]["dossiers_received"]["sources"][0]
    assert source["where"] == "ttyt-quang-tri-2026.txt, dòng 16" and "1.256 hồ sơ" in source["quote"]
    assert data["draft"]["not_found"]["docs_outgoing"] == "Số văn bản đi trong năm: không tìm thấy trong báo cáo"
    for command in ("validate", "score"):
        out = CliRunner().invoke(main, [command, str(draft)])
        assert "đơn vị chưa rà soát (reviewed: false)" in out.output, out.output
    draft.write_text(draft.read_text(encoding="utf-8").replace("reviewed: false", "reviewed: true"), encoding="utf-8")
    assert "chưa rà soát" not in CliRunner().invoke(main, ["score", str(draft)]).output


def test_the_draft_as_the_unit_workbook(tmp_path):
    book = tmp_path / "nhap.xlsx"
    args = ["extract", str(HERE / "bv-kon-tum-6-thang-2026.md"), "--unit-type", "benh_vien", "-o", str(book)]
    assert CliRunner().invoke(main, args).exit_code == 0
    scored = CliRunner().invoke(main, ["score", str(book), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    assert "05a/KH-BVĐK" in scored.stdout  # the plan, read from the filled workbook


def test_an_unknown_unit_type_or_a_scanned_pdf_is_a_clear_error(tmp_path):
    report = HERE / "ttyt-quang-tri-2026.txt"
    result = CliRunner().invoke(main, ["extract", str(report), "--unit-type", "xyz", "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2 and "--unit-type: cần loại đơn vị" in result.stderr
    blank = tmp_path / "scan.pdf"
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with blank.open("wb") as f:
        writer.write(f)
    result = CliRunner().invoke(
        main, ["extract", str(blank), "--unit-type", "benh_vien", "-o", str(tmp_path / "d.yaml")]
    )
    assert result.exit_code == 2 and "PDF không có lớp chữ (bản quét)" in result.stderr
