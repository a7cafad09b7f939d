"""How annexes write numbers, codes and tiers: "0,5", "20 điểm", "II", "1.2.", "Đạt: 1 / Không đạt: 0"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """Lower case without accents: 'Điểm tối đa' -> 'diem toi da' (for matching headers and words)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", text.lower()).strip()


def slug(text: str, words: int = 6) -> str:
    """An identifier from a title: 'Tỷ lệ hồ sơ giải quyết đúng hạn' -> 'ho_so_giai_quyet_dung_han'."""
    tokens = [t for t in re.split(r"[^a-z0-9]+", fold(text)) if t and t not in _STOP]
    return "_".join(tokens[:words]) or "truong"


_STOP = {"ty", "le", "cua", "cac", "va", "trong", "nam", "n", "theo", "duoc", "co", "thuc", "hien", "viec", "ve"}

NUMBER = r"[+\-−]?\d+(?:[.,]\d+)?"
_POINTS = re.compile(rf"^\(?\s*(?P<n>{NUMBER})\s*(?:điểm|đ)?\s*\)?$", re.IGNORECASE)


def number(text: str) -> float | None:
    """'0,5' -> 0.5, '1.0' -> 1, '−1' -> -1; None for anything else."""
    try:
        return float(text.replace("−", "-").replace(",", "."))
    except ValueError:
        return None


def points(cell: str) -> float | None:
    """A maximum as annexes write it: '1', '0,5', '20 điểm', '(2đ)', 'Tối đa 2', '-1' (a deduction)."""
    text = re.sub(r"^(?:tối đa|điểm tối đa|tối đa là)\s*:?\s*", "", cell.strip(), flags=re.IGNORECASE)
    m = _POINTS.match(text)
    return number(m["n"]) if m else None


# --- codes -----------------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[IVXL])(L?X{0,3})(IX|IV|V?I{0,3})$")


@dataclass(frozen=True)
class Code:
    label: str  # as the annex writes it, tidied: "II", "1.2", "a"
    style: tuple  # what level it names: ("roman",), ("dotted", depth), ("letter",), ("bullet",)


def code(cell: str) -> Code | None:
    """The code of a row (its STT cell, or the start of its title); None when it has none."""
    text = cell.strip().rstrip(".):").lstrip("(").strip()
    text = re.sub(r"^(?:tiêu chí thành phần|tiêu chí|lĩnh vực|tc|tctp|mục|phần)\s+", "", text, flags=re.IGNORECASE)
    if not text:
        return None
    if _ROMAN.match(text):
        return Code(text, ("roman",))
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){0,4}", text):
        return Code(text, ("dotted", text.count(".") + 1))
    if re.fullmatch(r"[a-zđ]", text):
        return Code(text, ("letter",))
    if text in ("-", "+", "•", "*", "–", "o"):
        return Code(text, ("bullet",))
    return None


_LEADING_CODE = re.compile(
    r"^\s*(?P<code>(?:[IVXL]+|\d{1,2}(?:\.\d{1,2}){0,4}|[a-zđ])[.)]|\d{1,2}(?:\.\d{1,2}){1,4})\s+"
)


def split_code(title: str) -> tuple[Code | None, str]:
    """'1.2. Báo cáo định kỳ' -> (1.2, 'Báo cáo định kỳ'): a code written at the start of the title."""
    m = _LEADING_CODE.match(title)
    if m:
        found = code(m["code"])
        if found:
            return found, title[m.end() :].strip()
    return None, title


# --- tiers -----------------------------------------------------------------------------------

# "Ban hành đúng thời hạn: 1", "Từ 80% đến dưới 95%: 1 điểm", "Không ban hành = 0đ", "(0,5 điểm)"
_TIER = re.compile(
    rf"^(?P<text>.*?\S)\s*(?:[:=]|[-–]\s+|\(|\bđược\b)\s*(?P<n>{NUMBER})\s*(?:điểm|đ)?\s*\)?\s*[.;]?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Tier:
    text: str  # the condition as written: "Ban hành đúng thời hạn"
    points: float


def tier(line: str) -> Tier | None:
    """One line that says how many points a condition gives, or None."""
    line = line.strip().lstrip("-+•*–").strip()
    m = _TIER.match(line)
    if not m:
        return None
    value = number(m["n"])
    text = m["text"].strip().rstrip(":,")
    if value is None or not re.search(r"[^\W\d_]", text):
        return None
    return Tier(text, value)


def tier_lines(cell: str) -> list[str]:
    """A cell's lines, with tiers written on one line ("Đạt: 1 / Không đạt: 0"; "...: 1; ...: 0") apart."""
    out: list[str] = []
    for line in cell.split("\n"):
        parts = re.split(r"(?<=\d)\s*(?:điểm|đ)?\s*[;/]\s+|(?<=điểm)\s*[;,/]\s+", line)
        out += [p for p in parts if p.strip()]
    return out
