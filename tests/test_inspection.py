"""Inspection: the 30 % sample, appraisal rounds, and self-score against appraisal."""

import json

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from cli import main
from scoring.inspection.compare import estimate
from scoring.inspection.draw import draw_sample
from tests.helpers import ROOT

SURVEY = ROOT / "surveys" / "2026.yaml"

EXAMPLES, APPRAISALS = ROOT / "examples", ROOT / "inspection" / "2026"
TEN = (
    {f"bv{i}": "benh_vien" for i in range(4)}
    | {f"tt{i}": "trung_tam_y_te" for i in range(3)}
    | {"cc0": "chi_cuc", "cc1": "chi_cuc", "so": "co_quan_so"}
)


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def test_sample_is_reproducible_and_stratified():
    a = draw_sample(TEN, 0.3, seed=7)
    b = draw_sample(dict(reversed(list(TEN.items()))), 0.3, seed=7)
    assert a.selected == b.selected and a.size == 3 == len(a.selected)
    assert len({s["unit_type"] for s in a.selected}) == 3  # 3 places, 4 types: the 3 largest types
    assert {s["unit_type"] for s in draw_sample(TEN, 0.4, seed=7).selected} == set(TEN.values())
    samples = {tuple(s["unit_id"] for s in draw_sample(TEN, 0.3, seed=seed).selected) for seed in range(20)}
    assert len(samples) > 1  # the seed really picks the draw


def test_sample_include_exclude():
    s = draw_sample(TEN, 0.3, seed=1, include=["so"], exclude=["bv0"])
    ids = [x["unit_id"] for x in s.selected]
    assert "so" in ids and "bv0" not in ids and len(ids) == 3
    assert next(x for x in s.selected if x["unit_id"] == "so")["reason"] == "bắt buộc chọn (--include)"
    s = draw_sample(TEN, 0.1, seed=1, include=["so", "cc0"])
    assert s.size == 2  # never fewer than the units forced in
    with pytest.raises(ValueError, match="không có đơn vị: x"):
        draw_sample(TEN, 0.3, seed=1, include=["x"])


def test_sample_command_json():
    result = run("sample", EXAMPLES, "--fraction", "0.3", "--seed", "2026", "--include", "bv-ydct", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"method", "seed", "fraction", "population", "strata", "selected"}
    assert data["population"] == 10 and len(data["selected"]) == 3 and data["seed"] == 2026
    assert any(s["unit_id"] == "bv-ydct" for s in data["selected"])
    again = json.loads(
        run(
            "sample", EXAMPLES, "--fraction", "0.3", "--seed", "2026", "--include", "bv-ydct", "--format", "json"
        ).stdout
    )
    assert again == data
    lowest = json.loads(run("sample", EXAMPLES, "--seed", "1", "--lowest", "1", "--format", "json").stdout)
    assert any(s["unit_id"] == "ttyt-binh-son" and "thấp" in s["reason"] for s in lowest["selected"])
    assert run("sample", EXAMPLES, "--seed", "1", "--include", "nobody").exit_code == 2


