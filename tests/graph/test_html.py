"""graph.html in headless Chromium, opened from file:// with every other request
blocked: it must make none, log no error, draw every node, and its filters (type,
relation, province), search, details panel, neighbour links and labels must work;
OCR text must never become markup. The seed run writes README's screenshots."""
from __future__ import annotations

import json
import re
import shutil
import statistics
import unicodedata
from collections import Counter

import networkx as nx
import pytest

from format_clients import ROOT, chromium, require, run_node
from renda_kg.graph.export.html import VIEWER_LIBRARIES, page_data, render_html, write_html
from renda_kg.graph.export.presentation import TYPE_COLOURS
from renda_kg.graph.pipeline import build_graph

LINYI = "body:371300:standing_committee"
HOSTILE = '</script><img src=x onerror="window.pwned=true"><b>粗</b>'
SCREENSHOTS = ROOT / "docs" / "screenshots"
#: Node record fields of page_data.
ID, NAME, TYPE, DEGREE, PROVINCE, ALIASES, ATTRS, EVIDENCE = 0, 1, 2, 5, 7, 8, 9, 10


@pytest.fixture(scope="module")
def seed_graph():
    return build_graph(ROOT / "seeds")


def open_in_chromium(html_path, **plan) -> dict:
    return run_node("open_viewer.mjs", json.dumps({"html": str(html_path), "chromium": chromium(), **plan}))


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def findable_node(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """A node and a name for it that no other node has: an alias where possible."""
    owners = Counter(key for _, d in graph.nodes(data=True)
                     for key in {normalise(k) for k in [d["name"], *d["aliases"]]})
    candidates = [(alias, node) for node, d in graph.nodes(data=True) for alias in d["aliases"]]
    candidates += [(d["name"], node) for node, d in graph.nodes(data=True)]
    return next((str(node), text) for text, node in candidates if owners[normalise(text)] == 1)


def in_area(graph: nx.MultiDiGraph, node: str, area: str) -> bool:
    """The node is the area, lies in it, or belongs to / was made by something that does."""
    links = nx.DiGraph((u, v) for u, v, d in graph.edges(data=True)
                       if d["relation"] in ("locatedIn", "memberOf", "subOrganizationOf", "createdBy"))
    return node == area or (node in links and area in links and nx.has_path(links, node, area))


def test_seed_viewer_offline_filters_panel_labels_and_search(seed_graph, tmp_path):
    path = tmp_path / "graph.html"
    write_html(seed_graph, path)
    html = path.read_text("utf-8")
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", html), "everything is inlined"
    types = Counter(d["type"] for _, d in seed_graph.nodes(data=True))
    relations = Counter(d["relation"] for *_, d in seed_graph.edges(data=True))
    assert relations["mentions"] > 0, "the seed graph links articles to what they name"
    node, query = findable_node(seed_graph)
    filtered = seed_graph.nodes[node]["type"]      # the search must show its type again
    shandong = "place:370000"
    assert shandong in seed_graph

    result = open_in_chromium(path, screenshot=str(tmp_path / "overview.png"),
                              panelScreenshot=str(tmp_path / "panel.png"), search=query,
                              filterType=filtered, filterRelation="mentions", province=shandong,
                              click=True, clickType="CongressBody", zoom=True, probeNode=LINYI,
                              colourByCommunity=True)

    assert result["blockedRequests"] == []
    assert result["consoleErrors"] == []
    n, m = seed_graph.number_of_nodes(), seed_graph.number_of_edges()
    assert result["dataNodes"] == result["shownNodes"] == n
    assert result["dataEdges"] == result["shownEdges"] == m
    assert result["legend"] == [t for t in TYPE_COLOURS if t in types]
    assert result["relations"][-1] == "mentions" and sorted(result["relations"]) == sorted(relations)

    # Filters: a type, a relation, a province (a place and everything in it).
    assert result["shownAfterTypeFilter"]["nodes"] == n - types[filtered]
    assert result["shownAfterTypeUnfilter"] == {"nodes": n, "edges": m}
    assert result["shownAfterRelationFilter"] == {"nodes": n, "edges": m - relations["mentions"]}
    in_shandong = set(result["shownInProvince"])
    assert {shandong, "place:371300"} <= in_shandong and "place:330000" not in in_shandong
    assert all(in_area(seed_graph, x, shandong) for x in in_shandong)
    option = dict(result["provinces"])[str(list(seed_graph).index(shandong))]
    assert option.endswith(f"({len(in_shandong)})")

    # Colour by community: one colour per community (the 12 biggest), back to types after.
    by_community = {}
    for community, colour in result["communityColours"]:
        by_community.setdefault(community, set()).add(colour.lower())
    assert all(len(colours) == 1 for c, colours in by_community.items() if c < 12)
    assert len({colours.pop() for c, colours in by_community.items() if c < 12}) == min(12, len(by_community))
    assert {c.lower() for _, c in result["typeColours"]} == {TYPE_COLOURS[t].lower() for t in types}

    # Labels: only some at the fitted zoom, the bigger nodes, never one over another;
    # zoomed far in, (nearly) every node on screen is named, still without overlap.
    degree = dict(seed_graph.degree())
    at_fit = result["labelsAtFit"]
    assert 0 < len(at_fit) < n and result["labelOverlapsAtFit"] == 0
    assert statistics.median(degree[x] for x in at_fit) > statistics.median(degree.values())
    assert result["labelOverlapsZoomed"] == 0
    assert result["labelsZoomed"] >= 0.6 * result["onScreenZoomed"] > 0

    # The details panel of a clicked node: everything the graph holds about it.
    clicked = result["clicked"]
    data, panel = seed_graph.nodes[clicked], result["panel"]
    out_edges = [d for *_, d in seed_graph.out_edges(clicked, data=True)]
    in_edges = [(u, d) for u, _, d in seed_graph.in_edges(clicked, data=True)]
    assert panel["visible"] and panel["name"] == data["name"] and data["type"] in panel["type"]
    first_sentence = next(ev["sentence"] for ev in data["evidence"] if ev.get("sentence"))
    assert result["tooltip"].startswith(data["name"] + data["type"]), "hovering names the node"
    assert first_sentence[:100] in result["tooltip"] and result["tooltipHiddenAfterLeaving"] is True
    assert panel["relationsOut"] == sum(d["relation"] != "mentions" for d in out_edges)
    assert panel["names"] == sum(d["relation"] == "mentions" for d in out_edges)
    assert panel["relationsIn"] == sum(d["relation"] != "mentions" for _, d in in_edges)
    assert panel["mentionedIn"] == len({u for u, d in in_edges if d["relation"] == "mentions"}) > 0
    assert panel["evidence"] == len(data["evidence"])
    for alias in data["aliases"]:
        assert alias in panel["text"]
    neighbours = set(seed_graph.successors(clicked)) | set(seed_graph.predecessors(clicked))
    assert result["neighbour"] in neighbours
    assert result["panelAfterNeighbour"] == seed_graph.nodes[result["neighbour"]]["name"]
    assert result["panelHiddenAfterEscape"] is True

    # A body's statistics, each with the sentence it was read from.
    counts = seed_graph.nodes[LINYI]["observations"]
    assert counts, "the seed graph has 临沂市人大常委会's counts"
    for obs in counts:
        assert f"{obs['measure']}: {'≈ ' if obs['approximate'] else ''}{obs['value']}{obs['unit'] or ''}" in result["probe"]["text"]
        assert obs["evidence"]["sentence"] in result["probe"]["text"]

    assert result["searchSelected"] == node, f"search for {query!r}"
    assert result["searchStatus"].startswith("1/")
    assert result["shownAfterSearch"]["nodes"] == n, "a hit of a filtered-out type shows that type again"

    for name in ("overview", "panel"):
        shot = (tmp_path / f"{name}.png").read_bytes()
        assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / f"{name}.png", SCREENSHOTS / f"viewer-{name}.png")


