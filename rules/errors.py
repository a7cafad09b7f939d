"""One error type for every bad input: it names where (file, sheet, row, line) and what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str | None = None
    where: str | None = None  # "dòng 12", "sheet 'Số liệu', dòng 7"
    field: str | None = None

    def __str__(self) -> str:
        place = ", ".join(p for p in (self.file, self.where) if p)
        field = f" [{self.field}]" if self.field else ""
        return f"{place}{field}: {self.message}" if place else f"{field.strip()} {self.message}".strip()


class InputError(Exception):
    """Bad input (catalog, evidence, appraisal): exit code 2, never a traceback."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class EngineError(Exception):
    """The rule engine lost or duplicated a result: a bug, never a silently wrong score."""


# Pydantic's error types, said in Vietnamese for the people who wrote the file.
_PYDANTIC_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "string_too_short": "không được để trống",
    "extra_forbidden": "trường không được hỗ trợ ở vị trí này",
    "string_pattern_mismatch": "chỉ dùng chữ không dấu, số, '-', '_', '.'",
    "float_parsing": "cần một số",
    "int_parsing": "cần một số nguyên",
    "date_from_datetime_parsing": "cần ngày dạng yyyy-mm-dd",
    "bool_parsing": "cần true/false",
    "string_type": "cần chuỗi ký tự",
    "dict_type": "cần một bảng (mapping)",
    "list_type": "cần một danh sách",
}


def pydantic_message(err: Mapping[str, Any], extra: dict[str, str] | None = None) -> str:
    """One pydantic error as a Vietnamese message; `extra` overrides by error type."""
    messages = {**_PYDANTIC_MESSAGES, **(extra or {})}
    return messages.get(err["type"]) or err["msg"].removeprefix("Value error, ")
