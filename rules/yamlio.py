"""Safe, bounded YAML/JSON reading that remembers the line of every key, for error messages.

Every file read here is bounded before it can cost much: its size, its number of YAML nodes, its
nesting depth; aliases (which can make a 1 KB file stand for billions of values) are refused
except in catalogs, which may use `<<:` merges; a key given twice in one mapping is an error
naming both lines. Text is normalised to NFC, and no-break and zero-width spaces to plain spaces
or nothing, so files saved in decomposed Unicode (macOS) read as the same file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from rules import vn
from rules.errors import InputError, Problem

Lines = dict[tuple, int]  # key path -> its line (1-based)


# libyaml's safe loader when present (about 10× faster); both refuse python/* tags.
class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """yaml's safe loader (libyaml's when installed), with each plain scalar's type looked up once:
    an evidence file repeats the same keys and values thousands of times, and the lookup (regular
    expressions, in Python) was a third of the parse."""

    _scalar_tags: dict[tuple, str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._scalar_tags.get(key)
        if tag is None:
            if len(self._scalar_tags) > 200_000:  # bounded: a file of distinct numbers does not grow it
                self._scalar_tags.clear()
            tag = self._scalar_tags[key] = super().resolve(kind, value, implicit)
        return tag


MAX_BYTES = 50 * 1024 * 1024  # a YAML, JSON or CSV file (20,000 units of evidence are about 40 MB)
MAX_NODES = 5_000_000  # YAML scalars, mappings and sequences in one file
MAX_DEPTH = 50  # nesting of mappings and sequences
TOO_MANY_VALUES = f"tệp có quá nhiều giá trị (hơn {vn.number(MAX_NODES)}): hãy chia thành nhiều tệp"
TOO_DEEP = f"lồng quá sâu (hơn {MAX_DEPTH} mức)"
ALIAS_REFUSED = "không dùng neo/bí danh YAML (&, *) trong tệp này: giá trị có neo ở đây được dùng lại"
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width and soft hyphen
_NO_BREAK = re.compile("[\u00a0\u202f\u2007]")


def normalise(text: str) -> str:
    """NFC, no-break spaces as spaces, zero-width characters gone: what a person sees is what we read."""
    return _NO_BREAK.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text)))


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            message = (
                f"tệp quá lớn ({size / 1048576:.0f} MB; tối đa {MAX_BYTES // 1048576} MB): hãy chia thành nhiều tệp"
            )
            raise InputError(Problem(message, str(path)))
        return normalise(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise InputError(Problem(f"tệp không phải UTF-8 (byte lỗi ở vị trí {e.start})", str(path))) from None
    except OSError as e:
        raise InputError(Problem(f"không đọc được tệp: {e.strerror}", str(path))) from None


def load_yaml(path: Path, aliases: bool = False) -> tuple[Any, Lines]:
    """Parse with yaml.SafeLoader only (no python tags), bounded (see the module), and map each key
    path to its line (1-based). `aliases`: allow anchors and aliases (catalogs' `<<:` merges)."""
    text = read_text(path)
    if not text.strip():
        raise InputError(Problem("tệp rỗng", str(path)))
    try:
        return _read_events(text, str(path), aliases)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else None
        raise InputError(Problem(f"YAML không hợp lệ: {e.problem or e}", str(path), where)) from None
    except yaml.YAMLError as e:
        raise InputError(Problem(f"YAML không hợp lệ: {e}", str(path))) from None


_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_STR, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"  # _MERGE: also a `<<` key read
_IMMUTABLE = {f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "timestamp", "binary")}


def _scalar_maker(loader: Any) -> Callable[[Any, str], Any]:
    """What turns a scalar event of a resolved tag into its value, as PyYAML's safe loader would;
    values that cannot change (numbers, dates, booleans) are built once per file and text."""
    constructors = loader.yaml_constructors
    scalars: dict[tuple[str, str], Any] = {}  # (tag, text) -> value

    def scalar(event: Any, tag: str) -> Any:
        if tag == _STR:
            return event.value
        value = scalars.get((tag, event.value), scalars)
        if value is scalars:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            try:
                value = (constructors.get(tag) or constructors[None])(loader, node)
            except ValueError:
                value = event.value  # left as text, for the evidence's own check to name the field
            if tag in _IMMUTABLE:
                if len(scalars) > 100_000:
                    scalars.clear()
                scalars[(tag, event.value)] = value
        return value

    return scalar


