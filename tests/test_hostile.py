"""Hostile and sloppy files (issue 17): decomposed Vietnamese, invisible spaces, formulas typed
in input cells, zip bombs, CSV in Excel's other encodings and separators, files of too many units;
and generated hostile YAML and workbooks that must end in exit 0 or 2, never a traceback, in
bounded time."""

import csv
import datetime as dt
import io
import json
import time
import unicodedata
import zipfile

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cli import main
from tests.helpers import ROOT
from tests.test_csv_folder import export

EXAMPLES = ROOT / "examples"


def scores(*paths) -> list:
    result = CliRunner().invoke(main, ["score", *map(str, paths), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return [
        (u["unit_id"], u["points"], u["index"], [c["explanation"] for c in u["criteria"]])
        for u in json.loads(result.stdout)["units"]
    ]


def test_a_file_saved_in_nfd_scores_as_the_nfc_file(tmp_path):
    """macOS tools write decomposed Unicode: 'có' as c + o + combining acute. Same file, same scores."""
    for name in ("trung-tam-y-te.yaml", "cdc-tinh.json"):
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        nfd = tmp_path / name
        nfd.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
        assert nfd.read_bytes() != (EXAMPLES / name).read_bytes()
        assert scores(nfd) == scores(EXAMPLES / name)


def test_no_break_and_zero_width_spaces_are_read_as_a_person_sees_them(tmp_path):
    unit = tmp_path / "u.yaml"
    unit.write_text(
        "unit: {id: bv-thu\u200b, name: Bệnh viện\u00a0thử, type: benh_vien, year: 2026}\n"
        'evidence: {staff_total: "1\u00a0256", staff_informed: "1.2\u200b56"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["score", str(unit), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    u = json.loads(result.stdout)["units"][0]
    assert u["unit_id"] == "bv-thu" and u["unit_name"] == "Bệnh viện thử"


def test_a_formula_in_an_input_cell_is_an_error_naming_sheet_row_and_column(tmp_path):
    book = tmp_path / "bv.xlsx"
    assert (
        CliRunner()
        .invoke(main, ["template", "-o", str(book), "--from", str(EXAMPLES / "bv-da-khoa-tinh.yaml")])
        .exit_code
        == 0
    )
    wb = load_workbook(book)
    ws = wb["Tài liệu kiểm chứng"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "dossiers_received")
    row[5].value = "=1000+256"
    wb.save(book)
    result = CliRunner().invoke(main, ["score", str(book)])
    assert result.exit_code == 2
    assert (
        f"sheet 'Tài liệu kiểm chứng', dòng {row[0].row}, cột «Giá trị»: ô chứa công thức, hãy nhập giá trị"
        in result.stderr
    )


def test_a_workbook_that_unzips_absurdly_large_is_refused_before_loading(tmp_path, monkeypatch):
    from evidence import excel

    monkeypatch.setattr(excel, "MAX_UNZIPPED", 1024 * 1024)
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))  # 2 MB of zeros: a few KB zipped
    started = time.monotonic()
    result = CliRunner().invoke(main, ["validate", str(bomb)])
    assert result.exit_code == 2 and "giải nén ra 2 MB (tối đa 1 MB)" in result.stderr
    assert time.monotonic() - started < 5


def test_csv_in_utf16_with_semicolons_scores_as_utf8(tmp_path, syt):
    from evidence.loaders import load_paths

    units = load_paths([EXAMPLES / "trung-tam-y-te.yaml"], syt).units
    export(units, tmp_path / "utf8")
    excel_like = tmp_path / "utf16"
    excel_like.mkdir()
    for f in (tmp_path / "utf8").iterdir():
        rows = list(csv.reader(io.StringIO(f.read_text(encoding="utf-8-sig"))))
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows(rows)  # as Excel saves where "," is the decimal mark
        (excel_like / f.name).write_bytes(out.getvalue().encode("utf-16"))
    assert scores(excel_like) == scores(tmp_path / "utf8")
    (excel_like / "units.csv").write_bytes("id,name,type,year\nbv-a,Đơn,benh_vien,2026\n".encode("cp1258"))
    result = CliRunner().invoke(main, ["validate", str(excel_like)])
    assert result.exit_code == 2 and "«CSV UTF-8 (Comma delimited)»" in result.stderr


# Structurally valid but hostile YAML: nesting, aliases (shared objects), huge numbers, odd Unicode.
odd_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20)
leaves = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True), odd_text, st.none(), st.booleans()
)
values = st.recursive(
    leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4), max_leaves=30
)
FIELDS = ["staff_total", "dossiers_received", "cchc_plan", "tthc_service_rating", "units_inspected", "unit"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    evidence=st.dictionaries(st.sampled_from(FIELDS) | odd_text, values, max_size=6),
    share=st.booleans(),
    depth=st.integers(0, 70),
)
def test_hostile_yaml_ends_in_exit_0_or_2_quickly(tmp_path_factory, evidence, share, depth):
    nested: object = 1
    for _ in range(depth):
        nested = [nested]
    doc = {
        "unit": {"id": "bv-thu", "name": "Bệnh viện thử", "type": "benh_vien", "year": 2026},
        "evidence": {**evidence, "staff_total": nested},
    }
    if share:
        doc["evidence"]["shared"] = doc["unit"]  # yaml.dump writes an anchor and an alias
    path = tmp_path_factory.mktemp("h") / "u.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 20


