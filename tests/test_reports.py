"""Reports as a person sees them: every format holds the same numbers as `cchc score --format json`."""

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook
from pypdf import PdfReader

from cli import main
from rules import vn
from tests.helpers import ROOT

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["report", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    scores = json.loads(CliRunner().invoke(main, ["score", str(EXAMPLES), "--format", "json"]).stdout)
    return out, scores


def test_every_unit_gets_every_format(reports):
    out, scores = reports
    for u in scores["units"]:
        for ext in ("html", "docx", "md"):
            assert (out / f"{u['unit_id']}.{ext}").stat().st_size > 0
    for name in ("tong-hop.html", "tong-hop.docx", "tong-hop.md", "bao-cao-cchc.xlsx"):
        assert (out / name).exists()


def test_html_numbers_equal_json(reports):
    out, scores = reports
    for u in scores["units"]:
        html = (out / f"{u['unit_id']}.html").read_text(encoding="utf-8")
        other_types = html.split('id="other-types">', 1)[1].split("</p>", 1)[0] if "other-types" in html else ""
        for c in u["criteria"]:
            # a criterion for other unit types is named once under the table instead of a row
            shown = f'data-code="{c["code"]}"' in html
            assert shown != (f" {c['code']}," in other_types or f" {c['code']}." in other_types), c["code"]
            assert shown or c["status"] == "not_applicable"
        mark = " (tạm tính)" if u["provisional"] else ""
        total = f"{vn.number(u['points'])}/{vn.number(u['max_points'])}{mark}"
        assert f"Tổng điểm:</td><td><strong>{total}</strong>" in html
        assert f"Chỉ số:</td><td><strong>{vn.index(u['index'])} — {u['band']}{mark}</strong>" in html
    summary = (out / "tong-hop.html").read_text(encoding="utf-8")
    assert "<svg" in summary and "http" not in summary.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert "<script" not in summary and "<link" not in summary


def test_xlsx_values_and_no_formulas(reports):
    out, scores = reports
    wb = load_workbook(out / "bao-cao-cchc.xlsx")
    assert wb.sheetnames[:2] == ["Tổng hợp", "Việc cần làm"] and len(wb.sheetnames) == 2 + len(scores["units"])
    ws = wb["Tổng hợp"]
    assert ws["A1"].value == "Tổng hợp kết quả chấm điểm Chỉ số cải cách hành chính năm 2026"
    top = next(r[0].row for r in ws.iter_rows() if r[0].value == "Khối")
    assert ws.print_title_rows == f"${top}:${top}" and ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage  # A4, fitted:
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # as wide as the page (1 is
    # the schema's default, left out), as long as needed
    assert "xl/charts/chart1.xml" in zipfile.ZipFile(out / "bao-cao-cchc.xlsx").namelist()  # the ranking chart
    summary = {row[3]: row for row in ws.iter_rows(min_row=top + 1, values_only=True) if row[3]}
    for u in scores["units"]:
        row = summary[u["unit_id"]]
        assert (row[1], row[2]) == (u["rank"], u["overall_rank"])
        assert row[-6:] == (
            u["points"],
            u["max_points"],
            u["index"],
            u["band"],
            "tạm tính" if u["provisional"] else None,
            f"{u['coverage']['given']}/{u['coverage']['needed']}"
            + ("" if not u["coverage"]["missing"] and not u["coverage"]["unverified"] else " thiếu"),
        )
        sheet = wb[u["unit_id"]]
        header = next(r[0].row for r in sheet.iter_rows() if r[0].value == "STT")
        points = {r[0].value: r[3].value for r in sheet.iter_rows(min_row=header + 1)}
        for c in u["criteria"]:
            expected = None if c["status"] == "not_applicable" else c["points"]
            assert points[c["code"]] == expected, c["code"]
        assert sheet.freeze_panes == f"A{header + 1}"
    for ws in wb.worksheets:
        assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]


