"""Write the report files of a ReportBook into a folder, each atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scoring.output import atomic_write, folder_lock
from scoring.report import ReportBook

FORMATS = ("html", "xlsx", "docx", "md", "pdf")
DEFAULT_FORMATS = ("html", "xlsx", "docx", "md")
SUMMARY = "tong-hop"


def report_count(book: ReportBook, formats: tuple[str, ...]) -> int:
    """How many files `write_reports` writes."""
    return sum(1 if f == "xlsx" else len(book.units) + 1 for f in set(formats))


def write_reports(
    book: ReportBook,
    out: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    appraisal: bool = False,
    on_written: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Per unit `<unit_id>.<ext>` plus `tong-hop.<ext>`; Excel is one workbook `bao-cao-cchc.xlsx`.
    `on_written` is told of each file as it is written (a progress line)."""
    with folder_lock(out):
        return _write(book, out, formats, appraisal, on_written)


def _write(
    book: ReportBook, out: Path, formats: tuple[str, ...], appraisal: bool, on_written: Callable[[Path], None] | None
) -> list[Path]:
    written: list[Path] = []

    def save(name: str, data: str | bytes) -> None:
        path = out / name
        atomic_write(path, data)
        written.append(path)
        if on_written is not None:
            on_written(path)

    if "html" in formats:
        from scoring.render_html import summary_html, unit_html

        for u in book.units:
            save(f"{u.score.unit_id}.html", unit_html(book, u, appraisal))
        save(f"{SUMMARY}.html", summary_html(book))
    if "md" in formats:
        from scoring.render_md import summary_md, unit_md

        for u in book.units:
            save(f"{u.score.unit_id}.md", unit_md(book, u, appraisal))
        save(f"{SUMMARY}.md", summary_md(book))
    if "docx" in formats:
        from scoring.render_docx import summary_docx, unit_docx

        for u in book.units:
            save(f"{u.score.unit_id}.docx", unit_docx(book, u, appraisal))
        save(f"{SUMMARY}.docx", summary_docx(book))
    if "pdf" in formats:
        from scoring.render_pdf import summary_pdf, unit_pdf

        for u in book.units:
            save(f"{u.score.unit_id}.pdf", unit_pdf(book, u, appraisal))
        save(f"{SUMMARY}.pdf", summary_pdf(book))
    if "xlsx" in formats:
        from scoring.render_xlsx import workbook

        save("bao-cao-cchc.xlsx", workbook(book, appraisal))
    return written
