"""The pages of `renda-kg serve` (graph/web/): the query page at /, its vendored files
under /static/, the node pages at /node, over HTTP to 127.0.0.1 against a server over
the seed build (plus one node whose every text is hostile HTML), built once for the
module; and the query page used in headless Chromium (tests/graph/js/query_page.mjs):
an example picked and run, a query typed and run, an IRI followed to its node page,
no request outside loopback. That run writes docs/screenshots/query-page.png and
node-page.png."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from renda_kg.graph.export.query_store import write_query_store
from renda_kg.graph.export.rdf import DEFAULT_BASE, node_iri
from renda_kg.graph.pipeline import build_graph
from renda_kg.graph.query_limits import QueryLimits
from renda_kg.graph.sparql_server import SparqlServer
from renda_kg.graph.web.pages import EXAMPLES_DIR, STATIC_FILES, TEMPLATES, VENDOR

from format_clients import ROOT, chromium, require, run_node


SCREENSHOTS = ROOT / "docs" / "screenshots"
YASGUI_BUILD = ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"

pytestmark = pytest.mark.usefixtures("no_proxy_for_loopback")

HOSTILE = "person:<script>evil"
HOSTILE_NAME = "<script>window.pwned=1</script>\"'&amp;"
HOSTILE_ALIAS = "\"><img src=x onerror=alert(1)>"
HOSTILE_FILE = "evil\"><b>file</b>.txt"
HOSTILE_SENTENCE = "</td></tr></table><script>alert(2)</script>说<iframe>"
HOSTILE_ROLE = "<i>主任</i>"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    """The seed graph and one hostile Person: member (with a hostile role) of a seed
    body, mentioned by a seed article, with hostile evidence."""
    g = nx.MultiDiGraph(build_graph(ROOT / "seeds"))
    article = sorted(n for n, d in g.nodes(data=True) if d["type"] == "Article")[0]
    body = sorted(n for n, d in g.nodes(data=True) if d["type"] == "CongressBody")[0]
    doc = article.split(":", 1)[1]
    ev = [{"file": HOSTILE_FILE, "doc": doc.split("#")[0], "article": doc, "sentence": HOSTILE_SENTENCE,
           "start": 7, "end": 19, "extractor": "<rule>"}]
    g.add_node(HOSTILE, type="Person", name=HOSTILE_NAME, aliases=[HOSTILE_ALIAS], evidence=ev, observations=[])
    g.add_edge(HOSTILE, body, key="memberOf", relation="memberOf", role=HOSTILE_ROLE, evidence=ev)
    g.add_edge(article, HOSTILE, key="mentions", relation="mentions", evidence=ev)
    return g


@pytest.fixture(scope="module")
def store(graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("query-page") / "graph.oxigraph"
    write_query_store(graph, path)
    return path


@pytest.fixture(scope="module")
def server(store):
    with SparqlServer(store, port=0, log_level="warning") as running:
        yield running


def root_of(server) -> str:
    return server.url.rsplit("/sparql", 1)[0]


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def node_url(server, iri: str) -> str:
    return f"{root_of(server)}/node?{urllib.parse.urlencode({'iri': iri})}"


def href(iri: str) -> str:
    return "/node?iri=" + urllib.parse.quote(iri, safe="")


class Page(HTMLParser):
    """What a page shows: the text of elements by id, the rows (cell texts and links)
    of each section, every tag and attribute."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, str] = {}
        self.rows: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}
        self.tags: list[tuple[str, dict]] = []
        self._open: list[tuple[str, str | None]] = []
        self._texts: dict[str, list[str]] = {}
        self._section: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("meta", "link", "br", "img", "input"):
            return
        self._open.append((tag, attrs.get("id")))
        if attrs.get("id"):
            self._texts[attrs["id"]] = []
        if tag == "section":
            self._section = attrs.get("id")
            self.rows[self._section], self.links[self._section] = [], []
        elif tag == "tr" and self._section:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "a" and self._section:
            self._link = (attrs.get("href", ""), [])

    def handle_endtag(self, tag):
        while self._open:
            open_tag, open_id = self._open.pop()
            if open_id:
                self.by_id[open_id] = "".join(self._texts.pop(open_id))
            if open_tag == tag:
                break
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows[self._section].append(self._row)
            self._row = None
        elif tag == "a" and self._link is not None:
            self.links[self._section].append((self._link[0], "".join(self._link[1])))
            self._link = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        for texts in self._texts.values():
            texts.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)


