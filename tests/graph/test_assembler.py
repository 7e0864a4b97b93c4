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
    # the magazine takes no relation of the seven: its one edge is the article naming it
    assert [(u, k) for u, _, k in graph.in_edges("media:代表在线", keys=True)] == [
        ("article:same_name#a0", "mentions")]
    assert not graph.out_edges("media:代表在线")


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


# ---------------------------------------------------------------------------
# mentions: an Article links every entity it names (navigation, not scored)


def _mention_pairs(results) -> dict[tuple[str, str], dict]:
    """(article node, entity node) → the first evidence of the entity in that article,
    worked out from the per-document results alone."""
    from renda_kg.graph.assembler import GraphAssembler
    asm, first = GraphAssembler(), {}
    for result in results:
        asm.add(result)
        by_id = {e.id: e for e in result.entities}
        located = {r.head: by_id[r.tail] for r in reversed(result.relations)
                   if r.relation == "locatedIn" and r.tail in by_id}
        for e in result.entities:
            if e.type == "Article":
                continue
            node = asm.node_id(e, located.get(e.id), result)
            for ev in e.evidence:
                if ev.article and f"article:{ev.article}" in asm.graph:
                    first.setdefault((f"article:{ev.article}", node),
                                     {"file": result.path, "doc": result.doc_id, **ev.to_dict()})
    return first


def test_every_article_mentions_each_entity_it_names_once_with_its_first_evidence(results, graph):
    expected = _mention_pairs(results)
    mentions = [(u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "mentions"]
    assert len(mentions) == len(expected) > 400        # one edge per pair, none missing
    for head, tail, data in mentions:
        assert graph.nodes[head]["type"] == "Article" and graph.nodes[tail]["type"] != "Article"
        assert data["relation"] == "mentions"
        assert data["evidence"] == [expected[head, tail]], (head, tail)
    # the mentions join what the seven leave apart: the seed pages' 146 pieces become a few
    seven = nx.MultiDiGraph([(u, v) for u, v, k in graph.edges(keys=True) if k != "mentions"])
    seven.add_nodes_from(graph)
    assert nx.number_weakly_connected_components(graph) < nx.number_weakly_connected_components(seven) / 10


def test_a_mention_edge_keeps_the_earliest_evidence_and_skips_articles_and_loose_text():
    """Two sentences name the body in one article: the edge keeps the first. Text
    outside any article names no article; one article naming another is not a
    mention; a document read twice adds nothing."""
    body = Entity("CongressBody", "开化县人大常委会", attrs=(("kind", "standing_committee"),),
                  evidence=(_ev(40), _ev(10, "d#a1"), _ev(90), _ev(5, None)))
    first = Entity("Article", "标题一", evidence=(_ev(0),))
    second = Entity("Article", "标题二", evidence=(_ev(3, "d#a1"), _ev(50)))    # also named in a0
    result = DocumentResult("d", "d.txt", (first, second, body), (), (),
                            {"标题一": "d#a0", "标题二": "d#a1"})
    graph = assemble([result, result])
    mentions = sorted((u, v, [ev["start"] for ev in d["evidence"]])
                      for u, v, k, d in graph.edges(keys=True, data=True) if k == "mentions")
    assert mentions == [("article:d#a0", "body:开化县人大常委会", [40]),
                        ("article:d#a1", "body:开化县人大常委会", [10])]


def test_an_extracted_mentions_relation_is_not_taken_as_one():
    """Only the assembler makes mentions: a relation of that name from an extractor is
    left out, as any relation outside the seven would be."""
    ev = (Evidence("d#a0", "某句。", 0, 3, "rule"),)
    article = Entity("Article", "标题", evidence=ev)
    person = Entity("Person", "张三", evidence=(Evidence(None, "某句。", 0, 3, "rule"),))
    graph = assemble([DocumentResult("d", "d.txt", (article, person),
                                     (Relation(article.id, "mentions", person.id, evidence=ev),),
                                     (), {"标题": "d#a0"})])
    assert not graph.has_edge("article:d#a0", "person:张三")


def test_stats_count_the_seven_and_the_mentions_apart(graph):
    from renda_kg.graph.stats import format_stats, graph_stats
    stats = graph_stats(graph, top=3)
    mentions = sum(1 for _, _, k in graph.edges(keys=True) if k == "mentions")
    assert stats["mentions"] == mentions > 0
    assert stats["edges"] == graph.number_of_edges() - mentions == sum(stats["relations"].values())
    assert "mentions" not in stats["relations"]
    assert stats["components_with_mentions"] < stats["components"]
    seven = {n: sum(1 for *_, k in graph.in_edges(n, keys=True) if k != "mentions")
             + sum(1 for *_, k in graph.out_edges(n, keys=True) if k != "mentions") for n in graph}
    top = stats["top_degree"][0]
    assert top["degree"] == seven[top["id"]] == max(seven.values())     # degree by the seven …
    assert top["degree"] < max(d for _, d in graph.degree())            # … not raised by mentions
    assert f"edges {stats['edges']}  mentions {mentions}  " in format_stats(stats)
