"""One error type for every bad input: it names where (file, sheet, row, line) and what."""

from __future__ import annotations

from dataclasses import dataclass


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
