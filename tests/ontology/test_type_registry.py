"""The type registry (ontology/types.py) agrees with the OWL ontology and the SHACL
shapes, so adding a type in one place and not the others fails here."""
from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace
from rdflib.collection import Collection

from renda_kg.ontology import ontology_path, shapes_path
from renda_kg.ontology.types import (ENTITY_TYPES, GRAPH_RELATIONS, NAVIGATION_RELATIONS, OBSERVATION_OWNERS,
                                     RELATION_TYPES, TYPE_ORDER, entity_type, relation_type)

SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def owl() -> Graph:
    return Graph().parse(ontology_path())


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path())


def _renda(graph: Graph) -> Namespace:
    """The ontology's own namespace, as the file binds it."""
    return Namespace(dict(graph.namespaces())["renda"])


def _classes(graph: Graph, node) -> set[str]:
    """Local names of a class or of an owl:unionOf of classes."""
    union = graph.value(node, OWL.unionOf)
    members = list(Collection(graph, union)) if union is not None else [node]
    return {str(m).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for m in members}


def _shape_classes(graph: Graph, node) -> set[str]:
    """sh:class, or the sh:class of each alternative of an sh:or list."""
    direct = graph.value(node, SH["class"])
    if direct is not None:
        return _classes(graph, direct)
    alternatives = graph.value(node, SH["or"])
    return {c for alt in Collection(graph, alternatives) for c in _classes(graph, graph.value(alt, SH["class"]))}


def test_every_entity_type_is_an_owl_class_with_the_same_labels(owl):
    ns = _renda(owl)
    declared = {str(c).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for c in owl.subjects(RDF.type, OWL.Class)
                if str(c).startswith(str(ns))}
    for t in ENTITY_TYPES:
        cls = ns[t.name]
        assert (cls, RDF.type, OWL.Class) in owl, t.name
        assert Literal(t.zh, lang="zh") in set(owl.objects(cls, RDFS.label)), t.name
        assert Literal(t.en, lang="en") in set(owl.objects(cls, RDFS.label)), t.name
    assert {t.name for t in ENTITY_TYPES} <= declared


def test_every_relation_has_the_ontologys_domain_range_and_labels(owl):
    ns = _renda(owl)
    for r in RELATION_TYPES:
        prop = ns[r.name]
        assert (prop, RDF.type, OWL.ObjectProperty) in owl, r.name
        assert _classes(owl, owl.value(prop, RDFS.domain)) == set(r.heads), r.name
        assert _classes(owl, owl.value(prop, RDFS.range)) == set(r.tails), r.name
        assert Literal(r.zh, lang="zh") in set(owl.objects(prop, RDFS.label)), r.name


def test_every_relation_has_a_shape_with_the_same_heads_and_tails(shapes):
    ns = _renda(shapes)
    for r in RELATION_TYPES:
        (shape,) = shapes.subjects(SH.targetSubjectsOf, ns[r.name])
        assert _shape_classes(shapes, shape) == set(r.heads), r.name
        (prop,) = shapes.objects(shape, SH.property)
        assert _shape_classes(shapes, prop) == set(r.tails), r.name


def test_the_registry_is_whole_and_consistent():
    assert sorted(TYPE_ORDER) == sorted(t.name for t in ENTITY_TYPES)
    assert len({t.colour for t in ENTITY_TYPES}) == len(ENTITY_TYPES)
    for r in RELATION_TYPES:
        assert all(entity_type(n) for n in r.heads + r.tails)
    assert relation_type("memberOf").heads == ("Person",)
    assert {"CongressBody", "LiaisonStation", "Organization"} == OBSERVATION_OWNERS


def test_navigation_relations_are_apart_from_the_seven_and_known_to_the_ontology_and_shapes(owl, shapes):
    """mentions is no SCHEMA.md relation (what the scorer and the JSON Lines iterate),
    yet the ontology, the shapes and the graph's relation look-up know it."""
    assert [r.name for r in RELATION_TYPES] == ["locatedIn", "createdBy", "subOrganizationOf", "focusesOn",
                                                "authorOf", "about", "memberOf"]
    assert not any(r.navigation for r in RELATION_TYPES)
    assert [r.name for r in NAVIGATION_RELATIONS] == ["mentions"]
    assert GRAPH_RELATIONS == RELATION_TYPES + NAVIGATION_RELATIONS
    mentions = relation_type("mentions")
    assert mentions.navigation and mentions.heads == ("Article",)
    assert set(mentions.tails) == {t.name for t in ENTITY_TYPES} - {"Article"}
    assert mentions.allows("Article", "Media") and not mentions.allows("Article", "Article")
    ns = _renda(owl)
    assert (ns.mentions, RDF.type, OWL.ObjectProperty) in owl
    assert _classes(owl, owl.value(ns.mentions, RDFS.domain)) == set(mentions.heads)
    assert _classes(owl, owl.value(ns.mentions, RDFS.range)) == set(mentions.tails)
    assert Literal(mentions.zh, lang="zh") in set(owl.objects(ns.mentions, RDFS.label))
    assert "Navigation" in str(owl.value(ns.mentions, RDFS.comment))
    (shape,) = shapes.subjects(SH.targetSubjectsOf, _renda(shapes).mentions)
    assert _shape_classes(shapes, shape) == set(mentions.heads)
    (prop,) = shapes.objects(shape, SH.property)
    assert _shape_classes(shapes, prop) == set(mentions.tails)


def test_every_graph_relation_may_be_an_assertions_predicate(shapes):
    ns = _renda(shapes)
    (shape,) = shapes.subjects(SH.targetClass, ns.RelationAssertion)
    allowed = {str(term) for prop in shapes.objects(shape, SH.property)
               for listed in shapes.objects(prop, SH["in"]) for term in Collection(shapes, listed)}
    assert allowed == {str(ns[r.name]) for r in GRAPH_RELATIONS}
