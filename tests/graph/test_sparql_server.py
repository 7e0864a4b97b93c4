"""`renda-kg serve` as a SPARQL 1.1 Protocol endpoint, driven by SPARQLWrapper:
SELECT, ASK and CONSTRUCT; JSON, XML, Turtle and N-Triples; updates refused. And the
protocol's edges from issue 10: oversized (413) and undecodable (400) bodies, updates by
GET, content negotiation, the service description. Limits: test_sparql_limits.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from renda_kg.graph.export.rdf import node_iri, write_turtle
from renda_kg.graph.sparql_server import SparqlServer

PREFIXES = """PREFIX renda: <https://renda-kg.example/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
STATIONS = PREFIXES + "SELECT ?name WHERE { ?s a renda:LiaisonStation ; skos:prefLabel ?name } ORDER BY ?name"
NAMES = ["向阳社区人大代表联络站", "地方镇人大代表联络站"]


#: The clients must reach 127.0.0.1 directly even where a proxy is configured.
pytestmark = pytest.mark.usefixtures("no_proxy_for_loopback")


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    g = nx.MultiDiGraph()
    ev = [{"file": "p.txt", "doc": "p", "article": "p#a0", "sentence": "设立联络站。", "start": 0, "end": 6,
           "extractor": "rule"}]
    for name in NAMES:
        g.add_node(f"liaisonstation:{name}", type="LiaisonStation", name=name, aliases=[],
                   kind="liaison_station", evidence=ev, observations=[])
    g.add_node("place:451302", type="Place", name="兴宾区", aliases=[], level="county", adcode="451302",
               evidence=ev, observations=[])
    g.add_edge(f"liaisonstation:{NAMES[0]}", "place:451302", key="locatedIn", relation="locatedIn", evidence=ev)
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    write_turtle(g, path)
    return path


@pytest.fixture(scope="module")
def endpoint(graph_file):
    with SparqlServer(graph_file, port=0, log_level="warning") as server:
        yield server.url


