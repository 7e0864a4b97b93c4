"""The graph as one self-contained HTML page: double-click it and it opens from
file:// with no network. An overview laid out by communities, labels that never
cover each other, a details panel with every relation and evidence sentence,
neighbourhood highlight, and filters by type, relation and province.

sigma.js draws it (WebGL, over graphology): vis-network, the library pyvis ships,
redraws a 20,000-node graph in about 0.6 s on this machine, so every click would
lag; sigma redraws it in about 0.1 s. Both libraries are vendored from npm
(templates/vendor/, MIT) and inlined, so the page needs nothing else.

The page's data is compact: files, sentences and relations are tables that
evidence points into by index, so a sentence behind a node and its edges is
written once. Text from the graph reaches the page only as JSON inside a data block
(jinja's ``tojson`` writes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` …, so
``</script>`` or ``<!--`` in a name cannot end the block) or through
``textContent``; and, as in GEXF and GraphML, each character XML 1.0 forbids
(controls, lone surrogates, U+FFFE, U+FFFF) becomes U+FFFD first
(safe_text.xml_safe).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Hashable, Iterable, Mapping

import networkx as nx
from jinja2 import Environment, FileSystemLoader

from ... import __version__
from ...ontology.types import NAVIGATION_NAMES
from ..output_files import atomic_writer
from .presentation import TYPE_COLOURS, colour_of, presented
from .safe_text import xml_safe

__all__ = ["write_html", "render_html", "page_data", "VIEWER_LIBRARIES"]

LABEL_MAX_CHARS = 14
_TEMPLATES = Path(__file__).parent / "templates"
#: The vendored npm files the page inlines, in load order (templates/vendor/README.md).
VIEWER_LIBRARIES = ("graphology.umd.min.js", "sigma.min.js")
#: Links that carry a place's area on to what it names: a node's province is its
#: own (a place), else that of what it lies in, else that of the body or
#: organisation it belongs to or was made by.
_AREA_LINKS = ("locatedIn",)
_OWNER_LINKS = ("memberOf", "subOrganizationOf", "createdBy")


def write_html(graph: nx.MultiDiGraph, path: str | Path) -> None:
    with atomic_writer(path) as fh:
        fh.write(render_html(graph))


def render_html(graph: nx.MultiDiGraph) -> str:
    data = page_data(graph)
    counts = Counter(data["types"][node[2]] for node in data["nodes"])
    relation_counts = Counter(data["relations"][edge[2]] for edge in data["edges"])
    title = xml_safe(str(graph.graph.get("name") or "graph"))
    return _environment().get_template("viewer.html").render(
        title=title, version=__version__, node_count=len(data["nodes"]), edge_count=len(data["edges"]),
        legend=[{"type": t, "colour": colour_of(t), "count": counts[t]} for t in data["types"]],
        relation_legend=[{"relation": r, "count": relation_counts[r],
                          "navigation": r in NAVIGATION_NAMES} for r in data["relations"]],
        graph_data=data, libraries=[_library(name) for name in VIEWER_LIBRARIES])


def page_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """What the page needs, as plain JSON-able tables.

    ``nodes``: ``[id, name, type index, x, y, degree, community, province index
    (-1: none), aliases, attributes, evidence, statistics]``; ``edges``: ``[source
    index, target index, relation index, role, evidence]``; an evidence item is
    ``[file index, article node index, sentence index, start, end]`` with -1 where
    unknown; a statistic is ``[measure, value, unit, year, approximate, evidence]``.
    ``provinces``: ``[place node index, number of nodes in it]`` by size."""
    clean, positions = presented(graph)
    # presentation_graph keeps the graph's node and edge order, so the two zip up.
    node_ids = list(clean.nodes)
    index = {node: i for i, node in enumerate(node_ids)}
    types = _ordered(str(d.get("type", "")) for _, d in clean.nodes(data=True))
    type_index = {t: i for i, t in enumerate(types)}
    # Navigation links (the registry's) go last; the page draws them as plain pale
    # lines, not arrows, so they do not bury the extracted relations.
    relations = _ordered((str(d.get("relation", "")) for *_, d in clean.edges(data=True)),
                         last=NAVIGATION_NAMES)
    relation_index = {r: i for i, r in enumerate(relations)}
    tables = _EvidenceTables({_article_key(n): i for i, n in enumerate(node_ids)
                              if clean.nodes[n].get("type") == "Article"})
    province = _provinces(clean)

    nodes = []
    for (node, data), (_, original) in zip(clean.nodes(data=True), graph.nodes(data=True)):
        x, y = positions[node]
        nodes.append([node, str(data.get("name", node)), type_index[str(data.get("type", ""))],
                      x, y, int(data["degree"]), int(data.get("community", 0)),
                      index.get(province.get(node), -1), _aliases(original.get("aliases")),
                      {k: str(data[k]) for k in ("adcode", "level", "kind") if data.get(k) not in (None, "")},
                      tables.evidence(original.get("evidence")),
                      _statistics(original.get("observations"), tables)])
    edges = []
    for (u, v, data), (*_, original) in zip(clean.edges(data=True), graph.edges(data=True)):
        edges.append([index[u], index[v], relation_index[str(data.get("relation", ""))],
                      str(data.get("role", "")), tables.evidence(original.get("evidence"))])
    members = Counter(province.values())
    provinces = sorted(((index[p], members[p]) for p in members),
                       key=lambda item: (-item[1], nodes[item[0]][1]))
    # Names, ids, types and attributes come from the clean copy (XML-safe already);
    # aliases, files, sentences and statistics from the original graph are made safe
    # where they enter these tables.
    return {"types": types, "colours": [colour_of(t) for t in types], "relations": relations,
            "navigation": [r for r in relations if r in NAVIGATION_NAMES],
            "files": tables.files, "sentences": tables.sentences,
            "provinces": [list(p) for p in provinces], "nodes": nodes, "edges": edges,
            "labelMaxChars": LABEL_MAX_CHARS}


class _EvidenceTables:
    """Files and sentences numbered in first-seen order; evidence as index rows."""

    def __init__(self, article_index: Mapping[str, int]) -> None:
        self.files: list[str] = []
        self.sentences: list[str] = []
        self._file_ids: dict[str, int] = {}
        self._sentence_ids: dict[str, int] = {}
        self._articles = article_index
        self._article_of: dict[str, int] = {}      # article id as cited → its node's index

    def evidence(self, value: Any) -> list[list[int]]:
        rows = []
        for item in value if isinstance(value, (list, tuple)) else ():
            if not isinstance(item, dict):       # not typing.Mapping: its isinstance is slow
                continue
            source = str(item.get("file") or item.get("doc") or "")
            article = item.get("article")
            sentence = item.get("sentence")
            rows.append([self._number(source, self.files, self._file_ids),
                         self._article(str(article)) if article else -1,
                         self._number(str(sentence), self.sentences, self._sentence_ids)
                         if sentence is not None else -1,
                         _offset(item.get("start")), _offset(item.get("end"))])
        return rows

    def _article(self, article: str) -> int:
        found = self._article_of.get(article)
        if found is None:
            found = self._article_of[article] = self._articles.get(xml_safe(article), -1)
        return found

    @staticmethod
    def _number(text: str, table: list[str], ids: dict[str, int]) -> int:
        found = ids.get(text)
        if found is None:
            found = ids[text] = len(table)
            table.append(xml_safe(text))
        return found


def _statistics(value: Any, tables: _EvidenceTables) -> list[list[Any]]:
    """A node's observations ("697个人大代表联络站"), each with its evidence."""
    rows = []
    for obs in value if isinstance(value, (list, tuple)) else ():
        if isinstance(obs, dict) and obs.get("value") is not None:
            rows.append([xml_safe(str(obs.get("measure") or "")), obs["value"] if isinstance(obs["value"], (int, float))
                         else xml_safe(str(obs["value"])), xml_safe(str(obs.get("unit") or "")),
                         int(obs["year"]) if isinstance(obs.get("year"), int) else -1,
                         bool(obs.get("approximate")), tables.evidence([obs.get("evidence")])])
    return rows