def node_page(server, iri: str) -> tuple[Page, str]:
    status, headers, body = get(node_url(server, iri))
    assert status == 200, body
    assert headers["content-type"].startswith("text/html")
    return Page(body.decode("utf-8")), body.decode("utf-8")


def examples() -> list[Path]:
    return sorted(EXAMPLES_DIR.glob("*.rq"))


# --- the query page and its files ------------------------------------------------------

def test_query_page_offers_every_example_and_loads_only_local_files(server):
    status, headers, body = get(root_of(server) + "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    policy = headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "script-src 'self';" in policy
    page = Page(body.decode("utf-8"))
    options = [attrs["value"] for tag, attrs in page.tags if tag == "option" and attrs.get("value")]
    assert options == [path.stem for path in examples()] and len(options) >= 6
    (script,) = [attrs for tag, attrs in page.tags if tag == "script" and attrs.get("id") == "renda-config"]
    assert script["type"] == "application/json"
    config = json.loads(page.by_id["renda-config"])
    assert config["endpoint"] == "/sparql" and config["nodeBase"] == DEFAULT_BASE
    assert [(e["name"], e["text"]) for e in config["examples"]] == [
        (path.stem, path.read_text(encoding="utf-8")) for path in examples()]
    scripts = [attrs["src"] for tag, attrs in page.tags if tag == "script" and "src" in attrs]
    styles = [attrs["href"] for tag, attrs in page.tags if tag == "link" and attrs.get("rel") == "stylesheet"]
    assert scripts == ["/static/yasgui.min.js", "/static/query-page.js"]
    assert styles == ["/static/yasgui.min.css", "/static/pages.css"]


@pytest.mark.parametrize("name", sorted(STATIC_FILES))
def test_static_files_are_served_as_they_are(server, name):
    folder, media_type = STATIC_FILES[name]
    status, headers, body = get(f"{root_of(server)}/static/{name}")
    assert status == 200 and headers["content-type"] == media_type
    assert body == (folder / name).read_bytes()


@pytest.mark.parametrize("name", ["LICENSE", "README.md", "pages.py", "..%2Fpages.py", "node.html", "nothing.js"])
def test_only_the_listed_static_files_are_served(server, name):
    assert get(f"{root_of(server)}/static/{name}")[0] == 404


def test_vendored_yasgui_is_the_npm_build_byte_for_byte():
    require(YASGUI_BUILD.is_dir(), "node_modules/@zazuko/yasgui is missing: run `npm ci` in the repository root")
    for name in ("yasgui.min.js", "yasgui.min.css"):
        assert (VENDOR / name).read_bytes() == (YASGUI_BUILD / name).read_bytes(), name
    version = json.loads((YASGUI_BUILD.parent / "package.json").read_text(encoding="utf-8"))["version"]
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert f"@zazuko/yasgui {version}" in readme and "MIT" in (VENDOR / "LICENSE").read_text(encoding="utf-8")


def test_no_page_file_names_another_origin():
    """The page's own files load nothing from a CDN or a web font service."""
    for path in TEMPLATES.iterdir():
        text = path.read_text(encoding="utf-8")
        for marker in ("http://", "https://", "//cdn", "@import", "fonts.g"):
            assert marker not in text, f"{path.name}: {marker}"


# --- node pages ---------------------------------------------------------------------------

def neighbour_row(g: nx.MultiDiGraph, relation: str, other: str, role: str = "") -> list[str]:
    return [relation, g.nodes[other]["name"], g.nodes[other]["type"], role]


def test_node_page_shows_what_the_details_panel_shows(server, graph):
    g = graph
    # A place with aliases and an adcode, relations both ways, mentions and evidence.
    node = max((n for n, d in g.nodes(data=True) if d["type"] == "Place" and d.get("aliases") and d.get("adcode")),
               key=lambda n: (g.in_degree(n), n))
    data = g.nodes[node]
    page, _ = node_page(server, str(node_iri(node)))
    assert page.by_id["name"] == data["name"] and page.by_id["type"] == "Place"
    assert page.by_id["iri"] == str(node_iri(node))
    assert page.by_id["aliases"] == ", ".join(sorted(data["aliases"]))
    _, html = node_page(server, str(node_iri(node)))
    for key in ("adcode", "level"):
        assert f"<th>{key}</th><td>{data[key]}</td>" in html

    out = sorted(neighbour_row(g, k, t) for _, t, k in g.out_edges(node, keys=True))
    into = sorted(neighbour_row(g, k, h) for h, _, k in g.in_edges(node, keys=True) if k != "mentions")
    mentioned = sorted([g.nodes[h]["name"], g.nodes[h]["type"]] for h, _, k in g.in_edges(node, keys=True)
                       if k == "mentions")
    assert into and mentioned
    assert sorted(page.rows["relations-out"]) == out
    assert sorted(page.rows["relations-in"]) == into
    assert sorted(page.rows["mentioned-in"]) == mentioned
    assert {h for _, h in page.links["mentioned-in"]} == {g.nodes[h]["name"] for h, _, k in g.in_edges(node, keys=True)
                                                           if k == "mentions"}
    assert sorted(link for link, _ in page.links["relations-in"]) == sorted(
        href(str(node_iri(h))) for h, _, k in g.in_edges(node, keys=True) if k != "mentions")

    evidence = sorted([e["file"], g.nodes[f"article:{e['article']}"]["name"], f"{e['start']}–{e['end']}",
                       e["sentence"]] for e in data["evidence"])
    assert sorted(page.rows["evidence"]) == evidence
    assert {link for link, _ in page.links["evidence"]} == {
        href(str(node_iri(f"article:{e['article']}"))) for e in data["evidence"]}


def test_node_page_of_an_article_lists_what_it_mentions(server, graph):
    g = graph
    article = max((n for n, d in g.nodes(data=True) if d["type"] == "Article"), key=lambda n: (g.out_degree(n), n))
    page, _ = node_page(server, str(node_iri(article)))
    assert page.by_id["name"] == g.nodes[article]["name"] and page.by_id["type"] == "Article"
    mentioned = sorted(neighbour_row(g, "mentions", t) for _, t, k in g.out_edges(article, keys=True)
                       if k == "mentions")
    assert len(mentioned) > 3
    assert sorted(row for row in page.rows["relations-out"] if row[0] == "mentions") == mentioned


def test_node_page_shows_the_role_of_a_membership(server, graph):
    g = graph
    head, tail, data = next((h, t, d) for h, t, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])
                            if k == "memberOf" and d.get("role") and h != HOSTILE)
    page, _ = node_page(server, str(node_iri(head)))
    assert neighbour_row(g, "memberOf", tail, data["role"]) in page.rows["relations-out"]
    page, _ = node_page(server, str(node_iri(tail)))
    assert neighbour_row(g, "memberOf", head, data["role"]) in page.rows["relations-in"]


