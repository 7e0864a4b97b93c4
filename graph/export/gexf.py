"""The graph as GEXF 1.2 for Gephi (File → Open) and graphology-gexf: typed columns,
labels, and colour, size and position per node, since Gephi colours nodes only from
``viz:color``; the ``community`` column (presentation.communities) is there for
Gephi's Appearance → Partition, to colour by community instead of type.

Text is XML-safe: presentation_graph replaces each character XML 1.0 forbids
(controls, lone surrogates, U+FFFE, U+FFFF) with U+FFFD."""
from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from ..output_files import atomic_writer
from .presentation import colour_of, node_size, presented

__all__ = ["write_gexf"]


def write_gexf(graph: nx.MultiDiGraph, path: str | Path) -> None:
    clean, positions = presented(graph)
    for node, data in clean.nodes(data=True):
        x, y = positions[node]
        data["label"] = data.get("name", node)
        data["viz"] = {"color": _rgba(colour_of(data.get("type"))),
                       "size": node_size(data["degree"]),
                       # Gephi's y axis points up, the screen's down: flip it so Gephi
                       # shows the picture the HTML viewer shows.
                       "position": {"x": x, "y": -y, "z": 0.0}}
    for _, _, key, data in clean.edges(keys=True, data=True):
        data["id"] = key
        if "relation" in data:
            data["label"] = data["relation"]
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    # The writer stamps today's date; without it reruns are byte-identical.
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    writer.add_graph(clean)
    _drop_multigraph_keys(writer.graph_element)
    with atomic_writer(path, "wb") as fh:
        writer.write(fh)


def _drop_multigraph_keys(graph_element: Element) -> None:
    """networkx adds each edge's multigraph key as a `networkx_key` column; ours
    repeats the edge id, so it goes."""
    key_ids = set()
    for attributes in graph_element.findall("attributes"):
        for attribute in attributes.findall("attribute"):
            if attribute.get("title") == "networkx_key":
                key_ids.add(attribute.get("id"))
                attributes.remove(attribute)
        if not len(attributes):
            graph_element.remove(attributes)
    for edge in graph_element.iter("edge"):
        for attvalues in edge.findall("attvalues"):
            for value in attvalues.findall("attvalue"):
                if value.get("for") in key_ids:
                    attvalues.remove(value)
            if not len(attvalues):
                edge.remove(attvalues)


def _rgba(hex_colour: str) -> dict[str, int | float]:
    return {"r": int(hex_colour[1:3], 16), "g": int(hex_colour[3:5], 16),
            "b": int(hex_colour[5:7], 16), "a": 1.0}
