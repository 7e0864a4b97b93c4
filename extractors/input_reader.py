"""Find input files and decode them the way users actually have them.

Pages arrive as UTF-8 (with or without BOM), UTF-16 from Windows tools, or
GB18030/GBK from older Chinese systems. A file that cannot be read becomes an
InputError with a one-line reason, so the caller can report it and go on.
"""
from __future__ import annotations

import codecs
import errno
import glob
import os
import re
import stat
from fnmatch import fnmatch
from pathlib import Path
from typing import Sequence

from .records import SourceDocument

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.text")
#: Larger files are reported and skipped, never read: a newspaper page is ~30 KB and a
#: long web article well under 1 MB, so 10 MiB only stops dumps, archives and devices.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "hz-gb-2312", "euc-cn"}


class InputError(Exception):
    """One-line, user-facing reason a file cannot be read (no traceback)."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


class UsageError(Exception):
    """An input argument that names nothing: a missing path or an empty glob."""


def display_path(path: str | Path) -> str:
    """The path as text that every output can hold: bytes of a file name that are not
    UTF-8 (kept by the OS as lone surrogates) become ``\\xff`` escapes."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def document_ids(paths: Sequence[Path]) -> dict[Path, str]:
    """A unique, stable id per input: the file stem (``000_82718d54f40bf8d9``, what the
    gold files are named after), widened by parent folders where stems collide
    (``a/page`` and ``b/page``), and by the suffix where even those do."""
    def tail(path: Path, n: int, suffix: bool) -> str:
        parts = list(path.parent.parts[-n:]) if n else []
        return "/".join(parts + [path.name if suffix else path.stem])

    ids: dict[Path, str] = {}
    groups: dict[str, list[Path]] = {}
    for path in paths:
        groups.setdefault(path.stem, []).append(path)
    for group in groups.values():
        depth = max(len(p.parent.parts) for p in group)
        names = [p.as_posix() for p in group]          # unique: the paths are
        for suffix, first in ((False, 0), (True, 0)):
            tries = ([tail(p, n, suffix) for p in group] for n in range(first, depth + 1))
            found = next((t for t in tries if len(set(t)) == len(t)), None)
            if found is not None:
                names = found
                break
        for p, name in zip(group, names):
            ids[p] = display_path(name)
    return ids


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", re.IGNORECASE)


def parse_size(text: str) -> int:
    """'10M', '512k', '2GiB', '1000' → bytes; 0 means no limit. ValueError otherwise."""
    m = _SIZE.fullmatch(text)
    if m is None:
        raise ValueError(f"not a size: {text!r} (examples: 10M, 512k, 2G; 0 for no limit)")
    return int(float(m.group(1)) * 1024 ** " kmg".index(m.group(2).lower() or " "))


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
    """Control characters (other than tab/newlines/form feed) in quantity mean binary;
    a stray one or two (an ESC or NUL left by a copy-paste) do not."""
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


def _plausible_share(text: str) -> float:
    """Share of characters that running text is made of: CJK, its punctuation, ASCII
    letters, digits, punctuation and whitespace (not controls, not private use)."""
    ok = sum(1 for c in text if " " <= c <= "~" or c in "\t\r\n" or "\u3000" <= c <= "\u9fff"
             or "\uff00" <= c <= "\uffef" or "\u2000" <= c <= "\u206f")
    return ok / (len(text) or 1)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without BOM: NUL bytes at every other position for ASCII, or, for
    Chinese with little ASCII, a decoding that reads as running text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros > half * 0.2 and (text := _strict(data, codec)) is not None:
            return text
    readings = [(_plausible_share(t), t) for codec in ("utf-16-le", "utf-16-be")
                if (t := _strict(data, codec)) is not None]
    best = max(readings, default=None, key=lambda r: r[0])
    return best[1] if best is not None and best[0] > 0.95 else None


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


_FILE_KINDS = ((stat.S_ISDIR, "is a directory"), (stat.S_ISFIFO, "is a FIFO (named pipe)"),
               (stat.S_ISCHR, "is a character device"), (stat.S_ISBLK, "is a block device"),
               (stat.S_ISSOCK, "is a socket"))


def size_text(n: float) -> str:
    """A byte count for messages: '12.0 KiB', '1.0 GiB', '312 bytes'."""
    for unit, size in (("GiB", 1024 ** 3), ("MiB", 1024 ** 2), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (0: no cap).

    Opened without blocking and checked with fstat before reading, so a FIFO, a
    device or a socket is reported instead of hanging or streaming forever."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        raise InputError(display_path(path), "is a directory") from None
    except OSError as err:
        if err.errno == errno.ENXIO:            # a socket or a FIFO without writer on some systems
            raise InputError(display_path(path), "not a regular file") from None
        raise InputError(display_path(path), f"cannot read: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        for test, reason in _FILE_KINDS:
            if test(info.st_mode):
                raise InputError(display_path(path), f"{reason}, not a regular file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(display_path(path), "not a regular file")
        if max_bytes and info.st_size > max_bytes:
            raise InputError(display_path(path), f"too large ({size_text(info.st_size)}; the limit is "
                             f"{size_text(max_bytes)}, see --max-file-size)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            # read at most one byte past the cap: a file growing while read is caught too
            data = fh.read(max_bytes + 1) if max_bytes else fh.read()
    except OSError as err:
        raise InputError(display_path(path), f"cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if max_bytes and len(data) > max_bytes:
        raise InputError(display_path(path), f"too large (over {size_text(max_bytes)}, see --max-file-size)")
    return data


def read_document(path: str | Path, encoding: str | None = None, doc_id: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument:
    """Decode one file; raise InputError with a short reason.

    ``doc_id`` defaults to the file stem; `document_ids` gives unique ids for a corpus.
    The document's ``path`` is `display_path`: valid text whatever bytes the name has."""
    path = Path(path)
    return decode_document(read_bytes(path, max_bytes), display_path(path), encoding,
                           doc_id or display_path(path.stem))


def decode_document(data: bytes, shown: str, encoding: str | None, doc_id: str) -> SourceDocument:
    """Decode a file's bytes (read here or on another machine: see `read_document`);
    ``shown`` is the path as reported and recorded in evidence."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(shown, f"unknown encoding {encoding}") from None
        text = _strict(data, encoding)
        if text is None:
            raise InputError(shown, f"cannot decode as {encoding}")
        codec = encoding.lower()
    elif data.startswith(codecs.BOM_UTF8):
        text, codec = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, codec = _strict(data, "utf-16"), "utf-16"
    else:
        if data.count(0) > max(2, len(data) // 200) and _utf16_without_bom(data) is None:
            raise InputError(shown, "binary file (not text)")
        found = _detect(data) if data.strip() else ("", "utf-8")
        text, codec = found if found else (None, "")
    if text is None:
        if b"\x00" in data:                 # undecodable and with NUL bytes: not text at all
            raise InputError(shown, "binary file (not text)")
        raise InputError(shown, "cannot decode as text; try --encoding")
    text = text.lstrip("\ufeff") if codec.startswith("utf-16") else text
    if not text.strip():
        raise InputError(shown, "empty file")
    if _looks_binary(text):
        raise InputError(shown, "binary file (not text)")
    return SourceDocument(doc_id=doc_id, path=shown, raw=text, encoding=codec)
