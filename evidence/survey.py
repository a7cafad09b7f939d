"""The Sở's survey results (điều tra xã hội học): respondents' answer counts per unit × question.

Surveys are run by the Sở (or the province), never declared by the unit. One row per unit ×
question, answers as A/B/C/D or the names the catalog gives them (Likert labels):

    survey: {title: Điều tra xã hội học năm 2026, by: Sở Y tế, date: 20/11/2026}
    results:
      - {unit_id: bv-dktinh, question: "8.3.1", A: 150, B: 40, C: 8, D: 2}
      - {unit_id: bv-dktinh, question: "8.3.2", Rất hài lòng: 90, Hài lòng: 70, ...}

or an Excel workbook whose sheet "Điều tra" has the columns Mã đơn vị, Câu hỏi, then one column
per answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evidence import parse
from evidence.excel import blank, opened_workbook
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.yamlio import Lines, line_of, load_json, load_yaml

# unit id -> question -> answer code -> respondents
Survey = dict[str, dict[str, dict[str, int]]]
SHEET, UNIT_COLUMN, QUESTION_COLUMN = "Điều tra", "Mã đơn vị", "Câu hỏi"


def load_survey(path: str | Path, catalog: Catalog) -> Survey:
    """A survey file checked against the catalog's survey questions and answers; InputError lists
    every problem with its line or row."""
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem("không tìm thấy tệp kết quả điều tra", str(path)))
    if path.suffix.lower() == ".xlsx":
        rows = _workbook_rows(path)
    else:
        lines: Lines = {}
        if path.suffix.lower() == ".json":
            data = load_json(path)
        else:
            data, lines = load_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise InputError(
                Problem("tệp điều tra cần mục results: danh sách {unit_id, question, A, B, ...}", str(path))
            )
        rows = []
        for i, row in enumerate(data["results"]):
            line = line_of(lines, ("results", i))
            rows.append((f"dòng {line}" if line else f"kết quả thứ {i + 1}", row))
    return _check(rows, catalog, str(path))


def _workbook_rows(path: Path) -> list[tuple[str, Any]]:
    with opened_workbook(path) as wb:
        if SHEET not in wb.sheetnames:
            raise InputError(Problem(f"thiếu sheet '{SHEET}'", str(path)))
        rows = wb[SHEET].iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        if UNIT_COLUMN not in header or QUESTION_COLUMN not in header:
            raise InputError(
                Problem(f"cần cột '{UNIT_COLUMN}' và '{QUESTION_COLUMN}'", str(path), f"sheet '{SHEET}', dòng 1")
            )
        out = []
        for r, values in enumerate(rows, start=2):
            row = {h: v for h, v in zip(header, values) if h and not blank(v)}
            if row:
                out.append(
                    (
                        f"sheet '{SHEET}', dòng {r}",
                        {"unit_id": row.pop(UNIT_COLUMN, None), "question": row.pop(QUESTION_COLUMN, None), **row},
                    )
                )
        return out


def _check(rows: list[tuple[str, Any]], catalog: Catalog, source: str) -> Survey:
    answers_of = {q: leaf.survey_answers() for leaf in catalog.leaves if (q := leaf.survey_question())}
    survey: Survey = {}
    problems: list[Problem] = []
    for where, row in rows:
        if not isinstance(row, dict):
            problems.append(Problem("mỗi kết quả là một bảng {unit_id, question, A, B, ...}", source, where))
            continue
        unit_id, question = str(row.get("unit_id") or "").strip(), str(row.get("question") or "").strip()
        if not unit_id or question not in answers_of:
            problems.append(
                Problem(f"cần unit_id và question là một trong: {', '.join(answers_of)}", source, where, "question")
            )
            continue
        names = {n.casefold(): code for code, alias in answers_of[question].items() for n in alias}
        counts: dict[str, int] = {}
        for key, value in row.items():
            if key in ("unit_id", "question"):
                continue
            code = names.get(str(key).strip().casefold())
            if code is None:
                problems.append(
                    Problem(
                        f"phương án '{key}' không có; dùng {', '.join(answers_of[question])}", source, where, str(key)
                    )
                )
                continue
            try:
                counts[code] = counts.get(code, 0) + parse.count(value)
            except ValueError as e:
                problems.append(Problem(str(e), source, where, str(key)))
        if question in survey.get(unit_id, {}):
            problems.append(Problem(f"đơn vị {unit_id}, câu hỏi {question} đã có kết quả", source, where))
        survey.setdefault(unit_id, {})[question] = counts
    if problems:
        raise InputError(problems)
    return survey
