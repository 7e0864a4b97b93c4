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
from renda_kg.graph.web.pages import EXAMPLES_DIR, STATIC_FILES, TEMPLATES, VENDOR, section_rows

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
HOSTILE_MEASURE = "<b onmouseover=alert(3)>联络站</b>"
HOSTILE_UNIT = "<u>个</u>"
HOSTILE_OBSERVATION_SENTENCE = "<details open><summary>x</summary></details><style>*{display:none}</style>"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    """The seed graph and one hostile Person: member (with a hostile role) of a seed
    body, mentioned by a seed article, with hostile evidence and a hostile observation."""
    g = nx.MultiDiGraph(build_graph(ROOT / "seeds"))
    article = sorted(n for n, d in g.nodes(data=True) if d["type"] == "Article")[0]
    body = sorted(n for n, d in g.nodes(data=True) if d["type"] == "CongressBody")[0]
    doc = article.split(":", 1)[1]
    ev = [{"file": HOSTILE_FILE, "doc": doc.split("#")[0], "article": doc, "sentence": HOSTILE_SENTENCE,
           "start": 7, "end": 19, "extractor": "<rule>"}]
    observation = {"measure": HOSTILE_MEASURE, "value": 3, "unit": HOSTILE_UNIT, "year": 2024, "approximate": True,
                   "evidence": {**ev[0], "sentence": HOSTILE_OBSERVATION_SENTENCE, "start": 30, "end": 41}}
    g.add_node(HOSTILE, type="Person", name=HOSTILE_NAME, aliases=[HOSTILE_ALIAS], evidence=ev,
               observations=[observation])
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
    of each section, every tag and attribute. A <details> in a row (a relation's
    evidence) counts as its <summary> text in the cell; its list items go to
    `row_evidence` (one list per row, each item the texts of its spans by class and
    of its link), not to the row's cells or the section's links."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, str] = {}
        self.rows: dict[str, list[list[str]]] = {}
        self.row_evidence: dict[str, list[list[dict[str, str]]]] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}
        self.tags: list[tuple[str, dict]] = []
        self._open: list[tuple[str, str | None]] = []
        self._texts: dict[str, list[str]] = {}
        self._section: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self._details: list[dict[str, str]] | None = None     # the items of the open <details>
        self._row_details: list[dict[str, str]] = []           # those of the current row
        self._summary = False
        self._item: dict[str, str] | None = None
        self._span: list[str] = []                              # classes of the open spans in an item
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("meta", "link", "br", "img", "input"):
            return
        self._open.append((tag, attrs.get("id")))
        if attrs.get("id"):
            self._texts[attrs["id"]] = []
        if tag == "details" and self._row is not None:
            self._details = []
        elif tag == "summary" and self._details is not None:
            self._summary = True
        elif tag == "li" and self._details is not None:
            self._item = {}
            self._details.append(self._item)
        elif tag == "span" and self._item is not None:
            self._span.append(attrs.get("class", ""))
        elif tag == "a" and self._item is not None:
            self._item["href"] = attrs.get("href", "")
            self._span.append("article")
        elif tag == "section":
            self._section = attrs.get("id")
            self.rows[self._section], self.links[self._section] = [], []
            self.row_evidence[self._section] = []
        elif tag == "tr" and self._section:
            self._row, self._row_details = [], []
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
        if self._end_in_details(tag):
            return
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows[self._section].append(self._row)
                self.row_evidence[self._section].append(self._row_details)
            self._row = None
        elif tag == "a" and self._link is not None:
            self.links[self._section].append((self._link[0], "".join(self._link[1])))
            self._link = None
        elif tag == "section":
            self._section = None

    def _end_in_details(self, tag) -> bool:
        """The end of a <details> or of an element in it (handled here)."""
        if tag == "details" and self._details is not None:
            self._row_details = self._details
            self._details = None
        elif tag == "summary" and self._summary:
            self._summary = False
        elif tag == "li" and self._item is not None:
            self._item = None
        elif tag in ("span", "a") and self._item is not None:
            self._span.pop()
        else:
            return False
        return True

    def handle_data(self, data):
        for texts in self._texts.values():
            texts.append(data)
        if self._item is not None:
            if self._span:
                self._item[self._span[-1]] = self._item.get(self._span[-1], "") + data
            return
        if self._details is not None and not self._summary:
            return
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

def evidence_of(data: dict) -> list[dict]:
    """An edge's evidence once each (rdf.py names evidence by its content)."""
    return list({json.dumps(e, sort_keys=True): e for e in data.get("evidence", [])}.values())


def neighbour_row(g: nx.MultiDiGraph, relation: str, other: str, role: str = "", evidence: int = 1) -> list[str]:
    """A row of Relations out/in: relation, name, type, role and its evidence's summary."""
    return [relation, g.nodes[other]["name"], g.nodes[other]["type"], role, f"{evidence} evidence" if evidence else ""]


