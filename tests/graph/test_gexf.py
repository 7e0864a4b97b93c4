"""graph.gexf as graphology-gexf (the parser behind Gephi Lite and sigma.js) reads it:
the seed graph and a graph holding every attribute trap."""
from __future__ import annotations

from collections import Counter
from xml.etree import ElementTree

import networkx as nx
import pytest

from format_clients import ROOT, run_node, trap_graph
from renda_kg.graph.export.gexf import write_gexf
from renda_kg.graph.export.presentation import colour_of, communities, node_size
from renda_kg.graph.pipeline import build_graph


@pytest.fixture(scope="module")
def seed_graph():
    return build_graph(ROOT / "seeds")


@pytest.fixture(scope="module")
def seed_gexf(seed_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("gexf") / "graph.gexf"
    write_gexf(seed_graph, path)
    return path


def rgba(node_type: str) -> str:
    h = colour_of(node_type)
    return f"rgba({int(h[1:3], 16)},{int(h[3:5], 16)},{int(h[5:7], 16)},1.0)"


def test_graphology_reads_every_node_and_edge(seed_graph, seed_gexf):
    parsed = run_node("read_graph.mjs", "gexf", str(seed_gexf))
    assert parsed["type"] == "directed"
    assert parsed["order"] == seed_graph.number_of_nodes()
    assert parsed["size"] == seed_graph.number_of_edges()
    assert set(parsed["nodes"]) == {str(n) for n in seed_graph}
    assert {"type", "name", "level", "kind", "adcode", "degree", "evidence_count",
            "aliases"} <= set(parsed["nodeAttributeNames"])
    assert {"relation", "role", "evidence_count"} <= set(parsed["edgeAttributeNames"])


def test_node_columns_colours_sizes_and_positions(seed_graph, seed_gexf):
    nodes = run_node("read_graph.mjs", "gexf", str(seed_gexf))["nodes"]
    for node, data in seed_graph.nodes(data=True):
        got = nodes[str(node)]
        assert got["label"] == got["name"] == data["name"]
        assert got["type"] == data["type"]
        assert got["degree"] == seed_graph.degree(node)
        assert got["evidence_count"] == len(data["evidence"])
        assert got["aliases"] == "; ".join(data["aliases"])
        for column in ("level", "kind", "adcode"):
            assert got.get(column) == (str(data[column]) if data.get(column) is not None else None)
        assert got["color"] == rgba(data["type"])
        assert got["size"] == node_size(seed_graph.degree(node))
        assert all(isinstance(got[axis], (int, float)) for axis in "xyz") and got["z"] == 0
    positions = {(n["x"], n["y"]) for n in nodes.values()}
    assert len(positions) == len(nodes), "no two nodes share a position"


def test_edges_keep_relation_role_and_evidence(seed_graph, seed_gexf):
    edges = run_node("read_graph.mjs", "gexf", str(seed_gexf))["edges"]
    for i, (u, v, key, data) in enumerate(seed_graph.edges(keys=True, data=True)):
        got = edges[f"e{i}"]
        assert (got["source"], got["target"]) == (str(u), str(v))
        assert got["relation"] == got["label"] == data["relation"] == key
        assert got.get("role") == data.get("role")
        assert got["evidence_count"] == len(data["evidence"])
        assert "networkx_key" not in got


def test_reruns_are_byte_identical(seed_graph, seed_gexf, tmp_path):
    write_gexf(seed_graph, tmp_path / "again.gexf")
    assert (tmp_path / "again.gexf").read_bytes() == seed_gexf.read_bytes()
    text = seed_gexf.read_text("utf-8")
    assert "lastmodifieddate" not in text and "None" not in text


def test_every_attribute_trap_still_gives_a_readable_file(tmp_path):
    graph = trap_graph()
    write_gexf(graph, tmp_path / "traps.gexf")
    assert "None" not in (tmp_path / "traps.gexf").read_text("utf-8")
    parsed = run_node("read_graph.mjs", "gexf", str(tmp_path / "traps.gexf"))
    assert (parsed["order"], parsed["size"], parsed["multi"]) == (3, 3, True)
    a, b, three = parsed["nodes"]["a"], parsed["nodes"]["b"], parsed["nodes"]["3"]
    assert a["label"] == "甲市" and three["label"] == "3"
    assert (a["id_"], a["label_"], a["start_"], a["end_"]) == ("custom-id", "own label", 1, "later")
    assert a["aliases"] == "甲; A" and b["aliases"] == ""
    assert (a["score"], b["score"]) == ("1", "high")          # one column, one type
    assert "level" not in a                                     # None is left out
    assert a["evidence_count"] == 1 and b["evidence_count"] == 0
    assert a["extra"] == '{"k": [1, 2]}' and '"position"' in a["viz_"]
    for node in (a, b, three):
        assert all(isinstance(node[axis], (int, float)) for axis in "xyz")
    edges = sorted(parsed["edges"].values(), key=lambda e: e["relation"])
    assert [e["relation"] for e in edges] == ["about", "locatedIn", "memberOf"]
    member_of = edges[2]
    assert (member_of["weight_"], member_of["type_"], member_of["id_"]) == ("1; 2", "odd", 7)
    assert "role" not in member_of and member_of["evidence_count"] == 1
    assert edges[1]["label_"] == "edge label" and edges[1]["label"] == "locatedIn"


def odd_text_graph() -> nx.MultiDiGraph:
    """Names, aliases, ids and a role holding what XML 1.0 cannot: C0 controls, a
    lone surrogate (a path decoded with surrogateescape), U+FFFE and U+FFFF; two ids
    differ only in such a character."""
    g = nx.MultiDiGraph(name="renda-kg\x1b")
    g.add_node("article:d#a0", type="Article", name="人大代表\x1b联络站", aliases=["别\x00名", "bad\udcff"],
               evidence=[{"file": "bad\udcff.txt", "sentence": "开化县\x1b。", "start": 0, "end": 4}])
    g.add_node("media:报\x00", type="Media", name="报\ufffe\uffff\x7f\u0301“《\r", aliases=[], evidence=[])
    g.add_node("media:报\x01", type="Media", name="报\x01", aliases=[], evidence=[])
    g.add_edge("article:d#a0", "media:报\x00", key="about", relation="about", role="代表\x1b", evidence=[])
    g.add_edge("media:报\x00", "media:报\x01", key="about", relation="about", evidence=[])
    return g


def test_characters_xml_forbids_become_replacement_characters(tmp_path):
    """Issue 10: one ESC in a headline made the file invalid XML, and Gephi refused it."""
    path = tmp_path / "odd.gexf"
    write_gexf(odd_text_graph(), path)
    ElementTree.parse(path)                                     # expat: well-formed
    back = nx.read_gexf(path)
    assert set(back) == {"article:d#a0", "media:报\ufffd", "media:报\ufffd~2"}
    article = back.nodes["article:d#a0"]
    assert article["label"] == article["name"] == "人大代表\ufffd联络站"
    assert article["aliases"] == "别\ufffd名; bad\ufffd"
    assert back.nodes["media:报\ufffd"]["name"] == "报\ufffd\ufffd\x7f\u0301“《\r", "allowed characters stay"
    assert back.has_edge("media:报\ufffd", "media:报\ufffd~2")
    parsed = run_node("read_graph.mjs", "gexf", str(path))    # graphology-gexf, as Gephi Lite
    assert (parsed["order"], parsed["size"]) == (3, 2)
    assert parsed["nodes"]["article:d#a0"]["label"] == "人大代表\ufffd联络站"
    write_gexf(odd_text_graph(), tmp_path / "again.gexf")
    assert (tmp_path / "again.gexf").read_bytes() == path.read_bytes()


def test_articles_mentions_are_edges_gephi_can_filter_on(seed_graph, seed_gexf):
    """An Article's mentions travel like any edge (Gephi users build co-mention networks
    from them): relation "mentions", Article to entity, one piece of evidence each."""
    expected = {(str(u), str(v)) for u, v, k in seed_graph.edges(keys=True) if k == "mentions"}
    assert len(expected) > 400
    back = nx.read_gexf(seed_gexf)
    got = [(u, v, d) for u, v, d in back.edges(data=True) if d["relation"] == "mentions"]
    assert {(u, v) for u, v, _ in got} == expected and len(got) == len(expected)
    for u, v, data in got:
        assert back.nodes[u]["type"] == "Article" != back.nodes[v]["type"]
        assert data["evidence_count"] == 1
    assert {d["relation"] for _, _, d in back.edges(data=True)} - {"mentions"} <= {
        "locatedIn", "createdBy", "subOrganizationOf", "focusesOn", "authorOf", "about", "memberOf"}


def test_nodes_carry_their_community_for_gephi_to_colour_by(seed_graph, seed_gexf):
    """Each node's Leiden community (0 = the largest) is an integer column, read the
    same by networkx and graphology-gexf."""
    expected = {str(node): index for node, index in communities(seed_graph).items()}
    sizes = Counter(expected.values())
    assert len(sizes) > 10 and sizes[0] == max(sizes.values())
    declared = {a.get("title"): a.get("type") for a in ElementTree.parse(seed_gexf).iter()
                if a.tag.endswith("}attribute") and a.get("title")}
    assert declared["community"] == "long"
    back = nx.read_gexf(seed_gexf)
    assert {node: data["community"] for node, data in back.nodes(data=True)} == expected
    parsed = run_node("read_graph.mjs", "gexf", str(seed_gexf))["nodes"]
    assert {node: data["community"] for node, data in parsed.items()} == expected