def _read_events(text: str, source: str, aliases: bool = False) -> tuple[Any, Lines]:
    """Data and key lines built straight from libyaml's events, checked as they come: size, depth,
    aliases (refused unless `aliases`), keys written twice. PyYAML's node tree (two marks per node)
    is never built, which halves the time and the memory of reading a large evidence file. Values
    are what PyYAML's safe loader gives, merge keys (`<<:`) included. The first problem is raised
    only once the whole file has parsed, so that a syntax error anywhere is what is reported, as
    PyYAML's composer does. The loop runs once per event (about 300 a unit): what is rare is
    tested inside the branches."""
    loader = _SafeLoader(text)
    resolve, get = loader.resolve, loader.get_event
    scalar = _scalar_maker(loader)
    tags = _SafeLoader._scalar_tags  # resolve's own cache, looked up here first: most scalars are keys
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    lines: dict[tuple, int] = {}
    budget = [LINE_COPY_BUDGET]  # key lines a file's merges and aliases may still look through
    anchors: dict[str, tuple[int, Any, tuple]] = {}  # anchor -> (its line, its value, its key path)
    # Per open collection: [container, is a mapping, its key path, the key waiting for its value
    # (a mapping's, or _NO_KEY), the first line of each key as written (a mapping's), its merges
    # (a mapping's: (line, value) of each `<<:`)].
    stack: list[list] = []
    root: Any = None
    count = documents = 0
    problem: Problem | None = None
    try:
        while True:
            event = get()
            kind = event.__class__
            if kind is scalar_event:
                tag = event.tag
                if tag is None or tag == "!":
                    written, implicit = event.value, event.implicit
                    tag = tags.get((written, implicit)) or resolve(yaml.ScalarNode, written, implicit)
                value: Any = event.value if tag == _STR else _MERGE if tag == _MERGE else scalar(event, tag)
            elif kind is mapping_start or kind is sequence_start:
                if event.tag not in (None, "!", _MAP if kind is mapping_start else _SEQ):
                    message = f"could not determine a constructor for the tag {event.tag!r}"
                    raise yaml.constructor.ConstructorError(None, None, message, event.start_mark)
                value = {} if kind is mapping_start else []
            elif kind is yaml.MappingEndEvent:
                top = stack.pop()
                if top[5]:
                    _merge(top[0], top[5], top[2], lines, budget)
                continue
            elif kind is yaml.SequenceEndEvent:
                stack.pop()
                continue
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.AliasEvent:
                anchored = anchors.get(event.anchor)
                if anchored is None:
                    raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
                if not aliases and problem is None:
                    problem = Problem(ALIAS_REFUSED, source, f"dòng {anchored[0]}")
                alias_line, value, alias_of = anchored
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise yaml.composer.ComposerError(
                        "expected a single document in the stream", None, "but found another document", event.start_mark
                    )
                continue
            else:
                continue  # stream start, document end
            line = event.start_mark.line + 1
            if kind is not yaml.AliasEvent:
                count += 1
                if problem is None and count > MAX_NODES:
                    problem = Problem(TOO_MANY_VALUES, source)
                if problem is None and len(stack) >= MAX_DEPTH:
                    problem = Problem(TOO_DEEP, source, f"dòng {line}")
            if value is _MERGE and not (stack and stack[-1][1] and stack[-1][3] is _NO_KEY):  # `<<` not as a key
                message = f"could not determine a constructor for the tag {_MERGE!r}"
                raise yaml.constructor.ConstructorError(None, None, message, event.start_mark)
            if not stack:
                path: tuple = ()
                root = value
                lines[()] = line
            elif not stack[-1][1]:  # an item of a sequence
                top = stack[-1]
                path = top[2] + (len(top[0]),)
                lines[path] = line
                top[0].append(value)
            elif stack[-1][3] is _NO_KEY:  # a key of a mapping
                top = stack[-1]
                if kind is not scalar_event:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", None, "found unhashable key", event.start_mark
                    )
                written = event.value
                if value is not _MERGE:
                    first = top[4].get(written)
                    if first is None:
                        top[4][written] = line
                    elif problem is None:
                        problem = Problem(_twice(written, first, line), source, f"dòng {line}")
                    lines[top[2] + (written,)] = line
                top[3] = (value, written)
                continue
            else:  # the value of the key before it
                top = stack[-1]
                key, written = top[3]
                top[3] = _NO_KEY
                if key is _MERGE:
                    top[5].append((event.start_mark, value))
                    path = top[2] + ("<<",)
                else:
                    path = top[2] + (written,)
                    top[0][key] = value
            if kind is yaml.AliasEvent:
                if aliases:  # the anchored value's lines, as they were written, here too
                    if stack and not stack[-1][1]:
                        lines[path] = alias_line  # an item's line is its value's (a key's, the key's)
                    _copy_lines(lines, alias_of, path, budget)
                continue
            if event.anchor is not None:
                anchors[event.anchor] = (line, value, path)
            if kind is mapping_start:
                stack.append([value, True, path, _NO_KEY, {}, []])
            elif kind is sequence_start:
                stack.append([value, False, path])
    finally:
        loader.dispose()
    if problem is not None:
        raise InputError(problem)
    return root, lines


