"""A build that streams: each document is written out and merged into the graph as it
arrives, then dropped, so memory holds the graph — never the corpus text or every
document's segmentation and extraction result at once.

The per-document formats (articles.jsonl, entities.jsonl) are appended line by line
into the staging directory; the graph formats are written from the assembled graph
at the end, in the order `--format` gives; INDEX.md last. Time spent in each step is
kept in `timings` (``renda-kg build --timings`` prints it).
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, Sequence

import networkx as nx

from ..extractors.records import DocumentResult, SegmentedDocument
from .assembler import GraphAssembler
from .export import FORMATS, ExportFormat
from .export.output_index import BuildOutputs

__all__ = ["BuildCounts", "StreamingBuild"]

#: What a format takes, for formats written one document at a time.
PER_DOCUMENT = ("documents", "results")


@dataclass
class BuildCounts:
    documents: int = 0
    articles: int = 0
    entities: int = 0
    relations: int = 0


@dataclass
class StreamingBuild:
    """Feed it with `add(document, result)` in input order, then call `finish()` once."""

    stage: Path
    formats: Sequence[str]
    counts: BuildCounts = field(default_factory=BuildCounts)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._formats: list[ExportFormat] = [FORMATS[name] for name in self.formats]
        self._assembler = GraphAssembler() if any(f.takes == "graph" for f in self._formats) else None
        self._files = contextlib.ExitStack()
        self._streams: dict[str, IO[str]] = {
            fmt.name: self._files.enter_context(open(  # noqa: SIM115 — closed in finish() or close()
                self.stage / fmt.filename, "w", encoding="utf-8", newline="\n"))
            for fmt in self._formats if fmt.takes in PER_DOCUMENT}

    @property
    def graph(self) -> nx.MultiDiGraph | None:
        return self._assembler.graph if self._assembler is not None else None

    def _timed(self, step: str, started: float) -> None:
        self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - started

    def add(self, document: SegmentedDocument, result: DocumentResult) -> None:
        c = self.counts
        c.documents += 1
        c.articles += len(document.articles)
        c.entities += len(result.entities)
        c.relations += len(result.relations)
        for fmt in self._formats:
            stream = self._streams.get(fmt.name)
            if stream is not None:
                started = time.perf_counter()
                with _naming(self.stage / fmt.filename):
                    fmt.writer()([document if fmt.takes == "documents" else result], stream)
                self._timed(f"write {fmt.filename}", started)
        if self._assembler is not None:
            started = time.perf_counter()
            self._assembler.add(result)
            self._timed("assemble", started)

    def finish(self) -> list[Path]:
        """Close the streamed files and write the rest; the files written, in format order."""
        self._files.close()
        if self.graph is not None:
            nx.freeze(self.graph)           # the writers only read it; RDF writers share one pass
        written: list[Path] = []
        for fmt in self._formats:
            target = self.stage / fmt.filename
            with _naming(target):
                if fmt.takes == "graph":
                    started = time.perf_counter()
                    fmt.writer()(self.graph, target)
                    self._timed(f"write {fmt.filename}", started)
                elif fmt.takes == "build":
                    fmt.writer()(BuildOutputs(self.counts.documents, self.counts.articles, written), target)
            written.append(target)
        return written

    def close(self) -> None:
        """Close the streamed files without finishing (the staging directory is discarded)."""
        self._files.close()


@contextlib.contextmanager
def _naming(target: Path) -> Iterator[None]:
    """An OSError from writing `target` names it, so the one-line error says which file."""
    try:
        yield
    except OSError as err:
        if not err.filename:
            err.filename = str(target)
        raise
