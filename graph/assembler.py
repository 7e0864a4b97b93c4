"""Assemble per-document extraction results into one networkx MultiDiGraph.

One node per real-world entity across all documents: places merge by their
gazetteer node, people's congresses and standing committees by place + kind,
everything else by normalised canonical name within its type. Node identifiers
are readable and depend only on the entity itself, so adding documents never
renames an existing node. Every node and edge keeps the evidence of every
mention that produced it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

#: Bodies of which a place has exactly one: they merge by place + kind.
ONE_PER_PLACE = ("standing_committee", "congress", "presidium")


@dataclass
class DocumentResult:
    """What the extractors produced for one document (SCHEMA.md JSON Lines shape)."""

    doc_id: str
    path: str
    entities: list[dict]
    relations: list[dict]
    observations: list[dict] = field(default_factory=list)
    articles: dict[str, str] = field(default_factory=dict)   # article name → article id


def _norm(name: str) -> str:
    return re.sub(r"[\s\"'“”‘’《》〈〉「」『』]", "", unicodedata.normalize("NFKC", name))


def _place_key(entity: dict) -> str:
    return str(entity.get("adcode") or entity.get("node_id") or _norm(entity["name"]))


class GraphAssembler:
    """Adds DocumentResults one at a time; `graph` is always a consistent graph."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph(name="renda-kg")

    def node_id(self, entity: dict, located: dict | None, result: DocumentResult) -> str:
        kind = entity.get("kind")
        if entity["type"] == "Place":
            return f"place:{_place_key(entity)}"
        if entity["type"] == "Article":
            return f"article:{result.articles.get(entity['name'], result.doc_id + ':' + _norm(entity['name']))}"
        if entity["type"] == "CongressBody" and kind in ONE_PER_PLACE:
            if located is not None:
                return f"body:{_place_key(located)}:{kind}"
            return f"body:{_norm(entity['name'])}"
        return f"{entity['type'].lower()}:{_norm(entity['name'])}"

    def add(self, result: DocumentResult) -> None:
        g = self.graph
        by_name = {e["name"]: e for e in result.entities}
        located = {}
        for r in result.relations:
            if r["relation"] == "locatedIn" and r["tail"] in by_name:
                located.setdefault(r["head"], by_name[r["tail"]])
        ids: dict[str, str] = {}
        for e in result.entities:
            nid = self.node_id(e, located.get(e["name"]), result)
            ids[e["name"]] = nid
            evidence = [self._evidence(ev, result) for ev in e.get("evidence", [])]
            if nid not in g:
                attrs = {k: v for k, v in e.items() if k not in ("evidence", "aliases") and v is not None}
                g.add_node(nid, **attrs, aliases=sorted(set(e.get("aliases", []))),
                           evidence=evidence, observations=[])
            else:
                node = g.nodes[nid]
                names = set(node["aliases"]) | set(e.get("aliases", []))
                if e["name"] != node["name"]:
                    names.add(e["name"])
                node["aliases"] = sorted(names - {node["name"]})
                node["evidence"].extend(ev for ev in evidence if ev not in node["evidence"])
                for k, v in e.items():
                    if k not in node and v is not None and k not in ("evidence", "aliases"):
                        node[k] = v
        for r in result.relations:
            head, tail = ids.get(r["head"]), ids.get(r["tail"])
            if head is None or tail is None or head == tail:
                continue
            evidence = [self._evidence(ev, result) for ev in r.get("evidence", [])]
            key = r["relation"]
            if g.has_edge(head, tail, key):
                edge = g.edges[head, tail, key]
                edge["evidence"].extend(ev for ev in evidence if ev not in edge["evidence"])
                if r.get("role") and not edge.get("role"):
                    edge["role"] = r["role"]
            else:
                attrs = {"relation": key, "evidence": evidence}
                if r.get("role"):
                    attrs["role"] = r["role"]
                g.add_edge(head, tail, key=key, **attrs)
        for obs in result.observations:
            target = ids.get(obs.get("entity", ""))
            if target is not None:
                record = {k: v for k, v in obs.items() if k != "entity"}
                record["evidence"] = self._evidence(record.get("evidence", {}), result)
                if record not in g.nodes[target]["observations"]:
                    g.nodes[target]["observations"].append(record)

    @staticmethod
    def _evidence(ev: dict, result: DocumentResult) -> dict:
        out = {"file": result.path, "doc": result.doc_id}
        out.update({k: ev[k] for k in ("article", "sentence", "start", "end", "extractor") if k in ev})
        return out


def assemble(results: Iterable[DocumentResult]) -> nx.MultiDiGraph:
    """Build the graph from documents in the given order (sort them for determinism)."""
    asm = GraphAssembler()
    for r in results:
        asm.add(r)
    return asm.graph