def test_three_changed_criteria_change_total_index_and_band():
    data = json.loads(
        run("compare", EXAMPLES, "--appraisal", APPRAISALS, "--survey", SURVEY, "--format", "json").stdout
    )
    an_phu = next(u for u in data["units"] if u["unit_id"] == "ttyt-an-phu")
    # by hand (catalog 2026.3), self 63,82 of 73,5:
    #   area 1: 1 + 1 (18/20 = 90 %, not above) + 1 (Q3 report late) + 1 + 1 + 0,5 + 0,5 + 1,25 (1.6)
    #           + 1 (1.7: 5/5) + 0 (1.8 missing) = 8,25 / 11
    #   area 2: 2 × 960/980 = 1,96 + 1 + 2 = 4,96 / 5 (2.1 is Văn phòng Sở's) ; area 3: 2 / 2
    #   area 4: 2 + 2 + 2 + 1,5 = 7,5 / 8 ; area 5: 3 + 2 + 1 + 1 + 1 + 1 = 9 / 10
    #   area 6: 2 + 1,5 (6.2: phương án đã trình) + 1,5 + 1,5 = 6,5 / 8
    #   area 7: 2,5 × 1.250/1.310 = 2,39 + 2,5 + 1,5 + 1 + 0 (7.6 missing) + 0,5 + 0,5 = 8,39 / 9,5
    #   area 8: 6 (362/400 = 90,5 % > 90 %) + 2 + 9,22 (survey) = 17,22 / 20
    # appraised: 63,82 − (1 + 1 + 6) = 55,82 of 73,5 → 75,95, Khá → Trung bình
    assert (an_phu["self_points"], an_phu["appraised_points"]) == (63.82, 55.82)
    assert (an_phu["self_index"], an_phu["appraised_index"], an_phu["index_change"]) == (86.83, 75.95, -10.88)
    assert (an_phu["self_band"], an_phu["appraised_band"]) == ("Khá", "Trung bình")
    changed = {c["code"]: c for c in an_phu["criteria"]}
    assert set(changed) == {"1.3.2", "2.3", "8.1.2"}
    assert changed["8.1.2"]["difference"] == -6 and "không đủ cỡ mẫu" in changed["8.1.2"]["reason"]
    ydct = next(u for u in data["units"] if u["unit_id"] == "bv-ydct")
    # 6.2: round 1 gave 0, the unit explained, round 2 restored 1,5 = self-score: the latest round wins
    assert "6.2" not in {c["code"] for c in ydct["criteria"]}
    # self 29,38 (32,73 under catalog 2026.2, less 1 for 1.6 now out of 1,5, 2 for 2.1 no longer a
    # hospital's, 0,35 for 7.1.2 now 2,5 × 640/900); 1.6: 1 → 0,75; 8.3.2: the survey's 2,53 → the
    # inspectors' 1,2 (a difference of −1,33)
    assert ydct["self_points"] == 29.38
    assert ydct["appraised_points"] == round(29.38 - 0.25 - 1.33, 2)
    sample = data["sample"]
    assert sample["appraised_units"] == 2 and sample["most_over_scored_units"][0]["unit_id"] == "ttyt-an-phu"
    assert "khoảng tin cậy 95 %" in data["unsampled_estimate"]["confidence"]


def test_estimate_by_hand():
    e = estimate([2.0, 4.0, 6.0], population=10)
    # mean 4, sd 2, t(2) = 4,303, half = 4,303 × 2/√3 × √(1 − 3/10) = 4,158
    assert e["mean"] == 4 and e["low"] == round(4 - 4.158, 2) and e["high"] == round(4 + 4.158, 2)
    assert "thấp" in e["confidence"]
    assert estimate([], 10)["mean"] is None and estimate([3.0], 10)["low"] is None


