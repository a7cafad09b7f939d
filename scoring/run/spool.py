"""Copying spooled JSON lines into an output without passing them through Python where the
system allows: 20,000 units are 860 MB of JSON, which `os.sendfile` copies inside the kernel."""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, TextIO

from scoring.run.pipeline import StoredLine


class SpoolReader:
    """Reads parts of stored lines, keeping the last spool file open (lines come file by file)."""

    def __init__(self) -> None:
        self._path: Path | None = None
        self._file: BinaryIO | None = None

    def file(self, line: StoredLine) -> BinaryIO:
        if self._file is None or line.path != self._path:
            self.close()
            self._file, self._path = line.path.open("rb"), line.path
        return self._file

    def read(self, line: StoredLine, offset: int, count: int) -> bytes:
        """`count` bytes of the line from `offset` (in the line)."""
        f = self.file(line)
        f.seek(line.start + offset)
        return f.read(count)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> SpoolReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, e: BaseException | None, t: TracebackType | None) -> None:
        self.close()


class RawOutput:
    """The bytes under a text output. A UTF-8 output (a file, a pipe, most terminals) gets them
    as they are, straight to its file descriptor where it has one; any other gets them decoded.
    The text output is flushed first, and must not be written again before `flush`."""

    def __init__(self, out: TextIO):
        out.flush()
        self.out = out
        self.buffer = _utf8_buffer(out)
        self.fd = _fileno(self.buffer) if self.buffer is not None and hasattr(os, "sendfile") else None

    def write(self, data: bytes) -> None:
        if self.fd is not None:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view) :]
        elif self.buffer is not None:
            self.buffer.write(data)
        else:
            self.out.write(data.decode("utf-8"))

    def copy(self, spool: SpoolReader, line: StoredLine, offset: int, count: int) -> None:
        """`count` bytes of a stored line from `offset`, copied by the kernel where it can."""
        if self.fd is not None:
            source, at, left = spool.file(line).fileno(), line.start + offset, count
            try:
                while left:
                    sent = os.sendfile(self.fd, source, at, left)
                    if sent == 0:
                        raise RuntimeError(f"{line.path}: spool file shorter than expected")
                    at, left = at + sent, left - sent
                return
            except OSError:  # an output sendfile cannot write to: copied through this process instead
                if left != count:
                    raise
                self.fd = None
        self.write(spool.read(line, offset, count))

    def flush(self) -> None:
        if self.buffer is not None:
            self.buffer.flush()


def _utf8_buffer(out: TextIO) -> BinaryIO | None:
    """The bytes under a text output that writes UTF-8, else None."""
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is None or not encoding:
        return None
    return buffer if codecs.lookup(encoding).name == "utf-8" else None


def _fileno(buffer: BinaryIO) -> int | None:
    try:
        return buffer.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
