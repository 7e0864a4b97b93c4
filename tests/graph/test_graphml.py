"""graph.graphml read back by networkx and by a second, independent parser
(graphology-graphml): the seed graph and a graph holding every attribute trap."""
from __future__ import annotations

from collections import Counter
from xml.etree import ElementTree

import networkx as nx
import pytest

from format_clients import ROOT, run_node, trap_graph
from test_gexf import odd_text_graph
from renda_kg.graph.export.graphml import write_graphml
from renda_kg.graph.export.presentation import colour_of, communities, node_size
from renda_kg.graph.pipeline import build_graph


@pytest.fixture(scope="module")
def seed_graph():
    return build_graph(ROOT / "seeds")


@pytest.fixture(scope="module")
def seed_graphml(seed_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("graphml") / "graph.graphml"
    write_graphml(seed_graph, path)
    return path


def test_networkx_round_trip_keeps_nodes_edges_and_typed_columns(seed_graph, seed_graphml):
    back = nx.read_graphml(seed_graphml, force_multigraph=True)
    assert back.is_directed()
    assert set(back) == {str(n) for n in seed_graph}
    assert back.number_of_edges() == seed_graph.number_of_edges()
    for node, data in seed_graph.nodes(data=True):
        got = back.nodes[str(node)]
        assert got["label"] == got["name"] == data["name"]
        assert got["type"] == data["type"]
        assert got["degree"] == seed_graph.degree(node) and isinstance(got["degree"], int)
        assert got["evidence_count"] == len(data["evidence"])
        assert got["aliases"] == "; ".join(data["aliases"])
        assert got["color"] == colour_of(data["type"])
        assert got["size"] == node_size(seed_graph.degree(node))
        assert isinstance(got["x"], float) and isinstance(got["y"], float)
    for i, (u, v, data) in enumerate(seed_graph.edges(data=True)):
        got = back.edges[str(u), str(v), f"e{i}"]
        assert got["relation"] == data["relation"]
        assert got.get("role") == data.get("role")
        assert got["evidence_count"] == len(data["evidence"])


def test_graphology_graphml_reads_the_same_graph(seed_graph, seed_graphml):
    parsed = run_node("read_graph.mjs", "graphml", str(seed_graphml))
    assert parsed["order"] == seed_graph.number_of_nodes()
    assert parsed["size"] == seed_graph.number_of_edges()
    assert {"type", "name", "degree", "evidence_count", "aliases", "label", "color", "size",
            "x", "y"} <= set(parsed["nodeAttributeNames"])
    assert {"relation", "evidence_count"} <= set(parsed["edgeAttributeNames"])
    assert all(n["name"] == n["label"] for n in parsed["nodes"].values())


def test_reruns_are_byte_identical(seed_graph, seed_graphml, tmp_path):
    write_graphml(seed_graph, tmp_path / "again.graphml")
    assert (tmp_path / "again.graphml").read_bytes() == seed_graphml.read_bytes()


def test_every_attribute_trap_still_gives_a_readable_file(tmp_path):
    path = tmp_path / "traps.graphml"
    write_graphml(trap_graph(), path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (3, 3)
    assert back.nodes["a"]["score"] == "1" and back.nodes["b"]["score"] == "high"
    assert back.nodes["a"]["aliases"] == "甲; A" and "level" not in back.nodes["a"]
    assert back.nodes["3"]["label"] == "3" and isinstance(back.nodes["3"]["x"], float)
    parsed = run_node("read_graph.mjs", "graphml", str(path))
    assert (parsed["order"], parsed["size"]) == (3, 3)
    assert sorted(e["relation"] for e in parsed["edges"].values()) == ["about", "locatedIn", "memberOf"]


def test_characters_xml_forbids_become_replacement_characters(tmp_path):
    """Issue 10: one ESC in a headline made the file invalid XML, and Cytoscape refused it."""
    path = tmp_path / "odd.graphml"
    write_graphml(odd_text_graph(), path)
    ElementTree.parse(path)                                     # expat: well-formed
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back) == {"article:d#a0", "media:报\ufffd", "media:报\ufffd~2"}
    article = back.nodes["article:d#a0"]
    assert article["label"] == article["name"] == "人大代表\ufffd联络站"
    assert article["aliases"] == "别\ufffd名; bad\ufffd"
    # Allowed characters stay, a carriage return included (written as &#13;).
    assert back.nodes["media:报\ufffd"]["name"] == "报\ufffd\ufffd\x7f\u0301“《\r"
    assert back.graph["name"] == "renda-kg\ufffd"
    parsed = run_node("read_graph.mjs", "graphml", str(path))
    assert (parsed["order"], parsed["size"]) == (3, 2)
    assert parsed["nodes"]["article:d#a0"]["name"] == "人大代表\ufffd联络站"


def test_articles_mentions_are_edges_cytoscape_can_filter_on(seed_graph, seed_graphml):
    """An Article's mentions travel like any edge: relation "mentions", Article to entity,
    one piece of evidence each; networkx and graphology read the same count."""
    expected = {(str(u), str(v)) for u, v, k in seed_graph.edges(keys=True) if k == "mentions"}
    assert len(expected) > 400
    back = nx.read_graphml(seed_graphml, force_multigraph=True)
    got = [(u, v, d) for u, v, d in back.edges(data=True) if d["relation"] == "mentions"]
    assert {(u, v) for u, v, _ in got} == expected and len(got) == len(expected)
    for u, v, data in got:
        assert back.nodes[u]["type"] == "Article" != back.nodes[v]["type"]
        assert data["evidence_count"] == 1
    parsed = run_node("read_graph.mjs", "graphml", str(seed_graphml))
    assert sum(e["relation"] == "mentions" for e in parsed["edges"].values()) == len(expected)


def test_nodes_carry_their_community_as_an_integer_column(seed_graph, seed_graphml):
    """Cytoscape and yEd colour by the ``community`` column: each node's Leiden
    community, 0 the largest."""
    expected = {str(node): index for node, index in communities(seed_graph).items()}
    sizes = Counter(expected.values())
    assert len(sizes) > 10 and sizes[0] == max(sizes.values())
    keys = {k.get("attr.name"): k.get("attr.type") for k in ElementTree.parse(seed_graphml).iter()
            if k.tag.endswith("}key") and k.get("for") == "node"}
    assert keys["community"] == "long"
    back = nx.read_graphml(seed_graphml, force_multigraph=True)
    assert {node: data["community"] for node, data in back.nodes(data=True)} == expected
    parsed = run_node("read_graph.mjs", "graphml", str(seed_graphml))["nodes"]
    assert {node: data["community"] for node, data in parsed.items()} == expected
