"""The graph as networkx node-link JSON: what a notebook user loads back in one call
(`networkx.node_link_graph(json.load(f), edges="edges")`). JSON escapes control
characters, so names and sentences come back exactly; only a lone surrogate, which
UTF-8 cannot hold, is written as U+FFFD (see safe_text)."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..output_files import atomic_writer
from .safe_text import encodable

__all__ = ["write_node_link"]


def write_node_link(graph: nx.MultiDiGraph, path: str | Path) -> None:
    data = nx.node_link_data(graph, edges="edges")
    with atomic_writer(path) as fh:
        fh.write(encodable(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)))
        fh.write("\n")