def _article_key(node_id: str) -> str:
    """An Article node's id is ``article:`` + the article id its evidence cites."""
    return node_id[len("article:"):] if node_id.startswith("article:") else node_id


def _provinces(clean: nx.MultiDiGraph) -> dict[Hashable, Hashable]:
    """Each node's province node, where the graph tells: a place by its adcode (or
    the adcode its id starts with), anything else through what it lies in, then
    through the body or organisation it belongs to or was made by."""
    by_code = {str(d["adcode"]): n for n, d in clean.nodes(data=True)
               if d.get("type") == "Place" and d.get("level") == "province" and d.get("adcode")}
    province: dict[Hashable, Hashable] = {}
    for node, data in clean.nodes(data=True):
        if data.get("type") == "Place":
            code = str(data.get("adcode") or data.get("node_id") or "")[:2]
            if code.isdigit() and f"{code}0000" in by_code:
                province[node] = by_code[f"{code}0000"]
    for links in (_AREA_LINKS, _OWNER_LINKS):
        targets: dict[Hashable, list[Hashable]] = {}
        for u, v, data in clean.edges(data=True):
            if data.get("relation") in links:
                targets.setdefault(u, []).append(v)
        changed = True
        while changed:                      # follow chains: village → town → county …
            changed = False
            for node in sorted(targets, key=str):
                if node in province:
                    continue
                found = next((province[t] for t in targets[node] if t in province), None)
                if found is not None:
                    province[node] = found
                    changed = True
    return province


def _ordered(values: Iterable[str], last: Iterable[str] = ()) -> list[str]:
    """Schema types in SCHEMA.md's order, then any others alphabetically; ``last``
    names go to the end."""
    seen = set(values)
    tail = [v for v in last if v in seen]
    known = [t for t in TYPE_COLOURS if t in seen]
    return known + sorted(seen - set(known) - set(tail)) + tail


def _aliases(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, set, frozenset)):
        names = sorted(str(a) for a in value) if isinstance(value, (set, frozenset)) else [str(a) for a in value]
        return [xml_safe(a) for a in names]
    return [xml_safe(str(value))] if value else []


def _offset(value: Any) -> int:
    if type(value) is int:                          # the usual case, first
        return value
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else -1


@lru_cache(maxsize=None)
def _library(name: str) -> str:
    return (_TEMPLATES / "vendor" / name).read_text("utf-8")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=True, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    # tojson escapes < > & ' whatever these say; UTF-8 text keeps the page small.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    return env
