"""The RDF export of the seed graph: stable IRIs, identical bytes, labels, places,
typed statistics, evidence reachable by SPARQL, SHACL conformance."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG

from renda_kg.graph.export import FORMATS
from renda_kg.graph.export.rdf import (BASE_ENV, DEFAULT_BASE, _NT_ESCAPE, _nt_escape, graph_to_rdf, node_iri,
                                       write_ntriples, write_turtle)
from renda_kg.graph.pipeline import build_graph
from renda_kg.ontology import NAMESPACE, shapes_path

ROOT = Path(__file__).resolve().parents[2]
RENDA = Namespace(NAMESPACE)
# Datatypes by value: pytest's collection probes module globals, and rdflib's XSD
# namespace warns on every unknown attribute.
INTEGER, DECIMAL, GYEAR = rdflib.XSD.integer, rdflib.XSD.decimal, rdflib.XSD.gYear


def build_from_root(*paths: str) -> nx.MultiDiGraph:
    """Build as a user does from the repository root, so evidence files read seeds/…"""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        return build_graph(list(paths))


@pytest.fixture(scope="module")
def seed_graph() -> nx.MultiDiGraph:
    return build_from_root("seeds")


@pytest.fixture(scope="module")
def seed_rdf(seed_graph) -> Graph:
    return graph_to_rdf(seed_graph)


@pytest.fixture(scope="module")
def seed_files(seed_graph, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("rdf")
    write_turtle(seed_graph, out / "graph.ttl")
    write_ntriples(seed_graph, out / "graph.nt")
    return {"ttl": out / "graph.ttl", "nt": out / "graph.nt"}


def entity_nodes(graph: nx.MultiDiGraph):
    return sorted(graph.nodes(data=True))


def reordered_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph with nodes, edges and evidence lists inserted in reverse order."""
    copy = nx.MultiDiGraph()
    for node, data in reversed(list(graph.nodes(data=True))):
        copy.add_node(node, **{k: list(reversed(v)) if isinstance(v, list) else v for k, v in data.items()})
    for head, tail, key, data in reversed(list(graph.edges(keys=True, data=True))):
        copy.add_edge(head, tail, key=key, **dict(data, evidence=list(reversed(data["evidence"]))))
    return copy


# --- files -----------------------------------------------------------------------

def test_turtle_and_ntriples_hold_the_same_triples(seed_rdf, seed_files):
    ttl = Graph().parse(seed_files["ttl"])
    nt = Graph().parse(seed_files["nt"], format="nt")
    assert len(ttl) == len(nt) == len(seed_rdf) > 0
    assert set(ttl) == set(nt) == set(seed_rdf)
    assert not list(seed_files["ttl"].parent.glob(".*.tmp")), "no temporary files left behind"


def test_ntriples_is_sorted_one_triple_a_line(seed_files):
    lines = seed_files["nt"].read_text("utf-8").splitlines()
    assert lines == sorted(set(lines)) and all(line.endswith(" .") for line in lines)


def test_files_are_byte_identical_whatever_the_insertion_order(seed_graph, seed_files, tmp_path):
    write_turtle(reordered_copy(seed_graph), tmp_path / "graph.ttl")
    write_ntriples(reordered_copy(seed_graph), tmp_path / "graph.nt")
    assert (tmp_path / "graph.ttl").read_bytes() == seed_files["ttl"].read_bytes()
    assert (tmp_path / "graph.nt").read_bytes() == seed_files["nt"].read_bytes()