def test_node_page_escapes_hostile_text(server, graph):
    page, html = node_page(server, str(node_iri(HOSTILE)))
    assert page.by_id["name"] == HOSTILE_NAME
    assert page.by_id["aliases"] == HOSTILE_ALIAS
    assert page.rows["evidence"][0][0] == HOSTILE_FILE and page.rows["evidence"][0][3] == HOSTILE_SENTENCE
    assert page.rows["relations-out"][0][3] == HOSTILE_ROLE
    # No markup from the graph: the page's own tags only, and no script at all.
    assert {tag for tag, _ in page.tags} <= {"html", "head", "meta", "title", "link", "body", "header", "a", "main",
                                             "h1", "h2", "p", "span", "table", "thead", "tbody", "tr", "th", "td",
                                             "code", "section"}
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<i>" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html
    # The seed article that mentions it shows the name as text, too.
    article = next(h for h, _, k in graph.in_edges(HOSTILE, keys=True) if k == "mentions")
    page, html = node_page(server, str(node_iri(article)))
    assert ["mentions", HOSTILE_NAME, "Person", ""] in page.rows["relations-out"]
    assert "<script" not in html


@pytest.mark.parametrize("query, status", [
    ("", 400), ("iri=", 400), ("iri=%20", 400), ("other=1", 400), ("iri=a&iri=b", 400),
    ("iri=urn%3Anothing", 404), ("iri=" + urllib.parse.quote(DEFAULT_BASE + "place/000000"), 404),
    ("iri=" + urllib.parse.quote(DEFAULT_BASE + "place/370000> ?p ?o } #"), 404),
    ("iri=" + urllib.parse.quote('x" } UNION { ?s ?p ?o'), 404),
])
def test_node_page_errors_are_one_line(server, query, status):
    code, headers, body = get(f"{root_of(server)}/node?{query}")
    assert code == status and headers["content-type"].startswith("text/html")
    page = Page(body.decode("utf-8"))
    message = [attrs for tag, attrs in page.tags if tag == "p" and attrs.get("class") == "message"]
    assert len(message) == 1
    assert get(root_of(server) + "/static/pages.css")[0] == 200        # the server is still fine


