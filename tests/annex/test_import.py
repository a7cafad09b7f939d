"""`cchc rules import`: a decision annex in every format read into the same draft catalog; the
problems of a badly made annex listed in place; the draft, once reviewed, scores."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml
from click.testing import CliRunner

from cli import main
from rules.annex.draft import draft_yaml, import_annex
from rules.annex.tables import read_document
from rules.errors import InputError
from tests.annex.build import WRITERS


def leaves(data: dict) -> dict[str, dict]:
    out = {}

    def visit(node):
        if "kind" in node:
            out[node["code"]] = node
        for child in node.get("children") or []:
            visit(child)

    for area in data["areas"]:
        visit(area)
    return out


@pytest.fixture(scope="module", params=sorted(WRITERS))
def draft(request, tmp_path_factory) -> dict:
    path = WRITERS[request.param](tmp_path_factory.mktemp(request.param) / f"phu-luc.{request.param}")
    return import_annex(path)


def test_the_tree_codes_titles_and_maxima(draft):
    codes = {"csv": ["1", "2"], "roman": ["I", "II"]}
    roman = draft["areas"][0]["code"] == "I"
    assert [a["code"] for a in draft["areas"]] == codes["roman" if roman else "csv"]
    assert [a["max_points"] for a in draft["areas"]] == [7, 5]
    assert draft["max_points"] == 12
    first = draft["areas"][0]
    assert first["title"] == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"
    assert [c["code"] for c in first["children"]] == (["I.1", "I.2", "I.3"] if roman else ["1.1", "1.2", "1.3"])
    by_code = {re.sub(r"^II\.|^2\.", "B.", re.sub(r"^I\.|^1\.", "A.", c)): v for c, v in leaves(draft).items()}
    if not roman:  # 1.3.1, 1.3.2 in the dotted annex are I.3.a, I.3.b in the others
        by_code = {c.replace("A.3.1", "A.3.a").replace("A.3.2", "A.3.b"): v for c, v in by_code.items()}
    assert sorted(by_code) == ["A.1.1", "A.1.2", "A.2", "A.3.a", "A.3.b", "B.1", "B.2", "B.3"]
    # The title wrapped onto the next row is joined; the row of tiers under it is not part of it.
    assert by_code["A.2"]["title"] == "Tự kiểm tra công tác CCHC tại các khoa, phòng và đơn vị trực thuộc"


def test_kinds_proposed_from_the_tiers(draft):
    got = leaves(draft)
    on_time = next(v for v in got.values() if v["kind"] == "on_time")
    assert on_time["params"]["deadline"] == "31/12 năm trước"
    assert on_time["params"]["points_late"] == 0.5
    bands = [v["params"]["bands"] for v in got.values() if v["kind"] == "percent_bands"]
    assert bands == [
        [{"gte": 95, "points": 2}, {"gte": 80, "lt": 95, "points": 1}, {"lt": 80, "points": 0}],
        [{"gte": 100, "points": 3}, {"gte": 95, "lt": 100, "points": 2}, {"lt": 95, "points": 0}],
    ]
    graded = next(v for v in got.values() if v["kind"] == "graded")
    assert graded["title"] == "Thực hiện kế hoạch tuyên truyền"
    assert graded["params"]["grades"] == {"hoan_thanh_day_du": 100, "hoan_thanh_mot_phan": 50, "khong": 0}
    options = draft["fields"][graded["params"]["field"]]["options"]
    assert options == {"hoan_thanh_day_du": "Hoàn thành đầy đủ", "hoan_thanh_mot_phan": "Hoàn thành một phần",
                       "khong": "Không thực hiện"}  # fmt: skip
    deduction = next(v for v in got.values() if v["kind"] == "deduction")
    assert (deduction["max_points"], deduction["params"]["per_item"], deduction["params"]["cap"]) == (0, 0.25, 1)
    binary = next(v for v in got.values() if v["kind"] == "binary")
    assert draft["fields"][binary["params"]["field"]]["type"] == "yes_no"
    survey = next(v for v in got.values() if v["kind"] == "survey")
    assert survey["title"] == "Mức độ hài lòng của người dân, tổ chức" and survey["max_points"] == 2
    manual = [v["title"] for v in got.values() if v["kind"] == "manual"]
    assert manual == ["Có sáng kiến CCHC được công nhận"]
    # Every proposal is marked for review and quotes its source.
    assert all(v["review"] is True and v["annex"]["text"] and v["annex"]["proposal"] for v in got.values())


def test_the_decision_and_year_from_the_heading(draft):
    assert draft["decision"] == {"number": "15/QĐ-SYT", "date": dt.date(2025, 1, 10), "by": "Giám đốc Sở Y tế"}
    assert draft["years"] == {"from": 2025, "until": 2025}
    assert "876/QĐ-BNV" in leaves(draft)[next(iter(leaves(draft)))]["reference"]["document"]


def test_the_only_problem_is_the_deadline_year_to_confirm(draft):
    problems = [p for leaf in leaves(draft).values() for p in leaf["annex"].get("problems", [])]
    assert problems == ["thời hạn 31/12: đọc là năm trước năm đánh giá (kế hoạch cho năm sau)"]
    assert draft["annex"]["problems"] == []


def test_a_badly_made_annex_lists_its_problems_in_place(tmp_path):
    path = tmp_path / "sai.md"
    path.write_text(
        "| STT | Tiêu chí | Điểm tối đa |\n|---|---|---|\n"
        "| 1 | Chỉ đạo điều hành | 5 |\n"
        "| 1.1 | Kế hoạch CCHC | 2 |\n"
        "| 1.3 | Báo cáo định kỳ | 2 |\n"  # 1.2 skipped
        "| 2 | Thủ tục hành chính | |\n"  # no maximum: the sum of its parts
        "| 2.1 | Niêm yết TTHC | 1 |\n"
        "| 2.2 | Công khai kết quả | một điểm |\n"  # not a number
        "| | Tổng cộng | 9 |\n",
        encoding="utf-8",
    )
    data = import_annex(path, year=2025)
    one, two = data["areas"]
    assert one["annex"]["problems"] == ["tổng điểm tối đa các tiêu chí con là 4, khác 5"]
    assert one["children"][1]["annex"]["problems"][0] == "mã 1.3 sau 1.1: không liền số thứ tự"
    assert two["annex"]["problems"] == ["thiếu điểm tối đa"]
    assert two["children"][1]["annex"] == {
        "place": "dòng 8",
        "text": "2.2 | Công khai kết quả | một điểm",
        "proposal": "không có cách chấm điểm theo mức trong phụ lục: người chấm cho điểm",
        "problems": ["điểm tối đa «một điểm» không đọc được thành số", "thiếu điểm tối đa"],
    }
    assert data["annex"]["problems"] == ["dòng «Tổng cộng» ghi 9 điểm, tổng các lĩnh vực là 5"]


def test_check_says_what_is_still_to_decide_then_the_reviewed_draft_scores(tmp_path):
    annex = WRITERS["docx"](tmp_path / "phu-luc.docx")
    runner = CliRunner()
    result = runner.invoke(main, ["rules", "import", str(annex), "-o", str(tmp_path / "syt-2025.yaml")])
    assert result.exit_code == 0, result.output
    assert "8 tiêu chí chấm điểm, tổng 12 điểm" in result.output
    result = runner.invoke(main, ["rules", "check", str(tmp_path / "syt-2025.yaml")])
    assert result.exit_code == 2
    assert result.output.count("chưa xem lại") == 8
    assert "cần quyết định: unit_types" in result.output and "cần quyết định: bands" in result.output
    assert "I.1.1: thời hạn 31/12: đọc là năm trước" in result.output
    assert re.search(
        r"syt-2025.yaml, dòng \d+: năm 2025: I.1.2: chưa xem lại \(đề xuất: các mức theo tỷ lệ", result.output
    )

    # The officer reviews: confirms every proposal, names the evidence, keeps the unit types.
    text = (tmp_path / "syt-2025.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\n *review: true", "", text)
    data = yaml.safe_load(text)
    data["review"] = []

    def settle(node):
        node.get("annex", {}).pop("problems", None)
        for child in node.get("children") or []:
            settle(child)

    for area in data["areas"]:
        settle(area)
    reviewed = tmp_path / "syt-2025-final.yaml"
    reviewed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(main, ["rules", "check", str(reviewed)])
    assert result.exit_code == 0, result.output

    fields = {leaf["code"]: leaf.get("params", {}) for leaf in leaves(data).values()}
    unit = {
        "unit": {"id": "bv-a", "name": "Bệnh viện A", "type": "benh_vien", "year": 2025},
        "evidence": {
            fields["I.1.1"]["field"]: {"number": "1850/KH-BVA", "date": "15/01/2025"},  # late: 0,5
            fields["I.1.2"]["numerator"]: 19,  # 95 %: 2
            fields["I.1.2"]["denominator"]: 20,
            fields["I.2"]["field"]: True,  # 1
            fields["I.3.a"]["field"]: "hoan_thanh_mot_phan",  # 50 % of 2: 1
            fields["II.1"]["numerator"]: 99,  # 99 %: 2
            fields["II.1"]["denominator"]: 100,
            fields["II.2"]["field"]: 2,  # −0,5
        },
    }
    (tmp_path / "bv-a.yaml").write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["score", str(tmp_path / "bv-a.yaml"), "--catalog", str(reviewed), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    scored = json.loads(out.read_text(encoding="utf-8"))["units"][0]
    assert (scored["points"], scored["max_points"]) == (6.0, 9.0)  # manual I.3.b and survey II.3 pending


def test_draft_yaml_is_what_import_writes(tmp_path):
    data = import_annex(WRITERS["md"](tmp_path / "phu-luc.md"))
    text = draft_yaml(data, "phu-luc.md", "syt-2025.yaml")
    assert text.startswith("# Bản dự thảo bộ tiêu chí, đọc từ phụ lục phu-luc.md")
    assert yaml.safe_load(text) == data


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.docx", b"not a zip", "tệp hỏng hoặc không đúng định dạng .docx"),
        ("a.pdf", b"%PDF-1.4 broken", "tệp hỏng hoặc không đúng định dạng .pdf"),
        ("a.odt", b"", "không đọc được loại tệp '.odt'"),
        ("a.md", "Không có bảng nào ở đây\n".encode(), "không có bảng nào trong tệp"),
    ],
)
def test_unreadable_files_are_said_by_name(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_document(path)
    assert message in str(e.value) and name in str(e.value)
    result = CliRunner().invoke(main, ["rules", "import", str(path), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_a_table_without_a_header_is_said(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "import", str(path), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert "không tìm thấy bảng tiêu chí: cần cột tiêu chí (nội dung) và cột điểm" in result.output