def client(url: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_select_json(endpoint):
    result = client(endpoint, STATIONS, JSON).queryAndConvert()
    assert result["head"]["vars"] == ["name"]
    assert [b["name"] for b in result["results"]["bindings"]] == [
        {"type": "literal", "value": n, "xml:lang": "zh"} for n in NAMES]


def test_select_xml_by_post(endpoint):
    sparql = client(endpoint, STATIONS, XML)
    sparql.setMethod(POST)
    document = sparql.queryAndConvert()
    assert [lit.firstChild.data for lit in document.getElementsByTagName("literal")] == NAMES


def test_ask(endpoint):
    assert client(endpoint, PREFIXES + "ASK { ?s renda:adcode \"451302\" }", JSON).queryAndConvert()["boolean"]
    assert not client(endpoint, PREFIXES + "ASK { ?s renda:adcode \"000000\" }", JSON).queryAndConvert()["boolean"]


CONSTRUCT = PREFIXES + "CONSTRUCT { ?s skos:prefLabel ?n } WHERE { ?s a renda:Place ; skos:prefLabel ?n }"
EXPECTED_TRIPLE = (node_iri("place:451302"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
                   Literal("兴宾区", lang="zh"))


def test_construct_turtle(endpoint):
    body = client(endpoint, CONSTRUCT, TURTLE).queryAndConvert()
    assert set(Graph().parse(data=body, format="turtle")) == {EXPECTED_TRIPLE}


def http(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("content-type", ""), err.read()


def test_construct_ntriples_by_content_negotiation(endpoint):
    status, content_type, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': CONSTRUCT})}",
                                      headers={"Accept": "application/n-triples"})
    assert status == 200 and content_type.startswith("application/n-triples")
    assert set(Graph().parse(data=body.decode("utf-8"), format="nt")) == {EXPECTED_TRIPLE}


UPDATE = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"


@pytest.mark.parametrize("data, content_type", [
    (UPDATE.encode(), "application/sparql-update"),
    (urllib.parse.urlencode({"update": UPDATE}).encode(), "application/x-www-form-urlencoded"),
])
def test_updates_are_refused(endpoint, data, content_type):
    status, _, _ = http(endpoint, data, {"Content-Type": content_type})
    assert status == 403
    assert client(endpoint, PREFIXES + "ASK { <urn:a> ?p ?o }", JSON).queryAndConvert()["boolean"] is False


def test_update_through_sparqlwrapper_fails(endpoint):
    sparql = SPARQLWrapper(endpoint)
    sparql.setMethod(POST)
    sparql.setQuery(UPDATE)
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403


def test_update_sent_as_a_query_is_a_bad_request(endpoint):
    status, _, _ = http(f"{endpoint}?{urllib.parse.urlencode({'query': UPDATE})}")
    assert status == 400


def test_service_clauses_are_refused_without_touching_the_network(endpoint):
    remote = "SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }"
    status, _, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': remote})}")
    assert status >= 400 and b"SERVICE is not allowed" in body


def test_malformed_query_is_a_bad_request(endpoint):
    with pytest.raises(QueryBadFormed):
        client(endpoint, "SELECT ?x WHERE { ?x", JSON).query()


def test_server_stops_and_frees_its_port(graph_file):
    server = SparqlServer(graph_file, port=0, log_level="warning").start()
    url = server.url
    assert http(f"{url}?{urllib.parse.urlencode({'query': 'ASK {}'})}",
                headers={"Accept": "application/sparql-results+json"})[0] == 200
    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{url}?query=ASK%20%7B%7D", timeout=2)


def test_serve_command_runs_until_terminated(graph_file):
    """The real command in a subprocess: it prints its URL, answers, and exits on SIGTERM."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_PROXY": "127.0.0.1"}
    process = subprocess.Popen([sys.executable, "-m", "renda_kg.cli", "serve", str(graph_file),
                                "--port", "0"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stderr.readline()
        assert "serving" in line and "/sparql" in line
        url = line.split(" at ", 1)[1].split()[0]
        deadline = time.monotonic() + 20
        while True:
            try:
                status, _, body = http(f"{url}?{urllib.parse.urlencode({'query': STATIONS})}",
                                       headers={"Accept": "application/sparql-results+json"})
                break
            except urllib.error.URLError:
                assert time.monotonic() < deadline, "server did not answer"
                time.sleep(0.1)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == len(NAMES)
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()


@pytest.mark.parametrize("args, message", [
    (["serve", "no/such/graph.ttl"], "no such graph file"),
    (["serve", "graph.json"], "expected a .ttl or .nt file"),
])
def test_serve_usage_errors(capsys, args, message):
    from renda_kg.cli import main
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_command_refuses_service_in_both_engines(graph_file, capsys, engine):
    from renda_kg.cli import main
    remote = "SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }"
    assert main(["query", str(graph_file), remote, "--engine", engine]) == 2
    assert "SERVICE is not allowed" in capsys.readouterr().err
    # the word inside a string literal is no SERVICE clause
    assert main(["query", str(graph_file), 'ASK { ?s ?p "SERVICE" }', "--engine", engine]) == 0


# --- the protocol's edges (issue 10) ------------------------------------------------

def test_post_a_query_as_the_body(endpoint):
    status, content_type, body = http(endpoint, STATIONS.encode("utf-8"),
                                      {"Content-Type": "application/sparql-query",
                                       "Accept": "application/sparql-results+json"})
    assert status == 200 and content_type.startswith("application/sparql-results+json")
    assert [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]] == NAMES


@pytest.mark.parametrize("accept, media_type, first_line", [
    ("text/csv", "text/csv", "name"),
    ("text/tab-separated-values", "text/tab-separated-values", "?name"),
    ("application/sparql-results+xml", "application/sparql-results+xml", '<?xml version="1.0" encoding="utf-8"?>'),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json", None),
])
def test_select_content_negotiation(endpoint, accept, media_type, first_line):
    status, content_type, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': STATIONS})}",
                                      headers={"Accept": accept})
    assert status == 200 and content_type.startswith(media_type)
    text = body.decode("utf-8")
    if first_line is not None:
        assert text.splitlines()[0] == first_line
    assert all(name in text for name in NAMES)


def test_format_parameter_overrides_accept(endpoint):
    status, content_type, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': STATIONS, 'format': 'csv'})}",
                                      headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and content_type.startswith("text/csv")
    assert body.decode("utf-8").splitlines() == ["name", *NAMES]


@pytest.mark.parametrize("data, content_type", [
    (b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }", "application/sparql-query"),
    (b"query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%22%FF%22%7D", "application/x-www-form-urlencoded"),
    (b"query=SELECT \xff", "application/x-www-form-urlencoded"),
])
def test_undecodable_bodies_are_a_bad_request(endpoint, data, content_type):
    """The issue: a non-UTF-8 POST body got 500 and a traceback in the log."""
    status, response_type, body = http(endpoint, data, {"Content-Type": content_type})
    assert status == 400 and response_type.startswith("text/plain")
    assert body == b"the request body is not valid UTF-8\n"


def test_undecodable_query_string_is_a_bad_request(endpoint):
    status, _, body = http(f"{endpoint}?query=SELECT%20%FF")
    assert status == 400 and b"not valid UTF-8" in body


@pytest.mark.parametrize("content_type", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_oversized_bodies_get_413(endpoint, content_type):
    query = 'ASK { FILTER("' + "x" * (1 << 20) + '" != "") }'
    data = query.encode() if content_type == "application/sparql-query" else \
        urllib.parse.urlencode({"query": query}).encode()
    status, _, body = http(endpoint, data, {"Content-Type": content_type})
    assert status == 413 and b"request body too large" in body
    # just under the limit is fine
    query = 'ASK { FILTER("' + "x" * 1000 + '" != "") }'
    assert http(endpoint, query.encode(), {"Content-Type": "application/sparql-query",
                                           "Accept": "application/sparql-results+json"})[0] == 200


def test_unsupported_post_content_type_is_415(endpoint):
    assert http(endpoint, STATIONS.encode(), {"Content-Type": "text/plain"})[0] == 415


@pytest.mark.parametrize("params", [{"update": UPDATE}, {"query": "ASK {}", "update": UPDATE}])
def test_updates_by_get_are_refused(endpoint, params):
    """The issue: GET ?update= answered 200."""
    status, _, body = http(f"{endpoint}?{urllib.parse.urlencode(params)}")
    assert status == 403 and b"read-only" in body
    assert client(endpoint, PREFIXES + "ASK { <urn:a> ?p ?o }", JSON).queryAndConvert()["boolean"] is False


SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.mark.parametrize("accept, rdf_format", [("text/turtle", "turtle"), ("", "turtle"),
                                                ("application/rdf+xml", "xml"),
                                                ("application/n-triples", "nt")])
def test_service_description(endpoint, graph_file, accept, rdf_format):
    """SPARQL 1.1 Query only; no BasicFederatedQuery (SERVICE is refused), no update."""
    status, _, body = http(endpoint, headers={"Accept": accept} if accept else {})
    assert status == 200
    sd = Graph().parse(data=body.decode("utf-8"), format=rdf_format)
    service = URIRef(endpoint)
    assert (service, URIRef(SD + "endpoint"), service) in sd
    assert set(sd.objects(service, URIRef(SD + "supportedLanguage"))) == {URIRef(SD + "SPARQL11Query")}
    assert not set(sd.objects(service, URIRef(SD + "feature")))
    assert URIRef(SD + "BasicFederatedQuery") not in set(sd.all_nodes())
    formats = {str(f).rsplit("/", 1)[1] for f in sd.objects(service, URIRef(SD + "resultFormat"))}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "Turtle", "N-Triples"} <= formats
    (triples,) = sd.objects(None, URIRef("http://rdfs.org/ns/void#triples"))
    assert int(triples) == len(Graph().parse(graph_file, format="turtle"))


def _page(url: str) -> tuple[int, str]:
    status, _, body = http(url)
    return status, body.decode("utf-8")


def test_the_same_server_serves_the_query_page_and_node_pages(endpoint):
    """Beside /sparql: / is the query page, /node a node's page (tests/graph/test_query_page.py
    covers them in depth)."""
    root = endpoint.rsplit("/sparql", 1)[0]
    status, page = _page(root + "/")
    assert status == 200 and 'id="yasgui"' in page and '"endpoint": "/sparql"' in page
    station = node_iri(f"liaisonstation:{NAMES[0]}")
    status, page = _page(f"{root}/node?{urllib.parse.urlencode({'iri': str(station)})}")
    assert status == 200 and f'<h1 id="name">{NAMES[0]}</h1>' in page
    assert '<td class="relation">locatedIn</td>' in page and ">兴宾区</a>" in page


def test_query_page_links_the_nodes_of_a_graph_built_with_another_base(tmp_path):
    """Node IRIs in results are linked by the base the graph was built with, found from
    the graph itself (not the default base nor $RENDA_KG_BASE_IRI of the server)."""
    g = nx.MultiDiGraph()
    g.add_node("place:451302", type="Place", name="兴宾区", aliases=[], level="county", adcode="451302",
               evidence=[], observations=[])
    path = tmp_path / "graph.ttl"
    base = "http://example.org/kg/"
    write_turtle(g, path, base=base)
    with SparqlServer(path, port=0, log_level="warning", workers=1) as server:
        root = server.url.rsplit("/sparql", 1)[0]
        assert f'"nodeBase": "{base}"' in _page(root + "/")[1]
        status, page = _page(f"{root}/node?{urllib.parse.urlencode({'iri': base + 'place/451302'})}")
        assert status == 200 and '<h1 id="name">兴宾区</h1>' in page
        assert _page(f"{root}/node?{urllib.parse.urlencode({'iri': str(node_iri('place:451302'))})}")[0] == 404