def test_a_second_run_into_one_folder_waits_for_the_first(tmp_path):
    """While one run holds the report folder, another writes nothing there; it goes on once the
    first is done, so the folder never mixes one run's unit files with another's summary."""
    import subprocess
    import sys

    from scoring.outputs.writing import folder_lock

    out = tmp_path / "out"
    command = [
        sys.executable,
        "-c",
        "from cli import main; main()",
        "report",
        str(EXAMPLES),
        "-o",
        str(out),
        "--format",
        "md",
    ]
    with folder_lock(out):
        second = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE)
        time.sleep(6)  # long enough to score the examples and start writing, were it not waiting
        assert second.poll() is None and not list(out.glob("*.md"))
    assert second.wait(timeout=300) == 0
    assert (out / "tong-hop.md").exists() and not list(out.glob(".*.tmp"))


def test_the_billion_laughs_file_is_refused_within_memory_and_time_limits():
    """Run in a process limited to 1 GB of memory and 30 s: refused at once, never expanded."""
    import resource
    import subprocess
    import sys

    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from cli import main; main()",
            "validate",
            str(ROOT / "tests" / "bad_inputs" / "billion-laughs.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=limits,
    )
    assert result.returncode == 2 and "không dùng neo/bí danh YAML" in result.stderr
    assert time.monotonic() - started < 30


# Structurally valid but hostile workbooks: the unit workbook with odd values typed in its cells.
xml_text = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20)  # what xlsx holds
cell_values = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    xml_text,
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.booleans(),
    st.sampled_from(["=1000+256", "=A1", "1.256", "1,256", "88,6%", "", " ", "\u200b", "Có", "khong"]),
)


@pytest.fixture(scope="module")
def filled_workbook(tmp_path_factory):
    book = tmp_path_factory.mktemp("wb") / "bv.xlsx"
    args = ["template", "-o", str(book), "--from", str(EXAMPLES / "bv-da-khoa-tinh.yaml")]
    assert CliRunner().invoke(main, args).exit_code == 0
    return book


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.tuples(st.integers(1, 130), st.integers(1, 8), cell_values), max_size=12),
    sheet=st.sampled_from(["Đơn vị", "Tài liệu kiểm chứng", "Chấm thủ công", "Không áp dụng"]),
    rename=st.one_of(st.none(), xml_text.filter(lambda s: s and not set(s) & set("[]:*?/\\'"))),
)
def test_hostile_workbooks_end_in_exit_0_or_2_quickly(tmp_path_factory, filled_workbook, cells, sheet, rename):
    path = tmp_path_factory.mktemp("h") / "bv.xlsx"
    path.write_bytes(filled_workbook.read_bytes())
    wb = load_workbook(path)
    if sheet not in wb.sheetnames:
        return
    ws = wb[sheet]
    for row, column, value in cells:
        ws.cell(row=row, column=column).value = value
    if rename:
        try:
            ws.title = rename[:31]
        except ValueError:
            pass  # openpyxl refuses the name itself, as Excel would
    wb.save(path)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 20


def test_a_file_of_more_units_than_a_province_has_is_refused(tmp_path, monkeypatch):
    from evidence import loaders

    monkeypatch.setattr(loaders, "MAX_UNITS_PER_FILE", 3)
    units = [{"unit": {"id": f"u{i}", "name": "U", "type": "co_quan_so"}} for i in range(4)]
    path = tmp_path / "many.yaml"
    path.write_text(yaml.safe_dump({"units": units}), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}: tệp có 4 đơn vị (tối đa 3 một tệp): hãy chia thành nhiều tệp" in result.stderr