@pytest.mark.parametrize(
    "body,message",
    [
        (
            'unit_id: ttyt-an-phu\nrounds:\n  - {round: appraisal_1, by: Đoàn, scores: {"2.4": {points: 0}}}\n',
            "dòng 3 [tiêu chí 2.4]: điểm thẩm định 0 khác điểm tự chấm: bắt buộc ghi lý do",
        ),
        (  # issue 31: 2.1 is the Văn phòng Sở's; appraising it for a health centre raised its maximum
            "unit_id: ttyt-an-phu\nrounds:\n"
            '  - {round: appraisal_1, by: Đoàn, scores: {"2.1": {points: 1, reason: x}}}\n',
            "dòng 3 [rounds.0.scores.2.1]: tiêu chí 2.1 không áp dụng cho loại đơn vị «Trung tâm Y tế»",
        ),
        (
            "unit_id: ttyt-an-phu\nrounds:\n"
            '  - {round: appraisal_1, by: Đoàn, scores: {"9.9": {points: 0, reason: x}}}\n',
            "không có tiêu chí mã '9.9'",
        ),
        (
            'unit_id: khong-co\nrounds:\n  - {round: appraisal_1, by: Đoàn, scores: {"2.1": {points: 0, reason: x}}}\n',
            "đơn vị 'khong-co' không có trong tài liệu kiểm chứng",
        ),
        (
            "unit_id: ttyt-an-phu\nrounds:\n"
            '  - {round: appraisal_1, by: Đoàn, scores: {"2.4": {points: 5, reason: x}}}\n',
            "5 điểm ngoài khoảng [0, 2]",
        ),
        ("unit_id: ttyt-an-phu\nrounds:\n  - {round: lan_3, by: Đoàn}\n", "vòng phải là một trong"),
        (
            "unit_id: ttyt-an-phu\nrounds:\n"
            '  - {round: appraisal_1, by: Đoàn, scores: {"2.3": {status: not_applicable}}}\n',
            "bắt buộc ghi lý do khi xác định tiêu chí không áp dụng",
        ),
    ],
)
def test_bad_appraisal_is_refused(tmp_path, body, message):
    (tmp_path / "a.yaml").write_text(body, encoding="utf-8")
    result = run("compare", EXAMPLES, "--appraisal", tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr and "a.yaml" in result.stderr


def test_appraise_template_round_trip(tmp_path):
    book = tmp_path / "td.xlsx"
    assert run("appraise-template", EXAMPLES / "trung-tam-y-te.yaml", "-o", book).exit_code == 0
    wb = load_workbook(book)
    info, ws = wb["Thông tin"], wb["Thẩm định"]
    info["B3"] = "Đoàn kiểm tra CCHC Sở Y tế"
    info["B4"] = "22/10/2026"
    rows = {(r[0].value, r[2].value): r for r in ws.iter_rows(min_row=2)}
    assert rows[("ttyt-an-phu", "2.3")][5].value == 1  # pre-filled self-score
    assert "Căn cứ" in rows[("ttyt-an-phu", "2.3")][6].value
    assert ("ttyt-an-phu", "2.1") not in rows  # not applicable to a health centre: nothing to appraise
    for code, points, reason in (
        ("1.3.2", 0, "Không có biên bản"),
        ("2.3", 0, "Kế hoạch sao lại năm trước"),
        ("8.1.2", 0, "Không đủ cỡ mẫu"),
    ):
        row = rows[("ttyt-an-phu", code)]
        row[7].value, row[9].value = points, reason
    wb.save(book)
    from_excel = json.loads(
        run("compare", EXAMPLES, "--appraisal", book, "--survey", SURVEY, "--format", "json").stdout
    )
    unit = from_excel["units"][0]
    assert unit["unit_id"] == "ttyt-an-phu" and unit["appraised_points"] == 55.82
    assert {c["code"] for c in unit["criteria"]} == {"1.3.2", "2.3", "8.1.2"}
    row = rows[("ttyt-an-phu", "2.3")]
    wb = load_workbook(book)
    wb["Thẩm định"].cell(row[0].row, 10).value = None
    wb.save(book)
    missing = run("compare", EXAMPLES, "--appraisal", book)
    assert missing.exit_code == 2 and f"sheet 'Thẩm định', dòng {row[0].row}" in missing.stderr
    assert "bắt buộc ghi lý do" in missing.stderr


def test_the_sample_file_limits_the_workbook_and_is_checked_by_compare(tmp_path):
    """Seed 35 draws Y dược cổ truyền, Dân số - KHHGĐ and An Phú; the bundled appraisals cover two."""
    for fmt, name in (("json", "mau.json"), ("table", "mau.txt")):
        assert run("sample", EXAMPLES, "--seed", "35", "--format", fmt, "-o", tmp_path / name).exit_code == 0
        book = tmp_path / f"{name}.xlsx"
        assert run("appraise-template", EXAMPLES, "--sample", tmp_path / name, "-o", book).exit_code == 0
        ws = load_workbook(book)["Thẩm định"]
        assert {r[0] for r in ws.iter_rows(min_row=2, values_only=True)} == {"bv-ydct", "cc-dskhhgd", "ttyt-an-phu"}
        assert ws.cell(2, 7).alignment.wrap_text  # the self-score's explanation wraps
    result = run("compare", EXAMPLES, "--appraisal", APPRAISALS, "--sample", tmp_path / "mau.json", "--format", "json")
    s = json.loads(result.stdout)["sample"]
    assert s["drawn"] == ["bv-ydct", "cc-dskhhgd", "ttyt-an-phu"]
    assert s["drawn_not_appraised"] == ["cc-dskhhgd"] and s["appraised_not_drawn"] == []
    (tmp_path / "other.txt").write_text("  bv-dktinh        benh_vien              ngẫu nhiên\n", encoding="utf-8")
    text = run("compare", EXAMPLES, "--appraisal", APPRAISALS, "--sample", tmp_path / "other.txt").stdout
    assert "Trong mẫu, chưa có kết quả thẩm định: bv-dktinh." in text
    assert "Đã thẩm định nhưng không thuộc mẫu: bv-ydct, ttyt-an-phu." in text
    (tmp_path / "bad.json").write_text('{"selected": [{"unit_id": "khong-co"}]}', encoding="utf-8")
    bad = run("appraise-template", EXAMPLES, "--sample", tmp_path / "bad.json", "-o", tmp_path / "x.xlsx")
    assert bad.exit_code == 2 and "không có trong tài liệu kiểm chứng đã nạp: khong-co" in bad.stderr


def test_confirming_the_self_score_needs_no_reason(tmp_path):
    """An Phú self-scored 1.1.1 at 1 (of 1): the inspector confirms 1 with no reason."""
    (tmp_path / "a.yaml").write_text(
        'unit_id: ttyt-an-phu\nrounds:\n  - {round: appraisal_1, by: Đoàn, scores: {"1.1.1": {points: 1}}}\n',
        encoding="utf-8",
    )
    result = run("compare", EXAMPLES, "--appraisal", tmp_path, "--survey", SURVEY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    unit = json.loads(result.stdout)["units"][0]
    assert unit["appraised_points"] == unit["self_points"] == 63.82 and unit["criteria"] == []


def test_appraisal_workbook_reports_every_error_at_once(tmp_path):
    book = tmp_path / "td.xlsx"
    assert run("appraise-template", EXAMPLES / "trung-tam-y-te.yaml", "-o", book).exit_code == 0
    wb = load_workbook(book)
    wb["Thông tin"]["B3"] = "Đoàn kiểm tra"
    ws = wb["Thẩm định"]
    rows = {(r[0].value, r[2].value): r for r in ws.iter_rows(min_row=2)}
    bad = {"1.1.1": ("một", None), "2.3": (0, None), "1.3.2": (7, "x"), "1.1.2": (1, None)}  # 1.1.2 unchanged
    for code, (points, reason) in bad.items():
        row = rows[("ttyt-an-phu", code)]
        row[7].value, row[9].value = points, reason
    wb.save(book)
    result = run("compare", EXAMPLES, "--appraisal", book)
    assert result.exit_code == 2
    line = {code: rows[("ttyt-an-phu", code)][0].row for code in bad}
    assert f"sheet 'Thẩm định', dòng {line['1.1.1']} [rounds.0.scores.1.1.1.points]: 'một'" in result.stderr
    assert f"sheet 'Thẩm định', dòng {line['1.3.2']} [rounds.0.scores.1.3.2.points]: 7 điểm ngoài khoảng" in (
        result.stderr
    )
    # a score that differs needs a reason: reported with the others once the file reads cleanly
    book2 = tmp_path / "td2.xlsx"
    wb = load_workbook(book)
    for code in ("1.1.1", "1.3.2"):
        wb["Thẩm định"].cell(line[code], 8).value = None
    wb.save(book2)
    result = run("compare", EXAMPLES, "--appraisal", book2)
    assert result.exit_code == 2 and "1.1.2" not in result.stderr
    assert f"dòng {line['2.3']} [tiêu chí 2.3]: điểm thẩm định 0 khác điểm tự chấm: bắt buộc ghi lý do" in (
        result.stderr
    )


def test_report_with_appraisal_shows_both_columns(tmp_path):
    out = tmp_path / "out"
    assert (
        run(
            "report", EXAMPLES, "-o", out, "--appraisal", APPRAISALS, "--survey", SURVEY, "--format", "html,xlsx"
        ).exit_code
        == 0
    )
    html = (out / "ttyt-an-phu.html").read_text(encoding="utf-8")
    assert "Điểm thẩm định" in html and "không đủ cỡ mẫu" in html
    assert "Kết quả thẩm định:</td><td>55,82/73,5 điểm, chỉ số 75,95 — Trung bình" in html
    ydct = (out / "bv-ydct.html").read_text(encoding="utf-8")
    assert "Giải trình của đơn vị: Phương án nâng mức tự chủ đã trình Sở" in ydct
    wb = load_workbook(out / "bao-cao-cchc.xlsx")
    header = next(r for r in wb["ttyt-an-phu"].iter_rows(values_only=True) if r[0] == "STT")
    assert "Điểm thẩm định" in header and "Lý do thẩm định / giải trình" in header


def test_the_summary_ranks_by_the_final_result_in_every_format(tmp_path):
    """An Phú self-scored 86,83 (Khá, 3rd overall); appraised 75,95 (Trung bình), it falls behind
    Sản - Nhi's 80,59: 4th overall, still 1st of the health centres (Cam Lộ 72,46)."""
    out = tmp_path / "out"
    args = ["report", EXAMPLES, "-o", out, "--appraisal", APPRAISALS, "--survey", SURVEY]
    assert run(*args, "--format", "html,md,docx,xlsx").exit_code == 0
    md = (out / "tong-hop.md").read_text(encoding="utf-8")
    an_phu_row = (
        "| 1 | 4 | Trung tâm Y tế huyện An Phú (đã thẩm định) | Trung tâm Y tế | 63,82 | 86,83 | 55,82 | 73,5 |"
    )
    assert an_phu_row + " 75,95 | Trung bình |" in md
    assert "| 2 | 3 | Bệnh viện Sản - Nhi tỉnh |" in md
    assert "Xếp hạng theo kết quả cuối cùng: điểm thẩm định với 2 đơn vị được thẩm định" in md
    assert "| Khá | 1 |" in md and "| Trung bình | 3 |" in md  # band counts of the final results
    html = (out / "tong-hop.html").read_text(encoding="utf-8")
    assert "<th>Tự chấm</th><th>Chỉ số tự chấm</th>" in html
    doc = Document(out / "tong-hop.docx")
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert ["1", "4", "Trung tâm Y tế huyện An Phú (đã thẩm định)", "Trung tâm Y tế", "63,82", "86,83", "55,82"] == (
        next(r for r in rows if len(r) > 2 and "An Phú" in r[2])[:7]
    )
    ws = load_workbook(out / "bao-cao-cchc.xlsx")["Tổng hợp"]
    top = next(r[0].row for r in ws.iter_rows() if r[0].value == "Khối")
    header = [c.value for c in ws[top]]
    an_phu = next(r for r in ws.iter_rows(min_row=top + 1, values_only=True) if r[3] == "ttyt-an-phu")
    assert an_phu[header.index("Tự chấm")] == 63.82 and an_phu[header.index("Điểm")] == 55.82
    assert an_phu[header.index("Chung")] == 4 and an_phu[header.index("Xếp loại")] == "Trung bình"
    plain = tmp_path / "plain"
    assert run("report", EXAMPLES, "-o", plain, "--survey", SURVEY, "--format", "md").exit_code == 0
    assert "Tự chấm" not in (plain / "tong-hop.md").read_text(encoding="utf-8")
