"""A Word report laid out as a Vietnamese administrative report: Quốc hiệu, tiêu ngữ, table, signature."""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from rules import vn
from scoring.report import ReportBook, UnitReport
from scoring.results import COVERAGE_NOTE, PROVISIONAL_NOTE, band_text, coverage_text


def _n(x: float | None) -> str:
    return "" if x is None else vn.number(x)


def _doc() -> Document:
    doc = new_document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    for section in doc.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    return doc


def _heading_block(doc: Document, issuer: str, unit_name: str, book: ReportBook) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = f"{issuer}\n{unit_name.upper()}\nSố:      /BC-CCHC"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.bold = True
    date = doc.add_paragraph(
        f"ngày {book.generated.day:02d} tháng {book.generated.month:02d} năm {book.generated.year}"
    )
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date.runs[0].italic = True


def _title(doc: Document, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True


def _signature(doc: Document, role: str) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "Nơi nhận:\n- Sở Y tế (Phòng Tổ chức - Hành chính);\n- Lưu: VT."
    right.text = f"{role}\n(Ký, ghi rõ họ tên, đóng dấu)"
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].runs[0].bold = True


def unit_docx(book: ReportBook, u: UnitReport, appraisal: bool = False) -> bytes:
    doc = _doc()
    _heading_block(doc, "SỞ Y TẾ", u.score.unit_name, book)
    _title(doc, f"BÁO CÁO\nKết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {book.year}")
    doc.add_paragraph(
        f"Căn cứ bộ tiêu chí {book.catalog_id} (phiên bản {book.catalog_version}), {u.score.unit_name} "
        "báo cáo kết quả tự đánh giá như sau:"
    )
    for label, value in u.facts:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    header = (
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
        + (["Điểm thẩm định"] if appraisal else [])
        + ["Ghi chú/căn cứ"]
    )
    rows = []
    for r in u.rows:
        title = r.title if r.is_group else f"{r.title} ({r.status_label})"
        note = r.explanation + (f" Tài liệu kiểm chứng: {r.evidence}" if r.evidence else "")
        other = [_n(r.appraised) + (f"\n{r.appraisal_reason}" if r.appraisal_reason else "")]
        rows.append(
            ([r.stt, title, _n(r.max_points), _n(r.points)] + (other if appraisal else []) + [note], r.is_group)
        )
    widths = [1.4, 4.2, 1.3, 1.3] + ([2.8] if appraisal else []) + [8.0 - (2.8 if appraisal else 0)]
    _grid(doc, header, rows, widths)
    doc.add_paragraph().add_run(f"Việc cần làm (tính đến ngày {vn.date(book.generated)}):").bold = True
    if not u.todo:
        doc.add_paragraph("Đơn vị đạt điểm tối đa ở mọi tiêu chí áp dụng.")
    for title, fixes in u.todo.sections():
        doc.add_paragraph().add_run(title).italic = True
        for f in fixes:
            due = f" (hạn {f.deadline})" if f.deadline else ""
            doc.add_paragraph(
                f"{f.code} {f.title}: {_n(f.points)} điểm — {f.status_label}. {f.action}{due}.", style="List Number"
            )
    if u.warnings:
        doc.add_paragraph().add_run("Cảnh báo về số liệu:").bold = True
        for w in u.warnings:
            doc.add_paragraph(w, style="List Bullet")
    doc.add_paragraph(f"SHA-256 tài liệu kiểm chứng: {u.evidence_sha256}; bộ tiêu chí: {book.catalog_sha256}").runs[
        0
    ].font.size = Pt(8)
    _signature(doc, "THỦ TRƯỞNG ĐƠN VỊ")
    return _bytes(doc)


def _grid(doc: Document, header: list[str], rows: list[tuple[list[str], bool]], widths: list[float]) -> None:
    """A bordered table in 10 pt, columns `widths` cm wide: header and bold rows (groups, totals) in bold."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style, table.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for values, bold in [(header, True), *rows]:
        cells = table.rows[0].cells if values is header else table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
            for p in cell.paragraphs:
                for run in p.runs:
                    run.bold, run.font.size = bold, Pt(10)
    for row in table.rows:  # Word reads each cell's width; LibreOffice the column's
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)


def summary_docx(book: ReportBook) -> bytes:
    doc = _doc()
    _heading_block(doc, "UBND TỈNH", "Sở Y tế", book)
    _title(doc, f"BÁO CÁO\nTổng hợp kết quả chấm điểm Chỉ số cải cách hành chính năm {book.year}")
    doc.add_paragraph(
        f"Căn cứ bộ tiêu chí {book.catalog_id} (phiên bản {book.catalog_version}), kết quả: "
        + "; ".join(f"{name}: {n} đơn vị" for name, n in book.band_counts)
        + "."
    )
    if book.appraised:
        doc.add_paragraph(book.heading_note)
    own = ["Tự chấm", "Chỉ số tự chấm"] if book.appraised else []
    header = ["Hạng", "Chung", "Đơn vị", *own, "Điểm", "Tối đa", "Chỉ số", "Xếp loại", "TLKC"]
    widths = [1.2, 1.2, 4.4, *([1.4, 1.5] if book.appraised else []), 1.4, 1.4, 1.5, 2.3, 1.5]
    for label, units in book.by_group:
        doc.add_paragraph().add_run(label).bold = True
        rows = []
        for u in units:
            f = u.final
            mark = "*" if f.provisional else ""
            name = u.score.unit_name + (" (đã thẩm định)" if u.appraised_total is not None else "")
            selves = [_n(u.score.points), vn.index(u.score.index)] if book.appraised else []
            values = [f"{f.rank or '—'}{mark}", f"{f.overall_rank or '—'}{mark}", name, *selves]
            values += [_n(f.points), _n(f.max_points), vn.index(f.index), band_text(f.band, f.provisional)]
            rows.append((values + [coverage_text(u.score.coverage)], False))
        _grid(doc, header, rows, widths)
    for note, shown in ((PROVISIONAL_NOTE, book.provisional), (COVERAGE_NOTE, book.incomplete)):
        if shown:
            doc.add_paragraph(note).runs[0].font.size = Pt(10)
    warned = [f"{u.score.unit_id}: {w}" for u in book.units for w in u.warnings]
    if warned:
        doc.add_paragraph().add_run("Cảnh báo về số liệu:").bold = True
        for w in warned:
            doc.add_paragraph(w, style="List Bullet")
    _signature(doc, "GIÁM ĐỐC")
    return _bytes(doc)


def _bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
