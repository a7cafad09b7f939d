"""Writing outputs safely: to a temporary file beside the target, then an atomic rename."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rules.errors import InputError, Problem

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (a workbook or Word file with one does not open), DEL and lone surrogates.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """Text as every output may hold it: control characters a user typed or a file carried removed."""
    return NOT_XML.sub("", text)


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once, at import: os.umask can only be read by setting it, which threads must not race.
UMASK = _read_umask()


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "wb", **options) -> Iterator[IO]:
    """A temporary file beside `path`, renamed over it only once fully written: the target holds
    either its previous content or the complete new one, never half of it."""
    path = Path(path)
    check_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise InputError(Problem(f"không ghi được tệp kết quả: {e.strerror or e}", str(path))) from None
    try:
        # mkstemp makes the file 0600; an output is for colleagues and web servers too: 0666 less the umask
        os.chmod(tmp, 0o666 & ~UMASK)
        with os.fdopen(fd, mode, **options) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_target(path: Path, folder: bool = False) -> None:
    """Outputs go to regular files (or folders) or to new paths: renaming a file over a FIFO, a
    device or a /proc entry would replace it (as root, even /dev/full), so those are refused."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise InputError(Problem(f"không dùng được làm nơi ghi kết quả: {e.strerror or e}", str(path))) from None
    if folder and not stat.S_ISDIR(mode):
        raise InputError(Problem("đã có và không phải thư mục: chọn một thư mục để ghi báo cáo", str(path)))
    if not folder and not stat.S_ISREG(mode):
        raise InputError(
            Problem("không phải tệp thường (thư mục, thiết bị, FIFO…): chọn một tệp để ghi kết quả", str(path))
        )
    if not folder and str(path.resolve()).startswith(("/proc/", "/sys/")):  # kernel files look regular
        raise InputError(Problem("tệp hệ thống: chọn một tệp khác để ghi kết quả", str(path)))


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One run at a time writes a report folder: a second run waits for the first to finish, so the
    folder never holds unit files of one run and the summary of another. (POSIX advisory lock;
    where there is none, each file is still written whole.)"""
    check_target(folder, folder=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(Problem(f"không tạo được thư mục báo cáo: {e.strerror or e}", str(folder))) from None
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    with open(folder / ".cchc-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def atomic_write(path: Path, data: str | bytes) -> None:
    with atomic_file(path) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def safe_cell(text: str) -> str:
    """Text a spreadsheet would take for a formula is prefixed with an apostrophe."""
    return "'" + text if isinstance(text, str) and text.startswith(FORMULA_START) else text


@contextlib.contextmanager
def text_output(path: Path | None) -> Iterator[IO[str]]:
    """Standard output, or `path` written atomically."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_file(path, "w", encoding="utf-8", newline="") as f:
        yield f
