"""The text of a unit's own report (báo cáo kết quả thực hiện CCHC), as passages with their place:
.txt and .md by line, .docx by paragraph and table row (python-docx), text PDFs by page and line
(pypdf). Scanned PDFs have no text layer: they are refused with a message, not read as empty."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from evidence.zipped import MB, check_zip
from rules.errors import InputError, Problem
from rules.yamlio import normalise, read_text

READABLE = (".txt", ".md", ".docx", ".pdf")


@dataclass(frozen=True)
class Passage:
    """A sentence, line or table row of the report, and where it is ("dòng 12", "bảng 2, dòng 3")."""

    text: str
    where: str
    table: bool = False


def read_report(path: Path, year: int | None = None) -> list[Passage]:
    """Every passage of one report. `year`: in a table with a column per year, only the label and
    that year's column are kept (last year's figure beside this year's is not this year's)."""
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        raise InputError(Problem(f"loại tệp báo cáo không hỗ trợ; dùng {', '.join(READABLE)}", str(path)))
    if not path.is_file():
        raise InputError(Problem("không tìm thấy tệp", str(path)))
    if suffix == ".docx":
        return _docx(path, year)
    if suffix == ".pdf":
        return _pdf(path)
    return _lines(read_text(path).splitlines(), "dòng {}")


def _lines(lines: list[str], where: str, prefix: str = "") -> list[Passage]:
    """Passages of plain or Markdown text. A line that wraps mid-sentence (PDF text, hard-wrapped
    text) is joined to the next one when that goes on in lower case; the place is the first line's."""
    out: list[Passage] = []
    for number, line in enumerate(lines, start=1):
        previous = out[-1] if out else None
        stripped = line.strip()
        if (
            previous is not None
            and not previous.table
            and previous.text[-1:] not in ".;:!?"
            and (stripped[:1].islower() or stripped[:1].isdigit() and not re.match(r"\d+[.)]\s", stripped))
            and not stripped.startswith("|")
        ):
            out[-1] = Passage(previous.text + " " + stripped, previous.where)
            continue
        text = re.sub(r"^\s*(#+|[-*+]|\d+[.)])\s+", "", line).replace("**", "").strip()  # Markdown marks
        if text.startswith("|") and text.endswith("|"):  # a Markdown table row
            cells = [c.strip() for c in text.strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue  # the |---|---| line
            out.append(Passage(" | ".join(cells), prefix + where.format(number), table=True))
        elif text:
            out.append(Passage(text, prefix + where.format(number)))
    return out


def _docx(path: Path, year: int | None) -> list[Passage]:
    import docx  # python-docx, already used for the Word reports

    check_zip(path, "Word .docx", 200 * MB, {"word/document.xml": 10 * MB}, 50 * MB)  # a body is read whole
    try:
        document = docx.Document(str(path))
    except Exception as e:  # a broken or renamed file: python-docx raises many kinds
        raise InputError(Problem(f"không đọc được tệp Word (.docx): {type(e).__name__}", str(path))) from None
    out = [
        Passage(normalise(p.text).strip(), f"đoạn {i}")
        for i, p in enumerate(document.paragraphs, start=1)
        if p.text.strip()
    ]
    for t, table in enumerate(document.tables, start=1):
        rows = [[normalise(cell.text).strip() for cell in row.cells] for row in table.rows]
        keep = _year_columns(rows, year)
        for r, cells in enumerate(rows, start=1):
            cells = [c for i, c in enumerate(cells) if keep is None or i in keep]
            unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]  # merged cells repeat
            if unique:
                out.append(Passage(" | ".join(unique), f"bảng {t}, dòng {r}", table=True))
    return out


def _year_columns(rows: list[list[str]], year: int | None) -> set[int] | None:
    """In a table whose header names years (Năm 2025 | Năm 2026), the columns to keep: the labels
    and the assessment year's; None when the header names no year."""
    if not rows or year is None:
        return None
    years = {i: int(m.group(0)) for i, c in enumerate(rows[0]) if (m := re.search(r"\b20\d\d\b", c))}
    if len(years) < 2:
        return None
    return {i for i in range(len(rows[0])) if i not in years or years[i] == year}


def _pdf(path: Path) -> list[Passage]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:  # even with an empty password: AES needs a cryptography library
            raise InputError(
                Problem("PDF được mã hóa (đặt mật khẩu): hãy lưu bản PDF không mã hóa, hoặc gửi tệp .docx", str(path))
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, DependencyError, ValueError, OSError, KeyError, TypeError, RecursionError) as e:
        # pypdf's LimitReachedError (a stream that decompresses past its limit) is a PyPdfError
        raise InputError(Problem(f"không đọc được tệp PDF ({type(e).__name__})", str(path))) from None
    if not any(p.strip() for p in pages):
        raise InputError(
            Problem("PDF không có lớp chữ (bản quét): cần bản PDF xuất từ Word, hoặc tệp .docx", str(path))
        )
    out: list[Passage] = []
    for number, text in enumerate(pages, start=1):
        out += _lines(normalise(text).splitlines(), "dòng {}", prefix=f"trang {number}, ")
    return out
