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
        f"tự đánh giá đạt {_n(u.score.points)}/{_n(u.score.max_points)} điểm, chỉ số {_n(u.score.index)}, "
        f"xếp loại {u.score.band}. Chi tiết như sau:"
    )
    header = (
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
        + (["Điểm thẩm định"] if appraisal else [])
        + ["Ghi chú/căn cứ"]
    )
    table = doc.add_table(rows=1, cols=len(header))
    table.style, table.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, header):
        cell.text = name
        cell.paragraphs[0].runs[0].bold = True
    for r in u.rows + [None]:
        values = (
            (
                [r.stt, r.title, _n(r.max_points), _n(r.points)]
                + ([_n(r.appraised)] if appraisal else [])
                + ["" if r.is_group else r.explanation]
            )
            if r
            else (
                ["", "Tổng cộng", _n(u.score.max_points), _n(u.score.points)]
                + ([_n(u.appraised_total)] if appraisal else [])
                + [f"Chỉ số {_n(u.score.index)}"]
            )
        )
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
            if r is None or r.is_group:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(10)
    if u.fixes:
        doc.add_paragraph().add_run("Những nội dung cần khắc phục:").bold = True
        for f in u.fixes:
            due = f" (hạn {f.deadline})" if f.deadline else ""
            doc.add_paragraph(f"{f.code} {f.title}: +{_n(f.recoverable)} điểm — {f.action}{due}.", style="List Number")
    doc.add_paragraph(f"SHA-256 tài liệu kiểm chứng: {u.evidence_sha256}; bộ tiêu chí: {book.catalog_sha256}").runs[
        0
    ].font.size = Pt(8)
    _signature(doc, "THỦ TRƯỞNG ĐƠN VỊ")
    return _bytes(doc)


def summary_docx(book: ReportBook) -> bytes:
    doc = _doc()
    _heading_block(doc, "UBND TỈNH", "Sở Y tế", book)
    _title(doc, f"BÁO CÁO\nTổng hợp kết quả chấm điểm Chỉ số cải cách hành chính năm {book.year}")
    doc.add_paragraph(
        f"Căn cứ bộ tiêu chí {book.catalog_id} (phiên bản {book.catalog_version}), kết quả: "
        + "; ".join(f"{name}: {n} đơn vị" for name, n in book.band_counts)
        + "."
    )
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, ["Hạng", "Đơn vị", "Điểm", "Tối đa", "Chỉ số", "Xếp loại"]):
        cell.text = name
    for u in book.ranked:
        s = u.score
        for cell, value in zip(
            table.add_row().cells, [str(s.rank), s.unit_name, _n(s.points), _n(s.max_points), _n(s.index), s.band or ""]
        ):
            cell.text = value
    _signature(doc, "GIÁM ĐỐC")
    return _bytes(doc)


def _bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
