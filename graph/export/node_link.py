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
    """``json.dumps(node_link_data, indent=1, sort_keys=True)``, written a node or an edge at
    a time: the same bytes without the whole text in memory (160 MB at 10,000 documents)."""
    data = nx.node_link_data(graph, edges="edges")
    with atomic_writer(path) as fh:
        fh.write("{")
        for i, key in enumerate(sorted(data)):
            fh.write(("," if i else "") + f"\n {json.dumps(key)}: ")
            value = data[key]
            if isinstance(value, list) and value:
                fh.write("[")
                for j, item in enumerate(value):
                    fh.write(("," if j else "") + "\n  " + _dump(item).replace("\n", "\n  "))
                fh.write("\n ]")
            else:
                fh.write(_dump(value).replace("\n", "\n "))
        fh.write("\n}\n")


def _dump(value: object) -> str:
    return encodable(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True))
