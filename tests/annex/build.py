"""One decision annex written in every format a Sở publishes it in, as real annexes are laid out:
a heading naming the decision, roman-numbered areas merged across the row (Word), a "Điểm" header
over its sub-columns (Excel), a code cell merged down over its tiers, a title wrapped onto the next
row, tiers on their own rows, in the scoring column and in one cell, a deduction, a survey column."""

from __future__ import annotations

import csv
from pathlib import Path

HEADING = [
    "PHỤ LỤC",
    "BỘ TIÊU CHÍ ĐÁNH GIÁ, CHẤM ĐIỂM CẢI CÁCH HÀNH CHÍNH CÁC ĐƠN VỊ TRỰC THUỘC SỞ Y TẾ NĂM 2025",
    "(Kèm theo Quyết định số 15/QĐ-SYT ngày 10/01/2025 của Giám đốc Sở Y tế)",
]
HEADER = ["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Cách chấm điểm", "Tài liệu kiểm chứng",
          "Tự đánh giá", "Thẩm định", "ĐT XHH"]  # fmt: skip
# code, title, maximum, how it is scored, evidence, survey mark
ROWS = [
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "7", "", "", ""),
    ("1", "Kế hoạch CCHC năm", "3", "", "", ""),
    ("1.1", "Ban hành kế hoạch CCHC năm của đơn vị trước ngày 31/12 năm trước", "1", "", "Kế hoạch CCHC", ""),
    ("", "Ban hành đúng thời hạn", "1", "", "", ""),
    ("", "Ban hành chậm", "0,5", "", "", ""),
    ("", "Không ban hành", "0", "", "", ""),
    ("1.2", "Mức độ hoàn thành kế hoạch CCHC", "2",
     "Hoàn thành từ 95% kế hoạch trở lên: 2\nTừ 80% đến dưới 95%: 1\nDưới 80%: 0", "Báo cáo kết quả", ""),
    ("2", "Tự kiểm tra công tác CCHC tại các khoa, phòng và", "1", "", "", ""),
    ("", "đơn vị trực thuộc", "", "", "", ""),
    ("", "Đạt: 1 / Không đạt: 0", "", "", "", ""),
    ("3", "Tuyên truyền CCHC", "3", "", "", ""),
    ("a", "Thực hiện kế hoạch tuyên truyền: Hoàn thành đầy đủ: 2; Hoàn thành một phần: 1; Không thực hiện: 0",
     "2", "", "", ""),
    ("b", "Có sáng kiến CCHC được công nhận", "1", "", "", ""),
    ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "5", "", "", ""),
    ("1", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", "3", "", "", ""),
    ("", "100% hồ sơ đúng hạn: 3 điểm", "", "", "", ""),
    ("", "Từ 95% đến dưới 100%: 2 điểm", "", "", "", ""),
    ("", "Dưới 95%: 0 điểm", "", "", "", ""),
    ("2", "Hồ sơ trễ hạn không có văn bản xin lỗi (điểm trừ)", "-1", "Trừ 0,25 điểm mỗi hồ sơ, tối đa 1 điểm", "", ""),
    ("3", "Mức độ hài lòng của người dân, tổ chức", "2", "", "", "x"),
    ("", "Tổng cộng", "12", "", "", ""),
]  # fmt: skip
# The same table numbered 1, 1.1, 1.1.1 (the national index's way), for the CSV.
DOTTED = {"I": "1", "II": "2"}


def cells(row: tuple) -> list[str]:
    code, title, maximum, method, evidence, survey = row
    return [code, title, maximum, method, evidence, "", "", survey]


def dotted_rows() -> list[list[str]]:
    out, area, criterion = [], "", ""
    for row in ROWS:
        code = row[0]
        if code in DOTTED:
            area = code = DOTTED[code]
        elif code.isdigit():
            criterion = code = f"{area}.{code}"
        elif code in ("a", "b"):
            code = f"{criterion}.{'ab'.index(code) + 1}"
        elif "." in code:
            code = f"{area}.{code}"
        out.append(cells((code, *row[1:])))
    return out


def write_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerows([line] for line in HEADING)  # an Excel sheet saved as CSV: its title rows first
        writer.writerow(HEADER)
        writer.writerows(dotted_rows())
    return path


def write_md(path: Path) -> Path:
    lines = [*HEADING, "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in ROWS:
        lines.append("| " + " | ".join(c.replace("\n", "<br>") for c in cells(row)) + " |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(path: Path) -> Path:
    """Areas merged across title, method and evidence; 1.1's code merged down over its tiers."""
    import docx

    document = docx.Document()
    for line in HEADING:
        document.add_paragraph(line)
    order = [0, 1, 3, 4, 2, 5, 6, 7]  # STT, title, method, evidence, maximum, ...: areas merge 1..3
    table = document.add_table(rows=1, cols=len(HEADER))
    for c, i in enumerate(order):
        table.rows[0].cells[c].text = HEADER[i]
    merge_from = None
    for row in ROWS:
        values = cells(row)
        new = table.add_row()
        for c, i in enumerate(order):
            if values[i]:
                new.cells[c].text = values[i]
        if row[0] in DOTTED:
            new.cells[1].merge(new.cells[3])
            new.cells[1].text = row[1]
        if row[0] == "1.1":
            merge_from = new.cells[0]
        elif merge_from is not None and row[0] == "":
            merge_from = merge_from.merge(new.cells[0])
        else:
            merge_from = None
    document.save(str(path))
    return path


def write_xlsx(path: Path) -> Path:
    """The heading in merged rows, then a two-row header: "Điểm" over Tối đa / Tự chấm / Thẩm định."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PL Bộ tiêu chí"
    for r, line in enumerate(HEADING, 1):
        sheet.cell(r, 1, line)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
    top = len(HEADING) + 2
    for c, text in enumerate(["STT", HEADER[1], "Điểm", "", "", "ĐT XHH", "Cách chấm điểm", "Tài liệu kiểm chứng"], 1):
        sheet.cell(top, c, text or None)
    for c, text in enumerate(["Tối đa", "Tự chấm", "Thẩm định"], 3):
        sheet.cell(top + 1, c, text)
    sheet.merge_cells(start_row=top, start_column=3, end_row=top, end_column=5)
    for c in (1, 2, 6, 7, 8):
        sheet.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
    for r, row in enumerate(ROWS, top + 2):
        code, title, maximum, method, evidence, survey = row
        number = float(maximum.replace(",", ".")) if maximum else None
        for c, value in enumerate([code, title, number, None, None, survey, method, evidence], 1):
            if value not in ("", None):
                sheet.cell(r, c, value)
    book.save(str(path))
    return path


def write_pdf(path: Path) -> Path:
    """A ruled table printed to PDF, tiers on their own rows."""
    from html import escape

    from weasyprint import HTML

    head = "".join(f"<th>{escape(h)}</th>" for h in HEADER)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c).replace(chr(10), '<br>')}</td>" for c in cells(row)) + "</tr>" for row in ROWS
    )
    html = f"""<html><head><meta charset="utf-8"><style>
      @page {{ size: A4 landscape; margin: 1.5cm }} body {{ font: 10pt 'DejaVu Sans' }}
      table {{ border-collapse: collapse; width: 100% }} td, th {{ border: 0.8pt solid black; padding: 2pt }}
    </style></head><body>{"".join(f"<p>{escape(h)}</p>" for h in HEADING)}
    <table><tr>{head}</tr>{body}</table></body></html>"""
    HTML(string=html).write_pdf(str(path))
    return path


WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "csv": write_csv, "md": write_md, "pdf": write_pdf}
