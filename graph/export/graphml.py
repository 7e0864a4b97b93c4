"""The graph as GraphML for Cytoscape (File → Import → Network from File), yEd and
`networkx.read_graphml`: the same columns as the GEXF file (``community`` among them),
plus label, colour, size and x/y position as plain columns, which those tools map onto
their styles.

Text is XML-safe (presentation_graph: characters XML 1.0 forbids become U+FFFD),
and a carriage return inside a value is written as ``&#13;``, since a parser turns
a raw one in element text into a line feed."""
from __future__ import annotations

import io
from pathlib import Path

import networkx as nx

from ..output_files import atomic_writer
from .presentation import colour_of, node_size, presented

__all__ = ["write_graphml"]


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> None:
    clean, positions = presented(graph)
    for node, data in clean.nodes(data=True):
        x, y = positions[node]
        data.update(label=data.get("name", node), color=colour_of(data.get("type")),
                    size=node_size(data["degree"]), x=x, y=y)
    buffer = io.BytesIO()
    nx.write_graphml_xml(clean, buffer, encoding="utf-8", prettyprint=True)
    # ElementTree escapes CR in attributes but not in text; the writer's own line
    # breaks are LF, so every CR byte is a value's.
    with atomic_writer(path, "wb") as fh:
        fh.write(buffer.getvalue().replace(b"\r", b"&#13;"))