def _texts(out):
    """Every format's text, per unit: HTML, Markdown, Word (paragraphs and cells), the unit's sheet."""
    wb = load_workbook(out / "bao-cao-cchc.xlsx")

    def docx_text(path):
        doc = Document(str(path))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)

    def sheet_text(*names):
        return "\n".join(
            str(v) for n in names for row in wb[n].iter_rows(values_only=True) for v in row if v is not None
        )

    return lambda unit_id: {
        "html": html.unescape((out / f"{unit_id}.html").read_text(encoding="utf-8")),
        "md": (out / f"{unit_id}.md").read_text(encoding="utf-8").replace("\\|", "|"),
        "docx": docx_text(out / f"{unit_id}.docx"),
        "xlsx": sheet_text(unit_id, "Việc cần làm"),
    }


def test_every_format_carries_the_same_facts_warnings_and_todo(tmp_path):
    """Coverage, provisional mark, pending criteria, bonus/deduction line, rank in group, warnings and
    the to-do list: in HTML, Markdown, Word and Excel alike."""
    from scoring import Scorer, load_catalog, load_evidence
    from scoring.outputs.book import build_book

    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["report", str(EXAMPLES), "-o", str(out)]).exit_code == 0
    catalog = load_catalog("syt-2026")
    units = load_evidence([EXAMPLES], catalog).all_or_error()
    with Scorer(catalog, workers=1) as scorer:
        book = build_book(scorer.score(units), catalog, units)
    texts = _texts(out)
    seen_labels = set()
    for u in book.units:
        formats = texts(u.score.unit_id)
        expected = [f"{label}: {value}" for label, value in u.facts]
        expected += u.warnings
        expected += [f"{f.code}" for _, fixes in u.todo.sections() for f in fixes]
        expected += [title for title, _ in u.todo.sections()]
        for name, text in formats.items():
            flat = " ".join(
                text.replace("**", "")
                .replace("</td><td>", " ")
                .replace("<strong>", "")
                .replace("</strong>", "")
                .split()
            )
            for item in expected:
                assert " ".join(item.split()) in flat, (name, u.score.unit_id, item)
        seen_labels |= {label for label, _ in u.facts}
    # the examples exercise every kind of fact line
    assert {"Điểm thưởng / điểm trừ", "Chờ chấm, chưa tính", "Xếp hạng", "Tài liệu kiểm chứng"} <= seen_labels
    assert any(u.warnings for u in book.units)


