"""The graph as GraphML for Cytoscape (File → Import → Network from File), yEd and
`networkx.read_graphml`: the same columns as the GEXF file, plus label, colour, size
and x/y position as plain columns, which those tools map onto their styles."""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..output_files import atomic_writer
from .presentation import colour_of, layout, node_size, presentation_graph

__all__ = ["write_graphml"]


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> None:
    clean = presentation_graph(graph)
    positions = layout(clean)
    for node, data in clean.nodes(data=True):
        x, y = positions[node]
        data.update(label=data.get("name", node), color=colour_of(data.get("type")),
                    size=node_size(data["degree"]), x=x, y=y)
    with atomic_writer(path, "wb") as fh:
        nx.write_graphml_xml(clean, fh, encoding="utf-8", prettyprint=True)
