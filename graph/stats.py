"""Counts by entity type and relation, and the best-connected nodes of a graph.

Edges, relations, components and degrees count SCHEMA.md's seven relations, as they
always have; the navigation links (an Article's `mentions`) are counted apart, with
the components they join the graph into."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import networkx as nx

from ..ontology.types import NAVIGATION_NAMES

#: Edge keys counted apart from the relations.
NAVIGATION = frozenset(NAVIGATION_NAMES)


class GraphFileError(ValueError):
    """A file that is not a graph.json of `renda-kg build`; one line for the user."""


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read the node-link JSON written by `renda-kg build` (graph.json)."""
    hint = "expected the graph.json that `renda-kg build` writes"
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise GraphFileError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise GraphFileError(f"{path}: is a directory; {hint}") from None
    except OSError as err:
        raise GraphFileError(f"cannot read {path}: {err.strerror or err}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise GraphFileError(f"{path}: not JSON; {hint}") from None
    if not (isinstance(data, dict) and isinstance(data.get("nodes"), list)
            and isinstance(data.get("edges"), list)
            and all(isinstance(n, dict) and "id" in n for n in data["nodes"])
            and all(isinstance(e, dict) and "source" in e and "target" in e for e in data["edges"])):
        raise GraphFileError(f"{path}: JSON but not a node-link graph; {hint}")
    try:
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, ValueError, nx.NetworkXError) as err:
        raise GraphFileError(f"{path}: not a readable node-link graph ({type(err).__name__}); {hint}") from None


def relation_edges(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A view of the graph without its navigation links: the seven relations."""
    return nx.subgraph_view(graph, filter_edge=lambda u, v, k: k not in NAVIGATION)


def mention_count(graph: nx.MultiDiGraph) -> int:
    """How many navigation links (mentions) the graph holds."""
    return sum(1 for _, _, k in graph.edges(keys=True) if k in NAVIGATION)


def graph_stats(graph: nx.MultiDiGraph, top: int = 10) -> dict:
    types = Counter(d.get("type", "?") for _, d in graph.nodes(data=True))
    related = relation_edges(graph)
    relations = Counter(k for _, _, k in related.edges(keys=True))
    degree = sorted(related.degree(), key=lambda nd: (-nd[1], nd[0]))[:top]
    return {
        "nodes": graph.number_of_nodes(), "edges": related.number_of_edges(),
        "mentions": mention_count(graph),
        "components": nx.number_weakly_connected_components(related) if len(graph) else 0,
        "components_with_mentions": nx.number_weakly_connected_components(graph) if len(graph) else 0,
        "observations": sum(len(d.get("observations", [])) for _, d in graph.nodes(data=True)),
        "types": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        "relations": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        "top_degree": [{"id": n, "name": graph.nodes[n].get("name", n),
                        "type": graph.nodes[n].get("type"), "degree": d} for n, d in degree],
    }


def format_stats(stats: dict) -> str:
    lines = [f"nodes {stats['nodes']}  edges {stats['edges']}  mentions {stats['mentions']}  "
             f"weakly connected components {stats['components']} ({stats['components_with_mentions']} "
             f"with mentions)  observations {stats['observations']}", "", "entities by type:"]
    lines += [f"  {t:<16}{n:>6}" for t, n in stats["types"].items()]
    lines += ["", "relations:"] + [f"  {r:<20}{n:>6}" for r, n in stats["relations"].items()]
    lines += ["", "top-degree nodes:"]
    lines += [f"  {x['degree']:>4}  {x['name']} ({x['type']}, {x['id']})" for x in stats["top_degree"]]
    return "\n".join(lines)
