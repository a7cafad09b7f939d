"""Zip packages (xlsx, docx) checked before they are opened: a small file may unzip to gigabytes."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from rules.errors import InputError, Problem

MB = 1024 * 1024


def check_zip(
    path: Path, what: str, total: int, parts: dict[str, int], default_part: int, refuse_doctype: bool = False
) -> None:
    """Refuse a zip package (xlsx, docx) whose parts would unzip larger than these limits, from the
    sizes its directory declares (Python's zipfile never inflates a part past its declared size).
    `refuse_doctype`: an XML part that declares a DTD is refused too; Office never writes one, and
    a DTD is how entity bombs and external entities (XXE) come in."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_sizes(path, what, infos, total, parts, default_part)
            if refuse_doctype:
                for info in infos:
                    if info.filename.endswith((".xml", ".rels")):
                        with z.open(info) as part:
                            if b"<!doctype" in part.read(4096).lower():  # a DTD comes before the root
                                message = f"phần «{info.filename}» của tệp {what} có khai báo DTD: không đọc"
                                raise InputError(Problem(message, str(path)))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError) as e:
        raise InputError(Problem(f"không phải tệp {what} hợp lệ ({type(e).__name__})", str(path))) from None


def _check_sizes(path: Path, what: str, infos: list, total: int, parts: dict[str, int], default_part: int) -> None:
    unzipped = sum(info.file_size for info in infos)
    if unzipped > total:
        message = f"tệp {what} giải nén ra {unzipped / MB:,.0f} MB (tối đa {total // MB} MB): không đọc"
        raise InputError(Problem(message, str(path)))
    for info in infos:
        limit = parts.get(info.filename, default_part)
        if info.file_size > limit:
            message = (
                f"phần «{info.filename}» của tệp {what} giải nén ra {info.file_size / MB:,.1f} MB "
                f"(tối đa {limit / MB:g} MB): tệp bất thường, không đọc"
            )
            raise InputError(Problem(message, str(path)))
