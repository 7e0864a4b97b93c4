"""What the visual exports (GEXF, GraphML, the HTML viewer) share: attributes every
format can hold, one colour per entity type, a size per degree and one layout.

The graph's own attributes do not fit these formats as they are: lists of evidence,
missing values, a column holding ints on some nodes and strings on others, and names
such as ``id`` or ``label`` that the GEXF writer takes as XML fields. The cleaning
here turns every column into one scalar type once, so no writer meets those cases.
Every string in the copy — ids, column names, values — is also made XML-safe
(safe_text.xml_safe: characters XML 1.0 forbids become U+FFFD), since GEXF and
GraphML are XML and the viewer shares their data.
"""
from __future__ import annotations

import json
import math
import weakref
import random
from collections import defaultdict
from contextlib import contextmanager
from typing import Any, Hashable, Iterator, Mapping

import igraph
import networkx as nx

from ...ontology.types import ENTITY_TYPES
from .safe_text import xml_safe

__all__ = ["TYPE_COLOURS", "colour_of", "node_size", "presentation_graph", "layout"]

#: SCHEMA.md's entity types in its order (the legend's order) with their colours,
#: from the one type registry.
TYPE_COLOURS: dict[str, str] = {t.name: t.colour for t in ENTITY_TYPES}
UNTYPED_COLOUR = "#555555"

#: Names networkx's GEXF writer takes as XML fields rather than attributes, so a
#: column of that name would vanish from the file; such columns get a trailing "_".
_NODE_FIELDS = frozenset({"id", "label", "pid", "start", "end", "viz", "parents", "spells", "slices"})
_EDGE_FIELDS = frozenset({"id", "label", "weight", "type", "start", "end", "viz", "spells", "slices",
                          "key"})
_LIST_SEPARATOR = "; "
LAYOUT_SEED = 20240601
#: About the distance between neighbouring nodes, in screen pixels at zoom 1.
NODE_SPACING = 80.0


def colour_of(node_type: str | None) -> str:
    return TYPE_COLOURS.get(node_type or "", UNTYPED_COLOUR)


def node_size(degree: int) -> float:
    """Radius grows with the square root of the degree, so hubs stand out but do not
    cover their neighbours."""
    return round(10.0 + 4.0 * math.sqrt(degree), 2)


def presentation_graph(graph: nx.Graph) -> nx.MultiDiGraph:
    """A copy with XML-safe string node ids, edges keyed e0, e1, … (unique, as GraphML
    and GEXF need) and flat attributes: one scalar type per column, None values left
    out, lists of records as ``<name>_count``, other lists joined with "; ", dicts as
    JSON, every string XML-safe, plus each node's ``degree`` (in + out edges)."""
    ids = _node_ids(graph)
    nodes = list(graph.nodes(data=True))
    node_rows = _flat_columns([data for _, data in nodes], _NODE_FIELDS)
    edges = list(graph.edges(data=True))
    edge_rows = _flat_columns([data for _, _, data in edges], _EDGE_FIELDS)

    out = nx.MultiDiGraph(name=xml_safe(str(graph.graph.get("name", ""))))
    for (node, _), row in zip(nodes, node_rows):
        row["degree"] = graph.degree(node)
        out.add_node(ids[node], **row)
    for i, ((u, v, _), row) in enumerate(zip(edges, edge_rows)):
        out.add_edge(ids[u], ids[v], key=f"e{i}", **row)
    return out


#: Layouts of frozen graphs (a build freezes its graph before the writers run), so
#: the GEXF, GraphML and HTML writers lay a large graph out once, not three times.
_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def presented(graph: nx.Graph) -> tuple[nx.MultiDiGraph, dict[Hashable, tuple[float, float]]]:
    """`presentation_graph` (a fresh copy: writers add their own columns to it) and its
    `layout`, computed once per frozen graph."""
    clean = presentation_graph(graph)
    positions = _LAYOUTS.get(graph) if nx.is_frozen(graph) else None
    if positions is None:
        positions = layout(clean)
        if nx.is_frozen(graph):
            _LAYOUTS[graph] = positions
    return clean, positions


def _node_ids(graph: nx.Graph) -> dict[Hashable, str]:
    """Each node's id as an XML-safe string. Two ids that become equal only by that
    cleaning ('a\\x00', 'a\\x01') stay apart: the later one, in graph order, gets
    "~2" (or the next free number) appended."""
    as_text = {node: str(node) for node in graph}
    if len(set(as_text.values())) < len(as_text):
        raise ValueError("two node ids are equal as strings; rename one before exporting")
    cleaned = {node: xml_safe(text) for node, text in as_text.items()}
    if len(set(cleaned.values())) == len(cleaned):
        return cleaned
    taken = set(cleaned.values())
    ids: dict[Hashable, str] = {}
    used: set[str] = set()
    for node, text in cleaned.items():
        if text in used:
            n = 2
            while f"{text}~{n}" in taken:
                n += 1
            text = f"{text}~{n}"
            taken.add(text)
        used.add(text)
        ids[node] = text
    return ids


