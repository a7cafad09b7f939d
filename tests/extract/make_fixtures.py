"""Writes the DOCX and PDF report fixtures (committed; re-run only to change them).

.venv/bin/python tests/extract/make_fixtures.py
"""

from pathlib import Path

import docx
from weasyprint import HTML

HERE = Path(__file__).parent


def quarterly_docx() -> None:
    """A quarterly report in Thanh Hóa's phrasing, figures in a table with a column per year."""
    d = docx.Document()
    d.add_paragraph("SỞ Y TẾ THANH HÓA - TRUNG TÂM KIỂM SOÁT BỆNH TẬT")
    d.add_paragraph("BÁO CÁO Kết quả thực hiện CCHC quý III năm 2026")
    d.add_paragraph(
        "Thực hiện Kế hoạch số 2210/KH-SYT ngày 05/01/2026 của Sở Y tế, Trung tâm đã ban hành "
        "Kế hoạch số 15/KH-KSBT ngày 28/12/2025 về cải cách hành chính năm 2026 với 24 nhiệm vụ."
    )
    d.add_paragraph(
        "Báo cáo quý I số 102/BC-KSBT ngày 28/03/2026; báo cáo 6 tháng đầu năm số 210/BC-KSBT ngày 30/05/2026."
    )
    table = d.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Nội dung", "Năm 2025", "Năm 2026"]):
        cell.text = text
    for row in [
        ("Tổng số hồ sơ tiếp nhận", "640", "712"),
        ("Giải quyết trước và đúng hạn", "630", "705"),
        ("Trễ hạn", "10", "0"),
        ("Đang giải quyết", "0", "7"),
    ]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    d.add_paragraph("Tổng số công chức, viên chức của Trung tâm là 186 người; đã phổ biến cho 186 người.")
    d.add_paragraph("Tỷ lệ hài lòng đạt 93,4%.")
    d.save(HERE / "cdc-thanh-hoa-quy-3-2026.docx")


def annual_pdf() -> None:
    """An annual report of a Chi cục in Quảng Nam's phrasing, as a PDF exported from Word."""
    html = """<html><meta charset="utf-8"><body style="font-family: DejaVu Sans; font-size: 11pt">
    <p>CHI CỤC AN TOÀN VỆ SINH THỰC PHẨM TỈNH QUẢNG NAM</p>
    <p>BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2026</p>
    <p>1. Chi cục ban hành Kế hoạch CCHC năm 2026 tại Kế hoạch số 03/KH-CCATTP ngày 06/01/2026,
    gồm 15 nhiệm vụ; kết quả đã hoàn thành 15/15 nhiệm vụ.</p>
    <p>2. Số TTHC thuộc thẩm quyền giải quyết: 9 TTHC. Trong năm tiếp nhận 348 hồ sơ, giải quyết đúng hạn
    345 hồ sơ, trễ hạn 0 hồ sơ; tỷ lệ đúng hạn 100%.</p>
    <p>3. Toàn tỉnh tiếp nhận 5.120 hồ sơ về an toàn thực phẩm.</p>
    <p>4. Tổng số công chức, viên chức: 28 người.</p>
    <p>5. Báo cáo số 305/BC-CCATTP ngày 15/11/2026 về kết quả đo lường sự hài lòng năm 2026;
    tỷ lệ hài lòng đạt 96,3%.</p></body></html>"""
    HTML(string=html).write_pdf(HERE / "chi-cuc-quang-nam-2026.pdf")


if __name__ == "__main__":
    quarterly_docx()
    annual_pdf()
