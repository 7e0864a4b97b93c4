"""The networkx graph: one node per real-world entity, stable ids, evidence everywhere."""
from pathlib import Path

import networkx as nx
import pytest

import renda_kg
from renda_kg.extractors.input_reader import read_document
from renda_kg.extractors.records import DocumentResult, Entity, Evidence, Relation
from renda_kg.graph.assembler import assemble
from renda_kg.graph.pipeline import extract_document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def results():
    return [extract_document(read_document(p))[1] for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def graph(results):
    return assemble(results)


def _docs(graph: nx.MultiDiGraph, node: str) -> set[str]:
    return {ev["doc"][:3] for ev in graph.nodes[node]["evidence"]}


def test_python_api_builds_the_same_graph(graph):
    api = renda_kg.build_graph(SEEDS)
    assert isinstance(api, nx.MultiDiGraph)
    assert sorted(api.nodes) == sorted(graph.nodes)
    assert sorted(api.edges(keys=True)) == sorted(graph.edges(keys=True))


def test_places_merge_across_pages_by_their_tree_node(graph):
    shandong = [n for n, d in graph.nodes(data=True) if d.get("name") == "山东省"]
    assert shandong == ["place:370000"]
    assert _docs(graph, "place:370000") >= {"000", "001"}      # both pages' 山东 articles
    linyi = [n for n, d in graph.nodes(data=True) if d.get("name") == "临沂市"]
    assert linyi == ["place:371300"]
    assert graph.has_edge("place:371300", "place:370000", "locatedIn")


def test_bodies_merge_by_place_and_kind(graph):
    node = "body:371300:standing_committee"
    assert graph.nodes[node]["name"] == "临沂市人大常委会"
    assert "市人大常委会" in graph.nodes[node]["aliases"]
    assert graph.has_edge(node, "place:371300", "locatedIn")


def test_node_ids_do_not_change_when_documents_are_added(results):
    alone = assemble(results[:1])
    together = assemble(results)
    assert set(alone.nodes) <= set(together.nodes)
    for n in alone.nodes:
        assert together.nodes[n]["type"] == alone.nodes[n]["type"]


def test_every_node_and_edge_has_evidence_into_the_original_file(graph):
    raws: dict[str, str] = {}
    for _, data in graph.nodes(data=True):
        assert data["evidence"], data["name"]
        for ev in data["evidence"]:
            raw = raws.setdefault(ev["file"], read_document(Path(ev["file"])).raw)
            assert 0 <= ev["start"] <= ev["end"] <= len(raw)
            assert ev["extractor"] in {"rule", "ner", "gazetteer", "context"}
    for _, _, data in graph.edges(data=True):
        assert data["evidence"] and all({"file", "doc", "article"} <= set(ev) for ev in data["evidence"])


def test_entity_evidence_slices_the_mention(graph):
    """A mention's raw slice is the mention as printed (OCR spaces aside)."""
    node = graph.nodes["body:371300:standing_committee"]
    raw = read_document(SEEDS / "000_82718d54f40bf8d9.txt").raw
    names = {node["name"], *node["aliases"]}
    for ev in node["evidence"]:
        assert "".join(raw[ev["start"]:ev["end"]].split()) in names


def test_statistics_are_observations_not_entities(graph):
    assert not any(d["name"].startswith("697") for _, d in graph.nodes(data=True))
    obs = [o for _, d in graph.nodes(data=True) for o in d["observations"]]
    stations = [o for o in obs if o["value"] == 697]
    assert stations and stations[0]["unit"] == "个" and "联络站" in stations[0]["measure"]
    assert all(o["evidence"]["file"] for o in obs)


def test_build_writes_the_graph_and_stats_reads_it(tmp_path, capsys):
    from renda_kg.cli import main
    assert main(["build", str(SEEDS / "000_82718d54f40bf8d9.txt"), "-o", str(tmp_path), "-q",
                 "--format", "json"]) == 0
    assert main(["stats", str(tmp_path / "graph.json"), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "entities by type" in out and "locatedIn" in out and "临沂市人大常委会" in out


# ---------------------------------------------------------------------------
# Typed records: ends by id, evidence keyed


def test_entities_sharing_a_name_are_distinct_nodes_with_their_own_edges(tmp_path):
    """An Article, a Programme and a Media all called 代表在线 in one document. When
    relation ends were names, the last of them (the Media) took both the article's
    `about` and the programme's `createdBy`."""
    path = tmp_path / "same_name.txt"
    path.write_text("代表在线\n宁陕县人大常委会上线“代表在线”平台。《代表在线》杂志报道了宁陕县人大常委会。\n", "utf-8")
    graph = assemble([extract_document(read_document(path), extractors=("rules",))[1]])
    body = "body:610923:standing_committee"
    assert {"programme:代表在线", "media:代表在线", "article:same_name#a0", body} <= set(graph.nodes)
    assert graph.has_edge("programme:代表在线", body, "createdBy")
    assert graph.has_edge("article:same_name#a0", body, "about")
    assert graph.degree("media:代表在线") == 0


def _ev(start: int, article: str = "d#a0") -> Evidence:
    return Evidence(article, "句子", start, start + 2, "rule")


def _result(doc: str, place_evidence: tuple, edge_evidence: tuple = ()) -> DocumentResult:
    city = Entity("Place", "临沂市", (), (("level", "city"), ("node_id", "371300")), place_evidence)
    province = Entity("Place", "山东省", (), (("level", "province"),), (_ev(0),))
    return DocumentResult(doc, f"{doc}.txt", (province, city),
                          (Relation(city.id, "locatedIn", province.id, evidence=edge_evidence),))


def test_evidence_is_held_once_each_in_order_of_first_appearance():
    a, b, c = _ev(10), _ev(20), _ev(30)
    graph = assemble([_result("d", (b, a), (c,)), _result("d", (a, c, b), (a, c)), _result("e", (a,))])
    starts = [(ev["doc"], ev["start"]) for ev in graph.nodes["place:371300"]["evidence"]]
    assert starts == [("d", 20), ("d", 10), ("d", 30), ("e", 10)]     # the same evidence in file e is new
    edge = graph.edges["place:371300", "place:山东省", "locatedIn"]        # no tree node: by name
    assert [(ev["doc"], ev["start"]) for ev in edge["evidence"]] == [("d", 30), ("d", 10)]
    assert all(list(ev)[:2] == ["file", "doc"] for ev in edge["evidence"])


def test_merging_evidence_into_a_busy_node_is_linear():
    """20,000 pieces of evidence met twice: list membership tests would make this
    4·10⁸ comparisons; the keyed set makes it 40,000 look-ups."""
    import time
    many = tuple(_ev(k) for k in range(20_000))
    started = time.perf_counter()
    graph = assemble([_result("d", many), _result("d", many[::-1])])
    assert time.perf_counter() - started < 10
    assert [ev["start"] for ev in graph.nodes["place:371300"]["evidence"]] == list(range(20_000))


def test_edges_the_type_registry_forbids_never_reach_the_graph():
    """A relation between types its registry entry does not allow (what the SHACL shapes
    would reject) is left out of the graph; the allowed one next to it stays."""
    from renda_kg.extractors.records import DocumentResult, Entity, Evidence, Relation
    from renda_kg.graph.assembler import assemble
    ev = (Evidence("d#a0", "某句。", 0, 3, "rule"),)
    person, article = Entity("Person", "张三", evidence=ev), Entity("Article", "标题", evidence=ev)
    body = Entity("CongressBody", "开化县人大常委会", attrs=(("kind", "standing_committee"),), evidence=ev)
    relations = (Relation(person.id, "locatedIn", article.id, evidence=ev),
                 Relation(person.id, "memberOf", body.id, evidence=ev))
    graph = assemble([DocumentResult("d", "d.txt", (person, article, body), relations, (), {})])
    assert sorted(k for _, _, k in graph.edges(keys=True)) == ["memberOf"]
