"""Every export is valid for any text: control characters, lone combining marks,
unmatched quotes and 《, U+FFFE/U+FFFF, very long tokens, astral and right-to-left
characters, lone surrogates in paths and names. Each file is read back with the
parser its users have: json, rdflib and Oxigraph, expat (xml.etree) and networkx's
GEXF and GraphML readers, html.parser plus JSON for the viewer's data block.

What the writers promise (graph/export/safe_text.py): JSON keeps every character
(escaped), so text and offsets come back exactly; GEXF, GraphML and the viewer
replace each character XML 1.0 forbids with U+FFFD; RDF escapes and keeps them;
a lone surrogate, which UTF-8 cannot hold, is U+FFFD everywhere.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pyoxigraph as ox
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import SKOS

from renda_kg.extractors.records import SourceDocument
from renda_kg.graph.assembler import assemble
from renda_kg.graph.export import FORMATS
from renda_kg.graph.export.articles_jsonl import document_record
from renda_kg.graph.export.output_index import BuildOutputs
from renda_kg.graph.export.safe_text import deep_map, encodable, xml_safe
from renda_kg.graph.pipeline import extract_document

#: What XML 1.0 cannot hold, even as a character reference.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NASTY = "甲\x00乙\x1b丙\x7f\u0301丁“《戊\ufffe\uffff\u200f😀\\\"'<>{}|^`&\t\r\u2028\u202e</script><!--]]>"


# --- reading every output back ------------------------------------------------------

class _Page(HTMLParser):
    """The viewer's script elements, as an HTML parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def viewer_data(html: str) -> dict:
    page = _Page()
    page.feed(html)
    page.close()
    assert len(page.scripts) == 4, "graph data, graphology, sigma, viewer: nothing in the data opened a script"
    attrs, text = page.scripts[0]
    assert attrs == {"id": "graph-data", "type": "application/json"}
    return json.loads(text)


def same_output(a: Path, b: Path) -> bool:
    """Byte-identical files; for the query store (a RocksDB folder, whose files carry ids
    and timestamps) the same triples."""
    if a.is_dir():
        import pyoxigraph as ox
        return sorted(map(str, ox.Store.read_only(str(a)))) == sorted(map(str, ox.Store.read_only(str(b))))
    return a.read_bytes() == b.read_bytes()


def write_every_format(out: Path, documents, results, graph) -> None:
    inputs = {"documents": documents, "results": results, "graph": graph}
    written: list[Path] = []
    inputs["build"] = BuildOutputs(len(documents), sum(len(d.articles) for d in documents), written)
    for fmt in FORMATS.values():
        fmt.writer()(inputs[fmt.takes], out / fmt.filename)
        written.append(out / fmt.filename)


