"""The `cchc` command as a user runs it: outputs, the JSON contract, and exit codes."""

import json
from pathlib import Path

from click.testing import CliRunner

from cli import main
from tests.helpers import ALL_KINDS, ROOT

EXAMPLES = str(ROOT / "examples")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_score_examples_json_contract():
    result = run("score", EXAMPLES, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["catalog"] == {
        "id": "syt-2026",
        "version": "2026.1",
        "year": 2026,
        "framework": "876/QĐ-BNV",
        "title": data["catalog"]["title"],
    }
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
        assert len(u["criteria"]) == 53  # one result per unit × leaf
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
            assert c["status"] in {"met", "partial", "not_met", "not_applicable", "missing_evidence", "pending_manual"}
        assert round(sum(a["points"] for a in u["areas"]), 2) == u["points"]
        assert (
            round(sum(c["max_points"] for c in u["criteria"] if c["status"] != "not_applicable"), 2) == u["max_points"]
        )
        assert u["index"] == round(u["points"] / u["max_points"] * 100, 2)
    assert {u["band"] for u in units} >= {"Tốt", "Khá", "Trung bình", "Yếu"}
    assert sorted(u["rank"] for u in units) == list(range(1, 11))


def test_score_table_and_csv(tmp_path):
    table = run("score", EXAMPLES)
    assert table.exit_code == 0
    assert "Cơ quan Sở Y tế" in table.output and "Xếp loại" in table.output
    out = tmp_path / "scores.csv"
    result = run("score", EXAMPLES, "--format", "csv", "-o", out)
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("unit_id,unit_name")
    assert len(text.splitlines()) == 1 + 10 * 53


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
    assert good.exit_code == 0 and "OK  cdc-tinh" in good.output


def test_output_is_written_atomically(tmp_path):
    out = tmp_path / "scores.json"
    out.write_text("previous", encoding="utf-8")
    failed = CliRunner().invoke(main, ["score", str(tmp_path / "nowhere"), "-o", str(out)])
    assert failed.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous"
    assert run("score", EXAMPLES, "--format", "json", "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["units"]
    assert [p.name for p in tmp_path.iterdir()] == ["scores.json"]


def test_unknown_catalog_and_empty_folder(tmp_path):
    result = CliRunner().invoke(main, ["score", EXAMPLES, "--catalog", "syt-1999"])
    assert result.exit_code == 2 and "không có bộ tiêu chí 'syt-1999'" in result.stderr
    result = CliRunner().invoke(main, ["score", str(tmp_path)])
    assert result.exit_code == 2 and "thư mục không có tệp minh chứng" in result.stderr
