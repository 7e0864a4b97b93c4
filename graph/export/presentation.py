"""What the visual exports (GEXF, GraphML, the HTML viewer) share: attributes every
format can hold, one colour per entity type, a size per degree, Leiden communities
and one layout that keeps them apart.

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
from collections import Counter, defaultdict
from contextlib import contextmanager
from typing import Any, Callable, Hashable, Iterator, Mapping

import igraph
import networkx as nx

from ...ontology.types import ENTITY_TYPES
from .safe_text import xml_safe

__all__ = ["TYPE_COLOURS", "colour_of", "node_size", "presentation_graph", "presented", "communities",
           "layout"]

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
#: Leiden passes. On a 20,000-node build: 2 give modularity 0.814 in 0.4 s, 5 give
#: 0.817 in 0.9 s, 10 0.8174 in 1.7 s, until stable 0.8177 in 2.6 s.
LEIDEN_ITERATIONS = 5
#: Fruchterman–Reingold's grid (repulsion only from nearby cells) beyond this many
#: nodes: 2x faster at 250 nodes, 5x at 500, 8x at 1,000.
FR_GRID_FROM = 100
#: Rounds of shrinking the community discs' layout by a fifth and pushing them apart again.
COMPACT_ROUNDS = 4


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
    return _clean_copy(graph, _node_ids(graph))


def _clean_copy(graph: nx.Graph, ids: Mapping[Hashable, str]) -> nx.MultiDiGraph:
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


#: Communities and layouts of frozen graphs (a build freezes its graph before the
#: writers run), so the GEXF, GraphML and HTML writers run Leiden and lay a large
#: graph out once, not three times.
_COMMUNITIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _per_frozen(store: weakref.WeakKeyDictionary, graph: nx.Graph, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in ``store`` while a frozen graph lives; an unfrozen graph
    may change, so it is computed afresh."""
    if not nx.is_frozen(graph):
        return compute()
    found = store.get(graph)
    if found is None:
        found = store[graph] = compute()
    return found


def presented(graph: nx.Graph) -> tuple[nx.MultiDiGraph, dict[Hashable, tuple[float, float]]]:
    """`presentation_graph` (a fresh copy: writers add their own columns to it) with
    each node's `communities` index as an int ``community`` column (Gephi colours by
    it), and its `layout` by the copy's ids; both computed once per frozen graph."""
    ids = _node_ids(graph)
    clean = _clean_copy(graph, ids)
    membership = communities(graph)
    positions = _per_frozen(_LAYOUTS, graph, lambda: _layout(graph, membership, LAYOUT_SEED))
    for node in graph:
        clean.nodes[ids[node]]["community"] = membership[node]
    return clean, {ids[node]: positions[node] for node in graph}


def communities(graph: nx.Graph) -> dict[Hashable, int]:
    """Each node's community, the same on every run: Leiden (modularity, seeded) on the
    undirected simple graph of all edges, a pair's weight being the number of edges
    joining it. 0 is the largest community; equal sizes go by their first node in
    graph order; an isolated node is a community of its own. Memoised per frozen graph."""
    def find() -> dict[Hashable, int]:
        nodes, whole = _simple_graph(graph)
        return dict(zip(nodes, _leiden(whole)))
    return _per_frozen(_COMMUNITIES, graph, find)


def _simple_graph(graph: nx.Graph) -> tuple[list[Hashable], igraph.Graph]:
    """The graph's nodes in order and igraph's undirected simple graph of them (no
    self-loops), each pair's edge weighted by how many edges join the two."""
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    counts = Counter((a, b) if a < b else (b, a)
                     for a, b in ((index[u], index[v]) for u, v in graph.edges()) if a != b)
    pairs = sorted(counts)
    whole = igraph.Graph(n=len(nodes), edges=pairs)
    whole.es["weight"] = [float(counts[pair]) for pair in pairs]
    return nodes, whole