def test_evidence_and_assertion_iris_are_not_nodes(server, graph):
    results = json.loads(get(server.url + "?" + urllib.parse.urlencode({
        "query": "SELECT ?e ?a WHERE { ?a a <https://renda-kg.example/ontology#RelationAssertion> ; "
                 "<https://renda-kg.example/ontology#evidence> ?e } LIMIT 1",
        "format": "json"}))[2])
    (row,) = results["results"]["bindings"]
    for name in ("e", "a"):
        assert get(node_url(server, row[name]["value"]))[0] == 404


def test_node_page_sections_stay_under_the_row_limit(store, graph):
    """With --max-rows 30 a node page still answers: each section is cut and says so."""
    g = graph
    with SparqlServer(store, port=0, log_level="warning", workers=1,
                      limits=QueryLimits(max_rows=30)) as small:
        rows = small.pool.limits.max_rows // 5 - 2
        node = max(g.nodes, key=lambda n: (sum(1 for *_, k in g.in_edges(n, keys=True) if k == "mentions"), n))
        mentions = sum(1 for *_, k in g.in_edges(node, keys=True) if k == "mentions")
        assert mentions > rows
        page, html = node_page(small, str(node_iri(node)))
        assert len(page.rows["mentioned-in"]) == rows
        assert f"({rows}, the first {rows} shown)" in html


# --- in a browser --------------------------------------------------------------------------

TYPED = ("PREFIX renda: <https://renda-kg.example/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
         "SELECT ?body ?name WHERE { ?body a renda:CongressBody ; skos:prefLabel ?name } ORDER BY ?name LIMIT 25")
EXAMPLE = "liaison_stations_per_province"


def test_query_page_in_chromium(server, graph):
    """Pick an example and run it, type a query and run it, follow an IRI to its node
    page; nothing outside loopback is requested, nothing is logged as an error."""
    browser = chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen = run_node("query_page.mjs", json.dumps({
        "url": root_of(server) + "/", "chromium": browser, "example": EXAMPLE, "query": TYPED,
        "queryShot": str(SCREENSHOTS / "query-page.png"), "nodeShot": str(SCREENSHOTS / "node-page.png")}))

    assert seen["blockedRequests"] == []
    hosts = {urllib.parse.urlsplit(url).hostname for url in seen["requests"]}
    assert hosts == {"127.0.0.1"}, seen["requests"]
    assert seen["consoleErrors"] == []
    assert "property" not in seen["autocompleters"] and "class" not in seen["autocompleters"]
    assert not seen["shareVisible"]

    assert seen["menu"] == [path.stem for path in examples()]
    assert seen["initialQuery"] == examples()[0].read_text(encoding="utf-8")
    example_text = (EXAMPLES_DIR / f"{EXAMPLE}.rq").read_text(encoding="utf-8")
    assert seen["exampleQuery"] == example_text and seen["menuAfterPick"] == EXAMPLE
    expected = json.loads(get(server.url + "?" + urllib.parse.urlencode({"query": example_text, "format": "json"}))[2])
    provinces = [b["province"]["value"] for b in expected["results"]["bindings"]]
    assert provinces and [row[0] for row in seen["example"]["rows"]] == provinces

    assert seen["typedQuery"] == TYPED and seen["menuAfterTyping"] == ""
    bodies = {str(node_iri(n)): d["name"] for n, d in graph.nodes(data=True) if d["type"] == "CongressBody"}
    rows = seen["typed"]["rows"]
    assert len(rows) == min(25, len(bodies)) and seen["header"] == ["", "body", "name"]
    for iri, name in rows:
        assert bodies[iri.strip("<>")] == name.rsplit("@", 1)[0].strip('"')
    assert seen["nodeLinks"] == len(rows)

    assert seen["clickedHref"] == href(seen["clickedIri"])
    assert seen["nodeName"] == bodies[seen["clickedIri"]] and seen["nodeType"] == "CongressBody"
    assert [title.split(" (")[0] for title in seen["nodeSections"]] == [
        "Relations out", "Relations in", "Mentioned in", "Evidence"]
    for name in ("query-page.png", "node-page.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000
