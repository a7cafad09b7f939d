"""The `cchc` command as a user runs it: outputs, the JSON contract, and exit codes."""

import json
from pathlib import Path

from click.testing import CliRunner

from cli import main
from rules.spec import STATUSES
from scoring.outputs.writing import UMASK
from tests.helpers import ALL_KINDS, ROOT

EXAMPLES = str(ROOT / "examples")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_score_examples_json_contract():
    result = run("score", EXAMPLES, "--survey", ROOT / "surveys" / "2026.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: data["catalog"][k] for k in ("id", "version", "year", "framework")} == {
        "id": "syt-2026",
        "version": "2026.4",
        "year": 2026,
        "framework": "876/QĐ-BNV",
    }
    assert data["catalog"]["groups"]["quan_ly_nha_nuoc"] == "Khối quản lý nhà nước"
    units = data["units"]
    assert len(units) == 10
    assert len({u["unit_type"] for u in units}) >= 4
    for u in units:
        assert {
            "unit_id",
            "unit_name",
            "unit_type",
            "points",
            "max_points",
            "index",
            "band",
            "rank",
            "areas",
            "criteria",
        } <= set(u)
        assert len(u["criteria"]) == 62  # one result per unit × leaf
        for c in u["criteria"]:
            assert {
                "code",
                "title",
                "area",
                "kind",
                "max_points",
                "points",
                "status",
                "explanation",
                "reference",
                "evidence",
            } <= set(c)
            assert c["status"] in set(STATUSES)
        assert round(sum(a["points"] for a in u["areas"]), 2) == u["base_points"]
        assert u["points"] == round(min(max(u["base_points"] + u["adjustment"], 0), u["max_points"]), 2)
        assert (
            round(sum(c["max_points"] for c in u["criteria"] if c["status"] not in ("not_applicable", "pending")), 2)
            == u["max_points"]
        )
        assert u["index"] == round(u["points"] / u["max_points"] * 100, 2)
    assert {u["band"] for u in units} >= {"Tốt", "Khá", "Trung bình", "Yếu"}
    assert sorted(u["overall_rank"] for u in units) == list(range(1, 11))
    by_group: dict = {}
    for u in units:  # ranks run 1, 2, ... within each group of like units
        by_group.setdefault(u["group"], []).append(u["rank"])
    assert set(by_group) == {"quan_ly_nha_nuoc", "benh_vien", "trung_tam_y_te", "su_nghiep_khac"}
    assert all(sorted(r) == list(range(1, len(r) + 1)) for r in by_group.values())


def test_score_table_and_csv(tmp_path):
    table = run("score", EXAMPLES)
    assert table.exit_code == 0
    assert "Cơ quan Sở Y tế" in table.output and "Xếp loại" in table.output
    out = tmp_path / "scores.csv"
    result = run("score", EXAMPLES, "--format", "csv", "-o", out)
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("unit_id,unit_name")
    assert len(text.splitlines()) == 1 + 10 * 62


def test_rules_list_json():
    data = json.loads(run("rules", "list", "--format", "json").output)
    assert len(data) >= 40
    assert all(row["reference"] and row["evidence"] for row in data)
    assert {"code", "title", "area", "kind", "max_points", "applies_to", "reference", "evidence"} <= set(data[0])


def test_rules_show_and_check():
    shown = run("rules", "show", "3.2.1")
    assert shown.exit_code == 0 and "proportional" in shown.output and "dossiers_on_time" in shown.output
    assert run("rules", "show", "9.9").exit_code == 2
    assert run("rules", "check", ALL_KINDS).exit_code == 0


def test_rules_test_command():
    result = run("rules", "test", ROOT / "tests" / "rules")
    assert result.exit_code == 0
    assert result.output.strip().endswith("0 failed")


def test_bad_unit_among_good_ones(tmp_path):
    for name in ("co-quan-so.yaml", "bv-da-khoa-tinh.yaml"):
        (tmp_path / name).write_text((ROOT / "examples" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(
        "unit: {id: bad, name: Hỏng, type: benh_vien}\nevidence:\n  staff_total: mười\n  satisfaction_percent: 120\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["score", str(tmp_path), "--format", "json"])
    assert result.exit_code == 2
    scored = json.loads(result.stdout)
    assert [u["unit_id"] for u in scored["units"]] == ["bv-dktinh", "syt-co-quan"]  # file order, bad.yaml left out
    assert "bad.yaml, dòng 3 [evidence.staff_total]" in result.stderr
    assert "bad.yaml, dòng 4 [evidence.satisfaction_percent]" in result.stderr
    assert "Traceback" not in result.output
    kept = CliRunner().invoke(main, ["score", str(tmp_path), "--keep-going"])
    assert kept.exit_code == 0 and "bad.yaml" in kept.stderr


def test_validate_names_file_line_and_field(tmp_path):
    bad = tmp_path / "u.yaml"
    bad.write_text("unit: {id: u, name: U, type: benh_vien}\nevidence:\n  report_q1: 31/02/2026\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}, dòng 3 [evidence.report_q1]: Báo cáo CCHC quý I: ngày '31/02/2026' không tồn tại" in result.stderr
    good = run("validate", Path(EXAMPLES) / "cdc-tinh.json")
    assert good.exit_code == 0, good.output
    assert "cdc-tinh" in good.output and "có tài liệu kiểm chứng 30/32 tiêu chí" in good.output
    assert "CẢNH BÁO: 6.4 Kiện toàn quy chế quản lý, sử dụng tài sản công trong quý I: thiếu tài liệu kiểm chứng" in (
        good.output
    )
    strict = run("validate", "--strict", Path(EXAMPLES) / "cdc-tinh.json")
    assert strict.exit_code == 2 and "LỖI: 6.4" in strict.stderr


def test_output_is_written_atomically(tmp_path):
    out = tmp_path / "scores.json"
    out.write_text("previous", encoding="utf-8")
    failed = CliRunner().invoke(main, ["score", str(tmp_path / "nowhere"), "-o", str(out)])
    assert failed.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous"
    assert run("score", EXAMPLES, "--format", "json", "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["units"]
    assert [p.name for p in tmp_path.iterdir()] == ["scores.json"]
    assert out.stat().st_mode & 0o777 == 0o666 & ~UMASK  # readable by colleagues, as the umask allows


def test_unknown_catalog_and_empty_folder(tmp_path):
    result = CliRunner().invoke(main, ["score", EXAMPLES, "--catalog", "syt-1999"])
    assert result.exit_code == 2 and "không có bộ tiêu chí 'syt-1999'" in result.stderr
    result = CliRunner().invoke(main, ["score", str(tmp_path)])
    assert result.exit_code == 2 and "thư mục không có tệp tài liệu kiểm chứng" in result.stderr
