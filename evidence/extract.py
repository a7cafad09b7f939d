"""Draft evidence from the report a unit already writes (`cchc extract`).

What to look for is catalog data: each field may declare the phrases that introduce it in a report
(`find:`), the ký hiệu codes of its documents (`codes:`, e.g. KH, BC, QĐ) and the unit of its
number (`unit:`). No field has code of its own. For each field the draft proposes one value, with
the sentence it comes from, its place and a confidence, or lists the field as not found. A wrong
number is worse than a missing one, so a figure is proposed only when one reading is clear:
- a phrase and its figure must be in one sentence, with no other field's phrase between them;
- dates, số ký hiệu, years, ordinals ("lần thứ 2"), article numbers, ranges ("từ 90% đến 95%"),
  changes ("tăng 156 hồ sơ") and clauses about another year or the whole sector are never figures;
- "1,256" for a count is ambiguous (decimal or thousands): shown as a candidate, not proposed;
- two different figures for one field are a conflict: both shown, none proposed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import field as list_field
from typing import Any

from evidence.report_text import Passage
from rules.catalog import Catalog, FieldSpec

# Both spellings of the usual abbreviations, so a phrase written one way finds the other.
SPELLINGS = [
    ("cải cách hành chính", "cchc"),
    ("thủ tục hành chính", "tthc"),
    ("công chức, viên chức", "ccvc"),
    ("dịch vụ công", "dvc"),
]
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)|\s+-\s+(?=[A-ZĐ])")
NUMBER = re.compile(r"(?<![\w.,/])(\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+(?!\d)|\d+(?:,\d+)?)(?![\w/])(\s*%)?")
# What looks like a figure but is not one: masked before figures are read.
NOT_FIGURES = [
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}",  # dates
    r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?",
    r"tháng\s+\d{1,2}(?:\s*(?:/|năm)\s*\d{4})?",
    r"\d+[a-zđ]?(?:/\d{4})?/[a-zđ][\w-]*",  # số ký hiệu: 01a/kh-syt, 45/2019/qđ-ubnd
    r"(?:năm|kỳ|giai đoạn|đến|từ)\s+\d{4}(?:\s*[-–]\s*\d{4})?",  # years
    r"\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\b",
    r"(?:thứ|lần|đợt|quý|khóa|điều|khoản|mục|chương|phụ lục|bước)\s+\d+",  # ordinals, articles
    r"(?:từ\s+)?\d+(?:[.,]\d+)?\s*%?\s*(?:đến|-|–)\s*\d+(?:[.,]\d+)?\s*%?",  # ranges
    r"(?:tăng|giảm|nhiều hơn|ít hơn|vượt)\s+(?:thêm\s+)?\d+(?:[.,]\d+)*\s*%?",  # changes, not levels
    r"iso\s+\d+(?::\d+)?|tcvn\s+\d+",
]
MASK = re.compile("|".join(f"(?:{p})" for p in NOT_FIGURES))
CLAUSE = re.compile(r"[,;(]\s|\)")
OTHER_SCOPE = re.compile(r"toàn ngành|toàn tỉnh|toàn sở|cả tỉnh|trên địa bàn tỉnh|các đơn vị trong ngành|bình quân")
# A higher document the unit cites ("Căn cứ Kế hoạch số 13/KH-SYT …") is not the unit's own.
CITED = re.compile(
    r"(căn cứ|thực hiện|theo|triển khai)\s+(các\s+)?(kế hoạch|báo cáo|quyết định|công văn|chương trình|"
    r"chỉ thị|nghị quyết|thông báo|kh|bc|qđ|cv)?\s*(số)?\s*:?\s*$"
)
DOC_REF = re.compile(r"(\d{1,5}[a-zA-Zđ]?(?:/\d{4})?/([A-ZĐ][A-Za-zĐđ]*)(?:-[A-Za-zĐđ0-9]+)*)")
DOC_DATE = re.compile(
    r"ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    value: Any
    quote: str
    where: str
    confidence: float
    note: str = ""  # why it is not proposed (ambiguous, conflict)


@dataclass
class Found:
    """What the report says for one field: the value proposed (or none), and every candidate."""

    field: str
    value: Any = None
    candidates: list[Candidate] = list_field(default_factory=list)
    conflict: bool = False


def extract(passages: list[tuple[str, Passage]], catalog: Catalog, year: int) -> dict[str, Found]:
    """For each field the catalog says how to find, what the reports give. `passages`: (file
    name, passage) in reading order."""
    phrases = {name: _spellings(spec.find) for name, spec in catalog.fields.items() if spec.find}
    found = {name: Found(name) for name in phrases}
    for source, passage in passages:
        for sentence in _sentences(passage.text):
            lowered = sentence.lower()
            hits = _phrase_hits(lowered, phrases)
            for name, start, end in hits:
                spec = catalog.fields[name]
                where = f"{source}, {passage.where}"
                quote = sentence if len(sentence) <= 300 else sentence[:297] + "…"
                candidate = _read(spec, sentence, lowered, start, end, hits, year, passage.table)
                if candidate is not None:
                    value, confidence, note = candidate
                    found[name].candidates.append(Candidate(value, quote, where, confidence, note))
    for f in found.values():
        _decide(f)
    return found


def _spellings(phrases: list[str]) -> list[str]:
    out = []
    for phrase in phrases:
        variants = {phrase.lower()}
        for long, short in SPELLINGS:
            variants |= {v.replace(long, short) for v in variants} | {v.replace(short, long) for v in variants}
        out += sorted(variants, key=len, reverse=True)
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def _phrase_hits(lowered: str, phrases: dict[str, list[str]]) -> list[tuple[str, int, int]]:
    """(field, start, end) of each phrase in the sentence; where phrases overlap the longest wins
    ("hồ sơ tiếp nhận trực tuyến" over "tiếp nhận")."""
    hits = []
    for name, variants in phrases.items():
        for phrase in variants:
            for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", lowered):
                hits.append((name, m.start(), m.end()))
    hits.sort(key=lambda h: (h[1] - h[2], h[1]))  # longest first
    kept: list[tuple[str, int, int]] = []
    for hit in hits:
        if all(hit[2] <= k[1] or hit[1] >= k[2] for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h[1])


def _read(
    spec: FieldSpec,
    sentence: str,
    lowered: str,
    start: int,
    end: int,
    hits: list[tuple[str, int, int]],
    year: int,
    table: bool,
) -> tuple[Any, float, str] | None:
    if spec.type == "document":
        return _document(spec, sentence, lowered, start, end, year)
    if spec.type not in ("count", "percent"):
        return None
    masked = _masked(lowered, year)
    # The figure is after the phrase, before the next field's phrase; else just before it, in its clause.
    after_end = min([h[1] for h in hits if h[1] >= end] + [len(masked)])
    before_start = max([h[2] for h in hits if h[2] <= start] + [0])
    after = [m for m in NUMBER.finditer(masked, end, after_end)]
    after = [m for m in after if not CLAUSE.search(masked, end, m.start()) or not _digits(masked, end, m.start())]
    clause_start = max([m.end() for m in CLAUSE.finditer(masked, before_start, start)] + [before_start])
    before = list(NUMBER.finditer(masked, clause_start, start))
    match = after[0] if after else before[-1] if before else None
    if match is None:
        return None
    if OTHER_SCOPE.search(masked[clause_start:after_end]):
        return None  # the whole sector's figure, not the unit's
    return _figure(spec, match, masked, table)


def _digits(text: str, start: int, end: int) -> bool:
    return any(c.isdigit() for c in text[start:end])


def _masked(lowered: str, year: int) -> str:
    """The sentence with what is not a figure blanked (same length, so places stay the same), and
    clauses about another year blanked too ("năm 2025 tiếp nhận 1.100 hồ sơ")."""
    text = MASK.sub(lambda m: " " * len(m.group(0)), lowered)
    other_year = r"[^,;()]*(?:năm trước|cùng kỳ|năm (?!" + str(year) + r")(?:19|20)\d\d)[^,;()]*"
    for m in re.finditer(other_year, lowered):
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


def _figure(spec: FieldSpec, match: re.Match, masked: str, table: bool) -> tuple[Any, float, str] | None:
    digits, percent = match.group(1), bool(match.group(2))
    following = masked[match.end() : match.end() + 25].strip()
    if spec.type == "percent":
        if not percent:
            return None
        return float(digits.replace(".", "").replace(",", ".")), 0.9, ""
    if percent:
        return None  # a rate where a count is wanted
    if re.fullmatch(r"\d{1,3},\d{3}", digits):
        return digits, 0.0, f"mơ hồ: «{digits}» có thể là số thập phân hoặc hàng nghìn"
    if "," in digits:
        return None  # a decimal is not a count
    value = int(digits.replace(".", "").replace(" ", ""))
    unit = spec.unit.lower()
    if unit and following.startswith(unit):
        return value, 0.9, ""
    if following[:1].isalpha() and not following.startswith(("trong", "và", "đạt", "chiếm", "bằng")):
        return None  # another unit of measure ("12 người" for a number of dossiers)
    return value, 0.8 if table else 0.7, ""


def _document(
    spec: FieldSpec, sentence: str, lowered: str, start: int, end: int, year: int
) -> tuple[Any, float, str] | None:
    refs = []
    for m in DOC_REF.finditer(sentence):
        code = m.group(2).upper()
        if spec.codes and code not in {c.upper() for c in spec.codes}:
            continue
        if CITED.search(lowered[max(0, m.start() - 40) : m.start()]):
            continue  # a higher document the unit cites ("Thực hiện Kế hoạch số … của UBND tỉnh")
        refs.append(m)
    dates = [(m, d) for m in DOC_DATE.finditer(sentence) if (d := _date(m)) and year - 1 <= d.year <= year + 1]
    if refs:
        ref = min(refs, key=lambda m: min(abs(m.start() - end), abs(m.end() - start)))
        after_ref = [d for m, d in dates if m.start() >= ref.end() and m.start() - ref.end() < 25]
        if not after_ref:
            return None  # a number without its date is not a document we can check
        return {"number": ref.group(1), "date": after_ref[0].strftime("%d/%m/%Y")}, 0.9 if len(refs) == 1 else 0.6, ""
    if len(dates) == 1 and not spec.codes:
        return {"date": dates[0][1].strftime("%d/%m/%Y")}, 0.6, ""
    return None


def _date(m: re.Match) -> dt.date | None:
    day, month, year_ = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return dt.date(int(year_), int(month), int(day))
    except ValueError:
        return None


def _decide(f: Found) -> None:
    """One value when the candidates agree; none when they differ or all are ambiguous."""
    clear = [c for c in f.candidates if not c.note]
    values = {_key(c.value) for c in clear}
    if len(values) == 1:
        best = max(clear, key=lambda c: c.confidence)
        f.value = best.value
    elif len(values) > 1:
        f.conflict = True
        for c in clear:
            c.note = "mâu thuẫn: báo cáo nêu nhiều giá trị khác nhau"


def _key(value: Any) -> Any:
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


def draft(
    found: dict[str, Found], catalog: Catalog, unit: dict[str, Any], sources: list[str], problems: list[str]
) -> dict[str, Any]:
    """The draft evidence file: `reviewed: false`, the values proposed, and for the unit to check:
    each value's quote, place and confidence, the other candidates, conflicts, what was not found."""
    evidence = {name: f.value for name, f in found.items() if f.value is not None}
    notes: dict[str, Any] = {}
    for name, f in found.items():
        if not f.candidates:
            continue
        notes[name] = {
            "label": catalog.fields[name].label,
            **({"value": f.value} if f.value is not None else {}),
            **({"conflict": "báo cáo nêu nhiều giá trị khác nhau: đơn vị chọn giá trị đúng"} if f.conflict else {}),
            "sources": [
                {
                    "value": c.value,
                    "quote": c.quote,
                    "where": c.where,
                    "confidence": c.confidence,
                    **({"note": c.note} if c.note else {}),
                }
                for c in f.candidates
            ],
        }
    return {
        "reviewed": False,
        "unit": unit,
        "evidence": {name: evidence[name] for name in catalog.fields if name in evidence},
        "draft": {
            "from": sources,
            "found": notes,
            "not_found": {
                name: f"{catalog.fields[name].label}: không tìm thấy trong báo cáo"
                for name, f in found.items()
                if f.value is None and not f.candidates
            },
            "checks": problems,
        },
    }


def checks(evidence: dict[str, Any], catalog: Catalog, unit: dict[str, Any]) -> list[str]:
    """Contradictions inside the report, found as scoring would find them: a stated rate that
    disagrees with the counts, parts that add up to more than their total, values out of range."""
    from evidence.validate import build_unit
    from rules.engine import observe
    from rules.errors import InputError

    try:
        typed = build_unit({"unit": unit, "evidence": evidence}, catalog, "draft", today=dt.date.max)
    except InputError as e:
        return [f"{p.field or ''}: {p.message}".lstrip(": ") for p in e.problems]
    return [f"{leaf.code}: {w}" for leaf, obs in observe(catalog, typed) for w in obs.warnings]
