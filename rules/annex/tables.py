"""The tables of a decision annex, whatever the file: rows of cell texts, each with its place.

A merged cell is read once, in its first column (Word repeats a horizontally merged cell in every
grid column; Excel keeps the value in the top-left cell only). A vertically merged cell is read in
its first row: the rows below it hold an empty cell there, as a person reading the table sees it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from rules.errors import InputError, Problem

FORMATS = (".docx", ".xlsx", ".xlsm", ".csv", ".md", ".txt", ".pdf")


@dataclass(frozen=True)
class Row:
    place: str  # "bảng 1, dòng 5", "sheet 'PL1', dòng 5", "trang 2, dòng 5": what a person finds
    cells: tuple[str, ...]

    def text(self) -> str:
        return " | ".join(c for c in self.cells if c)


@dataclass
class Table:
    name: str  # "bảng 1", "sheet 'PL1'", "trang 2"
    rows: list[Row] = field(default_factory=list)


@dataclass
class Document:
    """The tables, and the paragraphs before them (the annex's heading: its title, its decision)."""

    path: str
    tables: list[Table]
    heading: list[str]


def clean(text: object) -> str:
    """A cell's text with its lines kept (a cell may hold several tiers) and spaces tidied."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in str(text).replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def read_document(path: Path) -> Document:
    """Every table of an annex file; InputError naming the file when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(Problem(f"không đọc được loại tệp '{suffix}': cần {', '.join(FORMATS)}", str(path)))
    if not path.exists():
        raise InputError(Problem("không tìm thấy tệp", str(path)))
    try:
        reader = {
            ".docx": _docx,
            ".xlsx": _xlsx,
            ".xlsm": _xlsx,
            ".csv": _csv,
            ".md": _markdown,
            ".txt": _markdown,
            ".pdf": _pdf,
        }[suffix]
        tables, heading = reader(path)
    except InputError:
        raise
    except Exception as e:  # a corrupt file from any of the readers: said, not a traceback
        raise InputError(
            Problem(f"tệp hỏng hoặc không đúng định dạng {suffix} ({type(e).__name__})", str(path))
        ) from None
    tables = [t for t in tables if any(any(c for c in r.cells) for r in t.rows)]
    if not tables:
        raise InputError(Problem("không có bảng nào trong tệp (bảng tiêu chí của phụ lục)", str(path)))
    return Document(str(path), tables, heading)


def unwrap(text: str) -> str:
    """A PDF cell's lines are where the text wrapped, not where its writer broke it: joined, except
    after a tier ("...: 1") or before a bullet."""
    from rules.annex.words import tier

    out: list[str] = []
    for line in text.split("\n"):
        if out and not tier(out[-1]) and not re.match(r"^[-+•*–]\s", line):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


def _docx(path: Path) -> tuple[list[Table], list[str]]:
    import docx

    document = docx.Document(str(path))
    heading: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}tbl"):
            break
        if block.tag.endswith("}p"):
            text = clean("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
            if text:
                heading.append(text)
    tables = []
    for n, table in enumerate(document.tables, 1):
        out = Table(f"bảng {n}")
        above: list = []
        for r, row in enumerate(table.rows, 1):
            cells: list[str] = []
            seen: list = []
            for col, cell in enumerate(row.cells):
                tc = cell._tc
                merged_down = col < len(above) and above[col] is tc
                if tc in seen or merged_down:
                    cells.append("")
                else:
                    cells.append(clean("\n".join(p.text for p in cell.paragraphs)))
                seen.append(tc)
            above = seen
            out.rows.append(Row(f"bảng {n}, dòng {r}", tuple(cells)))
        tables.append(out)
    return tables, heading


def _xlsx(path: Path) -> tuple[list[Table], list[str]]:
    import openpyxl

    book = openpyxl.load_workbook(str(path), read_only=False, data_only=True)
    tables = []
    for sheet in book.worksheets:
        covered = {
            (row, col)
            for merged in sheet.merged_cells.ranges
            for row in range(merged.min_row, merged.max_row + 1)
            for col in range(merged.min_col, merged.max_col + 1)
            if (row, col) != (merged.min_row, merged.min_col)
        }
        out = Table(f"sheet '{sheet.title}'")
        for r, values in enumerate(sheet.iter_rows(values_only=True), 1):
            cells = tuple("" if (r, c) in covered else clean(v) for c, v in enumerate(values, 1))
            out.rows.append(Row(f"sheet '{sheet.title}', dòng {r}", cells))
        tables.append(out)
    return tables, []


def _csv(path: Path) -> tuple[list[Table], list[str]]:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if _is_utf8(raw) else raw.decode("cp1258", errors="replace")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    out = Table(path.name)
    for r, cells in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        out.rows.append(Row(f"dòng {r}", tuple(clean(c) for c in cells)))
    return [out], []


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _markdown(path: Path) -> tuple[list[Table], list[str]]:
    """Pipe tables; `<br>` in a cell is a line break. Text before the first table is the heading."""
    tables: list[Table] = []
    heading: list[str] = []
    current: Table | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            current = None
            if not tables and stripped:
                heading.append(stripped.lstrip("# ").strip())
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue  # the line under a header
        if current is None:
            current = Table(f"bảng {len(tables) + 1}")
            tables.append(current)
        cells = [clean(re.sub(r"<br\s*/?>", "\n", c)) for c in cells]
        current.rows.append(Row(f"dòng {n}", tuple(cells)))
    return tables, heading


def _pdf(path: Path) -> tuple[list[Table], list[str]]:
    """A PDF's text layer (a scan has none: said so). Ruled tables by their lines; a page whose
    table continues the one before keeps its columns."""
    import pdfplumber

    tables: list[Table] = []
    heading: list[str] = []
    with pdfplumber.open(str(path)) as pdf:
        if not any((page.extract_text() or "").strip() for page in pdf.pages[:3]):
            raise InputError(Problem("PDF không có lớp chữ (bản quét): cần bản Word, Excel hoặc PDF có chữ", str(path)))
        for p, page in enumerate(pdf.pages, 1):
            found = page.find_tables()
            if p == 1 and found:
                top = found[0].bbox[1]
                above = page.crop((0, 0, page.width, max(top, 1))).extract_text() or ""
                heading = [clean(line) for line in above.splitlines() if clean(line)]
            for t, table in enumerate(found, 1):
                out = Table(f"trang {p}" + (f", bảng {t}" if len(found) > 1 else ""))
                for r, cells in enumerate(table.extract(), 1):
                    out.rows.append(Row(f"{out.name}, dòng {r}", tuple(unwrap(clean(c)) for c in cells)))
                tables.append(out)
    return tables, heading
