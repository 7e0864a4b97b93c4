"""Assemble per-document extraction results into one networkx MultiDiGraph.

One node per real-world entity across all documents: places merge by their
gazetteer node, people's congresses and standing committees by place + kind,
everything else by normalised canonical name within its type. Node identifiers
are readable and depend only on the entity itself, so adding documents never
renames an existing node. Every node and edge keeps the evidence of every
mention that produced it.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Iterable

import networkx as nx

from ..extractors.records import DocumentResult

__all__ = ["DocumentResult", "GraphAssembler", "assemble"]

#: Bodies of which a place has exactly one: they merge by place + kind.
ONE_PER_PLACE = ("standing_committee", "congress", "presidium")


def _norm(name: str) -> str:
    return re.sub(r"[\s\"'“”‘’《》〈〉「」『』]", "", unicodedata.normalize("NFKC", name))


def _place_key(entity: dict) -> str:
    return str(entity.get("adcode") or entity.get("node_id") or _norm(entity["name"]))


class GraphAssembler:
    """Adds DocumentResults one at a time; `graph` is always a consistent graph."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph(name="renda-kg")
        self._seen: dict[object, set] = {}      # keys of the evidence each node/edge holds

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
        ids = self._add_entities(result)
        self._add_relations(result, ids)
        self._add_observations(result, ids)

    def _extend(self, owner: object, held: list, new: Iterable[dict]) -> None:
        """Append the records `held` lacks, in order; a keyed set per owner keeps it linear."""
        seen = self._seen.get(owner)
        if seen is None:
            seen = self._seen[owner] = {_record_key(r) for r in held}
        for record in new:
            key = _record_key(record)
            if key not in seen:
                seen.add(key)
                held.append(record)

    def _add_entities(self, result: DocumentResult) -> dict[str, str]:
        """Node ids of the document's entity names; new nodes made, known ones merged."""
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
                g.add_node(nid, **attrs, aliases=sorted(set(e.get("aliases", []))), evidence=evidence,
                           observations=[])
                continue
            node = g.nodes[nid]
            names = set(node["aliases"]) | set(e.get("aliases", []))
            if e["name"] != node["name"]:
                names.add(e["name"])
            node["aliases"] = sorted(names - {node["name"]})
            self._extend(("node", nid), node["evidence"], evidence)
            for k, v in e.items():
                if k not in node and v is not None and k not in ("evidence", "aliases"):
                    node[k] = v
        return ids

    def _add_relations(self, result: DocumentResult, ids: dict[str, str]) -> None:
        g = self.graph
        for r in result.relations:
            head, tail = ids.get(r["head"]), ids.get(r["tail"])
            if head is None or tail is None or head == tail:
                continue
            evidence = [self._evidence(ev, result) for ev in r.get("evidence", [])]
            key = r["relation"]
            if not g.has_edge(head, tail, key):
                attrs = {"relation": key, "evidence": evidence}
                if r.get("role"):
                    attrs["role"] = r["role"]
                g.add_edge(head, tail, key=key, **attrs)
                continue
            edge = g.edges[head, tail, key]
            self._extend(("edge", head, tail, key), edge["evidence"], evidence)
            if r.get("role") and not edge.get("role"):
                edge["role"] = r["role"]

    def _add_observations(self, result: DocumentResult, ids: dict[str, str]) -> None:
        for obs in result.observations:
            target = ids.get(obs.get("entity", ""))
            if target is not None:
                record = {k: v for k, v in obs.items() if k != "entity"}
                record["evidence"] = self._evidence(record.get("evidence", {}), result)
                self._extend(("observations", target), self.graph.nodes[target]["observations"], [record])

    @staticmethod
    def _evidence(ev: dict, result: DocumentResult) -> dict:
        out = {"file": result.path, "doc": result.doc_id}
        out.update({k: ev[k] for k in ("article", "sentence", "start", "end", "extractor") if k in ev})
        return out


def _record_key(record: dict) -> str:
    """A hashable key equal for equal records (evidence and observation dicts nest)."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def assemble(results: Iterable[DocumentResult]) -> nx.MultiDiGraph:
    """Build the graph from documents in the given order (sort them for determinism)."""
    asm = GraphAssembler()
    for r in results:
        asm.add(r)
    return asm.graph