def test_ocr_text_never_becomes_markup(tmp_path):
    graph = nx.MultiDiGraph(name=HOSTILE)
    graph.add_node("x", type="Place", name=HOSTILE, aliases=["<i>别名</i>"],
                   evidence=[{"sentence": "<script>window.pwned=true</script>句。", "file": "a&b.txt"}])
    graph.add_node("y", type="Person", name="乙")
    graph.add_edge("y", "x", key="memberOf", relation="memberOf", role="<u>代表</u>", evidence=[])
    path = tmp_path / "hostile.html"
    write_html(graph, path)

    result = open_in_chromium(path, probeNode="x", search="别名")

    assert result["consoleErrors"] == [] and result["blockedRequests"] == []
    assert result["shownNodes"] == 2
    assert result["pwned"] is False
    assert result["probe"]["injected"] == 0
    text = result["probe"]["text"]
    assert HOSTILE in text and "<script>window.pwned=true</script>句。" in text and "<i>别名</i>" in text
    assert result["searchSelected"] == "x"


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
    assert page.opened.count("script") == 2 + len(VIEWER_LIBRARIES) and page.title == "标题\ufffd</title><!--"
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", html)
    data = page_data(graph)
    clean = "名</script><!--<script>window.pwned=true</script>]]>\ufffd\ufffd\ufffd\ufffd"
    node = next(n for n in data["nodes"] if data["types"][n[TYPE]] == "Place")
    assert (node[ID], node[NAME], node[ALIASES]) == ("x\ufffd", clean, ["<!--别名", "bad\ufffd"])
    file, article, sentence, start, end = node[EVIDENCE][0]
    assert (data["files"][file], article, data["sentences"][sentence], start, end) == ("bad\ufffd.txt", -1, clean, 0, 3)
    assert data["nodes"][data["edges"][0][1]][ID] == "x\ufffd" and data["edges"][0][3] == "</script>\ufffd"