def test_docx_table(reports):
    """Word per Nghị định 30/2020: A4 and its margins, issuer and Quốc hiệu, the fingerprint in the
    properties (not the body), the score table in a landscape annex, nơi nhận and signer from cchc.toml."""
    out, scores = reports
    u = next(u for u in scores["units"] if u["unit_id"] == "bv-dktinh")
    doc = Document(str(out / "bv-dktinh.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    first, annex = doc.sections[0], doc.sections[-1]
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(m.cm, 1) for m in (first.left_margin, first.right_margin, first.top_margin)] == [3.0, 2.0, 2.0]
    assert annex.orientation == WD_ORIENT.LANDSCAPE and round(annex.page_width.cm, 1) == 29.7
    assert first.different_first_page_header_footer and "PAGE" in first.header._element.xml
    heading, signature, table = doc.tables[0], doc.tables[1], doc.tables[2]
    issuer, nation = (c.text for c in heading.rows[0].cells)
    assert issuer.splitlines()[:2] == ["SỞ Y TẾ", "BỆNH VIỆN ĐA KHOA TỈNH"] and "Số:" in issuer and "/BC-BVĐK" in issuer
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in nation and "Độc lập - Tự do - Hạnh phúc" in nation
    assert "An Bình, ngày …… tháng …… năm ……" in nation  # no date in cchc.toml: blanks, not today
    assert "Kết quả tự đánh giá" in text and "SHA-256" not in text
    assert doc.core_properties.comments.startswith("SHA-256 tài liệu kiểm chứng: ")
    codes = {row.cells[0].text: row.cells[3].text for row in table.rows[1:]}
    listed = text + "\n".join(p.text for p in doc.paragraphs)
    for c in u["criteria"]:
        if c["code"] in codes:
            assert codes[c["code"]] == ("" if c["status"] == "not_applicable" else vn.number(c["points"]))
        else:  # a criterion for other unit types: named once after the table
            assert c["status"] == "not_applicable" and c["code"] in listed.split("Các tiêu chí không áp dụng")[1]
    assert table.rows[-1].cells[3].text == vn.number(u["points"])
    sign = signature.rows[0].cells
    assert "Nơi nhận:" in sign[0].text and sign[0].text.rstrip().endswith("- Lưu: VT.")
    assert "Sở Y tế (qua Phòng Tổ chức - Hành chính);" in sign[0].text
    assert "GIÁM ĐỐC" in sign[1].text and "Trần Thị B" in sign[1].text


def test_markdown_fix_list_sorted(reports):
    out, scores = reports
    weak = next(u for u in scores["units"] if u["unit_id"] == "ttyt-binh-son")
    md = (out / "ttyt-binh-son.md").read_text(encoding="utf-8")
    fixes = md.split("### Cải thiện kết quả", 1)[1]
    first = fixes.strip().splitlines()[0]
    top = max((c["max_points"] - c["points"]) for c in weak["criteria"] if c["fix"] and c["kind"] != "deduction")
    assert first.startswith("1. **8.1.2**") and f": {vn.number(top)} điểm" in first  # most recoverable first


def test_injection_is_text(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        "unit: {id: evil, name: \"<script>alert(1)</script>=cmd|' /C calc'!A0\", type: benh_vien, "
        'year: 2026}\nevidence:\n  cchc_plan: {number: "<img src=x onerror=alert(2)>", date: 20/12/2025}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["report", str(evil), "-o", str(out)]).exit_code == 0
    html = (out / "evil.html").read_text(encoding="utf-8") + (out / "tong-hop.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    wb = load_workbook(out / "bao-cao-cchc.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value.startswith("<script>") for c in cells)
    assert not [c for c in cells if c.data_type == "f"]


def test_failed_report_keeps_previous_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "tong-hop.html").write_text("trước", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "missing"), "-o", str(out)])
    assert result.exit_code == 2
    assert (out / "tong-hop.html").read_text(encoding="utf-8") == "trước"


def chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


needs_chromium = pytest.mark.skipif(
    chromium() is None and not os.environ.get("CI"),
    reason="Debian chromium not installed here (.ci/run installs it, and in CI it must be there)",
)


