"""INDEX.md for an output folder: each file the exporters wrote there, what it is and
how to open it, so a reader who finds the folder needs no other document.

Registered last, it lists the files this build wrote before it (so a folder that
also holds an earlier build's other formats is described truthfully).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ... import __version__
from ..output_files import atomic_writer
from . import FORMATS

__all__ = ["BuildOutputs", "write_index"]

#: How to open each kind of file, by suffix.
HOW_TO_OPEN: dict[str, str] = {
    ".jsonl": "a text editor, `jq -c . FILE`, or `pandas.read_json(FILE, lines=True)`",
    ".json": "`networkx.node_link_graph(json.load(open(FILE)), edges=\"edges\")`",
    ".ttl": "`rdflib.Graph().parse(FILE)`, Protégé, or any triple store",
    ".nt": "`rdflib.Graph().parse(FILE)`, or any triple store",
    ".gexf": "Gephi: File → Open (colours, sizes and positions come with the file)",
    ".graphml": "Cytoscape: File → Import → Network from File; yEd: File → Open; "
                "`networkx.read_graphml(FILE)`",
    ".html": "double-click it: opens in any browser, offline",
    ".oxigraph": "`renda-kg query DIR QUERY` and `renda-kg serve DIR` (DIR: this folder); "
                 "`pyoxigraph.Store.read_only(FOLDER)`",
}


@dataclass(frozen=True)
class BuildOutputs:
    """What a build has done when the index is written: how many documents and articles
    it read, and the files it wrote."""

    documents: int
    articles: int
    written: Sequence[Path] = field(default_factory=tuple)


def write_index(build: BuildOutputs, path: str | Path) -> None:
    path = Path(path)
    written = {Path(p).name for p in build.written}
    lines = ["# renda-kg outputs", "",
             f"Written by `renda-kg build` (renda-kg {__version__}) from {build.documents} "
             f"input document(s) with {build.articles} article(s).", "",
             "| file | size | what it is | how to open |", "|---|---|---|---|"]
    for fmt in FORMATS.values():
        output = path.parent / fmt.filename
        if fmt.filename == path.name or fmt.filename not in written or not output.exists():
            continue
        lines.append(f"| [{fmt.filename}]({fmt.filename}) | {_size_of(output)} | "
                     f"{_cell(fmt.description)} | {_cell(HOW_TO_OPEN.get(output.suffix, ''))} |")
    with atomic_writer(path) as fh:
        fh.write("\n".join(lines) + "\n")


def _size_of(output: Path) -> str:
    """A file's size; "folder" for the query store, whose RocksDB files differ in size from
    run to run (the index stays byte-identical)."""
    return "folder" if output.is_dir() else _size(output.stat().st_size)


def _size(n_bytes: int) -> str:
    if n_bytes < 1024:
        return f"{n_bytes} bytes"
    if n_bytes < 1024 ** 2:
        return f"{n_bytes / 1024:.1f} KiB"
    return f"{n_bytes / 1024 ** 2:.1f} MiB"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
