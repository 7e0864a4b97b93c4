"""Result formats written straight from Oxigraph's terms (issue 13): the same bytes as
when every term went through rdflib first, the same literal forms as rdflib's
normalisation, and SPARQL JSON laid out exactly as json.dumps(indent=1) lays it out."""
from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from renda_kg.graph.sparql import (ENGINES, QueryResult, Term, _lexical, _oxigraph_terms, _term_from_rdflib,
                                   format_result, open_graph, serialize_result)

XSD_NS = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("datatype, values", [
    ("integer", ["0", "7", "-12", "400", "007", "+5", "-0", " 5", "12345678901234567890"]),
    ("decimal", ["2.50", "2", "-0.0", "0.5", ".5", "+1.5", "1.000", "3.333333333333333333", "-7", "00.1"]),
    ("boolean", ["true", "false", "1", "0", "TRUE"]),
    ("gYear", ["2024", "0024", "-0044", "2024Z", "1999+08:00", "20245"]),
    ("double", ["1.5E0", "1.5", "1e3", "INF", "-0.0E0", "3.3333333333333335E0"]),
    ("dateTime", ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.500+08:00"]),
    ("nonNegativeInteger", ["05", "5"]),
])
def test_typed_literals_read_as_rdflib_normalises_them(datatype, values):
    for value in values:
        assert _lexical(value, XSD_NS + datatype) == str(Literal(value, datatype=URIRef(XSD_NS + datatype))), value


def test_the_fast_paths_agree_with_rdflib_on_random_numbers():
    rng = random.Random(13)
    for _ in range(2000):
        n = rng.choice([0, 1, -1, 10, 10 ** 6, -(10 ** 18)]) * rng.randint(0, 10 ** 6)
        digits = rng.randint(0, 6)
        for value, datatype in ((str(n), "integer"), (f"{n / 10 ** digits:.{digits}f}", "decimal"),
                                (f"{rng.randint(1000, 9999)}", "gYear")):
            assert _lexical(value, XSD_NS + datatype) == str(Literal(value, datatype=URIRef(XSD_NS + datatype))), value


def test_oxigraph_terms_follow_the_plain_string_convention():
    convert = _oxigraph_terms()
    string = ox.Literal("平邑县", datatype=ox.NamedNode(XSD_NS + "string"))
    assert convert(string) == Term("literal", "平邑县") == _term_from_rdflib(Literal("平邑县"))
    assert convert(ox.Literal("x", language="zh")) == Term("literal", "x", "zh")
    assert convert(ox.Literal("007", datatype=ox.NamedNode(XSD_NS + "integer"))) == \
        _term_from_rdflib(Literal("7", datatype=URIRef(XSD_NS + "integer")))
    assert convert(ox.NamedNode("urn:a")) == _term_from_rdflib(URIRef("urn:a")) == Term("uri", "urn:a")
    assert convert(ox.BlankNode("b1")) == _term_from_rdflib(BNode("b1")) == Term("bnode", "b1")
    assert convert(None) is None


NASTY = ['a "quoted"\\ text', "tab\tand\nnewline", "\x00\x1b控制", "emoji 😀 and 𠀀", "</script>&<>", ""]


def nasty_result() -> QueryResult:
    rows = [(Term("uri", "https://example.org/平邑"), Term("literal", text, "zh-Hans" if i % 2 else None),
             None if i % 3 == 0 else Term("literal", str(i), None, XSD_NS + "integer"), Term("bnode", f"b{i}"))
            for i, text in enumerate(NASTY)]
    rows.append((None, None, None, None))
    return QueryResult(("s", "text", "n", "b"), tuple(rows))


def as_dicts(result: QueryResult) -> dict:
    def term(t: Term) -> dict:
        out = {"type": t.kind, "value": t.value}
        if t.lang:
            out["xml:lang"] = t.lang
        elif t.datatype:
            out["datatype"] = t.datatype
        return out
    return {"head": {"vars": list(result.variables)},
            "results": {"bindings": [{v: term(t) for v, t in zip(result.variables, row) if t is not None}
                                     for row in result.term_rows]}}


@pytest.mark.parametrize("result", [nasty_result(), QueryResult(("a", "b")), QueryResult(("only",), ((None,),)),
                                    QueryResult(), QueryResult(boolean=True), QueryResult(boolean=False)],
                         ids=["nasty", "no rows", "unbound", "no variables", "true", "false"])
def test_json_is_laid_out_as_json_dumps_lays_it_out(result):
    expected = {"head": {}, "boolean": result.boolean} if result.kind == "ask" else as_dicts(result)
    assert format_result(result, "json") == json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
    body, _ = serialize_result(result, "application/sparql-results+json")
    assert json.loads(body) == expected


def test_rdflib_terms_are_made_when_asked_for():
    result = nasty_result()
    assert result.rows[0] == (URIRef("https://example.org/平邑"), Literal(NASTY[0]), None, BNode("b0"))
    assert result.rows[1][1] == Literal(NASTY[1], lang="zh-Hans")
    assert result.rows[1][2] == Literal(1)
    assert result.rows[-1] == (None, None, None, None)


@pytest.fixture(scope="module")
def typed_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("typed") / "graph.nt"
    path.write_text("".join(
        f'<urn:s:{i}> <urn:p> {o} .\n' for i, o in enumerate([
            '"007"^^<http://www.w3.org/2001/XMLSchema#integer>', '"2.5"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>', '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>',
            '"1.5E0"^^<http://www.w3.org/2001/XMLSchema#double>', '"x"^^<urn:own-type>', '"平邑"@zh',
            '"tab\\there"', "<urn:o>"])), "utf-8")
    return path


QUERIES = ["SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?s",
           "SELECT ?s ?o (DATATYPE(?o) AS ?t) WHERE { ?s <urn:p> ?o FILTER(isLiteral(?o)) } ORDER BY ?s",
           "SELECT (COUNT(*) AS ?n) (SUM(?v) AS ?sum) (AVG(?v) AS ?avg) WHERE { ?s <urn:p> ?v FILTER(isNumeric(?v)) }",
           "SELECT ?s ?missing WHERE { ?s <urn:p> ?o OPTIONAL { ?s <urn:none> ?missing } } ORDER BY ?s"]


@pytest.mark.parametrize("text", QUERIES)
def test_both_engines_print_the_same(typed_graph, text):
    """Lexical forms as the writers write them (canonical; blank nodes are never written:
    each engine names them its own way)."""
    results = [open_graph(typed_graph, engine).query(text) for engine in ENGINES]
    for fmt in ("table", "csv", "json"):
        assert len({format_result(r, fmt) for r in results}) == 1, fmt
    for accept in ("application/sparql-results+xml", "text/csv"):
        assert len({serialize_result(r, accept) for r in results}) == 1, accept


def test_the_table_shortens_by_the_longest_prefix_and_pads_by_columns(typed_graph):
    text = "PREFIX u: <urn:> PREFIX us: <urn:s:> SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?s LIMIT 7"
    lines = format_result(open_graph(typed_graph).query(text), "table", {"u": "urn:", "us": "urn:s:"}).splitlines()
    assert lines[2].startswith("us:0 ") and lines[-2].split() == ["us:6", "平邑"] and lines[-1] == "(7 rows)"
    assert lines[2].index("7") == lines[0].index("o")
