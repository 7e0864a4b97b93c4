"""Start-up objects compiled once and loaded from disk: every process (each worker, each
`renda-kg extract`) would otherwise rebuild the place tree and jieba's dictionaries, seconds
each, before reading a word.

An entry lives in ``cache_root()/startup/<name>-<key>.bin``. The key hashes everything the
compiled object depends on: the bytes of the source and data files that shape it, the
Python version, the marshal and pickle formats, and this file. A file
holds a header (magic, codec, length, CRC-32) and the payload: pickle, or marshal (faster
to load) for an entry its caller declares to be built-in data only (marshal would
silently write any buffer, a numpy array, as bytes).

Nothing here may fail a run: an entry that is missing, truncated, corrupt or unreadable is
rebuilt, and a cache directory that cannot be written only means no caching. Entries are
written to a temporary file and renamed into place, so processes starting together never
read half a file; a few older entries per name are kept (two checkouts may alternate), the
rest removed.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import logging
import marshal
import os
import pickle
import struct
import sys
import threading
import time
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, TypeVar, Union

from .cache_location import cache_root

__all__ = ["load_or_build", "cache_key", "entry_path", "jieba_dictionary", "default_jieba", "fresh_jieba"]

T = TypeVar("T")

#: Bumped when the file layout or a payload's meaning changes.
FORMAT = 2
_MAGIC = b"RKGSTRT\x01"
_HEADER = struct.Struct("<8sBQI")          # magic, codec, payload length, CRC-32
_MARSHAL, _PICKLE = 1, 2
_CODECS = {"marshal": _MARSHAL, "pickle": _PICKLE}
_PICKLE_PROTOCOL = 5
#: Entries kept per name (the newest by use); older ones are removed after a write.
KEEP = 3

KeyPart = Union[str, Path]


@lru_cache(maxsize=1)
def _environment() -> bytes:
    """What decides whether a payload can be read back: the interpreter and its formats,
    and this file (its layout and its builders), so an edit here retires every entry."""
    return repr((FORMAT, sys.version, sys.implementation.cache_tag, sys.byteorder,
                 marshal.version, _PICKLE_PROTOCOL, Path(__file__).read_bytes())).encode()


def cache_key(name: str, depends_on: Iterable[KeyPart]) -> str:
    """Hex digest over the environment, the entry's name and what it depends on: a Path
    counts by its bytes (so an edited lexicon or an upgraded package's data is a new key),
    a string as itself (a version, a word list). OSError when a file cannot be read."""
    h = hashlib.sha256(_environment())
    for part in (name, *depends_on):
        data = Path(part).read_bytes() if isinstance(part, Path) else str(part).encode()
        h.update(b"F" if isinstance(part, Path) else b"S")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def entry_path(name: str, key: str) -> Path:
    return cache_root() / "startup" / f"{name}-{key[:32]}.bin"


def load_or_build(name: str, depends_on: Iterable[KeyPart], build: Callable[[], T],
                  codec: str = "pickle") -> T:
    """The object ``build()`` returns, from the cache when an entry for the key exists,
    else built and stored. ``build`` must return plain data (built-in types, or objects
    that pickle by value); the caller turns it into live objects, the same way on both
    paths, so a cached run and a building run cannot differ. ``codec="marshal"`` only for
    dicts, lists, tuples, strings and numbers."""
    if codec not in _CODECS:
        raise ValueError(f"codec {codec!r}: use 'pickle' or 'marshal'")
    try:
        path: Optional[Path] = entry_path(name, cache_key(name, depends_on))
    except (OSError, ValueError):
        path = None                         # a source file is unreadable: build, don't cache
    if path is not None:
        found = _read(path)
        if found is not None:
            return found[0]
    value = build()
    if path is not None:
        _write(path, value, _CODECS[codec])
    return value


def _read(path: Path) -> Optional[tuple[Any]]:
    """(value,) from a sound entry; None for a missing, damaged or unreadable one."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        magic, codec, length, crc = _HEADER.unpack_from(data)
        payload = memoryview(data)[_HEADER.size:]
        if magic != _MAGIC or len(payload) != length or zlib.crc32(payload) != crc:
            return None
        was_enabled = gc.isenabled()
        gc.disable()                        # a million new objects: no collections meanwhile
        try:
            if codec == _MARSHAL:
                return (marshal.loads(payload),)
            if codec == _PICKLE:
                return (pickle.loads(payload),)
            return None
        finally:
            if was_enabled:
                gc.enable()
    except Exception:                       # any damage at all: rebuild
        return None


def _write(path: Path, value: Any, codec: int) -> None:
    """Store atomically; any failure (read-only or missing root, full disk) is ignored."""
    tmp = None
    try:
        payload = marshal.dumps(value) if codec == _MARSHAL else pickle.dumps(value, protocol=_PICKLE_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        name = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident():x}.tmp")
        with open(name, "xb") as fh:          # ours alone from here on
            tmp = name
            fh.write(_HEADER.pack(_MAGIC, codec, len(payload), zlib.crc32(payload)))
            fh.write(payload)
        os.replace(tmp, path)
        tmp = None
        _prune(path)
    except Exception:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _prune(kept: Path) -> None:
    """Remove all but the KEEP newest entries of this name (the one just written stays)."""
    stem = kept.name.rsplit("-", 1)[0]
    siblings = []
    for p in kept.parent.glob(f"{stem}-*.bin"):
        with contextlib.suppress(OSError):
            if p != kept and p.name.rsplit("-", 1)[0] == stem:
                siblings.append((p.stat().st_mtime, p))
    for _, p in sorted(siblings, reverse=True)[KEEP - 1:]:
        with contextlib.suppress(OSError):
            p.unlink()
    for p in kept.parent.glob(f".{stem}-*.tmp"):      # left by a process that died writing
        with contextlib.suppress(OSError):
            if time.time() - p.stat().st_mtime > 3600:
                p.unlink()


# ---------------------------------------------------------------------------
# jieba's default dictionary


def _jieba_files() -> list[Path]:
    """jieba's code and dictionary, found without importing it (its import reads nothing
    of them, but building does)."""
    import importlib.util
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed: pip install 'jieba>=0.42,<0.43'")
    root = Path(list(spec.submodule_search_locations)[0])
    return [root / "__init__.py", root / "posseg" / "__init__.py", root / "dict.txt"]


@contextlib.contextmanager
def _quiet():
    """jieba logs its loading to stderr."""
    with contextlib.redirect_stderr(io.StringIO()):
        import jieba
        jieba.setLogLevel(logging.WARNING)
        yield jieba


def _build_jieba_dictionary() -> tuple[dict[str, int], int, dict[str, str]]:
    """What ``jieba.initialize()`` and ``jieba.posseg`` compute from dict.txt: the prefix
    dictionary with its total, and the POS tag of each word. The tag table reuses the
    prefix dictionary's strings, so the entry stores each word once."""
    with _quiet() as jieba:
        import jieba.posseg
        tok = jieba.Tokenizer()
        freq, total = tok.gen_pfdict(tok.get_dict_file())
        tags = jieba.posseg.dt.word_tag_tab
    same = {w: w for w in freq}
    return freq, total, {same.get(w, w): t for w, t in tags.items()}


@lru_cache(maxsize=1)
def jieba_dictionary() -> tuple[dict[str, int], int, dict[str, str]]:
    """(FREQ, total, word → POS tag) of jieba's default dictionary, compiled once.
    Shared: callers that add words work on a copy (`fresh_jieba`)."""
    return load_or_build("jieba_dictionary", _jieba_files(), _build_jieba_dictionary, codec="marshal")


def default_jieba():
    """The ``jieba`` module with its global tokenizer initialised from the cache, and the
    POS table; a global tokenizer already set up by someone else is left as it is."""
    freq, total, tags = jieba_dictionary()
    with _quiet() as jieba:
        dt = jieba.dt
        with dt.lock:
            if not dt.initialized and dt.dictionary == jieba.DEFAULT_DICT:
                dt.FREQ, dt.total, dt.initialized = freq, total, True
            elif dt.dictionary != jieba.DEFAULT_DICT:      # a custom dictionary: its own tags
                import jieba.posseg
                jieba.initialize()
                tags = jieba.posseg.dt.word_tag_tab
    return jieba, tags


def fresh_jieba():
    """A new jieba Tokenizer with the default dictionary, as ``Tokenizer().initialize()``
    makes it, on its own copy of the prefix dictionary (so ``add_word`` stays private)."""
    freq, total, _ = jieba_dictionary()
    with _quiet() as jieba:
        tok = jieba.Tokenizer()
    with tok.lock:
        tok.FREQ, tok.total, tok.initialized = dict(freq), total, True
    return tok
