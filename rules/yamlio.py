"""Safe YAML/JSON reading that remembers the line of every key, for error messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from rules.errors import InputError, Problem

Lines = dict[tuple, int]
# libyaml's safe loader when present (about 10× faster); both refuse python/* tags.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(Problem(f"tệp không phải UTF-8 (byte lỗi ở vị trí {e.start})", str(path))) from None
    except OSError as e:
        raise InputError(Problem(f"không đọc được tệp: {e.strerror}", str(path))) from None


def load_yaml(path: Path) -> tuple[Any, Lines]:
    """Parse with yaml.SafeLoader only (no python tags) and map each key path to its line (1-based)."""
    text = read_text(path)
    if not text.strip():
        raise InputError(Problem("tệp rỗng", str(path)))
    loader = _SafeLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else None
        raise InputError(Problem(f"YAML không hợp lệ: {e.problem or e}", str(path), where)) from None
    except yaml.YAMLError as e:
        raise InputError(Problem(f"YAML không hợp lệ: {e}", str(path))) from None
    finally:
        loader.dispose()
    return data, LazyLines(text)


class LazyLines(dict):
    """The line of every key path, found by parsing the text again only when a message needs one."""

    def __init__(self, text: str):
        super().__init__()
        self._text: str | None = text

    def _fill(self) -> None:
        if self._text is not None:
            loader = _SafeLoader(self._text)
            try:
                _collect_lines(loader.get_single_node(), (), self)
            finally:
                loader.dispose()
            self._text = None

    def __contains__(self, key: object) -> bool:
        self._fill()
        return super().__contains__(key)

    def get(self, key, default=None):
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key):
        self._fill()
        return super().__getitem__(key)

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def items(self):
        self._fill()
        return super().items()


def load_json(path: Path) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as e:
        raise InputError(Problem(f"JSON không hợp lệ: {e.msg}", str(path), f"dòng {e.lineno}, cột {e.colno}")) from None


def _collect_lines(node: yaml.Node | None, path: tuple, lines: Lines) -> None:
    if node is None:
        return
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + (key.value,)
            lines[child] = key.start_mark.line + 1
            _collect_lines(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect_lines(item, path + (i,), lines)


def line_of(lines: Lines, loc: tuple) -> int | None:
    """The line of a pydantic error location; parts YAML never had (union tags) are skipped."""
    path: tuple = ()
    for part in loc:
        if path + (part,) in lines:
            path += (part,)
    return lines.get(path)
