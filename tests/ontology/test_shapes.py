"""The SHACL shapes accept a well-formed export and reject graphs that break the contract.

(The seed graph's conformance is checked in tests/graph/test_rdf.py, beside its build.)
"""
from __future__ import annotations

import networkx as nx
import pyshacl
import pytest
from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef

from renda_kg.graph.export.rdf import graph_to_rdf, node_iri
from renda_kg.ontology import NAMESPACE, shapes_path

RENDA = Namespace(NAMESPACE)


def evidence(start: int, text: str = "平邑县人大常委会设立地方镇人大代表联络站。") -> dict:
    return {"file": "seeds/p.txt", "doc": "p", "article": "p#a0", "sentence": text,
            "start": start, "end": start + len(text), "extractor": "rule"}


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("place:371326", type="Place", name="平邑县", aliases=["平邑"], level="county",
               adcode="371326", node_id="371326", evidence=[evidence(0)], observations=[])
    g.add_node("body:371326:standing_committee", type="CongressBody", name="平邑县人大常委会", aliases=[],
               kind="standing_committee", evidence=[evidence(0)],
               observations=[{"measure": "人大代表联络站", "value": 12.0, "unit": "个", "year": 2024,
                              "approximate": False, "evidence": evidence(40)}])
    g.add_node("liaisonstation:地方镇人大代表联络站", type="LiaisonStation", name="地方镇人大代表联络站",
               aliases=[], kind="liaison_station", evidence=[evidence(0)], observations=[])
    g.add_edge("body:371326:standing_committee", "place:371326", key="locatedIn", relation="locatedIn",
               evidence=[evidence(0)])
    g.add_edge("liaisonstation:地方镇人大代表联络站", "body:371326:standing_committee", key="createdBy",
               relation="createdBy", evidence=[evidence(0)])
    return g


def validate(data: Graph) -> tuple[bool, str]:
    conforms, _, text = pyshacl.validate(data, shacl_graph=Graph().parse(shapes_path()), inference="none")
    return conforms, text


def test_small_graph_conforms():
    conforms, report = validate(graph_to_rdf(small_graph()))
    assert conforms, report


def _evidence_node(data: Graph) -> URIRef:
    return next(iter(data.subjects(RDF.type, RENDA.Evidence)))


def _string_offset(data: Graph) -> None:
    ev = _evidence_node(data)
    data.set((ev, RENDA.start, Literal("0")))


def _planet_level(data: Graph) -> None:
    data.set((node_iri("place:371326"), RENDA.level, Literal("planet")))


def _located_in_a_station(data: Graph) -> None:
    data.add((node_iri("body:371326:standing_committee"), RENDA.locatedIn,
              node_iri("liaisonstation:地方镇人大代表联络站")))


def _unknown_body_kind(data: Graph) -> None:
    data.set((node_iri("body:371326:standing_committee"), RENDA.kind, Literal("parliament")))


def _name_without_language(data: Graph) -> None:
    data.set((node_iri("place:371326"), SKOS.prefLabel, Literal("平邑县")))


def _relation_without_evidence(data: Graph) -> None:
    assertion = next(iter(data.subjects(RDF.type, RENDA.RelationAssertion)))
    data.remove((assertion, RENDA.evidence, None))


def _start_after_end(data: Graph) -> None:
    ev = _evidence_node(data)
    data.set((ev, RENDA.start, Literal(10_000)))


def _text_value(data: Graph) -> None:
    obs = next(iter(data.subjects(RDF.type, RENDA.Observation)))
    data.set((obs, RENDA.value, Literal("twelve")))


@pytest.mark.parametrize("break_it, path", [
    (_string_offset, "start"), (_planet_level, "level"), (_located_in_a_station, "locatedIn"),
    (_unknown_body_kind, "kind"), (_name_without_language, "prefLabel"),
    (_relation_without_evidence, "evidence"), (_start_after_end, "start"), (_text_value, "value"),
])
def test_broken_graph_does_not_conform(break_it, path):
    data = graph_to_rdf(small_graph())
    break_it(data)
    conforms, report = validate(data)
    assert not conforms
    assert path in report, report


def with_mentions() -> nx.MultiDiGraph:
    """The small graph with its article and the article's mentions, as the assembler makes them."""
    g = small_graph()
    g.add_node("article:p#a0", type="Article", name="平邑县设立联络站", aliases=[], evidence=[evidence(0)],
               observations=[])
    for tail in ("place:371326", "liaisonstation:地方镇人大代表联络站"):
        g.add_edge("article:p#a0", tail, key="mentions", relation="mentions", evidence=[evidence(0)])
    return g


def test_mentions_conform_and_are_assertions_with_evidence():
    data = graph_to_rdf(with_mentions())
    conforms, report = validate(data)
    assert conforms, report
    article = node_iri("article:p#a0")
    assert set(data.objects(article, RENDA.mentions)) == {node_iri("place:371326"),
                                                          node_iri("liaisonstation:地方镇人大代表联络站")}
    assertions = set(data.subjects(RDF.predicate, RENDA.mentions))
    assert len(assertions) == 2 and all(data.value(a, RENDA.evidence) is not None for a in assertions)


def test_an_article_mentioning_an_article_or_a_place_mentioning_anything_does_not_conform():
    g = with_mentions()
    g.add_node("article:p#a1", type="Article", name="另一篇", aliases=[], evidence=[evidence(0)], observations=[])
    g.add_edge("article:p#a0", "article:p#a1", key="mentions", relation="mentions", evidence=[evidence(0)])
    conforms, report = validate(graph_to_rdf(g))
    assert not conforms and "mentions points to an entity other than an Article" in report, report
    g = with_mentions()
    g.add_edge("place:371326", "liaisonstation:地方镇人大代表联络站", key="mentions", relation="mentions",
               evidence=[evidence(0)])
    conforms, report = validate(graph_to_rdf(g))
    assert not conforms and "Mentions" in report, report
