"""The example queries in queries/: the right rows on a hand-made graph whose answers
are known, rows on the seed graph that networkx confirms, the same rows from both
engines, and the `renda-kg query` command around them."""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx
import pytest

from renda_kg.cli import main
from renda_kg.graph.export.rdf import write_ntriples, write_turtle
from renda_kg.graph.pipeline import build_graph
from renda_kg.graph.sparql import ENGINES, QueryResult, SparqlError, open_graph, read_query

ROOT = Path(__file__).resolve().parents[2]
QUERY_DIR = ROOT / "queries"
QUERIES = sorted(p.stem for p in QUERY_DIR.glob("*.rq"))
STATION_MEASURE = re.compile("联络站|代表之家|联络点|工作站|立法联系点")


def query_text(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text("utf-8")


def with_values(text: str, variable: str, value: str) -> str:
    """Replace the query's `VALUES ?variable { … }` parameter."""
    pattern = re.compile(r"VALUES \?" + variable + r" \{[^}]*\}")
    assert pattern.search(text), f"no VALUES ?{variable} in the query"
    return pattern.sub(lambda _: f"VALUES ?{variable} {{ {value} }}", text)


def python_rows(result: QueryResult) -> list[tuple]:
    return [tuple(None if t is None else t.toPython() for t in row) for row in result.rows]


# --- a hand-made graph whose answers are known ------------------------------------

def ev(sentence: str, start: int, doc: str = "p0") -> dict:
    return {"file": f"pages/{doc}.txt", "doc": doc, "article": f"{doc}#a0", "sentence": sentence,
            "start": start, "end": start + len(sentence), "extractor": "rule"}


def hand_made_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()

    def node(node_id: str, type_: str, name: str, **attrs) -> None:
        g.add_node(node_id, type=type_, name=name, aliases=attrs.pop("aliases", []),
                   evidence=[ev(name, 0)], observations=attrs.pop("observations", []), **attrs)

    def edge(head: str, relation: str, tail: str, *evidence: dict, **attrs) -> None:
        g.add_edge(head, tail, key=relation, relation=relation,
                   evidence=list(evidence) or [ev(f"{head} {relation} {tail}", 9)], **attrs)

    node("place:370000", "Place", "山东省", level="province", adcode="370000")
    node("place:371300", "Place", "临沂市", level="city", adcode="371300")
    node("place:371326", "Place", "平邑县", level="county", adcode="371326")
    node("place:371326/地方镇", "Place", "地方镇", level="town")
    node("place:450000", "Place", "广西壮族自治区", level="province", adcode="450000")
    node("place:451302", "Place", "兴宾区", level="county", adcode="451302")
    node("body:371300:standing_committee", "CongressBody", "临沂市人大常委会", kind="standing_committee",
         observations=[{"measure": "人大代表联络站", "value": 697.0, "unit": "个", "year": 2024,
                        "approximate": False, "evidence": ev("697个人大代表联络站", 50)},
                       {"measure": "产业代表小组", "value": 11.0, "unit": "个", "year": None,
                        "approximate": False, "evidence": ev("11个产业代表小组", 80)}])
    node("body:371326:standing_committee", "CongressBody", "平邑县人大常委会", kind="standing_committee")
    node("body:451302:standing_committee", "CongressBody", "兴宾区人大常委会", kind="standing_committee")
    node("congressbody:商贸物流产业代表小组", "CongressBody", "商贸物流产业代表小组", kind="deputy_group")
    node("liaisonstation:地方镇人大代表联络站", "LiaisonStation", "地方镇人大代表联络站", kind="liaison_station")
    node("liaisonstation:钧瓷产业代表联络站", "LiaisonStation", "钧瓷产业代表联络站", kind="liaison_station")
    node("liaisonstation:向阳社区人大代表联络站", "LiaisonStation", "向阳社区人大代表联络站",
         kind="liaison_station")
    node("programme:一乡一品", "Programme", "一乡一品", kind="brand", aliases=["一乡一品特色品牌"])
    node("programme:人大代表+", "Programme", "人大代表+", kind="model")
    node("programme:代表茶座", "Programme", "代表茶座", kind="activity")
    node("industry:商贸物流产业", "Industry", "商贸物流产业")
    node("industry:钧瓷产业", "Industry", "钧瓷产业")
    node("person:徐希友", "Person", "徐希友")
    node("person:韦妮萍", "Person", "韦妮萍")
    node("person:刘璐", "Person", "刘璐")
    node("article:p0#a0", "Article", "组建产业代表小组助力高质量发展")
    node("article:p0#a1", "Article", "打造一乡一品特色品牌")
    node("article:p1#a0", "Article", "深化拓展平台建设")

    edge("place:371326", "locatedIn", "place:371300")
    edge("place:371300", "locatedIn", "place:370000")
    edge("place:371326/地方镇", "locatedIn", "place:371326")
    edge("place:451302", "locatedIn", "place:450000")
    edge("body:371300:standing_committee", "locatedIn", "place:371300")
    edge("body:371326:standing_committee", "locatedIn", "place:371326")
    edge("body:451302:standing_committee", "locatedIn", "place:451302")
    edge("liaisonstation:地方镇人大代表联络站", "locatedIn", "place:371326/地方镇")
    edge("liaisonstation:向阳社区人大代表联络站", "locatedIn", "place:451302")
    edge("liaisonstation:钧瓷产业代表联络站", "createdBy", "body:371326:standing_committee")
    edge("liaisonstation:向阳社区人大代表联络站", "createdBy", "body:451302:standing_committee")
    edge("liaisonstation:钧瓷产业代表联络站", "focusesOn", "industry:钧瓷产业")
    edge("congressbody:商贸物流产业代表小组", "focusesOn", "industry:商贸物流产业")
    edge("congressbody:商贸物流产业代表小组", "createdBy", "body:371300:standing_committee")
    edge("programme:一乡一品", "createdBy", "body:371326:standing_committee",
         ev("平邑县人大常委会打造一乡一品特色品牌。", 120), ev("一乡一品由县人大常委会推出。", 300, doc="p1"))
    edge("programme:人大代表+", "createdBy", "body:371300:standing_committee")
    edge("programme:代表茶座", "createdBy", "body:451302:standing_committee")
    edge("person:徐希友", "authorOf", "article:p0#a0")
    edge("person:徐希友", "authorOf", "article:p0#a1")
    edge("person:韦妮萍", "authorOf", "article:p1#a0")
    edge("person:刘璐", "memberOf", "body:371326:standing_committee", ev("平邑县人大常委会主任刘璐说。", 400),
         role="主任")
    edge("article:p0#a0", "about", "body:371300:standing_committee")
    return g


EXPECTED = {
    "liaison_stations_per_province": [("山东省", 2), ("广西壮族自治区", 1)],
    "programmes_by_county_standing_committees": [
        ("兴宾区", "兴宾区人大常委会", "代表茶座", "activity"),
        ("平邑县", "平邑县人大常委会", "一乡一品", "brand")],
    "industries_with_groups_or_stations": [
        ("商贸物流产业", "商贸物流产业代表小组", "deputy_group"),
        ("钧瓷产业", "钧瓷产业代表联络站", "liaison_station")],
    "evidence_for_programme": [
        ("平邑县人大常委会", "平邑县人大常委会打造一乡一品特色品牌。", "pages/p0.txt", 120, 139, "rule"),
        ("平邑县人大常委会", "一乡一品由县人大常委会推出。", "pages/p1.txt", 300, 314, "rule")],
    "evidence_by_relation": [
        ("刘璐", "平邑县人大常委会", "主任", "平邑县人大常委会主任刘璐说。", "pages/p0.txt", 400, 414)],
    "articles_per_author": [
        ("徐希友", 2, "打造一乡一品特色品牌"), ("徐希友", 2, "组建产业代表小组助力高质量发展"),
        ("韦妮萍", 1, "深化拓展平台建设")],
    "bodies_with_most_liaison_stations": [
        ("临沂市人大常委会", 697, 0, 1), ("兴宾区人大常委会", 0, 1, 1), ("平邑县人大常委会", 0, 1, 1)],
}


@pytest.fixture(scope="module")
def hand_made_files(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("hand_made")
    write_turtle(hand_made_graph(), out / "graph.ttl")
    write_ntriples(hand_made_graph(), out / "graph.nt")
    return {"ttl": out / "graph.ttl", "nt": out / "graph.nt"}


def test_there_are_at_least_six_documented_queries():
    assert len(QUERIES) >= 6
    assert set(QUERIES) == set(EXPECTED), "every example query has a hand-made answer"
    for name in QUERIES:
        header = query_text(name).splitlines()
        assert header[0].startswith("# ") and any(line.startswith("# Returns:") for line in header), name


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("suffix", ["ttl", "nt"])
@pytest.mark.parametrize("name", QUERIES)
def test_query_gives_the_known_answer_on_a_hand_made_graph(hand_made_files, name, engine, suffix):
    result = open_graph(hand_made_files[suffix], engine).query(query_text(name))
    assert python_rows(result) == EXPECTED[name]


# --- the seed graph ---------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_graph() -> nx.MultiDiGraph:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        return build_graph("seeds")


@pytest.fixture(scope="module")
def seed_engines(seed_graph, tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("seed") / "graph.ttl"
    write_turtle(seed_graph, path)
    return {engine: open_graph(path, engine) for engine in ENGINES}


def seed_rows(seed_engines, text: str) -> list[tuple]:
    """Rows of the default engine, after checking that rdflib gives exactly the same."""
    oxigraph, reference = (seed_engines[e].query(text) for e in ("oxigraph", "rdflib"))
    assert oxigraph == reference, "oxigraph and rdflib disagree"
    return python_rows(oxigraph)


def label(g: nx.MultiDiGraph, node: str) -> str:
    return g.nodes[node]["name"]


def out_edges(g: nx.MultiDiGraph, node: str, relation: str) -> list[str]:
    return [t for _, t, k in g.out_edges(node, keys=True) if k == relation]


def of_type(g: nx.MultiDiGraph, type_: str) -> list[str]:
    return sorted(n for n, d in g.nodes(data=True) if d["type"] == type_)


@pytest.mark.parametrize("query", QUERIES)
def test_engines_agree_on_the_seed_graph(seed_engines, query):
    seed_rows(seed_engines, query_text(query))


def test_liaison_stations_per_province_on_seeds(seed_graph, seed_engines):
    g = seed_graph
    reach = nx.DiGraph((h, t) for h, t, k in g.edges(keys=True) if k in ("locatedIn", "createdBy"))
    expected = Counter()
    for station in of_type(g, "LiaisonStation"):
        above = nx.descendants(reach, station) if station in reach else set()
        expected.update({label(g, p) for p in above if g.nodes[p].get("level") == "province"})
    rows = seed_rows(seed_engines, query_text("liaison_stations_per_province"))
    assert rows and dict(rows) == dict(expected)
    assert [n for _, n in rows] == sorted((n for _, n in rows), reverse=True)


def test_programmes_by_county_standing_committees_on_seeds(seed_graph, seed_engines):
    g = seed_graph
    expected = {(label(g, place), label(g, body), label(g, p), g.nodes[p].get("kind"))
                for p in of_type(g, "Programme") for body in out_edges(g, p, "createdBy")
                if g.nodes[body]["type"] == "CongressBody" and g.nodes[body].get("kind") == "standing_committee"
                for place in out_edges(g, body, "locatedIn") if g.nodes[place].get("level") == "county"}
    rows = seed_rows(seed_engines, query_text("programmes_by_county_standing_committees"))
    assert rows and set(rows) == expected


def test_industries_with_groups_or_stations_on_seeds(seed_graph, seed_engines):
    g = seed_graph
    unit_type = {n: "liaison_station" for n in of_type(g, "LiaisonStation")}
    unit_type.update({n: "deputy_group" for n in of_type(g, "CongressBody") if g.nodes[n].get("kind") == "deputy_group"})
    expected = {(label(g, i), label(g, u), unit_type[u])
                for u in unit_type for i in out_edges(g, u, "focusesOn")}
    rows = seed_rows(seed_engines, query_text("industries_with_groups_or_stations"))
    assert rows and set(rows) == expected


def test_evidence_for_a_programme_on_seeds(seed_graph, seed_engines):
    g = seed_graph
    programme = next(p for p in of_type(g, "Programme") if out_edges(g, p, "createdBy"))
    text = with_values(query_text("evidence_for_programme"), "name", json.dumps(label(g, programme)))
    expected = {(label(g, body), e["sentence"], e["file"], e["start"], e["end"], e["extractor"])
                for body in out_edges(g, programme, "createdBy")
                for e in g.edges[programme, body, "createdBy"]["evidence"]}
    rows = seed_rows(seed_engines, text)
    assert rows and set(rows) == expected
    for _, _sentence, file, start, end, _ in rows:
        assert 0 <= start < end <= len((ROOT / file).read_text("utf-8"))


def test_evidence_by_relation_on_seeds(seed_graph, seed_engines):
    g = seed_graph
    by_relation = defaultdict(set)
    for head, tail, relation, data in g.edges(keys=True, data=True):
        for e in data["evidence"]:
            by_relation[relation].add((label(g, head), label(g, tail), data.get("role"), e["sentence"],
                                       e["file"], e["start"], e["end"]))
    assert by_relation
    for relation, expected in sorted(by_relation.items()):
        text = with_values(query_text("evidence_by_relation"), "relation", f"renda:{relation}")
        assert set(seed_rows(seed_engines, text)) == expected, relation


def test_articles_per_author_on_seeds(seed_graph, seed_engines):
    g = seed_graph
    expected = {(label(g, p), len(set(out_edges(g, p, "authorOf"))), label(g, a))
                for p in of_type(g, "Person") for a in out_edges(g, p, "authorOf")}
    rows = seed_rows(seed_engines, query_text("articles_per_author"))
    assert rows and set(rows) == expected
    assert [n for _, n, _ in rows] == sorted((n for _, n, _ in rows), reverse=True)


def test_bodies_with_most_liaison_stations_on_seeds(seed_graph, seed_engines):
    g = seed_graph
    stations = of_type(g, "LiaisonStation")
    located = nx.DiGraph((h, t) for h, t, k in g.edges(keys=True) if k == "locatedIn")
    expected = set()
    for body in of_type(g, "CongressBody"):
        values = [o["value"] for o in g.nodes[body]["observations"] if STATION_MEASURE.search(o["measure"])]
        runs = sum(body in out_edges(g, s, "createdBy") for s in stations)
        areas = set(out_edges(g, body, "locatedIn"))
        in_area = sum(bool(areas & nx.descendants(located, s)) for s in stations if s in located)
        if values or runs or in_area:
            expected.add((label(g, body), int(max(values, default=0)), runs, in_area))
    rows = seed_rows(seed_engines, query_text("bodies_with_most_liaison_stations"))
    assert rows and set(rows) == expected
    assert [r[1:] for r in rows] == sorted((r[1:] for r in rows), reverse=True)


# --- the README's table of seed results ---------------------------------------------

README = ROOT / "README.md"
_ELLIPSIS = "…"


def readme_seed_results() -> dict[str, str]:
    """query name → the "seed result" cell of the table under "`queries/` holds example questions"."""
    lines = README.read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("`queries/` holds example questions"))
    rows = {}
    for line in lines[start + 1:]:
        if rows and not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and (m := re.fullmatch(r"`(\w+)\.rq`", cells[0])):
            rows[m.group(1)] = cells[2]
    return rows


def parse_seed_result(cell: str) -> tuple[int | None, str, list[list[str]]]:
    """A cell is "[N rows][, e.g. | , first ]GROUP; GROUP; …". Without "e.g." or "first"
    the groups are the whole result, in order. A group is one row: its tokens (split at
    spaces, commas, brackets, arrows, dashes) are that row's values, the query's VALUES
    parameter, or a column name after a number ("697 reported": 697 in column reported);
    a token with "…" ("seeds/000…txt", "(作者系…主任)") stands for a value that starts with
    what is before it and ends with what is after it."""
    m = re.fullmatch(r"(?:(?P<count>\d+) rows?(?:, (?P<mode>e\.g\.|first) |$))?(?P<groups>.*)", cell)
    assert m, cell
    mode = m.group("mode") or ("all" if not m.group("count") else "e.g.")
    groups = [[t.rstrip(":,") for t in re.findall(r"\S*…\S*|[^\s,()←→—–]+", g) if t != _ELLIPSIS]
              for g in m.group("groups").split(";") if g.strip()]
    return (int(m.group("count")) if m.group("count") else None), mode, groups


def _parameters(text: str) -> set[str]:
    values = " ".join(re.findall(r"VALUES \?\w+ \{([^}]*)\}", text)).split()
    return {v.strip('"').split(":")[-1] for v in values}


def _token_matches(token: str, value) -> bool:
    if value is None:
        return False
    value = str(value)
    if _ELLIPSIS in token:
        head, _, tail = token.partition(_ELLIPSIS)
        return value.startswith(head) and value.endswith(tail) and len(value) >= len(head) + len(tail)
    return value == token


def group_matches(tokens: list[str], row: tuple, variables: tuple[str, ...], parameters: set[str]) -> bool:
    for k, token in enumerate(tokens):
        if token in parameters:
            continue
        if token in variables:          # "697 reported": the number before it is in that column
            if k == 0 or not _token_matches(tokens[k - 1], row[variables.index(token)]):
                return False
            continue
        if not any(_token_matches(token, value) for value in row):
            return False
    return True


def test_readme_parses_its_own_table_format():
    assert parse_seed_result("河南省 4; 广东省 2") == (None, "all", [["河南省", "4"], ["广东省", "2"]])
    assert parse_seed_result("35 rows, e.g. 兴宾区人大常委会 — 联络站+侨务 (brand)") == (
        35, "e.g.", [["兴宾区人大常委会", "联络站+侨务", "brand"]])
    assert parse_seed_result("5 rows, e.g. memberOf: 刘璐 → 禹州市人大常委会 (主任) …") == (
        5, "e.g.", [["memberOf", "刘璐", "禹州市人大常委会", "主任"]])
    assert parse_seed_result("14 rows, first 临沂市人大常委会 697 reported")[1:] == (
        "first", [["临沂市人大常委会", "697", "reported"]])
    assert parse_seed_result("一乡一品 ← 开化县人大常委会, (作者系…主任) seeds/000…txt 4081–4266") == (
        None, "all", [["一乡一品", "开化县人大常委会", "(作者系…主任)", "seeds/000…txt", "4081", "4266"]])
    assert group_matches(["seeds/000…txt", "4081", "4266"], ("x", "seeds/000_a.txt", 4081, 4266), (), set())
    assert not group_matches(["(作者系…主任)"], ("(作者系安徽省定远县人大常委会",), (), set())
    assert not group_matches(["河南省", "4"], ("河南省", 5), ("province", "stations"), set())
    assert group_matches(["临", "697", "reported"], ("临", 697, 0), ("body", "reported", "runs"), set())
    assert not group_matches(["临", "0", "reported"], ("临", 697, 0), ("body", "reported", "runs"), set())


def test_readme_seed_results_are_the_seed_graph_results(seed_engines):
    """The README's example results come from this test's checks: any drift fails here."""
    cells = readme_seed_results()
    assert set(cells) == set(QUERIES), "the README table lists every query in queries/"
    stale = []
    for name in QUERIES:
        text = query_text(name)
        result = seed_engines["oxigraph"].query(text)
        rows, variables = python_rows(result), tuple(result.variables)
        count, mode, groups = parse_seed_result(cells[name])
        params = _parameters(text)
        if count is not None and count != len(rows):
            stale.append(f"{name}: README says {count} rows, the seed graph gives {len(rows)}")
        if mode == "all":
            ok = len(groups) == len(rows) and all(
                group_matches(g, r, variables, params) for g, r in zip(groups, rows))
        elif mode == "first":
            ok = len(groups) == 1 and bool(rows) and group_matches(groups[0], rows[0], variables, params)
        else:
            ok = all(any(group_matches(g, r, variables, params) for r in rows) for g in groups)
        if not ok or not groups:
            stale.append(f"{name}: README says {cells[name]!r}; the seed graph gives {rows[:5]}")
    assert not stale, "\n".join(stale)


# --- the command ------------------------------------------------------------------

def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["query", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_table(capsys, hand_made_files, engine):
    code, out, _ = run_cli(capsys, str(hand_made_files["ttl"]),
                           str(QUERY_DIR / "liaison_stations_per_province.rq"), "--engine", engine)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["province", "stations"] and set(lines[1]) == {"-", " "}
    assert lines[2].split() == ["山东省", "2"] and lines[-1] == "(2 rows)"
    # CJK characters take two columns: the counts line up under their header.
    assert lines[2].index("2") - 3 == lines[0].index("stations") - 6


def test_cli_csv_and_json(capsys, hand_made_files):
    query = str(QUERY_DIR / "evidence_by_relation.rq")
    _, out, _ = run_cli(capsys, str(hand_made_files["nt"]), query, "--format", "csv")
    assert list(csv.reader(io.StringIO(out))) == [
        ["head", "tail", "role", "sentence", "file", "start", "end"],
        ["刘璐", "平邑县人大常委会", "主任", "平邑县人大常委会主任刘璐说。", "pages/p0.txt", "400", "414"]]
    _, out, _ = run_cli(capsys, str(hand_made_files["nt"]), query, "--format", "json")
    data = json.loads(out)
    assert data["head"]["vars"][:2] == ["head", "tail"]
    assert data["results"]["bindings"][0]["start"] == {
        "type": "literal", "value": "400", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


def test_cli_inline_ask_and_construct(capsys, hand_made_files):
    graph = str(hand_made_files["ttl"])
    ask = "PREFIX renda: <https://renda-kg.example/ontology#> ASK { ?s a renda:LiaisonStation }"
    assert run_cli(capsys, graph, ask)[1] == "true\n"
    assert json.loads(run_cli(capsys, graph, ask, "--format", "json")[1]) == {"head": {}, "boolean": True}
    construct = ("PREFIX renda: <https://renda-kg.example/ontology#> "
                 "CONSTRUCT { ?s a renda:Industry } WHERE { ?s a renda:Industry }")
    lines = run_cli(capsys, graph, construct)[1].splitlines()
    assert len(lines) == 2 and lines == sorted(lines) and all(line.endswith(" .") for line in lines)


@pytest.mark.parametrize("args, message", [
    (["{graph}", "SELECT ?x WHERE { ?x"], "bad query"),
    (["{graph}", "PREFIX a: <x:> INSERT DATA { a:b a:c a:d }"], "bad query"),
    (["{graph}", "SELECT ?x WHERE { ?x nope:p ?y }"], "bad query"),
    (["{graph}", "missing.rq"], "no such query file"),
    (["no/such/graph.ttl", "ASK {}"], "no such graph file"),
    (["graph.json", "ASK {}"], "expected a .ttl or .nt file"),
])
@pytest.mark.parametrize("engine", ENGINES)
def test_cli_errors_are_one_line_and_exit_2(capsys, hand_made_files, args, message, engine):
    args = [a.replace("{graph}", str(hand_made_files["ttl"])) for a in args]
    code, out, err = run_cli(capsys, *args, "--engine", engine)
    assert code == 2 and not out
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_broken_graph_file_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "graph.ttl"
    bad.write_text("<a> <b> .\n", "utf-8")
    for engine in ENGINES:
        code, _, err = run_cli(capsys, str(bad), "ASK {}", "--engine", engine)
        assert code == 2 and "not valid" in err and len(err.strip().splitlines()) == 1


def test_read_query_takes_files_or_text(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK {}", "utf-8")
    assert read_query(str(path)) == "ASK {}"
    assert read_query("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    assert read_query("x" * 5000) == "x" * 5000, "a long inline query is not taken for a path"
    with pytest.raises(SparqlError):
        read_query(str(tmp_path / "missing.rq"))


# --- co_mentioned.rq: the one example that walks an Article's mentions --------------

# The hand-made graph above holds the seven relations only, so no article mentions
# anything: the generic hand-made test runs the query on both engines and finds no row.
EXPECTED["co_mentioned"] = []


def test_co_mentioned_gives_the_known_answer_on_a_hand_made_graph_with_mentions(tmp_path):
    """Three articles: two name 平邑县 with 刘璐, one of those also 一乡一品; a third names
    刘璐 and 临沂市 but not 平邑县, so 临沂市 is no co-mention. Asked by the alias 平邑."""
    g = hand_made_graph()
    g.nodes["place:371326"]["aliases"] = ["平邑"]
    for article, tails in (("article:p0#a0", ("place:371326", "person:刘璐", "programme:一乡一品")),
                           ("article:p0#a1", ("place:371326", "person:刘璐")),
                           ("article:p1#a0", ("person:刘璐", "place:371300"))):
        for tail in tails:
            g.add_edge(article, tail, key="mentions", relation="mentions", evidence=[ev(tail, 5)])
    write_turtle(g, tmp_path / "graph.ttl")
    text = with_values(query_text("co_mentioned"), "name", '"平邑"')
    for engine in ENGINES:
        rows = python_rows(open_graph(tmp_path / "graph.ttl", engine).query(text))
        assert rows == [("刘璐", "Person", 2), ("一乡一品", "Programme", 1)], engine


def test_co_mentioned_on_seeds(seed_graph, seed_engines):
    """The rows networkx finds by walking the mentions of the articles that name 江苏省."""
    given = {n for n, d in seed_graph.nodes(data=True) if "江苏省" in (d["name"], *d["aliases"])}
    assert given == {"place:320000"}
    shared: Counter = Counter()
    for article in {u for node in given for u, _, k in seed_graph.in_edges(node, keys=True) if k == "mentions"}:
        shared.update(set(out_edges(seed_graph, article, "mentions")) - given)
    expected = sorted(((label(seed_graph, n), seed_graph.nodes[n]["type"], k) for n, k in shared.items()),
                      key=lambda row: (-row[2], row[0], row[1]))
    rows = seed_rows(seed_engines, query_text("co_mentioned"))
    assert rows == expected
    assert len(rows) == 50 and rows[0] == ("习近平", "Person", 3)
    assert ("仪征市人大常委会", "CongressBody", 2) in rows