def test_page_data_shares_sentences_points_evidence_at_articles_and_finds_provinces():
    sentence = "山东省临沂市人大常委会在兰陵县设立代表联络站。"
    ev = {"file": "a.txt", "doc": "a", "article": "a#a0", "sentence": sentence, "start": 3, "end": 9}
    g = nx.MultiDiGraph()
    g.add_node("article:a#a0", type="Article", name="标题", evidence=[{**ev, "sentence": "标题"}])
    g.add_node("place:370000", type="Place", name="山东省", level="province", adcode="370000", evidence=[ev])
    g.add_node("place:371300", type="Place", name="临沂市", level="city", adcode="371300", evidence=[ev])
    g.add_node("place:371324/某镇", type="Place", name="某镇", level="town", node_id="371324/某镇", evidence=[ev])
    g.add_node("body:371300:standing_committee", type="CongressBody", name="临沂市人大常委会",
               kind="standing_committee", evidence=[ev],
               observations=[{"measure": "代表联络站", "value": 697, "unit": "个", "year": 2023, "approximate": False,
                              "evidence": ev}, {"measure": "x", "value": None}])
    g.add_node("person:张三", type="Person", name="张三", evidence=[])
    g.add_node("liaisonstation:站", type="LiaisonStation", name="站", evidence=[ev])
    g.add_node("place:330000", type="Place", name="浙江省", level="province", adcode="330000", evidence=[])
    g.add_edge("place:371300", "place:370000", key="locatedIn", relation="locatedIn", evidence=[ev])
    g.add_edge("body:371300:standing_committee", "place:371300", key="locatedIn", relation="locatedIn", evidence=[])
    g.add_edge("person:张三", "body:371300:standing_committee", key="memberOf", relation="memberOf", evidence=[])
    g.add_edge("liaisonstation:站", "body:371300:standing_committee", key="createdBy", relation="createdBy",
               evidence=[])
    g.add_edge("article:a#a0", "place:371300", key="mentions", relation="mentions", evidence=[ev])

    data = page_data(g)
    names = [n[NAME] for n in data["nodes"]]
    assert data["sentences"].count(sentence) == 1, "a sentence behind many records is written once"
    assert data["relations"][-1] == "mentions" and data["navigation"] == ["mentions"]
    city = data["nodes"][names.index("临沂市")]
    assert [data["nodes"][e[1]][NAME] for e in city[EVIDENCE]] == ["标题"], "evidence names its article node"
    assert city[ATTRS] == {"adcode": "371300", "level": "city"}
    province_of = {n[NAME]: (data["nodes"][n[PROVINCE]][NAME] if n[PROVINCE] >= 0 else None) for n in data["nodes"]}
    assert province_of == {"标题": None, "山东省": "山东省", "临沂市": "山东省", "某镇": "山东省",
                           "临沂市人大常委会": "山东省", "张三": "山东省", "站": "山东省", "浙江省": "浙江省"}
    assert [(names[p], count) for p, count in data["provinces"]] == [("山东省", 6), ("浙江省", 1)]
    body = data["nodes"][names.index("临沂市人大常委会")]
    assert body[11] == [["代表联络站", 697, "个", 2023, False, [body[EVIDENCE][0]]]], "statistics keep their evidence"


def test_vendored_libraries_are_the_npm_packages():
    """The inlined copies are the files of the versions package.json pins, unchanged."""
    require((ROOT / "node_modules").is_dir(), "node_modules is missing: run `npm ci` in the repository root")
    sources = {"graphology.umd.min.js": "graphology/dist/graphology.umd.min.js", "sigma.min.js": "sigma/dist/sigma.min.js"}
    vendor = ROOT / "graph" / "export" / "templates" / "vendor"
    for name in VIEWER_LIBRARIES:
        assert (vendor / name).read_bytes() == (ROOT / "node_modules" / sources[name]).read_bytes(), name
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    readme = (vendor / "README.md").read_text()
    for package in ("graphology", "sigma"):
        assert f"{package} {pinned[package]}" in readme


def test_rendering_is_deterministic(seed_graph):
    assert render_html(seed_graph) == render_html(seed_graph)
