"""Issue 31, the red team's files and outputs: every case ends in exit 0 or 2 with a located
message, never a traceback, never a broken or replaced output."""

import json
import os
import stat
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from evidence.appraisal import load_appraisals
from rules.errors import InputError
from rules.load import load_catalog
from scoring.inspection.draw import draw_sample
from tests.helpers import EXAMPLES
from tests.hostile.corpus import CASES, GOOD_UNIT, unit_yaml


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(case, tmp_path):
    result = run(*case.build(tmp_path))
    assert result.exit_code == case.exit_code, (result.output, result.exception)
    assert "Traceback" not in result.output
    if case.expect:
        assert case.expect in result.stderr


def test_output_onto_a_fifo_is_refused_and_the_fifo_kept(tmp_path):
    fifo = tmp_path / "ong"
    os.mkfifo(fifo)
    result = run("score", GOOD_UNIT, "-o", fifo)
    assert result.exit_code == 2 and "không phải tệp thường" in result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_into_proc_is_a_message_not_a_traceback(tmp_path):
    for target in ("/proc/khong-co/ket-qua.json", "/proc/self/comm"):
        result = run("score", GOOD_UNIT, "--format", "json", "-o", target)
        assert result.exit_code == 2 and result.exception.__class__ is SystemExit, target


def test_a_report_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "out").write_text("x")
    result = run("report", GOOD_UNIT, "-o", tmp_path / "out", "--format", "md")
    assert result.exit_code == 2 and "is a file" in result.stderr  # click's own check, before ours


def test_a_run_with_no_valid_unit_keeps_the_earlier_output(tmp_path):
    out, reports = tmp_path / "diem.json", tmp_path / "bao-cao"
    assert run("score", GOOD_UNIT, "--format", "json", "-o", out).exit_code == 0
    assert run("report", GOOD_UNIT, "-o", reports, "--format", "md").exit_code == 0
    before, summary = out.read_bytes(), (reports / "tong-hop.md").read_bytes()
    bad = tmp_path / "hong.yaml"
    bad.write_text(unit_yaml(evidence="staff_total: mười"), encoding="utf-8")
    for args in (["score", bad, "--format", "json", "-o", out, "--keep-going"], ["report", bad, "-o", reports]):
        result = run(*args)
        assert result.exit_code == 2 and "không có đơn vị nào chấm được" in result.stderr
    assert out.read_bytes() == before and (reports / "tong-hop.md").read_bytes() == summary


@pytest.mark.parametrize("unit_id", ["tong-hop", "TONG-HOP", "con", "Lpt1", ".."])
def test_reserved_unit_ids_are_refused(tmp_path, unit_id):
    path = tmp_path / "u.yaml"
    path.write_text(unit_yaml(unit_id), encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 2 and "[unit.id]" in result.stderr


def hostile_unit(tmp_path):
    """A unit whose text carries a NUL, raw HTML and a UNC path into every report."""
    path = tmp_path / "bv.yaml"
    data = {
        "unit": {"id": "bv-thu", "name": "Bệnh viện <b>thử</b>", "type": "benh_vien", "year": 2026},
        "evidence": {
            "cchc_plan": {"number": "05/KH-BV", "date": "20/12/2025", "file": "ke\u0000hoach<script>x</script>.pdf"},
            "report_q1": {"number": "12/BC-BV", "date": "01/03/2026", "file": "\\\\may-chu\\chia-se\\bc.pdf"},
        },
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_control_characters_html_and_unc_paths_never_reach_an_output_raw(tmp_path):
    out = tmp_path / "out"
    result = run("report", hostile_unit(tmp_path), "-o", out, "--format", "html,xlsx,docx,md")
    assert result.exit_code == 0, result.output
    load_workbook(out / "bao-cao-cchc.xlsx")  # Excel and openpyxl refuse a NUL in a cell
    for name in ("bv-thu.md", "tong-hop.md", "bv-thu.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "\x00" not in text and "<script>" not in text and "<b>thử" not in text, name
        assert "//may-chu" not in text.replace("\\\\may-chu", ""), name  # shown as text, never a link
    assert "&lt;script&gt;" in (out / "bv-thu.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "bv-thu.docx") as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "may-chu" not in rels and "script" not in rels


def test_no_manual_score_or_appraisal_for_a_criterion_that_does_not_apply(tmp_path):
    catalog = load_catalog("syt-2026", 2026)
    # 2.1 is the Văn phòng Sở's (co_quan_so) criterion: a health centre's maximum would rise 73,5 → 74,5
    record = tmp_path / "a.yaml"
    record.write_text(
        "unit_id: ttyt-an-phu\nrounds:\n  - {round: appraisal_1, by: Đoàn, scores: {'2.1': {points: 1, reason: x}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="không áp dụng cho loại đơn vị"):
        load_appraisals(record, catalog, {"ttyt-an-phu": "trung_tam_y_te"})
    unit = tmp_path / "u.yaml"
    unit.write_text(unit_yaml(evidence="") + "manual: {'2.1': {points: 0, reason: thử}}\n", encoding="utf-8")
    result = run("validate", unit)
    assert result.exit_code == 2 and "không áp dụng cho loại đơn vị" in result.stderr


@pytest.mark.parametrize("fraction", [float("inf"), float("nan"), 0.0, -0.1, 1.5])
def test_a_sample_fraction_out_of_range_is_refused_in_words(fraction):
    with pytest.raises(ValueError, match="tỷ lệ rút mẫu"):
        draw_sample({"a": "benh_vien", "b": "benh_vien"}, fraction, 1)


def test_a_pdf_past_pypdf_limits_is_exit_2(tmp_path, monkeypatch):
    import pypdf
    from pypdf.errors import LimitReachedError

    def too_big(*args, **kwargs):
        raise LimitReachedError("limit reached")

    monkeypatch.setattr(pypdf, "PdfReader", too_big)
    pdf = tmp_path / "bc.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    result = run("extract", pdf, "--unit-type", "benh_vien", "-o", tmp_path / "d.yaml")
    assert result.exit_code == 2 and "LimitReachedError" in result.stderr


def test_the_examples_still_score_as_before():
    result = run("score", EXAMPLES, "--format", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)["units"]) == 10
