"""The graph as one self-contained HTML page: double-click it and it opens from
file:// with no network. Colours and a legend by type, node size by degree, edge
labels by relation, a search box, type filters and evidence tooltips.

vis-network does the drawing: the copy that pyvis ships (PyPI, so it installs
wherever renda-kg does) is inlined into our own template, since pyvis's templates
load Bootstrap and vis-network from CDNs. The node and edge records are built here
rather than through pyvis's ``Network.add_node``/``add_edge``, which scan lists on
every call (22 s for 20,000 nodes and edges). Live physics is used only up to
``PHYSICS_MAX_NODES``; past it vis-network needs minutes to settle, so the page
shows the precomputed layout with physics off.

Text from the graph reaches the page only as JSON inside a data block (jinja's
``tojson`` writes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` …, so ``</script>`` or
``<!--`` in a name cannot end the block) or through ``textContent``; and, as in GEXF
and GraphML, each character XML 1.0 forbids (controls, lone surrogates, U+FFFE,
U+FFFF) becomes U+FFFD first (safe_text.xml_safe).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Mapping

import networkx as nx
from jinja2 import Environment, FileSystemLoader

from ... import __version__
from ..output_files import atomic_writer
from .presentation import LAYOUT_SEED, TYPE_COLOURS, colour_of, node_size, presented
from .safe_text import deep_map, xml_safe

__all__ = ["write_html", "render_html"]

PHYSICS_MAX_NODES = 300
LABEL_MAX_CHARS = 14
SENTENCE_MAX_CHARS = 200
_VIS_NETWORK = "templates/lib/vis-9.1.2"     # inside the pyvis package


def write_html(graph: nx.MultiDiGraph, path: str | Path) -> None:
    with atomic_writer(path) as fh:
        fh.write(render_html(graph))


def render_html(graph: nx.MultiDiGraph) -> str:
    clean, positions = presented(graph)
    physics = clean.number_of_nodes() <= PHYSICS_MAX_NODES
    # presentation_graph keeps the graph's node and edge order, so the two zip up.
    nodes = [_vis_node(node, data, positions[node], original)
             for (node, data), (_, original) in zip(clean.nodes(data=True), graph.nodes(data=True))]
    edges = [_vis_edge(u, v, key, data, original)
             for (u, v, key, data), (*_, original)
             in zip(clean.edges(keys=True, data=True), graph.edges(data=True))]
    # The clean graph's ids, names and types are XML-safe already; aliases and
    # evidence come from the original graph.
    nodes, edges = deep_map(nodes, xml_safe), deep_map(edges, xml_safe)
    title = xml_safe(str(graph.graph.get("name") or "graph"))
    return _environment().get_template("viewer.html").render(
        title=title, version=__version__, node_count=len(nodes), edge_count=len(edges),
        legend=_legend(Counter(n["type"] for n in nodes)), physics=physics,
        physics_max_nodes=PHYSICS_MAX_NODES,
        graph_data={"nodes": nodes, "edges": edges, "options": _vis_options(physics)},
        vis_js=_vis_asset("vis-network.min.js"), vis_css=_vis_asset("vis-network.css"))


def _vis_node(node: str, data: Mapping[str, Any], position: tuple[float, float],
              original: Mapping[str, Any]) -> dict[str, Any]:
    name = str(data.get("name", node))
    node_type = str(data.get("type", ""))
    return {"id": node, "label": _shorten(name, LABEL_MAX_CHARS), "name": name, "type": node_type,
            "aliases": _aliases(original.get("aliases")), "degree": data["degree"],
            "evidence": _first_evidence(original.get("evidence")),
            "x": position[0], "y": position[1], "size": node_size(data["degree"]),
            "color": colour_of(node_type)}


def _vis_edge(u: str, v: str, key: str, data: Mapping[str, Any], original: Mapping[str, Any]
              ) -> dict[str, Any]:
    relation = str(data.get("relation", ""))
    edge = {"id": key, "from": u, "to": v, "label": relation, "relation": relation,
            "evidence": _first_evidence(original.get("evidence"))}
    if "role" in data:
        edge["role"] = str(data["role"])
    return edge


def _vis_options(physics: bool) -> dict[str, Any]:
    """vis-network options. Without physics, straight edges and no edges while
    dragging keep a large graph responsive."""
    return {
        "layout": {"improvedLayout": False, "randomSeed": LAYOUT_SEED},
        "physics": {"enabled": physics, "solver": "barnesHut",
                    "stabilization": {"enabled": physics, "iterations": 300, "fit": True}},
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "color": {"color": "#a0a0a0", "highlight": "#333333", "hover": "#555555"},
                  "font": {"size": 10, "color": "#555555", "strokeWidth": 3, "align": "middle"},
                  "smooth": {"enabled": physics, "type": "continuous"}, "width": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": not physics},
    }


def _legend(counts: Counter) -> list[dict[str, Any]]:
    """Schema types in SCHEMA.md's order, then any others alphabetically."""
    order = [t for t in TYPE_COLOURS if t in counts] + sorted(set(counts) - set(TYPE_COLOURS))
    return [{"type": t, "colour": colour_of(t), "count": counts[t]} for t in order]


def _aliases(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(str(a) for a in value) if isinstance(value, (set, frozenset)) else [str(a) for a in value]
    return [str(value)] if value else []


def _first_evidence(value: Any) -> dict[str, str] | None:
    """One evidence sentence and where it comes from, for the tooltip."""
    for item in value if isinstance(value, (list, tuple)) else ():
        if isinstance(item, Mapping) and item.get("sentence"):
            source = str(item.get("file") or item.get("doc") or "")
            if source and item.get("start") is not None and item.get("end") is not None:
                source += f", characters {item['start']}–{item['end']}"
            return {"sentence": _shorten(str(item["sentence"]), SENTENCE_MAX_CHARS), "source": source}
    return None


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@lru_cache(maxsize=None)
def _vis_asset(name: str) -> str:
    return files("pyvis").joinpath(_VIS_NETWORK, name).read_text("utf-8")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=True, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    # tojson escapes < > & ' whatever these say; UTF-8 text keeps the page small.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    return env
