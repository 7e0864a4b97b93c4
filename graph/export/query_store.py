"""graph.oxigraph/: the build's RDF as an Oxigraph database, so that `renda-kg query` and
`renda-kg serve` open the graph in milliseconds instead of parsing graph.ttl on every
call (12.7 s for a 1.8-million-triple graph, even for `ASK {}`).

The folder is a RocksDB directory that Oxigraph opens as it is
(``pyoxigraph.Store.read_only("graph.oxigraph")``, or ``oxigraph serve --location``), plus
``renda-kg-store.json``: the store layout version, the number of triples and the
pyoxigraph that wrote it. The manifest is written last, so a folder without it is an
unfinished or foreign store and is refused with one line, as is a store of another
layout version or one Oxigraph cannot open.

It holds the same triples as graph.nt: the store is bulk-loaded from the sorted
N-Triples file rdf.py makes for graph.nt (made once per build for all three: the build
freezes its graph), then compacted. No rdflib Graph is built. Unlike the other outputs
the folder is not byte-identical across runs (RocksDB files carry ids and timestamps);
its triples are. `store_from_file` makes a store of an older build's graph.ttl.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MANIFEST", "STORE_NAME", "STORE_VERSION", "QueryStoreError", "StoreInfo", "find_store",
           "is_query_store", "open_store", "read_manifest", "store_from_file", "write_query_store"]

#: The folder a build writes (its FORMATS filename) and the manifest inside it.
STORE_NAME = "graph.oxigraph"
MANIFEST = "renda-kg-store.json"
#: Bumped when the layout changes, so an older store is refused instead of misread.
STORE_VERSION = 1
_KIND = "renda-kg query store"
_REBUILD = "rebuild it with `renda-kg build`"


class QueryStoreError(ValueError):
    """A store that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class StoreInfo:
    """What the manifest says about a store."""

    path: Path
    triples: int
    pyoxigraph: str


def is_query_store(path: str | Path) -> bool:
    """True for a folder that looks like a store (a manifest or RocksDB's CURRENT file)."""
    path = Path(path)
    return path.is_dir() and ((path / MANIFEST).is_file() or (path / "CURRENT").is_file())


def find_store(path: str | Path) -> Path | None:
    """The store a directory names: the directory itself, or its graph.oxigraph/."""
    path = Path(path)
    if is_query_store(path):
        return path
    if (path / STORE_NAME).is_dir():
        return path / STORE_NAME
    return None


def read_manifest(store: str | Path) -> StoreInfo:
    """The manifest of a store, or QueryStoreError saying why the store cannot be used."""
    store = Path(store)
    try:
        data = json.loads((store / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        raise QueryStoreError(f"{store}: not a complete renda-kg query store (no {MANIFEST}); "
                              f"{_REBUILD}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise QueryStoreError(f"{store}: unreadable {MANIFEST} ({type(err).__name__}); {_REBUILD}") from None
    if not isinstance(data, dict) or data.get("kind") != _KIND or not isinstance(data.get("triples"), int):
        raise QueryStoreError(f"{store}: {MANIFEST} is not a renda-kg query store manifest; {_REBUILD}")
    if data.get("version") != STORE_VERSION:
        raise QueryStoreError(f"{store}: query store version {data.get('version')}, this renda-kg reads "
                              f"version {STORE_VERSION}; {_REBUILD}")
    return StoreInfo(store, data["triples"], str(data.get("pyoxigraph", "?")))


def open_store(store: str | Path):
    """(pyoxigraph.Store opened read-only, StoreInfo), or QueryStoreError in one line."""
    import pyoxigraph as ox
    info = read_manifest(store)
    try:
        return ox.Store.read_only(str(store)), info
    except (OSError, RuntimeError, ValueError) as err:
        detail = (str(err).strip().splitlines() or [type(err).__name__])[0]
        written_by = "" if info.pyoxigraph == ox.__version__ else \
            f"; written by pyoxigraph {info.pyoxigraph}, this is {ox.__version__}"
        raise QueryStoreError(f"{store}: cannot open the query store ({detail}{written_by}); "
                              f"{_REBUILD}") from None


def write_query_store(graph, path: str | Path, base: str | None = None) -> None:
    """Write the graph's triples as an Oxigraph store folder at `path`, replacing it.

    The folder is built beside `path` and renamed into place when complete."""
    import pyoxigraph as ox

    from .rdf import _done_with, _sorted_ntriples_file
    # The sorted N-Triples file rdf.py writes graph.nt from (made once for graph.ttl,
    # graph.nt and the store when the graph is frozen, as a build's is). lenient: those
    # IRIs are valid by construction, and skipping the check loads faster.
    nt, _ = _sorted_ntriples_file(graph, base)
    try:
        _write_store(Path(path), nt, ox.RdfFormat.N_TRIPLES, lenient=True)
    finally:
        _done_with(nt)


def store_from_file(rdf_file: str | Path, path: str | Path) -> None:
    """A store of an existing graph.ttl or graph.nt (an older build's, say) at `path`."""
    import pyoxigraph as ox
    rdf_file = Path(rdf_file)
    formats = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
    if rdf_file.suffix not in formats:
        raise QueryStoreError(f"{rdf_file}: expected a .ttl or .nt file")
    _write_store(Path(path), rdf_file, formats[rdf_file.suffix], lenient=False)


def _write_store(path: Path, rdf_file: Path, rdf_format, lenient: bool) -> None:
    import shutil
    import tempfile
    import time

    import pyoxigraph as ox
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(path=str(rdf_file), format=rdf_format, lenient=lenient)
        triples = len(store)
        # One compaction into the last level: queries read fewer blocks (they run 1.5-2x
        # faster on a 1.8-million-triple store; the folder grows by about 60%).
        store.optimize()
        del store                                  # closes the database before the rename
        # RocksDB's diagnostic log (timestamps, thread ids): not needed to open the store,
        # and the one file whose size changes from run to run.
        for log in (*tmp.glob("LOG"), *tmp.glob("LOG.old.*")):
            log.unlink()
        manifest = {"kind": _KIND, "version": STORE_VERSION, "triples": triples,
                    "pyoxigraph": ox.__version__}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", "utf-8")
        os.chmod(tmp, 0o755 & ~_umask())
        if path.is_dir() and not path.is_symlink():
            old = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.old.tmp")
            os.rename(path, old)
            os.rename(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            if path.is_symlink() or path.exists():
                path.unlink()
            os.rename(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
