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

import bisect
import datetime as dt
import functools
import itertools
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
        for text in _sentences(passage.text):
            sentence = Sentence(text, year)
            hits = _phrase_hits(sentence.lowered, phrases)
            for i, (name, start, end) in enumerate(hits):
                spec = catalog.fields[name]
                where = f"{source}, {passage.where}"
                quote = text if len(text) <= 300 else text[:297] + "…"
                # the figure lies between the previous field's phrase and the next one's
                before_start = hits[i - 1][2] if i else 0
                after_end = hits[i + 1][1] if i + 1 < len(hits) else len(sentence.lowered)
                candidate = _read(spec, sentence, start, end, before_start, after_end, passage.table)
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
    taken = bytearray(len(lowered))  # characters a kept phrase covers: linear, however many hits
    kept: list[tuple[str, int, int]] = []
    for hit in hits:
        if not any(taken[hit[1] : hit[2]]):
            taken[hit[1] : hit[2]] = b"\x01" * (hit[2] - hit[1])
            kept.append(hit)
    return sorted(kept, key=lambda h: h[1])


class Sentence:
    """One sentence and what every phrase in it reads, worked out once: the text with what is not
    a figure blanked, where its clauses break, how many digits precede each place. Each phrase
    then costs only its own stretch of the sentence, so a long one-line text stays linear."""

    def __init__(self, text: str, year: int) -> None:
        self.text, self.year = text, year
        self.lowered = text.lower()

    @functools.cached_property
    def masked(self) -> str:
        return _masked(self.lowered, self.year)

    @functools.cached_property
    def _clauses(self) -> tuple[list[int], list[int]]:
        found = list(CLAUSE.finditer(self.masked))
        return [m.start() for m in found], [m.end() for m in found]

    @functools.cached_property
    def _digits_before(self) -> list[int]:
        return list(itertools.accumulate((c.isdigit() for c in self.masked), initial=0))

    def clause_break(self, start: int, end: int) -> bool:
        """A clause break (", " "; " "( " ")") lies wholly within [start, end)."""
        starts, ends = self._clauses
        i = bisect.bisect_left(starts, start)
        return i < len(starts) and ends[i] <= end

    def has_digits(self, start: int, end: int) -> bool:
        return self._digits_before[end] > self._digits_before[start]

    def clause_start(self, start: int, end: int) -> int:
        """Where the clause holding `end` begins, not before `start`."""
        starts, ends = self._clauses
        i = bisect.bisect_right(ends, end) - 1
        return ends[i] if i >= 0 and starts[i] >= start else start


def _read(
    spec: FieldSpec,
    sentence: Sentence,
    start: int,
    end: int,
    before_start: int,
    after_end: int,
    table: bool,
) -> tuple[Any, float, str] | None:
    if spec.type == "document":
        return _document(spec, sentence.text, sentence.lowered, start, end, sentence.year)
    if spec.type not in ("count", "percent"):
        return None
    masked = sentence.masked
    # The figure is after the phrase, before the next field's phrase; else just before it, in its clause.
    after = None
    for m in NUMBER.finditer(masked, end, after_end):
        if not sentence.clause_break(end, m.start()) or not sentence.has_digits(end, m.start()):
            after = m
            break
    clause_start = sentence.clause_start(before_start, start)
    match = after or max(NUMBER.finditer(masked, clause_start, start), key=lambda m: m.start(), default=None)
    if match is None:
        return None
    if OTHER_SCOPE.search(masked, clause_start, after_end):
        return None  # the whole sector's figure, not the unit's
    return _figure(spec, match, masked, table)


# What makes a clause about another year ("năm 2025 tiếp nhận 1.100 hồ sơ", "cùng kỳ năm trước").
OTHER_YEAR = r"năm trước|cùng kỳ|năm (?!{year})(?:19|20)\d\d"
CLAUSE_EDGE = re.compile(r"[,;()]")


def _masked(lowered: str, year: int) -> str:
    """The sentence with what is not a figure blanked (same length, so places stay the same), and
    clauses about another year blanked too: from the clause's start to its end."""
    text = list(MASK.sub(lambda m: " " * len(m.group(0)), lowered))
    edges = [m.start() for m in CLAUSE_EDGE.finditer(lowered)]
    blanked_to = 0
    for m in re.finditer(OTHER_YEAR.format(year=year), lowered):
        if m.start() < blanked_to:
            continue  # in a clause already blanked
        i = bisect.bisect_left(edges, m.start())
        left = edges[i - 1] + 1 if i else 0
        right = edges[i] if i < len(edges) else len(lowered)
        text[left:right] = " " * (right - left)
        blanked_to = right
    return "".join(text)


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