def test_strict_parser_accepts_every_iri(seed_files):
    """Oxigraph rejects invalid IRIs and literals that rdflib would let through."""
    store = ox.Store()
    store.load(path=str(seed_files["nt"]), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == len(seed_files["nt"].read_text("utf-8").splitlines())


def test_registry_writes_ttl_and_nt(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("person:徐希友", type="Person", name="徐希友", aliases=[], evidence=[], observations=[])
    for name, rdflib_format in (("ttl", "turtle"), ("nt", "nt")):
        fmt = FORMATS[name]
        assert fmt.takes == "graph"
        fmt.writer()(g, tmp_path / fmt.filename)
        assert set(Graph().parse(tmp_path / fmt.filename, format=rdflib_format)) == set(graph_to_rdf(g))


# --- IRIs ------------------------------------------------------------------------

def test_node_iris_stay_the_same_when_documents_are_added(seed_graph, seed_rdf):
    one_page = build_from_root("seeds/000_82718d54f40bf8d9.txt")
    shared = set(one_page.nodes) & set(seed_graph.nodes)
    assert shared, "the first page's entities are part of the whole corpus"
    one_rdf = graph_to_rdf(one_page)
    for node in shared:
        iri = node_iri(node)
        assert (iri, DCTERMS.identifier, Literal(node)) in one_rdf
        assert (iri, DCTERMS.identifier, Literal(node)) in seed_rdf
        assert one_rdf.value(iri, RDF.type) == seed_rdf.value(iri, RDF.type)


def test_node_iri_keeps_chinese_and_encodes_what_iris_cannot_hold():
    assert node_iri("place:371300") == URIRef(DEFAULT_BASE + "place/371300")
    assert node_iri("programme:一乡一品") == URIRef(DEFAULT_BASE + "programme/一乡一品")
    assert node_iri("article:000_82718d54f40bf8d9#a0").endswith("article/000_82718d54f40bf8d9%23a0")
    assert node_iri('programme:a b"<c>{d}|e\\f^g`') == URIRef(
        DEFAULT_BASE + "programme/a%20b%22%3Cc%3E%7Bd%7D%7Ce%5Cf%5Eg%60")
    assert node_iri("programme:一\u3000二\ufffd") == URIRef(DEFAULT_BASE + "programme/一%E3%80%80二%EF%BF%BD")
    assert node_iri("body:371300:standing_committee") != node_iri("body:371300/standing_committee")
    assert node_iri("a/b:c") != node_iri("a:b/c") and node_iri("abc") != node_iri("abc:")


def test_odd_names_load_into_a_strict_parser(tmp_path):
    g = nx.MultiDiGraph()
    for name in ('a b"<c>', "一\u3000二\ufffd", "100%合格", "x#y?z", "\ue000私用"):
        g.add_node(f"programme:{name}", type="Programme", name=name, aliases=[], evidence=[], observations=[])
    write_ntriples(g, tmp_path / "odd.nt")
    store = ox.Store()
    store.load(path=str(tmp_path / "odd.nt"), format=ox.RdfFormat.N_TRIPLES)
    names = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(str(SKOS.prefLabel)), None)}
    assert names == {'a b"<c>', "一\u3000二\ufffd", "100%合格", "x#y?z", "\ue000私用"}


#: Everything a literal must escape or may trip on: quotes, backslashes, line breaks,
#: C0 controls, DEL, U+FFFE/U+FFFF, combining marks, right-to-left and astral characters.
ODD_LITERAL = 'a"b\\c\nd\re\tf\x00g\x08h\x0ci\x1bj\x7fk\ufffel\uffffm\u0301n\u200fo😀p\u2028《“'


def test_literals_escape_what_they_must_and_come_back_exactly(tmp_path):
    g = nx.MultiDiGraph()
    evidence = {"file": "bad\udcff.txt", "doc": "d", "sentence": ODD_LITERAL, "start": 2, "end": 5}
    g.add_node("programme:x", type="Programme", name=ODD_LITERAL, aliases=["别\udcff名"],
               evidence=[evidence], observations=[])
    g.add_node("person:y", type="Person", name="y", aliases=[], evidence=[], observations=[])
    g.add_edge("person:y", "programme:x", key="memberOf", relation="memberOf", role=ODD_LITERAL,
               evidence=[evidence])
    write_ntriples(g, tmp_path / "odd.nt")
    write_turtle(g, tmp_path / "odd.ttl")
    nt = (tmp_path / "odd.nt").read_bytes()
    # One triple a line; no raw control byte or noncharacter, escapes as RDF 1.2 writes them.
    assert not re.search(rb"[\x00-\x09\x0b-\x1f\x7f]|\xef\xbf[\xbe\xbf]", nt)
    assert rb'"a\"b\\c\nd\re\tf\u0000g\bh\fi\u001Bj\u007Fk\uFFFEl\uFFFFm' in nt
    parsed = {"nt": Graph().parse(tmp_path / "odd.nt", format="nt"),
              "ttl": Graph().parse(tmp_path / "odd.ttl", format="turtle")}
    assert set(parsed["nt"]) == set(parsed["ttl"]) == set(graph_to_rdf(g))
    x = node_iri("programme:x")
    assert parsed["nt"].value(x, SKOS.prefLabel) == Literal(ODD_LITERAL, lang="zh")
    assert parsed["nt"].value(x, SKOS.altLabel) == Literal("别\ufffd名", lang="zh"), "a lone surrogate is U+FFFD"
    files = {str(o) for o in parsed["nt"].objects(None, RENDA.sourceFile)}
    assert files == {"bad\ufffd.txt"}
    assert {str(o) for o in parsed["nt"].objects(None, RENDA.sentence)} == {ODD_LITERAL}
    for name, rdf_format in (("odd.nt", ox.RdfFormat.N_TRIPLES), ("odd.ttl", ox.RdfFormat.TURTLE)):
        store = ox.Store()
        store.load(path=str(tmp_path / name), format=rdf_format)
        assert len(store) == len(parsed["nt"])
        labels = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(str(SKOS.prefLabel)), None)}
        assert ODD_LITERAL in labels


