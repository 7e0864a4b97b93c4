"""Files → one graph: each document through the extraction pipeline
(`extractors.pipeline.extract_document`, which runs the spaCy pipeline), then the
assembler. `extract_document`, `EXTRACTORS` and `DEFAULT_EXTRACTORS` are
re-exported here for the callers that import them from this module."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import networkx as nx

from ..extractors.pipeline import DEFAULT_EXTRACTORS, EXTRACTORS, extract_document
from .assembler import assemble

__all__ = ["DEFAULT_EXTRACTORS", "EXTRACTORS", "build_graph", "extract_document"]


def build_graph(paths: Iterable[str | Path] | str | Path,
                extractors: Sequence[str] = DEFAULT_EXTRACTORS) -> nx.MultiDiGraph:
    """Files, directories or globs → one knowledge graph (bad files are skipped).

    Runs in this process without the CLI's per-document guard; document ids are
    unique per path, as in the CLI."""
    from functools import partial

    from ..corpus_runner import Failure, process_files
    from ..extractors.input_reader import discover
    if isinstance(paths, (str, Path)):
        paths = [paths]
    stage = partial(extract_document, extractors=extractors)
    results = [item[1] for item in process_files(discover([str(p) for p in paths]), stage)
               if not isinstance(item, Failure)]
    return assemble(results)
