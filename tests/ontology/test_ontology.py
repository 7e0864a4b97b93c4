"""The OWL ontology declares every SCHEMA.md type and relation, labelled in Chinese and English."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from renda_kg.ontology import NAMESPACE, ontology_path, shapes_path

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT.parent / "shared" / "SCHEMA.md"
RENDA = Namespace(NAMESPACE)

# SCHEMA.md v1, used when the shared folder is not beside the repository.
ENTITY_TYPES = ("Place", "CongressBody", "LiaisonStation", "Programme", "Organization", "Person",
                "Document", "Media", "Industry", "Article")
RELATIONS = ("locatedIn", "createdBy", "subOrganizationOf", "focusesOn", "authorOf", "about", "memberOf")


def schema_table(heading: str) -> list[str]:
    """First-column names of the Markdown table under `## heading` in SCHEMA.md."""
    section = SCHEMA.read_text("utf-8").split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)


def entity_types() -> tuple[str, ...]:
    return tuple(schema_table("Entity types")) if SCHEMA.is_file() else ENTITY_TYPES


def relations() -> tuple[str, ...]:
    return tuple(schema_table("Relation types")) if SCHEMA.is_file() else RELATIONS


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_path())


def labels(graph: Graph, term: URIRef) -> dict[str, str]:
    return {label.language: str(label) for label in graph.objects(term, RDFS.label)}


def test_schema_tables_are_read():
    assert set(entity_types()) == set(ENTITY_TYPES)
    assert set(relations()) == set(RELATIONS)


def test_package_data_paths_exist():
    assert ontology_path().is_file() and shapes_path().is_file()
    Graph().parse(shapes_path())


def test_ontology_header(ontology):
    assert (URIRef(NAMESPACE.rstrip("#")), RDF.type, OWL.Ontology) in ontology


@pytest.mark.parametrize("name", entity_types() + ("Observation", "Evidence", "RelationAssertion"))
def test_every_class_is_declared_with_zh_and_en_labels(ontology, name):
    cls = RENDA[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    found = labels(ontology, cls)
    assert found.get("zh") and found.get("en"), f"{name} needs labels @zh and @en, has {found}"
    assert any(ontology.objects(cls, RDFS.comment))
    assert any(ontology.objects(cls, RDFS.subClassOf)), f"{name} is aligned to no standard class"


@pytest.mark.parametrize("name", relations())
def test_every_relation_is_an_object_property_with_domain_and_range(ontology, name):
    prop = RENDA[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    found = labels(ontology, prop)
    assert found.get("zh") and found.get("en")
    assert any(ontology.objects(prop, RDFS.domain)) and any(ontology.objects(prop, RDFS.range))


@pytest.mark.parametrize("name", ["level", "kind", "adcode", "gazetteerId", "value", "unit", "measure",
                                  "year", "approximate", "sourceFile", "document", "sentence",
                                  "start", "end", "extractor"])
def test_attributes_are_datatype_properties(ontology, name):
    prop = RENDA[name]
    assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
    assert labels(ontology, prop).keys() >= {"zh", "en"}


@pytest.mark.parametrize("term, parent", [
    ("CongressBody", "http://www.w3.org/ns/org#FormalOrganization"),
    ("Organization", "http://www.w3.org/ns/org#Organization"),
    ("Evidence", "http://www.w3.org/ns/prov#Entity"),
    ("Industry", "http://www.w3.org/2004/02/skos/core#Concept"),
])
def test_classes_are_aligned_to_standard_vocabularies(ontology, term, parent):
    assert (RENDA[term], RDFS.subClassOf, URIRef(parent)) in ontology


@pytest.mark.parametrize("term, parent", [
    ("subOrganizationOf", "http://www.w3.org/ns/org#subOrganizationOf"),
    ("memberOf", "http://www.w3.org/ns/org#memberOf"),
    ("createdBy", "http://purl.org/dc/terms/creator"),
    ("evidence", "http://www.w3.org/ns/prov#wasDerivedFrom"),
])
def test_properties_are_aligned_to_standard_vocabularies(ontology, term, parent):
    assert (RENDA[term], RDFS.subPropertyOf, URIRef(parent)) in ontology


def test_place_levels_are_enumerated(ontology):
    rng = ontology.value(RENDA.level, RDFS.range)
    members = ontology.value(rng, OWL.oneOf)
    assert [str(x) for x in Collection(ontology, members)] == ["province", "city", "county", "town", "village"]