def test_any_node_id_gives_a_valid_distinct_iri(tmp_path):
    """Ids come from names: spaces, <>, quotes, backslashes, {}|^`, controls, lone
    surrogates, noncharacters, combining marks. Each IRI is valid, and distinct ids
    keep distinct IRIs; a type prefix that is no Turtle prefix name is not bound."""
    ids = ['programme:a b<c>"d\'e\\f{g}h|i^j`k', "programme:\x00\x1b\x7f", "programme:\x01\x1b\x7f",
           "person:徐\udcff友", "person:徐\udcfe友", "programme:\ufffe\uffff\u0301\u200f😀",
           "programme:%25", "programme:%", "_odd type:x", "1st:x", "a-b:c"]
    g = nx.MultiDiGraph()
    for node_id in ids:
        g.add_node(node_id, type="Programme", name=node_id, aliases=[], evidence=[], observations=[])
    assert len({node_iri(i) for i in ids}) == len(ids)
    for iri in map(node_iri, ids):
        assert not re.search(r'[\x00-\x20<>"{}|^`\\\ud800-\udfff\ufffe\uffff]', iri)
    write_ntriples(g, tmp_path / "ids.nt")
    write_turtle(g, tmp_path / "ids.ttl")
    for name, rdf_format in (("ids.nt", ox.RdfFormat.N_TRIPLES), ("ids.ttl", ox.RdfFormat.TURTLE)):
        store = ox.Store()
        store.load(path=str(tmp_path / name), format=rdf_format)
        subjects = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(str(DCTERMS.identifier)), None)}
        assert subjects == {str(node_iri(i)) for i in ids}
    assert set(Graph().parse(tmp_path / "ids.ttl", format="turtle")) == \
        set(Graph().parse(tmp_path / "ids.nt", format="nt"))


def test_base_iri_from_argument_or_environment(monkeypatch):
    g = nx.MultiDiGraph()
    g.add_node("person:徐希友", type="Person", name="徐希友", aliases=[], evidence=[], observations=[])
    assert (URIRef("http://example.org/kg/person/徐希友"), RDF.type, RENDA.Person) in graph_to_rdf(
        g, base="http://example.org/kg")
    monkeypatch.setenv(BASE_ENV, "urn:renda:")
    assert (URIRef("urn:renda:/person/徐希友"), RDF.type, RENDA.Person) in graph_to_rdf(g)


# --- content ---------------------------------------------------------------------

def test_names_and_aliases_are_chinese_labels(seed_graph, seed_rdf):
    for node, data in entity_nodes(seed_graph):
        iri = node_iri(node)
        assert list(seed_rdf.objects(iri, SKOS.prefLabel)) == [Literal(data["name"], lang="zh")]
        assert set(seed_rdf.objects(iri, SKOS.altLabel)) == {Literal(a, lang="zh") for a in data["aliases"]}
        assert (iri, RDF.type, RENDA[data["type"]]) in seed_rdf


def test_places_carry_level_and_adcode(seed_graph, seed_rdf):
    places = [(n, d) for n, d in entity_nodes(seed_graph) if d["type"] == "Place"]
    assert any(d.get("adcode") for _, d in places)
    for node, data in places:
        iri = node_iri(node)
        assert seed_rdf.value(iri, RENDA.level) == Literal(data["level"])
        assert seed_rdf.value(iri, RENDA.adcode) == (Literal(data["adcode"]) if data.get("adcode") else None)


def test_statistics_are_typed_literals(seed_graph, seed_rdf):
    expected = sum(len(d["observations"]) for _, d in seed_graph.nodes(data=True))
    observations = list(seed_rdf.subjects(RDF.type, RENDA.Observation))
    assert len(observations) == expected > 0
    for obs in observations:
        value = seed_rdf.value(obs, RENDA.value)
        assert value.datatype in (INTEGER, DECIMAL)
        year = seed_rdf.value(obs, RENDA.year)
        assert year is None or (year.datatype == GYEAR and len(str(year)) == 4)
        about = seed_rdf.value(obs, RENDA.observationAbout)
        assert (about, RDF.type, None) in seed_rdf, "an observation is about an entity of the graph"