def layout(graph: nx.Graph, seed: int = LAYOUT_SEED) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node, the same on every run. Each connected component is
    laid out alone with igraph's Fruchterman–Reingold (grid-accelerated beyond 1,000
    nodes: seconds at 20,000 nodes, where networkx's spring_layout takes minutes) and
    the components are packed in rows, largest first, so small pieces and isolated
    nodes line up beside the main structure instead of ringing it."""
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v})
    whole = igraph.Graph(n=len(nodes), edges=pairs)
    # Each component lists its vertices in increasing order, as induced_subgraph numbers them.
    pieces = sorted(whole.connected_components(), key=lambda c: (-len(c), c[0]))
    with _igraph_random_seed(seed):
        shapes = [_component_shape(whole, members) for members in pieces]
    offsets = _pack_in_rows([(max(x for x, _ in s), max(y for _, y in s)) for s in shapes],
                            row_width=NODE_SPACING * 1.5 * math.sqrt(len(nodes)))
    positions: dict[Hashable, tuple[float, float]] = {}
    for members, shape, (dx, dy) in zip(pieces, shapes, offsets):
        for i, (x, y) in zip(members, shape):
            positions[nodes[i]] = (x + dx, y + dy)
    if not positions:
        return {}
    cx = (min(x for x, _ in positions.values()) + max(x for x, _ in positions.values())) / 2
    cy = (min(y for _, y in positions.values()) + max(y for _, y in positions.values())) / 2
    return {node: (round(positions[node][0] - cx, 2), round(positions[node][1] - cy, 2)) for node in nodes}


def _component_shape(whole: igraph.Graph, members: list[int]) -> list[tuple[float, float]]:
    """The component's layout, moved to start at (0, 0) and scaled to about
    ``NODE_SPACING`` between neighbours."""
    if len(members) == 1:
        return [(0.0, 0.0)]
    coords = whole.induced_subgraph(members).layout_fruchterman_reingold(grid="auto").coords
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = NODE_SPACING * math.sqrt(len(members)) / span
    left, top = min(xs), min(ys)            # once: in the loop it made a large component quadratic
    return [((x - left) * scale, (y - top) * scale) for x, y in coords]


def _pack_in_rows(sizes: list[tuple[float, float]], row_width: float) -> list[tuple[float, float]]:
    """Top-left corners for boxes of these sizes, placed left to right in rows."""
    gap = NODE_SPACING * 1.5
    corners, x, y, row_height = [], 0.0, 0.0, 0.0
    for width, height in sizes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        corners.append((x, y))
        x += width + gap
        row_height = max(row_height, height)
    return corners


@contextmanager
def _igraph_random_seed(seed: int) -> Iterator[None]:
    """igraph draws from Python's `random` module by default; give it its own seeded
    generator for the call, then hand the default back."""
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def _flat_columns(records: list[Mapping[str, Any]], fields: frozenset[str]) -> list[dict[str, Any]]:
    """Flatten every value, then give each column one type: int and float become
    float, any other mix becomes str."""
    record_lists = {name for data in records for name, value in data.items()
                    if _is_sequence(value) and any(isinstance(x, Mapping) for x in value)}
    rows = [dict(sorted(_flat_items(data, record_lists, fields))) for data in records]
    column_types: dict[str, set[type]] = defaultdict(set)
    for row in rows:
        for name, value in row.items():
            column_types[name].add(type(value))
    for row in rows:
        for name, value in row.items():
            types = column_types[name]
            if len(types) > 1:
                row[name] = float(value) if types <= {int, float} else str(value)
    return rows


def _flat_items(data: Mapping[str, Any], record_lists: set[str], fields: frozenset[str]
                ) -> Iterator[tuple[str, Any]]:
    for name, value in data.items():
        name = str(name)
        if value is None:
            continue
        if name in record_lists:
            name, value = f"{name}_count", len(value) if _is_sequence(value) else 1
        else:
            value = _scalar(value)
            if isinstance(value, str):
                value = xml_safe(value)
        name = xml_safe(name)
        if name in fields:
            name += "_"
            while name in data or name in fields:
                name += "_"
        yield name, value


def _scalar(value: Any) -> bool | int | float | str:
    if isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item"):                       # numpy scalars
        return value.item()
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if _is_sequence(value):
        parts = [str(_scalar(x)) for x in value if x is not None]
        return _LIST_SEPARATOR.join(sorted(parts) if isinstance(value, (set, frozenset)) else parts)
    return str(value)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, frozenset))
