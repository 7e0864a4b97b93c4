"""graph.html in headless Chromium, opened from file:// with every other request
blocked: it must make none, log no error, draw every node, and its search box, type
filters and tooltips must work; OCR text must never become markup."""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections import Counter

import networkx as nx
import pytest

from format_clients import ROOT, chromium, run_node
from renda_kg.graph.export.html import PHYSICS_MAX_NODES, render_html, write_html
from renda_kg.graph.export.presentation import TYPE_COLOURS
from renda_kg.graph.pipeline import build_graph

HOSTILE = '</script><img src=x onerror="window.pwned=true"><b>粗</b>'


@pytest.fixture(scope="module")
def seed_graph():
    return build_graph(ROOT / "seeds")


def open_in_chromium(html_path, screenshot, **plan) -> dict:
    return run_node("open_viewer.mjs", json.dumps({
        "html": str(html_path), "screenshot": str(screenshot), "chromium": chromium(), **plan}))


def page_data(html: str) -> dict:
    block = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def findable_node(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """A node and a name for it that no other node has: an alias where possible."""
    owners = Counter(key for _, d in graph.nodes(data=True)
                     for key in {normalise(k) for k in [d["name"], *d["aliases"]]})
    candidates = [(alias, node) for node, d in graph.nodes(data=True) for alias in d["aliases"]]
    candidates += [(d["name"], node) for node, d in graph.nodes(data=True)]
    return next((str(node), text) for text, node in candidates if owners[normalise(text)] == 1)


def test_seed_viewer_offline_draws_every_node_and_its_controls_work(seed_graph, tmp_path):
    path = tmp_path / "graph.html"
    write_html(seed_graph, path)
    html = path.read_text("utf-8")
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", html), "everything is inlined"
    types = Counter(d["type"] for _, d in seed_graph.nodes(data=True))
    node, query = findable_node(seed_graph)
    filtered = seed_graph.nodes[node]["type"]      # the search must show its type again

    result = open_in_chromium(path, tmp_path / "viewer.png", search=query, filterType=filtered)

    assert result["blockedRequests"] == []
    assert result["consoleErrors"] == []
    n = seed_graph.number_of_nodes()
    assert result["datasetNodes"] == result["drawnNodes"] == n
    assert result["datasetEdges"] == seed_graph.number_of_edges()
    assert result["legend"] == [t for t in TYPE_COLOURS if t in types]
    assert result["drawnAfterFilter"] == n - types[filtered]
    assert result["drawnAfterUnfilter"] == n
    assert result["searchSelected"] == [node], f"search for {query!r}"
    assert result["searchStatus"].startswith("1/")
    assert result["drawnAfterSearch"] == n, "a hit of a filtered-out type shows that type again"
    assert result["readyMs"] < 60_000
    screenshot = (tmp_path / "viewer.png").read_bytes()
    assert screenshot.startswith(b"\x89PNG") and len(screenshot) > 20_000
    (ROOT / "outputs").mkdir(exist_ok=True)
    shutil.copyfile(tmp_path / "viewer.png", ROOT / "outputs" / "viewer.png")


def test_ocr_text_never_becomes_markup(tmp_path):
    graph = nx.MultiDiGraph(name=HOSTILE)
    graph.add_node("x", type="Place", name=HOSTILE, aliases=["<i>别名</i>"],
                   evidence=[{"sentence": "<script>window.pwned=true</script>句。", "file": "a&b.txt"}])
    graph.add_node("y", type="Person", name="乙")
    graph.add_edge("y", "x", key="memberOf", relation="memberOf", role="<u>代表</u>", evidence=[])
    path = tmp_path / "hostile.html"
    write_html(graph, path)

    result = open_in_chromium(path, tmp_path / "hostile.png", probeNode="x", search="别名")

    assert result["consoleErrors"] == [] and result["blockedRequests"] == []
    assert result["drawnNodes"] == 2, "the small graph settles with physics, then is drawn"
    assert result["pwned"] is False
    assert result["tooltip"]["injected"] == 0
    assert HOSTILE in result["tooltip"]["text"] and "<script>window.pwned=true</script>" in result["tooltip"]["text"]
    assert result["searchSelected"] == ["x"]


def test_script_end_comment_open_and_controls_in_names_stay_data():
    """`</script>`, `<!--` and `]]>` in a name cannot end or hide the data block (tojson
    writes < > & ' as \\u escapes); characters XML 1.0 forbids become U+FFFD, as in
    GEXF and GraphML, and a lone surrogate (a path decoded with surrogateescape) no
    longer stops the page being written as UTF-8. No browser needed."""
    from html.parser import HTMLParser

    name = "名</script><!--<script>window.pwned=true</script>]]>\x1b\x00\ufffe\udcff"
    graph = nx.MultiDiGraph(name="标题\x1b</title><!--")
    graph.add_node("x\x1b", type="Place", name=name, aliases=["<!--别名", "bad\udcff"],
                   evidence=[{"sentence": name, "file": "bad\udcff.txt", "start": 0, "end": 3}])
    graph.add_node("y", type="Person", name="乙")
    graph.add_edge("y", "x\x1b", key="memberOf", relation="memberOf", role="</script>\x1b", evidence=[])
    html = render_html(graph)
    assert html == render_html(graph)

    class Scripts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.opened, self.title = [], ""

        def handle_starttag(self, tag, attrs):
            self.opened.append(tag)

        def handle_data(self, data):
            if self.opened and self.opened[-1] == "title" and not self.title:
                self.title = data

    page = Scripts()
    page.feed(html)
    assert page.opened.count("script") == 3 and page.title == "标题\ufffd</title><!--"
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", html)
    data = page_data(html)
    clean = "名</script><!--<script>window.pwned=true</script>]]>\ufffd\ufffd\ufffd\ufffd"
    node = next(n for n in data["nodes"] if n["type"] == "Place")
    assert (node["id"], node["name"], node["aliases"]) == ("x\ufffd", clean, ["<!--别名", "bad\ufffd"])
    assert node["evidence"] == {"sentence": clean, "source": "bad\ufffd.txt, characters 0–3"}
    assert data["edges"][0]["to"] == "x\ufffd" and data["edges"][0]["role"] == "</script>\ufffd"


def test_physics_only_for_small_graphs_and_positions_always_given():
    small, large = nx.path_graph(PHYSICS_MAX_NODES), nx.path_graph(PHYSICS_MAX_NODES + 1)
    for graph, physics in ((small, True), (large, False)):
        data = page_data(render_html(nx.MultiDiGraph(graph)))
        assert data["options"]["physics"]["enabled"] is physics
        assert len(data["nodes"]) == graph.number_of_nodes()
        assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_rendering_is_deterministic(seed_graph):
    assert render_html(seed_graph) == render_html(seed_graph)