def test_fractional_statistic_is_a_decimal_and_count_an_integer():
    g = nx.MultiDiGraph()
    obs = [{"measure": "万元", "value": 3.5, "unit": "项", "year": 2024, "approximate": True,
            "evidence": {"file": "p.txt", "doc": "p", "sentence": "s", "start": 0, "end": 1, "extractor": "rule"}},
           {"measure": "人大代表联络站", "value": 697.0, "unit": "个", "year": None, "approximate": False,
            "evidence": {"file": "p.txt", "doc": "p", "sentence": "s", "start": 2, "end": 5, "extractor": "rule"}}]
    g.add_node("body:x", type="CongressBody", name="x", aliases=[], evidence=[], observations=obs)
    rdf = graph_to_rdf(g)
    values = {v.toPython() for v in rdf.objects(None, RENDA.value)}
    assert values == {Decimal("3.5"), 697}
    assert Literal("2024", datatype=GYEAR) in set(rdf.objects(None, RENDA.year))
    assert Literal(True) in set(rdf.objects(None, RENDA.approximate))


def test_every_edge_is_a_triple_and_an_assertion(seed_graph, seed_rdf):
    assertions = set(seed_rdf.subjects(RDF.type, RENDA.RelationAssertion))
    assert len(assertions) == seed_graph.number_of_edges()
    for head, tail, relation in seed_graph.edges(keys=True):
        s, p, o = node_iri(head), RENDA[relation], node_iri(tail)
        assert (s, p, o) in seed_rdf
        assert any(seed_rdf.subjects(RDF.subject, s)) and any(seed_rdf.subjects(RDF.object, o))
        if relation == "authorOf":
            assert (o, DCTERMS.creator, s) in seed_rdf


EDGE_EVIDENCE = """
PREFIX renda: <https://renda-kg.example/ontology#>
PREFIX rdf:   <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?sentence ?file ?start ?end ?extractor WHERE {
  ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; renda:evidence ?ev .
  ?ev renda:sentence ?sentence ; renda:sourceFile ?file ; renda:start ?start ; renda:end ?end ;
      renda:extractor ?extractor .
}"""


def test_sparql_returns_the_evidence_of_any_edge(seed_graph, seed_rdf):
    checked = 0
    for head, tail, relation, data in sorted(seed_graph.edges(keys=True, data=True), key=lambda e: e[:3])[::25]:
        rows = seed_rdf.query(EDGE_EVIDENCE, initBindings={
            "s": node_iri(head), "p": RENDA[relation], "o": node_iri(tail)})
        found = {(str(r.sentence), str(r.file), r.start.toPython(), r.end.toPython(), str(r.extractor))
                 for r in rows}
        assert found == {(e["sentence"], e["file"], e["start"], e["end"], e["extractor"])
                         for e in data["evidence"]}
        checked += 1
    assert checked > 0


def test_evidence_offsets_point_into_the_source_file(seed_rdf):
    for ev in list(seed_rdf.subjects(RDF.type, RENDA.Evidence))[::20]:
        file = ROOT / str(seed_rdf.value(ev, RENDA.sourceFile))
        start, end = (seed_rdf.value(ev, RENDA[k]).toPython() for k in ("start", "end"))
        assert 0 <= start <= end <= len(file.read_text("utf-8"))


def test_membership_role_is_an_org_role():
    g = nx.MultiDiGraph()
    g.add_node("person:刘璐", type="Person", name="刘璐", aliases=[], evidence=[], observations=[])
    g.add_node("body:411081:standing_committee", type="CongressBody", name="禹州市人大常委会", aliases=[],
               evidence=[], observations=[])
    g.add_edge("person:刘璐", "body:411081:standing_committee", key="memberOf", relation="memberOf",
               role="主任", evidence=[])
    rdf = graph_to_rdf(g)
    membership = rdf.value(predicate=ORG.member, object=node_iri("person:刘璐"))
    assert (membership, RDF.type, ORG.Membership) in rdf
    assert rdf.value(membership, ORG.organization) == node_iri("body:411081:standing_committee")
    assert rdf.value(rdf.value(membership, ORG.role), SKOS.prefLabel) == Literal("主任", lang="zh")


def test_seed_export_conforms_to_the_shapes(seed_rdf):
    conforms, _, report = pyshacl.validate(seed_rdf, shacl_graph=Graph().parse(shapes_path()),
                                           inference="none")
    assert conforms, report[:4000]