def edge_row(g: nx.MultiDiGraph, head: str, tail: str, relation: str, other: str) -> list[str]:
    data = g.edges[head, tail, relation]
    return neighbour_row(g, relation, other, data.get("role") or "", len(evidence_of(data)))


def evidence_item(g: nx.MultiDiGraph, e: dict) -> dict[str, str]:
    """An evidence as a relation's <details> lists it."""
    article = f"article:{e['article']}"
    return {"sentence": e["sentence"], "file": e["file"], "article": g.nodes[article]["name"],
            "href": href(str(node_iri(article))), "offsets": f"characters {e['start']}–{e['end']}"}


def shown_evidence(item: dict[str, str]) -> dict[str, str]:
    return {key: item.get(key, "") for key in ("sentence", "file", "article", "href", "offsets")}


#: The tags of a node page's own markup: nothing from the graph adds one.
PAGE_TAGS = {"html", "head", "meta", "title", "link", "body", "header", "a", "main", "h1", "h2", "p", "span", "table",
             "thead", "tbody", "tr", "th", "td", "code", "section", "details", "summary", "ul", "li"}


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

    out = sorted(edge_row(g, node, t, k, t) for _, t, k in g.out_edges(node, keys=True))
    into = sorted(edge_row(g, h, node, k, h) for h, _, k in g.in_edges(node, keys=True) if k != "mentions")
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
    mentioned = sorted(edge_row(g, article, t, "mentions", t) for _, t, k in g.out_edges(article, keys=True)
                       if k == "mentions")
    assert len(mentioned) > 3
    assert sorted(row for row in page.rows["relations-out"] if row[0] == "mentions") == mentioned


def test_node_page_shows_the_role_of_a_membership(server, graph):
    g = graph
    head, tail, data = next((h, t, d) for h, t, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])
                            if k == "memberOf" and d.get("role") and h != HOSTILE)
    page, _ = node_page(server, str(node_iri(head)))
    assert edge_row(g, head, tail, "memberOf", tail)[:4] == ["memberOf", g.nodes[tail]["name"],
                                                             g.nodes[tail]["type"], data["role"]]
    assert edge_row(g, head, tail, "memberOf", tail) in page.rows["relations-out"]
    page, _ = node_page(server, str(node_iri(tail)))
    assert edge_row(g, head, tail, "memberOf", head) in page.rows["relations-in"]


def test_node_page_escapes_hostile_text(server, graph):
    page, html = node_page(server, str(node_iri(HOSTILE)))
    assert page.by_id["name"] == HOSTILE_NAME
    assert page.by_id["aliases"] == HOSTILE_ALIAS
    assert page.rows["evidence"][0][0] == HOSTILE_FILE and page.rows["evidence"][0][3] == HOSTILE_SENTENCE
    assert page.rows["relations-out"][0][3] == HOSTILE_ROLE
    # No markup from the graph: the page's own tags only, and no script at all.
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<i>" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html
    # The seed article that mentions it shows the name as text, too.
    article = next(h for h, _, k in graph.in_edges(HOSTILE, keys=True) if k == "mentions")
    page, html = node_page(server, str(node_iri(article)))
    assert ["mentions", HOSTILE_NAME, "Person", "", "1 evidence"] in page.rows["relations-out"]
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
        rows = section_rows(small.pool.limits.max_rows)
        assert rows == 30 // 7 - 2
        node = max(g.nodes, key=lambda n: (sum(1 for *_, k in g.in_edges(n, keys=True) if k == "mentions"), n))
        mentions = sum(1 for *_, k in g.in_edges(node, keys=True) if k == "mentions")
        assert mentions > rows
        page, html = node_page(small, str(node_iri(node)))
        assert len(page.rows["mentioned-in"]) == rows
        assert f"({rows}, the first {rows} shown)" in html
        # The evidence of relations in, cut after `rows` sentences: the first relations'
        # evidence is shown, the rest say how much there is and that none is shown.
        place = max((n for n, d in g.nodes(data=True) if d["type"] == "Place"),
                    key=lambda n: (sum(1 for *_, k in g.in_edges(n, keys=True) if k != "mentions"), n))
        page, html = node_page(small, str(node_iri(place)))
        assert len(page.rows["relations-in"]) == rows
        assert f"({rows}, the first {rows} shown; evidence: the first {rows} sentences shown)" in html
        assert sum(len(items) for items in page.row_evidence["relations-in"]) == rows
        assert len(page.row_evidence["relations-in"][0]) >= 1



