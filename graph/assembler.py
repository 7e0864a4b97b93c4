"""Assemble per-document extraction results into one networkx MultiDiGraph.

One node per real-world entity across all documents: places merge by their
gazetteer node, people's congresses and standing committees by place + kind,
everything else by normalised canonical name within its type. Node identifiers
are readable and depend only on the entity itself, so adding documents never
renames an existing node. Every node and edge keeps the evidence of every
mention that produced it.

Besides SCHEMA.md's seven relations, each Article links every entity it names
(`mentions`, a navigation relation of the type registry): one edge per article and
entity, carrying the first evidence of the entity in that article. It lives only in
the graph and its exports, never in the per-document JSON Lines or the scorer.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Hashable, Iterable, Optional

import networkx as nx

from ..extractors.records import DocumentResult, Entity, Evidence
from ..ontology.types import relation_type

__all__ = ["DocumentResult", "GraphAssembler", "assemble"]

#: Bodies of which a place has exactly one: they merge by place + kind.
ONE_PER_PLACE = ("standing_committee", "congress", "presidium")

#: The navigation relation from an Article to each entity it names.
MENTIONS = "mentions"
_MENTIONS = relation_type(MENTIONS)


def _norm(name: str) -> str:
    return re.sub(r"[\s\"'“”‘’《》〈〉「」『』]", "", unicodedata.normalize("NFKC", name))


def _place_key(entity: Entity) -> str:
    return str(entity.attr("adcode") or entity.attr("node_id") or _norm(entity.name))


class GraphAssembler:
    """Adds DocumentResults one at a time; `graph` is always a consistent graph.

    The graph's node and edge attributes are plain dicts and lists (what networkx and
    the exporters take): this is where the typed records become them."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph(name="renda-kg")
        self._seen: dict[object, set[Hashable]] = {}      # keys of the records each node/edge holds

    def node_id(self, entity: Entity, located: Optional[Entity], result: DocumentResult) -> str:
        kind = entity.kind
        if entity.type == "Place":
            return f"place:{_place_key(entity)}"
        if entity.type == "Article":
            return f"article:{result.articles.get(entity.name, result.doc_id + ':' + _norm(entity.name))}"
        if entity.type == "CongressBody" and kind in ONE_PER_PLACE:
            if located is not None:
                return f"body:{_place_key(located)}:{kind}"
            return f"body:{_norm(entity.name)}"
        return f"{entity.type.lower()}:{_norm(entity.name)}"

    def add(self, result: DocumentResult) -> None:
        ids = self._add_entities(result)
        self._add_relations(result, ids)
        self._add_observations(result, ids)
        self._add_mentions(result, ids)     # last: the seven keep their place in each node's adjacency

    def _extend(self, owner: object, held: list, new: Iterable[tuple[Hashable, Any]]) -> None:
        """Append to ``held`` each (key, record) whose key it lacks, in order: a keyed
        set per owner keeps it linear however busy the node."""
        seen = self._seen.setdefault(owner, set())
        for key, record in new:
            if key not in seen:
                seen.add(key)
                held.append(record)

    def _evidence(self, owner: object, held: list, evidence: Iterable[Evidence], result: DocumentResult) -> None:
        """Add evidence to a node's or edge's list, each piece once (keyed on the
        typed record and its file), as the dicts the exporters read."""
        self._extend(owner, held, (((result.path, result.doc_id, ev), _evidence_dict(ev, result))
                                   for ev in evidence))

    def _add_entities(self, result: DocumentResult) -> dict[str, str]:
        """Node ids of the document's entity ids; new nodes made, known ones merged."""
        g = self.graph
        by_id = {e.id: e for e in result.entities}
        located: dict[str, Entity] = {}
        for r in result.relations:
            if r.relation == "locatedIn" and r.tail in by_id:
                located.setdefault(r.head, by_id[r.tail])
        ids: dict[str, str] = {}
        for e in result.entities:
            nid = ids[e.id] = self.node_id(e, located.get(e.id), result)
            if nid not in g:
                g.add_node(nid, type=e.type, name=e.name, **_attrs(e), aliases=sorted(set(e.aliases)),
                           evidence=[], observations=[])
            else:
                node = g.nodes[nid]
                names = set(node["aliases"]) | set(e.aliases)
                if e.name != node["name"]:
                    names.add(e.name)
                node["aliases"] = sorted(names - {node["name"]})
                for k, v in _attrs(e).items():
                    node.setdefault(k, v)
            self._evidence(("node", nid), g.nodes[nid]["evidence"], e.evidence, result)
        return ids

    def _add_mentions(self, result: DocumentResult, ids: dict[str, str]) -> None:
        """Article → entity, once per pair, in the document's entity and evidence order;
        the edge keeps the first evidence of the entity in that article (a pair already
        linked, by an earlier copy of the document, keeps what it has)."""
        g = self.graph
        for e in result.entities:
            tail = ids[e.id]
            tail_type = g.nodes[tail].get("type")
            for ev in e.evidence:
                if ev.article is None:
                    continue
                head = f"article:{ev.article}"
                if head == tail or head not in g or g.has_edge(head, tail, MENTIONS):
                    continue
                if not _MENTIONS.allows(g.nodes[head].get("type"), tail_type):
                    continue        # an Article tail: articles do not mention each other
                g.add_edge(head, tail, key=MENTIONS, relation=MENTIONS,
                           evidence=[_evidence_dict(ev, result)])

    def _add_relations(self, result: DocumentResult, ids: dict[str, str]) -> None:
        g = self.graph
        for r in result.relations:
            head, tail = ids.get(r.head), ids.get(r.tail)
            if head is None or tail is None or head == tail:
                continue
            key = r.relation
            rtype = relation_type(key)
            if rtype.navigation or not rtype.allows(g.nodes[head].get("type"), g.nodes[tail].get("type")):
                continue            # the type registry's heads and tails: what the SHACL shapes accept
            if not g.has_edge(head, tail, key):
                attrs: dict[str, Any] = {"relation": key, "evidence": []}
                if r.role:
                    attrs["role"] = r.role
                g.add_edge(head, tail, key=key, **attrs)
            edge = g.edges[head, tail, key]
            self._evidence(("edge", head, tail, key), edge["evidence"], r.evidence, result)
            if r.role and not edge.get("role"):
                edge["role"] = r.role

    def _add_observations(self, result: DocumentResult, ids: dict[str, str]) -> None:
        for obs in result.observations:
            target = ids.get(obs.entity)
            if target is not None:
                record = {"measure": obs.measure, "value": obs.value, "unit": obs.unit, "year": obs.year,
                          "approximate": obs.approximate, "evidence": _evidence_dict(obs.evidence, result)}
                self._extend(("observations", target), self.graph.nodes[target]["observations"],
                             [((result.path, result.doc_id, obs), record)])


def _attrs(entity: Entity) -> dict[str, str]:
    """An entity's kind / level / node_id / adcode, as node attributes."""
    return {k: v for k, v in entity.attrs if v is not None}


def _evidence_dict(ev: Evidence, result: DocumentResult) -> dict[str, Any]:
    """Evidence as the graph holds it: the file and document, then the record's fields."""
    return {"file": result.path, "doc": result.doc_id, **ev.to_dict()}


def assemble(results: Iterable[DocumentResult]) -> nx.MultiDiGraph:
    """Build the graph from documents in the given order (sort them for determinism)."""
    asm = GraphAssembler()
    for r in results:
        asm.add(r)
    return asm.graph
