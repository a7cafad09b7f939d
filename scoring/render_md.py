"""Markdown reports for quick reading: one per unit and a summary."""

from __future__ import annotations

from rules import vn
from scoring.report import ReportBook, UnitReport


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
        f"- Tổng điểm: **{_n(s.points)}/{_n(s.max_points)}**, chỉ số **{_n(s.index)}**, xếp loại **{s.band}**, "
        f"hạng {s.rank}",
    ]
    if u.appraised_total is not None:
        lines.append(f"- Thẩm định: {_n(u.appraised_total)} điểm, chỉ số {_n(u.appraised_index)}, {u.appraised_band}")
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
        title = f"**{_cell(r.title)}**" if r.is_group else _cell(r.title)
        note = "" if r.is_group else _cell(r.explanation)
        cells = [r.stt, title, _n(r.max_points), _n(r.points)] + ([_n(r.appraised)] if appraisal else []) + [note]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Việc cần làm để đạt thêm điểm", ""]
    if not u.fixes:
        lines.append("Đơn vị đạt điểm tối đa ở mọi tiêu chí áp dụng.")
    for f in u.fixes:
        due = f" (hạn {f.deadline})" if f.deadline else ""
        lines.append(f"1. **{f.code}** {f.title}: +{_n(f.recoverable)} điểm — {f.action}{due}")
    if u.warnings:
        lines += ["", "## Cảnh báo về số liệu", ""] + [f"- {w}" for w in u.warnings]
    return "\n".join(lines) + "\n"


def summary_md(book: ReportBook) -> str:
    lines = [
        f"# Tổng hợp chấm điểm CCHC năm {book.year}",
        "",
        f"{book.catalog_title} — bộ tiêu chí {book.catalog_id}",
        "",
        "| Xếp loại | Số đơn vị |",
        "|---|---|",
    ]
    lines += [f"| {name} | {n} |" for name, n in book.band_counts]
    lines += ["", "| Hạng | Đơn vị | Loại | Điểm | Tối đa | Chỉ số | Xếp loại |", "|---|---|---|---|---|---|---|"]
    for u in book.ranked:
        s = u.score
        lines.append(
            f"| {s.rank} | {_cell(s.unit_name)} | {u.unit_type_label} | {_n(s.points)} | {_n(s.max_points)} "
            f"| {_n(s.index)} | {s.band} |"
        )
    return "\n".join(lines) + "\n"