def test_ntriples_lines_are_what_rdflibs_writer_would_write(seed_graph, tmp_path):
    """The writers format each triple as it is made; the bytes must be those of building
    an rdflib Graph and serialising it, for the seed graph and for hostile text."""
    g = seed_graph.copy()
    g.add_node("person:x", type="Person", name='引号"反斜杠\\换行\n回车\r制表\t响铃\x07', aliases=["\x1b[31m"],
               evidence=[{"file": "a b.txt", "doc": "d", "sentence": "\x00\ufffe", "start": 0, "end": 1}])
    g.add_node("body:y", type="CongressBody", name="某县人大常委会",
               observations=[{"value": 2.5, "unit": "个", "year": 2024, "approximate": True}])
    g.add_edge("person:x", "body:y", key="memberOf", role="副主任", evidence=[])
    expected = graph_to_rdf(g).serialize(format="nt", encoding="utf-8")
    write_ntriples(g, tmp_path / "g.nt")
    written = (tmp_path / "g.nt").read_bytes()
    escaped = _NT_ESCAPE.sub(_nt_escape, expected.decode("utf-8")).encode("utf-8").split(b"\n")
    assert written == b"".join(line + b"\n" for line in sorted(escaped) if line)


def test_lines_spilled_in_sorted_runs_merge_to_the_same_file(seed_graph, tmp_path, monkeypatch):
    """A graph too large to hold its lines goes to disk in runs; the merged file is the
    same bytes, each triple once, however small the runs."""
    import io

    from renda_kg.graph.export import rdf
    whole = io.BytesIO()
    sink = rdf._NTriplesLines()
    rdf._build(seed_graph, None, sink)
    sink.write_sorted(whole)
    spilled = io.BytesIO()
    small = rdf._NTriplesLines(run_lines=997)
    rdf._build(seed_graph, None, small)
    assert len(small._runs) > 5, "the runs were spilled to disk"
    small.write_sorted(spilled)
    assert spilled.getvalue() == whole.getvalue()
    lines = whole.getvalue().splitlines()
    assert lines == sorted(set(lines))


def test_a_frozen_graph_is_turned_into_triples_once_for_both_rdf_files(seed_graph, tmp_path, monkeypatch):
    import copy

    import networkx as nx

    from renda_kg.graph.export import rdf
    calls = []
    build = rdf._build
    monkeypatch.setattr(rdf, "_build", lambda *a, **k: calls.append(1) or build(*a, **k))
    thawed = copy.deepcopy(seed_graph)
    write_turtle(thawed, tmp_path / "a.ttl")
    write_ntriples(thawed, tmp_path / "a.nt")
    assert len(calls) == 2, "a graph that may change is read afresh by each writer"
    frozen = nx.freeze(copy.deepcopy(seed_graph))
    write_turtle(frozen, tmp_path / "b.ttl")
    write_ntriples(frozen, tmp_path / "b.nt")
    assert len(calls) == 3, "the frozen graph's sorted lines are shared"
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()
    shared = next(iter(rdf._WRITTEN[frozen].values()))[0]
    assert shared.exists()
    del frozen
    import gc
    gc.collect()
    assert not shared.exists(), "the temporary file goes with the graph"


MENTIONS = """
PREFIX renda: <https://renda-kg.example/ontology#>
PREFIX rdf:   <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?assertion ?article ?entity ?evidence ?in WHERE {
  ?article renda:mentions ?entity .
  ?assertion rdf:subject ?article ; rdf:predicate renda:mentions ; rdf:object ?entity ;
             renda:evidence ?evidence .
  OPTIONAL { ?evidence renda:inArticle ?in }
}"""


def test_mentions_are_triples_and_assertions_whose_one_evidence_is_the_entitys_own(seed_graph, seed_rdf):
    """An Article's mentions export like the seven: a triple and an assertion with its
    evidence, here the entity's own first evidence node in that article (no new one)."""
    expected = {(node_iri(h), node_iri(t)) for h, t, k in seed_graph.edges(keys=True) if k == "mentions"}
    rows = list(seed_rdf.query(MENTIONS))
    assert {(r.article, r.entity) for r in rows} == expected and len(expected) > 400
    assert len({r.assertion for r in rows}) == len(rows) == len(expected)     # one evidence each
    for r in rows:
        assert r["in"] == r.article
        assert (r.entity, RENDA.evidence, r.evidence) in seed_rdf
