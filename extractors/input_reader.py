"""Find input files and decode them the way users actually have them.

Pages arrive as UTF-8 (with or without BOM), UTF-16 from Windows tools, or
GB18030/GBK from older Chinese systems. A file that cannot be read becomes an
InputError with a one-line reason, so the caller can report it and go on.
"""
from __future__ import annotations

import codecs
import glob
import os
from fnmatch import fnmatch
from pathlib import Path
from typing import Sequence

from .records import SourceDocument

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.text")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "hz-gb-2312", "euc-cn"}


class InputError(Exception):
    """One-line, user-facing reason a file cannot be read (no traceback)."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


class UsageError(Exception):
    """An input argument that names nothing: a missing path or an empty glob."""


def _walk(directory: Path, include: Sequence[str], exclude: Sequence[str]) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            path = Path(root) / name
            rel = path.relative_to(directory).as_posix()
            if any(fnmatch(name, g) for g in include) and not _excluded(name, rel, exclude):
                found.append(path)
    return found


def _excluded(name: str, rel: str, exclude: Sequence[str]) -> bool:
    return any(fnmatch(name, g) or fnmatch(rel, g) for g in exclude)


def discover(inputs: Sequence[str], include: Sequence[str] | None = None,
             exclude: Sequence[str] = ()) -> list[Path]:
    """Expand files, directories (recursive) and glob patterns into a sorted, de-duplicated list."""
    include = tuple(include or DEFAULT_INCLUDE)
    found: list[Path] = []
    for item in inputs:
        if any(c in item for c in "*?[") and not Path(item).exists():
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise UsageError(f"pattern matched no files: {item}")
            targets = [Path(m) for m in matches]
        else:
            if not Path(item).exists():
                raise UsageError(f"no such file or directory: {item}")
            targets = [Path(item)]
        for target in targets:
            if target.is_dir():
                found.extend(_walk(target, include, exclude))
            elif not _excluded(target.name, target.as_posix(), exclude):
                found.append(target)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return sorted(unique.values(), key=lambda p: str(p))


def _looks_binary(text: str) -> bool:
    """Control characters (other than tab/newlines/form feed) in quantity mean binary."""
    if "\x00" in text:
        return True
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    return controls > max(2, len(text) // 200)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _cjk_share(text: str) -> float:
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    letters = sum(1 for c in text if not c.isspace() and not c.isascii()) or 1
    return cjk / letters


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without BOM shows NUL bytes at every other position for ASCII."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros > half * 0.2 and (text := _strict(data, codec)) is not None:
            return text
    return None


def _detect(data: bytes) -> tuple[str, str] | None:
    """Return (text, codec) for undeclared bytes, or None when nothing fits."""
    if (text := _strict(data, "utf-8")) is not None:
        return text, "utf-8"
    if (text := _utf16_without_bom(data)) is not None:
        return text, "utf-16"
    # Short Chinese texts fool statistical detectors; valid GB18030 that reads as
    # mostly CJK ideographs is the overwhelmingly common case.
    if b"\x00" not in data and (text := _strict(data, "gb18030")) is not None and _cjk_share(text) > 0.6:
        return text, "gb18030"
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        return None
    codec = best.encoding.lower().replace("_", "-")
    if codec in _GB_FAMILY or codec.replace("-", "") in _GB_FAMILY:
        codec = "gb18030"
    text = _strict(data, codec)
    return (text, codec) if text is not None else None


def read_document(path: str | Path, encoding: str | None = None) -> SourceDocument:
    """Decode one file; raise InputError with a short reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from None
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(path, f"unknown encoding {encoding}") from None
        text = _strict(data, encoding)
        if text is None:
            raise InputError(path, f"cannot decode as {encoding}")
        codec = encoding.lower()
    elif data.startswith(codecs.BOM_UTF8):
        text, codec = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, codec = _strict(data, "utf-16"), "utf-16"
    else:
        if b"\x00" in data and _utf16_without_bom(data) is None:
            raise InputError(path, "binary file (not text)")
        found = _detect(data) if data.strip() else ("", "utf-8")
        text, codec = found if found else (None, "")
    if text is None:
        raise InputError(path, "cannot decode as text; try --encoding")
    text = text.lstrip("\ufeff") if codec.startswith("utf-16") else text
    if not text.strip():
        raise InputError(path, "empty file")
    if _looks_binary(text):
        raise InputError(path, "binary file (not text)")
    return SourceDocument(doc_id=path.stem, path=str(path), raw=text, encoding=codec)