def headless(*args, profile) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    flags += ["--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}"]
    return subprocess.run([chromium(), *flags, *args], check=True, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def appraised_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("appraised")
    args = ["report", str(EXAMPLES), "-o", str(out), "--appraisal", str(ROOT / "inspection" / "2026")]
    result = CliRunner().invoke(main, [*args, "--survey", str(ROOT / "surveys" / "2026.yaml"), "--format", "html,pdf"])
    assert result.exit_code == 0, result.output
    return out


@needs_chromium
def test_html_renders_in_headless_chromium(reports, appraised_reports, tmp_path):
    out, scores = reports
    pages = [
        out / "tong-hop.html",
        out / f"{scores['units'][0]['unit_id']}.html",
        appraised_reports / "ttyt-an-phu.html",
    ]
    for i, page in enumerate(pages):
        shot = tmp_path / f"{i}.png"
        headless("--window-size=1280,2000", f"--screenshot={shot}", page.as_uri(), profile=tmp_path / f"p{i}")
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a blank page compresses to a few KB
    dom = headless("--dump-dom", pages[1].as_uri(), profile=tmp_path / "d1").stdout
    for c in scores["units"][0]["criteria"]:
        assert f'data-code="{c["code"]}"' in dom or c["status"] == "not_applicable"
    dom = headless("--dump-dom", pages[0].as_uri(), profile=tmp_path / "d0").stdout
    assert "<svg" in dom and all(f'data-unit="{u["unit_id"]}"' in dom for u in scores["units"])
    # the appraised unit: both columns, the inspector's reason and the appraised result in the headline
    dom = headless("--dump-dom", pages[2].as_uri(), profile=tmp_path / "d2").stdout
    assert "<th>Điểm thẩm định</th>" in dom and "không đủ cỡ mẫu" in dom
    assert "55,82/73,5 điểm, chỉ số 75,95 — Trung bình" in dom


@needs_chromium
def test_the_summary_prints_from_chromium_on_a4_landscape(appraised_reports, tmp_path):
    """What an official gets from the browser's Print: the @page rule sets A4 landscape."""
    pdf = tmp_path / "tong-hop.pdf"
    page = (appraised_reports / "tong-hop.html").as_uri()
    headless("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page, profile=tmp_path / "p")
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert 1 <= len(reader.pages) <= 4
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())  # cells wrap lines
    assert "An Phú (đã thẩm định)" in text and "75,95" in text


def test_pdf_reports_are_a4_with_page_numbers(appraised_reports):
    unit = PdfReader(appraised_reports / "ttyt-an-phu.pdf")
    n = len(unit.pages)
    assert 4 <= n <= 14, n
    box = unit.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    first, last = unit.pages[0].extract_text(), unit.pages[-1].extract_text()
    assert "Trung tâm Y tế huyện An Phú" in first and "55,82/73,5" in first
    assert f"Trang 1/{n}" in first and f"Trang {n}/{n}" in last
    summary = PdfReader(appraised_reports / "tong-hop.pdf")
    box = summary.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # the ranking is wide
    text = " ".join(" ".join(p.extract_text() for p in summary.pages).split())  # cells wrap lines
    assert "An Phú (đã thẩm định)" in text


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice (Debian libreoffice-writer-nogui)")
def test_a_unit_report_prints_on_a4_in_a_few_pages(reports, tmp_path):
    out, _ = reports
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out / "ttyt-an-phu.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "ttyt-an-phu.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595", pdf)  # A4 portrait first: 595 × 842 pt
    assert 3 <= pages <= 14, pages  # the letter, then the annex in landscape; 26 pages before


def unit_with_files(tmp_path, *more: str):
    """A hospital whose plan names a local file and whose training plan a web address, and `more`."""
    unit = tmp_path / "u.yaml"
    unit.write_text(
        "unit: {id: u1, name: Đơn vị 1, type: benh_vien, year: 2026}\n"
        "evidence:\n"
        "  cchc_plan: {number: 1/KH, date: 20/12/2025, file: tlkc/ke hoach.pdf}\n"
        '  training_plan: {number: 2/KH, date: 10/01/2026, file: "https://vb.example.vn/2-KH.pdf"}\n'
        + "".join(f"  {line}\n" for line in more),
        encoding="utf-8",
    )
    return unit


def test_evidence_files_are_links_in_every_format_and_never_scripts(tmp_path):
    unit = unit_with_files(tmp_path, 'staff_appraisal: {number: 3/QĐ, date: 20/11/2026, file: "javascript:alert(1)"}')
    out = tmp_path / "out"
    args = ["report", str(unit), "-o", str(out), "--format", "html,md,docx,xlsx"]
    assert CliRunner().invoke(main, args).exit_code == 0
    page = (out / "u1.html").read_text(encoding="utf-8")
    assert '<a class="file" href="tlkc/ke hoach.pdf">' in page and 'href="https://vb.example.vn/2-KH.pdf"' in page
    assert "javascript:alert(1)" in page and 'href="javascript' not in page  # shown, never a link
    md = (out / "u1.md").read_text(encoding="utf-8")
    assert "(tlkc/ke%20hoach.pdf)" in md and "](javascript" not in md
    doc = Document(str(out / "u1.docx"))
    targets = {r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert targets == {"tlkc/ke hoach.pdf", "https://vb.example.vn/2-KH.pdf"}
    ws = load_workbook(out / "bao-cao-cchc.xlsx")["u1"]
    links = {c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {"tlkc\\ke%20hoach.pdf", "https://vb.example.vn/2-KH.pdf"}  # a relative path as Excel writes it


def test_attachments_are_found_fingerprinted_or_warned_in_every_format(tmp_path):
    unit = unit_with_files(
        tmp_path,
        "staff_appraisal: {number: 3/QĐ, date: 20/11/2026, file: ../../etc/passwd}",
        "propaganda_plan: {number: 4/KH, date: 05/01/2026, file: tlkc/khong-co.pdf}",
    )
    files = tmp_path / "nop"
    (files / "tlkc").mkdir(parents=True)
    (files / "tlkc" / "ke hoach.pdf").write_bytes(b"%PDF-1.4 ke hoach")
    digest = hashlib.sha256(b"%PDF-1.4 ke hoach").hexdigest()
    out = tmp_path / "out"
    args = ["report", str(unit), "-o", str(out), "--format", "html,md,docx,xlsx", "--attachments", str(files)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    md = (out / "u1.md").read_text(encoding="utf-8")
    assert f"| tlkc/ke hoach.pdf | SHA-256 {digest} |" in md
    assert "tệp «tlkc/khong-co.pdf» không có trong thư mục tệp đính kèm" in md  # a warning
    assert "tệp «../../etc/passwd» nằm ngoài thư mục tệp đính kèm" in md  # never read
    assert "vb.example.vn" not in md.split("## Tệp tài liệu kiểm chứng đính kèm")[1]  # links are not files
    page = (out / "u1.html").read_text(encoding="utf-8")
    assert digest in page and "không có trong thư mục tệp đính kèm" in page
    doc = Document(str(out / "u1.docx"))
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert f"SHA-256 {digest}" in cells
    assert any("khong-co.pdf» không có trong thư mục" in p.text for p in doc.paragraphs)
    ws = load_workbook(out / "bao-cao-cchc.xlsx")["Tệp đính kèm"]
    assert ["u1", "tlkc/ke hoach.pdf", f"SHA-256 {digest}"] in [
        [r[0], r[2], r[3]] for r in ws.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("formats", [("html", "md", "docx", "xlsx"), ("xlsx",)])
def test_worker_processes_write_the_same_files(tmp_path, monkeypatch, formats):
    """A large run writes the units' files on worker processes: the same files, byte for byte
    where a format carries no time stamp (HTML, Markdown), and the same text in Word."""
    from cli import load_inputs
    from scoring import Scorer
    from scoring.outputs import folder as reports
    from scoring.outputs.book import build_book

    catalog, _, loaded = load_inputs(None, None, [EXAMPLES], None, strict=False)
    with Scorer(catalog) as scorer:
        book = build_book(scorer.score(loaded.units), catalog, loaded.units)
    monkeypatch.setattr(reports, "PARALLEL_UNITS", 1)
    monkeypatch.setattr(reports, "PER_JOB", 3)  # several jobs per format
    one, two = tmp_path / "one", tmp_path / "two"
    seen: list = []
    written = reports.write_reports(book, one, formats, workers=1)
    assert sorted(reports.write_reports(book, two, formats, workers=2, on_written=seen.append)) == sorted(seen)
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in seen) == sorted(p.name for p in two.iterdir() if p.name[0] != ".")
    assert len(names) == reports.report_count(book, formats)
    for name in names:
        if name.endswith((".html", ".md")):
            assert (one / name).read_bytes() == (two / name).read_bytes(), name
        if name.endswith(".docx"):
            assert [p.text for p in Document(str(one / name)).paragraphs] == [
                p.text for p in Document(str(two / name)).paragraphs
            ], name


def test_sheet_names_cut_to_31_characters_stay_unique():
    import io

    from scoring.outputs.xlsx import Book

    out = Book(io.BytesIO())
    names = [out.sheet("a" * 40).name, out.sheet("A" * 35).name, out.sheet("a" * 31).name, out.sheet("u1").name]
    out.wb.close()
    assert names == ["a" * 31, "A" * 29 + "~2", "a" * 29 + "~3", "u1"]  # Excel ignores case