def check_every_output(out: Path, documents, results, graph: nx.MultiDiGraph) -> None:
    """Parse each file in `out` with its real parser and compare it with what was written."""
    # JSON: every character comes back (escaped), surrogates as U+FFFD; offsets unchanged.
    lines = (out / "articles.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [deep_map(document_record(d), encodable) for d in documents]
    lines = (out / "entities.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        deep_map(r.to_dict(), encodable) for r in results]
    back = nx.node_link_graph(json.loads((out / "graph.json").read_text("utf-8")), edges="edges")
    assert sorted(back.nodes) == sorted(encodable(n) for n in graph.nodes)
    assert sorted(back.nodes[n]["name"] for n in back) == sorted(encodable(d["name"]) for _, d in graph.nodes(data=True))
    assert back.number_of_edges() == graph.number_of_edges()

    # RDF: rdflib and Oxigraph (the strict one) read both files, and they agree.
    turtle = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    ntriples = rdflib.Graph().parse(out / "graph.nt", format="nt")
    assert set(turtle) == set(ntriples)
    for name, rdf_format in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.nt", ox.RdfFormat.N_TRIPLES)):
        store = ox.Store()
        store.load(path=str(out / name), format=rdf_format)
        assert len(store) == len(ntriples)
    labels = {str(o) for o in ntriples.objects(None, SKOS.prefLabel)}
    assert {encodable(d["name"]) for _, d in graph.nodes(data=True)} <= labels
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", (out / "graph.nt").read_bytes())

    # GEXF and GraphML: expat, then networkx's readers; forbidden characters are U+FFFD.
    names = sorted(xml_safe(d["name"]) for _, d in graph.nodes(data=True))
    for name, read in (("graph.gexf", nx.read_gexf), ("graph.graphml", nx.read_graphml)):
        ElementTree.parse(out / name)
        back = read(out / name)
        assert back.number_of_nodes() == graph.number_of_nodes(), name
        assert back.number_of_edges() == graph.number_of_edges(), name
        assert sorted(d["name"] for _, d in back.nodes(data=True)) == names, name

    # The viewer: the data block is one script element whatever the names hold.
    html = (out / "graph.html").read_text("utf-8")
    assert not XML_FORBIDDEN.search(html)
    data = viewer_data(html)
    assert sorted(n[1] for n in data["nodes"]) == names
    assert len(data["edges"]) == graph.number_of_edges()


# --- the defect as reported, through the command line ----------------------------

def test_control_characters_in_a_file_give_valid_outputs_from_the_cli(tmp_path):
    """Issue 10: one ESC in a headline made graph.gexf and graph.graphml invalid XML
    (and the build still exited 0). The file name has a byte that is not UTF-8."""
    from renda_kg.cli import main
    text = ("人大代表\x1b联络站\n\n开化县人大常委会在齐溪镇建成代表联络站，"
            "推行“一乡一品\u0301”工作机制。《人民日报\x07报道。\n")
    name = os.fsdecode(b"bad\xff \xe2\x80\x9c.txt")           # 'bad\udcff “.txt'
    try:
        (tmp_path / name).write_text(text, "utf-8")
    except (UnicodeEncodeError, OSError):                     # a file system that refuses the name
        name = "bad “.txt"
        (tmp_path / name).write_text(text, "utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / name), "-o", str(out), "--extractors", "rules", "-q"]) == 0
    for xml_file in ("graph.gexf", "graph.graphml"):
        ElementTree.parse(out / xml_file)
    gexf = nx.read_gexf(out / "graph.gexf")
    assert "人大代表\ufffd联络站" in {d["label"] for _, d in gexf.nodes(data=True)}
    articles = [json.loads(line) for line in (out / "articles.jsonl").read_text("utf-8").splitlines()]
    assert articles[0]["articles"][0]["headline"] == "人大代表\x1b联络站", "JSON keeps the character"
    for name in ("graph.json", "graph.ttl", "graph.nt", "graph.html", "INDEX.md"):
        (out / name).read_text("utf-8")
    rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    rdflib.Graph().parse(out / "graph.nt", format="nt")
    viewer_data((out / "graph.html").read_text("utf-8"))


# --- a graph holding every trap in ids, names, aliases, roles and evidence -----------

def hostile_graph() -> nx.MultiDiGraph:
    path = "bad\udcff.txt"                                     # os.fsdecode(b"bad\xff.txt")
    evidence = {"file": path, "doc": "d" + NASTY, "article": "d#a0" + NASTY, "sentence": NASTY,
                "start": 3, "end": 9, "extractor": "rule"}
    g = nx.MultiDiGraph(name="renda-kg" + NASTY)
    g.add_node("programme:" + NASTY, type="Programme", name=NASTY, aliases=[NASTY + "别名", "别\udcff名"],
               kind="mechanism", evidence=[evidence],
               observations=[{"value": 3, "unit": "个\x1b", "measure": "联络站\x00", "year": 2024,
                              "evidence": evidence}])
    g.add_node("person:徐\udcff友", type="Person", name="徐\udcff友", aliases=[], evidence=[evidence],
               observations=[])
    # Two ids that differ only in a character XML cannot hold.
    g.add_node("media:报\x00", type="Media", name="报\x00", aliases=[], evidence=[], observations=[])
    g.add_node("media:报\x01", type="Media", name="报\x01", aliases=[], evidence=[], observations=[])
    g.add_edge("person:徐\udcff友", "programme:" + NASTY, key="memberOf", relation="memberOf",
               role="代表\x1b" + NASTY, evidence=[evidence])
    g.add_edge("media:报\x00", "media:报\x01", key="about", relation="about", evidence=[evidence])
    return g


def test_hostile_graph_every_format_parses_and_reruns_are_byte_identical(tmp_path):
    graph = hostile_graph()
    for run in ("first", "second"):
        for fmt in FORMATS.values():
            if fmt.takes == "graph":
                fmt.writer()(graph, tmp_path / run / fmt.filename)
    out = tmp_path / "first"
    for fmt in FORMATS.values():
        if fmt.takes == "graph":
            assert same_output(out / fmt.filename, tmp_path / "second" / fmt.filename), fmt.filename

    back = nx.node_link_graph(json.loads((out / "graph.json").read_text("utf-8")), edges="edges")
    assert back.nodes["programme:" + NASTY]["name"] == NASTY, "JSON keeps every character"
    assert back.nodes["person:徐\ufffd友"]["evidence"][0]["file"] == "bad\ufffd.txt"

    for name, read in (("graph.gexf", nx.read_gexf), ("graph.graphml", nx.read_graphml)):
        ElementTree.parse(out / name)
        got = read(out / name)
        assert set(got) == {"programme:" + xml_safe(NASTY), "person:徐\ufffd友", "media:报\ufffd",
                            "media:报\ufffd~2"}, name
        assert got.nodes["programme:" + xml_safe(NASTY)]["name"] == xml_safe(NASTY), name
        assert got.has_edge("media:报\ufffd", "media:报\ufffd~2"), name

    nt = rdflib.Graph().parse(out / "graph.nt", format="nt")
    assert set(nt) == set(rdflib.Graph().parse(out / "graph.ttl", format="turtle"))
    assert {str(o) for o in nt.objects(None, SKOS.prefLabel)} == {
        NASTY, "徐\ufffd友", "报\x00", "报\x01", "代表\x1b" + NASTY}
    for name, rdf_format in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.nt", ox.RdfFormat.N_TRIPLES)):
        store = ox.Store()
        store.load(path=str(out / name), format=rdf_format)
        assert len(store) == len(nt)

    html = (out / "graph.html").read_text("utf-8")
    assert "\\u003c/script\\u003e\\u003c!--" in html, "tojson escapes < and >"
    data = viewer_data(html)
    node = next(n for n in data["nodes"] if data["types"][n[2]] == "Programme")
    assert node[1] == xml_safe(NASTY) and data["files"][node[10][0][0]].startswith("bad\ufffd.txt")
    assert node[8] == [xml_safe(NASTY + "别名"), "别\ufffd名"]


def test_json_lines_writers_keep_control_characters_and_offsets(tmp_path):
    raw = "人大代表\x1b联络站\n\n开化县人大常委会在\x00齐溪镇建成代表联络站。《人民日报》\ufffe报道。\n"
    source = SourceDocument(doc_id="d\udcff", path="bad\udcff.txt", raw=raw, encoding="utf-8")
    doc, result = extract_document(source, ("rules",))
    write_every_format(tmp_path, [doc], [result], assemble([result]))
    article = json.loads((tmp_path / "articles.jsonl").read_text("utf-8"))
    assert article["path"] == "bad\ufffd.txt" and article["doc"] == "d\ufffd"
    for sentence in article["articles"][0]["sentences"]:
        assert raw[sentence["start"]:sentence["end"]].replace("\n", "") == sentence["text"]
    check_every_output(tmp_path, [doc], [result], assemble([result]))


# --- random text: the property ---------------------------------------------------

DOMAIN = ["开化县人大常委会", "代表联络站", "齐溪镇", "“一乡一品”工作机制", "《人民日报》", "人大代表",
          "开化县", "建成", "在", "，", "。", "浙江省", "记者 徐希友", "全国人大代表", "家站点"]
ODD = (["\x7f", "\u200f", "\u202e", "\u2028", "\ufffe", "\uffff", "\ufffd", "\ue000", "😀", "𠀀",
        "“", "”", "《", "》", "\"", "'", "\\", "<", ">", "&", "{", "}", "|", "^", "`", "</script>",
        "<!--", "]]>", "\t", "\u3000", " "]
       + [chr(c) for c in range(0x00, 0x20) if c != 0x0A]
       + [chr(c) for c in range(0x0300, 0x0370, 7)])
# Any character but a surrogate in the text itself: the input reader decodes strictly
# and never yields one, and the normaliser's OpenCC call raises UnicodeEncodeError on
# one (a separate defect, outside the exporters). Paths and ids below do carry them.
SAFE_ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="\n")

long_token = st.builds(lambda piece, n: (piece * n)[:5000], st.sampled_from(["人大", "x", "\u0301", "《", "😀a"]),
                       st.integers(2500, 5000))
piece = st.one_of(st.sampled_from(DOMAIN), st.sampled_from(ODD), st.text(SAFE_ALPHABET, max_size=12))
line = st.lists(piece, min_size=1, max_size=8).map("".join)
sentences = st.lists(st.one_of(line, line, line, long_token), min_size=1, max_size=4).map("\n".join)
names = st.sampled_from(["doc", "d\x1b", "bad\udcff", "引号“《", "a b<c>&"])


@st.composite
def documents(draw) -> list[SourceDocument]:
    docs = []
    for i in range(draw(st.integers(1, 2))):
        raw = draw(line) + "\n\n" + draw(sentences) + "\n"
        name = f"{draw(names)}{i}"
        docs.append(SourceDocument(doc_id=name, path=f"in/{name}.txt", raw=raw, encoding="utf-8"))
    return docs


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
def test_every_output_parses_for_random_text(sources):
    pairs = [extract_document(s, ("rules",)) for s in sources]
    documents_, results = [d for d, _ in pairs], [r for _, r in pairs]
    graph = assemble(results)
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp, "first"), Path(tmp, "second")
        write_every_format(first, documents_, results, graph)
        check_every_output(first, documents_, results, graph)
        write_every_format(second, documents_, results, graph)
        for fmt in FORMATS.values():
            assert same_output(first / fmt.filename, second / fmt.filename), fmt.filename