def _leiden(whole: igraph.Graph) -> list[int]:
    """Community index per vertex, renumbered by size (largest first), then by first vertex."""
    with _igraph_random_seed(LAYOUT_SEED):
        found = whole.community_leiden(objective_function="modularity", weights="weight",
                                       n_iterations=LEIDEN_ITERATIONS).membership
    groups: dict[int, list[int]] = defaultdict(list)
    for vertex, label in enumerate(found):
        groups[label].append(vertex)
    ranked = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
    membership = [0] * len(found)
    for rank, members in enumerate(ranked):
        for vertex in members:
            membership[vertex] = rank
    return membership


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
    """Positions for every node, the same on every run, about ``NODE_SPACING`` apart
    between neighbours, with `communities` kept apart so the overview shows groups
    rather than one hairball:

    - each community is laid out alone with igraph's Fruchterman–Reingold (grid-
      accelerated beyond ``FR_GRID_FROM`` nodes: seconds at 20,000 nodes, where
      networkx's spring_layout takes minutes) in a disc of radius ~ NODE_SPACING·√size;
    - the discs of a connected component are placed by Fruchterman–Reingold on the
      graph of its communities (weighted by the edges between them), pushed apart
      until none overlaps, and each turned to face the communities it links to;
    - components are packed in rows, largest first, so small pieces and isolated
      nodes line up beside the main network instead of ringing it.

    Memoised per frozen graph (for the default seed)."""
    if seed != LAYOUT_SEED:
        return _layout(graph, communities(graph), seed)
    return _per_frozen(_LAYOUTS, graph, lambda: _layout(graph, communities(graph), seed))


def _layout(graph: nx.Graph, membership_of: Mapping[Hashable, int], seed: int
            ) -> dict[Hashable, tuple[float, float]]:
    nodes, whole = _simple_graph(graph)
    membership = [membership_of[node] for node in nodes]
    # Each component lists its vertices in increasing order, as induced_subgraph numbers them.
    pieces = sorted(whole.connected_components(), key=lambda c: (-len(c), c[0]))
    outward = _links_out(whole, membership)
    with _igraph_random_seed(seed):
        shapes = [_component_shape(whole, members, membership, outward) for members in pieces]
    sizes = [(max(x for x, _ in s), max(y for _, y in s)) for s in shapes]
    row_width = max([NODE_SPACING * 1.5 * math.sqrt(len(nodes))] + [w for w, _ in sizes[:1]])
    offsets = _pack_in_rows(sizes, row_width)
    positions: dict[Hashable, tuple[float, float]] = {}
    for members, shape, (dx, dy) in zip(pieces, shapes, offsets):
        for i, (x, y) in zip(members, shape):
            positions[nodes[i]] = (x + dx, y + dy)
    if positions:
        cx = (min(x for x, _ in positions.values()) + max(x for x, _ in positions.values())) / 2
        cy = (min(y for _, y in positions.values()) + max(y for _, y in positions.values())) / 2
        positions = {node: (round(positions[node][0] - cx, 2), round(positions[node][1] - cy, 2))
                     for node in nodes}
    return positions


#: Per community: (vertex, other community, weight) for each edge leaving it.
_Outward = dict[int, list[tuple[int, int, float]]]


def _links_out(whole: igraph.Graph, membership: list[int]) -> _Outward:
    outward: _Outward = defaultdict(list)
    for (a, b), weight in zip(whole.get_edgelist(), whole.es["weight"]):
        if membership[a] != membership[b]:
            outward[membership[a]].append((a, membership[b], weight))
            outward[membership[b]].append((b, membership[a], weight))
    return outward