def test_node_page_shows_each_relations_evidence_under_its_row(server, graph):
    """Every row of Relations out/in holds, in a <details>, the evidence of exactly
    that edge: sentence, file, article (linked) and character offsets."""
    g = graph
    node = max((n for n, d in g.nodes(data=True) if d["type"] == "Place" and d.get("adcode")),
               key=lambda n: (g.in_degree(n), n))
    page, html = node_page(server, str(node_iri(node)))
    edges = {"relations-out": [(node, t, k, t) for _, t, k in g.out_edges(node, keys=True)],
             "relations-in": [(h, node, k, h) for h, _, k in g.in_edges(node, keys=True) if k != "mentions"]}
    checked = 0
    for section, section_edges in edges.items():
        by_row = {tuple(row[:2]): items for row, items in zip(page.rows[section], page.row_evidence[section])}
        assert len(by_row) == len(section_edges)
        for head, tail, relation, other in section_edges:
            expected = sorted((evidence_item(g, e) for e in evidence_of(g.edges[head, tail, relation])),
                              key=lambda e: (e["file"], e["offsets"], e["sentence"]))
            shown = [shown_evidence(item) for item in by_row[relation, g.nodes[other]["name"]]]
            assert sorted(shown, key=lambda e: (e["file"], e["offsets"], e["sentence"])) == expected
            checked += len(expected)
    assert checked >= 10
    assert html.count("<details>") == len(page.rows["relations-out"]) + len(page.rows["relations-in"])


def observation_row(g: nx.MultiDiGraph, o: dict) -> list[str]:
    e = o["evidence"]
    approximate = {True: "yes", False: "no", None: ""}[o.get("approximate")]
    return [o["measure"], str(o["value"]), o["unit"], f"{o['year']:04d}" if o.get("year") else "", approximate,
            e["file"], g.nodes[f"article:{e['article']}"]["name"], f"{e['start']}–{e['end']}", e["sentence"]]


@pytest.mark.parametrize("name", ["临沂市人大常委会", "禹州市人大常委会"])
def test_node_page_shows_the_nodes_observations(server, graph, name):
    """Statistics: every observation of the node with its measure, value, unit, year,
    whether it is approximate, and its evidence (the seeds: 临沂市人大常委会 counts 697
    liaison stations; 禹州市's have years and approximate values)."""
    g = graph
    (node,) = [n for n, d in g.nodes(data=True) if d["name"] == name and d["type"] == "CongressBody"]
    observations = g.nodes[node]["observations"]
    page, _ = node_page(server, str(node_iri(node)))
    assert sorted(page.rows["statistics"]) == sorted(observation_row(g, o) for o in observations)
    assert page.by_id["statistics"].strip().startswith(f"Statistics ({len(observations)})")
    if name == "临沂市人大常委会":
        (row,) = [row for row in page.rows["statistics"] if row[:3] == ["人大代表联络站", "697", "个"]]
        assert "697个" in row[8].replace(",", "")
    else:
        assert {row[4] for row in page.rows["statistics"]} == {"yes", "no"}
        assert "2024" in {row[3] for row in page.rows["statistics"]}
    assert {link for link, _ in page.links["statistics"]} == {
        href(str(node_iri(f"article:{o['evidence']['article']}"))) for o in observations}


def test_node_page_without_observations_says_none(server, graph):
    g = graph
    node = min(n for n, d in g.nodes(data=True) if d["type"] == "Place" and not d.get("observations"))
    page, html = node_page(server, str(node_iri(node)))
    assert page.rows["statistics"] == [] and page.by_id["statistics"].strip().startswith("Statistics (0)")


def test_node_page_escapes_hostile_text_in_relation_evidence_and_statistics(server, graph):
    page, html = node_page(server, str(node_iri(HOSTILE)))
    (items,) = page.row_evidence["relations-out"]
    assert [(item["sentence"], item["file"]) for item in items] == [(HOSTILE_SENTENCE, HOSTILE_FILE)]
    (row,) = page.rows["statistics"]
    assert row[:5] == [HOSTILE_MEASURE, "3", HOSTILE_UNIT, "2024", "yes"]
    assert row[5] == HOSTILE_FILE and row[8] == HOSTILE_OBSERVATION_SENTENCE
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS
    # the page's own <details>, one per relation row; none from the graph's text
    assert html.count("<details") == len(page.rows["relations-out"]) + len(page.rows["relations-in"])
    for raw in ("<b ", "<u>", "<style", "<details open", "<script", "<iframe"):
        assert raw not in html, raw
    assert "&lt;b onmouseover=alert(3)&gt;" in html and "&lt;style&gt;" in html
    # The body it is a member of lists it, with the hostile evidence under the row, as text.
    body = next(t for _, t, k in graph.out_edges(HOSTILE, keys=True) if k == "memberOf")
    page, html = node_page(server, str(node_iri(body)))
    (items,) = [items for row, items in zip(page.rows["relations-in"], page.row_evidence["relations-in"])
                if row[1] == HOSTILE_NAME]
    assert [shown_evidence(item)["sentence"] for item in items] == [HOSTILE_SENTENCE]
    assert "<script" not in html and "<iframe" not in html and {tag for tag, _ in page.tags} <= PAGE_TAGS

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
        "Relations out", "Relations in", "Mentioned in", "Evidence", "Statistics"]
    assert seen["openedEvidence"] >= 1, "a relation row holds its evidence sentences"
    for name in ("query-page.png", "node-page.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000
