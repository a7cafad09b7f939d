"""Markdown reports for quick reading: one per unit and a summary."""

from __future__ import annotations

from rules import vn
from scoring.report import ReportBook, UnitReport
from scoring.results import COVERAGE_NOTE, PROVISIONAL_NOTE, band_text, coverage_text


def _n(x: float | None) -> str:
    return "" if x is None else vn.number(x)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def unit_md(book: ReportBook, u: UnitReport, appraisal: bool = False) -> str:
    s = u.score
    lines = [
        f"# Kết quả chấm điểm CCHC năm {book.year}: {s.unit_name}",
        "",
        f"- Mã đơn vị: {s.unit_id} — loại: {u.unit_type_label}",
        f"- Bộ tiêu chí: {book.catalog_id} (phiên bản {book.catalog_version}), lập ngày {vn.date(book.generated)}",
    ]
    lines += [f"- {label}: {value}" for label, value in u.facts]
    lines += [
        f"- SHA-256 tài liệu kiểm chứng: `{u.evidence_sha256}`",
        f"- SHA-256 bộ tiêu chí: `{book.catalog_sha256}`",
        "",
        "## Bảng điểm",
        "",
    ]
    head = ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"] + (["Điểm thẩm định"] if appraisal else []) + ["Ghi chú"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in u.rows:
        title = f"**{_cell(r.title)}**" if r.is_group else f"{_cell(r.title)} ({r.status_label})"
        note = _cell(r.explanation) + (f" — Tài liệu kiểm chứng: {_cell(r.evidence)}" if r.evidence else "")
        other = [_n(r.appraised) + (f" — {_cell(r.appraisal_reason)}" if r.appraisal_reason else "")]
        cells = [r.stt, title, _n(r.max_points), _n(r.points)] + (other if appraisal else []) + [note]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"## Việc cần làm (tính đến ngày {vn.date(book.generated)})", ""]
    if not u.todo:
        lines.append("Đơn vị đạt điểm tối đa ở mọi tiêu chí áp dụng.")
    for title, fixes in u.todo.sections():
        lines += [f"### {title}", ""]
        for f in fixes:
            due = f" (hạn {f.deadline})" if f.deadline else ""
            lines.append(f"1. **{f.code}** {f.title}: {_n(f.points)} điểm — {f.status_label}. {f.action}{due}")
        lines.append("")
    if u.warnings:
        lines += ["", "## Cảnh báo về số liệu", ""] + [f"- {w}" for w in u.warnings]
    return "\n".join(lines) + "\n"


def summary_md(book: ReportBook) -> str:
    lines = [
        f"# Tổng hợp chấm điểm CCHC năm {book.year}",
        "",
        f"{book.catalog_title} — bộ tiêu chí {book.catalog_id}, lập ngày {vn.date(book.generated)}",
        "",
        "| Xếp loại | Số đơn vị |",
        "|---|---|",
    ]
    lines += [f"| {name} | {n} |" for name, n in book.band_counts]
    for label, units in book.by_group:
        lines += ["", f"## {label}", ""]
        lines += ["| Hạng | Chung | Đơn vị | Loại | Điểm | Tối đa | Chỉ số | Xếp loại | TLKC |", "|" + "---|" * 9]
        for u in units:
            s = u.score
            mark = "*" if s.provisional else ""
            band = band_text(s.band, s.provisional)
            lines.append(
                f"| {s.rank or '—'}{mark} | {s.overall_rank or '—'}{mark} | {_cell(s.unit_name)} | {u.unit_type_label} "
                f"| {_n(s.points)} | {_n(s.max_points)} | {vn.index(s.index)} | {band} | {coverage_text(s.coverage)} |"
            )
    lines.append("")
    if book.provisional:
        lines.append(PROVISIONAL_NOTE)
    if book.incomplete:
        lines.append(COVERAGE_NOTE)
    warned = [f"- {u.score.unit_id}: {w}" for u in book.units for w in u.warnings]
    if warned:
        lines += ["", "## Cảnh báo về số liệu", "", *warned]
    if book.errors:
        lines += ["", "## Đơn vị/tệp chưa chấm được", "", *(f"- {e}" for e in book.errors)]
    return "\n".join(lines) + "\n"