def _component_shape(whole: igraph.Graph, members: list[int], membership: list[int],
                     outward: _Outward) -> list[tuple[float, float]]:
    """The component's layout (see `layout`), moved to start at (0, 0)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for vertex in members:
        groups[membership[vertex]].append(vertex)
    if len(groups) == 1:
        coords = _disc(whole, members)
    else:
        where = _communities_apart(whole, groups, outward)
        coords = [where[vertex] for vertex in members]
    left, top = min(x for x, _ in coords), min(y for _, y in coords)
    return [(x - left, y - top) for x, y in coords]


def _disc(whole: igraph.Graph, members: list[int]) -> list[tuple[float, float]]:
    """Fruchterman–Reingold on these vertices (in increasing order), centred on (0, 0)
    and scaled to about ``NODE_SPACING`` between neighbours."""
    if len(members) == 1:
        return [(0.0, 0.0)]
    coords = whole.induced_subgraph(members).layout_fruchterman_reingold(
        weights="weight", grid=len(members) > FR_GRID_FROM).coords
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = NODE_SPACING * math.sqrt(len(members)) / span
    # Centre and scale computed once: in the loop they made a large community quadratic.
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return [((x - cx) * scale, (y - cy) * scale) for x, y in coords]


def _communities_apart(whole: igraph.Graph, groups: dict[int, list[int]], outward: _Outward
                       ) -> dict[int, tuple[float, float]]:
    """Position per vertex of one connected component holding several communities."""
    labels = sorted(groups)
    discs = {c: _disc(whole, groups[c]) for c in labels}
    radii = [max(math.hypot(x, y) for x, y in discs[c]) + NODE_SPACING / 2 for c in labels]
    rank = {c: k for k, c in enumerate(labels)}
    links: Counter = Counter()
    for c in labels:
        for _, other, weight in outward.get(c, ()):
            if c < other:
                links[rank[c], rank[other]] += weight
    pairs = sorted(links)
    between = igraph.Graph(n=len(labels), edges=pairs)
    coords = between.layout_fruchterman_reingold(weights=[links[p] for p in pairs]).coords
    # Start with linked discs about touching, then push apart the ones that overlap.
    ratios = sorted(math.dist(coords[a], coords[b]) / (radii[a] + radii[b]) for a, b in pairs)
    start = 1.0 / (ratios[len(ratios) // 2] or 1.0)
    centres = _separate([(x * start, y * start) for x, y in coords], radii, gap=NODE_SPACING)
    for _ in range(COMPACT_ROUNDS):       # pull in the space the pushing left, keep the order
        cx = sum(x for x, _ in centres) / len(centres)
        cy = sum(y for _, y in centres) / len(centres)
        centres = _separate([(cx + (x - cx) * 0.8, cy + (y - cy) * 0.8) for x, y in centres],
                            radii, gap=NODE_SPACING)
    where: dict[int, tuple[float, float]] = {}
    for k, c in enumerate(labels):
        (cx, cy), turn = centres[k], _facing(c, groups[c], discs[c], centres, rank, outward)
        cos, sin = math.cos(turn), math.sin(turn)
        for vertex, (x, y) in zip(groups[c], discs[c]):
            where[vertex] = (cx + x * cos - y * sin, cy + x * sin + y * cos)
    return where


def _facing(community: int, members: list[int], disc: list[tuple[float, float]],
            centres: list[tuple[float, float]], rank: dict[int, int], outward: _Outward) -> float:
    """The rotation of a community's disc that turns the nodes with edges to other
    communities towards those communities (maximises Σ weight · rotated position ·
    unit direction), so edges between communities stay short."""
    local = dict(zip(members, disc))
    cx, cy = centres[rank[community]]
    dot = cross = 0.0
    for vertex, other, weight in outward.get(community, ()):
        ox, oy = centres[rank[other]]
        dx, dy = ox - cx, oy - cy
        length = math.hypot(dx, dy) or 1.0
        px, py = local[vertex]
        dot += weight * (px * dx + py * dy) / length
        cross += weight * (px * dy - py * dx) / length
    return math.atan2(cross, dot) if dot or cross else 0.0


def _separate(centres: list[tuple[float, float]], radii: list[float], gap: float
              ) -> list[tuple[float, float]]:
    """Centres moved so no two discs (plus ``gap``) overlap: overlapping pairs, found
    by a sweep along x, are pushed apart (the smaller disc moves more), round after
    round (fewer rounds for many discs, to bound the time); a last uniform scaling
    settles what the rounds leave."""
    xs, ys = [x for x, _ in centres], [y for _, y in centres]
    areas = [r * r for r in radii]
    for _ in range(min(300, max(20, 40_000 // len(xs)))):
        moved = False
        active: list[int] = []
        for i in sorted(range(len(xs)), key=lambda k: (xs[k] - radii[k], k)):
            left = xs[i] - radii[i] - gap
            active = [j for j in active if xs[j] + radii[j] > left]
            for j in active:
                need = radii[i] + radii[j] + gap
                dx, dy = xs[i] - xs[j], ys[i] - ys[j]
                # Half a pixel of slack, or rounding keeps touching pairs "overlapping".
                if abs(dy) >= need - 0.5 or dx * dx + dy * dy >= (need - 0.5) ** 2:
                    continue
                distance = math.hypot(dx, dy)
                if distance == 0.0:       # coincident: a fixed direction per pair
                    angle = (i * 2.399963 + j) % math.tau
                    dx, dy, distance = math.cos(angle), math.sin(angle), 1.0
                # A tenth past touching: room for the next pushes, so the rounds settle.
                push = (need * 1.1 - distance) / distance
                share = areas[j] / (areas[i] + areas[j])
                xs[i] += dx * push * share
                ys[i] += dy * push * share
                xs[j] -= dx * push * (1 - share)
                ys[j] -= dy * push * (1 - share)
                moved = True
            active.append(i)
        if not moved:
            break
    scale = 1.0
    if moved:
        scale = max([1.0] + [(radii[i] + radii[j] + gap) / (math.hypot(xs[i] - xs[j], ys[i] - ys[j]) or 1e-9)
                             for i in range(len(xs)) for j in range(i)])
    return [(x * scale, y * scale) for x, y in zip(xs, ys)]


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