def _merge(
    mapping: dict, merges: list[tuple[Any, Any]], path: tuple, lines: dict[tuple, int], budget: list[int]
) -> None:
    """`<<:` merge keys as PyYAML applies them: the merged mappings' keys first (of a list, the
    first mapping wins), then the mapping's own, which win over all. `merges`: (where, value) of
    each `<<:`'s value. A merged key keeps the lines it was written on (read under `path + ("<<",)`)."""
    pairs: list[tuple[Any, Any]] = []
    by_precedence: list[tuple[tuple, dict]] = []  # (where a merged mapping's lines were read, it)
    for mark, value in merges:
        merged = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, m in reversed(merged):
            if not isinstance(m, dict):
                found = "sequence" if isinstance(m, list) else "scalar"
                wanted = "a mapping or list of mappings" if i is None else "a mapping"
                problem = f"expected {wanted} for merging, but found {found}"
                raise yaml.constructor.ConstructorError("while constructing a mapping", None, problem, mark)
            pairs += m.items()
            by_precedence.insert(0, (path + ("<<",) + (() if i is None else (i,)), m))
    for at, m in by_precedence:
        for key in m:
            if key not in mapping and at + (key,) in lines:
                lines.setdefault(path + (key,), lines[at + (key,)])
                _copy_lines(lines, at + (key,), path + (key,), budget, keep=True)
    if _spend(budget, len(lines)):
        for at in [k for k in lines if k[: len(path) + 1] == path + ("<<",)]:
            del lines[at]
    own = list(mapping.items())
    mapping.clear()
    for key, value in pairs + own:
        mapping[key] = value


def _copy_lines(lines: dict[tuple, int], source: tuple, target: tuple, budget: list[int], keep: bool = False) -> None:
    """The lines of everything under `source`, also under `target` (`keep`: where `target` has none
    yet), while the file's budget lasts (beyond it, a line error names the merged or aliased key)."""
    if not _spend(budget, len(lines)):
        return
    size = len(source)
    for at, line in [(k, v) for k, v in lines.items() if len(k) > size and k[:size] == source]:
        if not keep or target + at[size:] not in lines:
            lines[target + at[size:]] = line


def _spend(budget: list[int], cost: int) -> bool:
    """Whether `cost` is still within the budget (then spent): merges and aliases copy key lines by
    looking through all of them, which a file of many could make quadratic."""
    if budget[0] < cost:
        return False
    budget[0] -= cost
    return True


# Key lines a file's merges and aliases may look through, in all: about a second of work. The
# data is the same beyond it; only lines under merged and aliased keys are less precise.
LINE_COPY_BUDGET = 5_000_000
_NO_KEY = object()  # a mapping waiting for its next key


def scan_yaml(path: Path) -> Iterator[tuple[tuple, Any]]:
    """(key path, value) of each scalar value, in file order, parsed only as far as the caller
    reads: a quick look at the top of a large file. Integers are ints, other scalars strings."""
    loader = _SafeLoader(read_text(path))
    open_: list[list] = []  # per open container: [is a mapping, current key or index, waiting for a key]
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                open_.pop()
                if open_ and open_[-1][0]:
                    open_[-1][2] = True  # the mapping's value is complete: a key comes next
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                continue
            top = open_[-1] if open_ else None
            if top and top[0] and top[2]:  # a key of the open mapping
                top[1], top[2] = getattr(event, "value", None), False
                if isinstance(event, yaml.ScalarEvent):
                    continue
            elif top and not top[0]:
                top[1] += 1  # the next item of the open sequence
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append([isinstance(event, yaml.MappingStartEvent), -1, True])
                continue
            if isinstance(event, yaml.ScalarEvent):
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                value = int(event.value) if tag.endswith(":int") and event.value.isdigit() else event.value
                yield tuple(f[1] for f in open_), value
            if top and top[0]:
                top[2] = True
    except yaml.YAMLError:
        return  # reported when the file is loaded for real
    finally:
        loader.dispose()


def _twice(key: str, first: int, second: int) -> str:
    where = f"trên dòng {first}" if first == second or not second else f"(dòng {first} và dòng {second})"
    return f"khóa '{key}' ghi hai lần {where}: giữ một"


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """YAML as we read it back: UTF-8 text, keys in order, and a value used twice written twice
    (evidence files refuse anchors and aliases)."""
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=110)


def load_json(path: Path) -> Any:
    text = read_text(path)

    def unique(pairs: list[tuple[str, Any]]) -> dict:
        out: dict = {}
        for key, value in pairs:
            if key in out:
                pattern = re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:"
                lines = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(pattern, text)] + [0, 0]
                raise InputError(Problem(_twice(key, lines[0], lines[1]), str(path), f"dòng {lines[1] or lines[0]}"))
            out[key] = value
        return out

    def not_a_number(name: str) -> Any:
        raise InputError(Problem(f"{name} không phải số trong JSON: ghi một số, hoặc bỏ trống", str(path)))

    try:
        data = json.loads(text, object_pairs_hook=unique, parse_constant=not_a_number)
    except json.JSONDecodeError as e:
        raise InputError(Problem(f"JSON không hợp lệ: {e.msg}", str(path), f"dòng {e.lineno}, cột {e.colno}")) from None
    except RecursionError:
        raise InputError(Problem(TOO_DEEP, str(path))) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise InputError(Problem("JSON có một số quá dài (hơn 4.300 chữ số): không phải số liệu", str(path))) from None
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(Problem(TOO_DEEP, str(path)))
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return data


def line_of(lines: Lines, loc: tuple) -> int | None:
    """The line of a pydantic error location; parts YAML never had (union tags) are skipped."""
    path: tuple = ()
    for part in loc:
        if path + (part,) in lines:
            path += (part,)
    return lines.get(path)
