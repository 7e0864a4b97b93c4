"""The query store (graph.oxigraph/, issue 13): `renda-kg build` writes it beside graph.nt
with the same triples; `renda-kg query` and `renda-kg serve` open the output directory
(or the store) without parsing any RDF file and answer exactly as from graph.ttl; a
damaged or foreign store is one line and exit 2; the output directory holding a store
can be rebuilt in place, while a user's own folders in it are still refused."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from renda_kg.cli import build_parser, main
from renda_kg.graph.export import FORMATS
from renda_kg.graph.export.query_store import MANIFEST, STORE_NAME, open_store, store_from_file
from renda_kg.graph.output_dir import OutputDirError, StagedOutput
from renda_kg.graph.sparql import (ENGINES, SparqlError, format_result, graph_source, open_graph,
                                   query_prefixes, serialize_result)
from renda_kg.graph.sparql_server import SparqlServer

ROOT = Path(__file__).resolve().parents[2]
QUERY_DIR = ROOT / "queries"
QUERIES = sorted(p.name for p in QUERY_DIR.glob("*.rq"))
SEED = ROOT / "seeds" / "004_e0eeec07091cc154.txt"
ACCEPTS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values")

#: The clients must reach 127.0.0.1 directly even where a proxy is configured.
pytestmark = pytest.mark.usefixtures("no_proxy_for_loopback")


def build(out: Path, *inputs: Path, formats: str = "ttl,nt,store") -> int:
    return main(["build", *map(str, inputs), "-o", str(out), "-q", "--extractors", "rules",
                 "--format", formats])


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("store") / "out"
    assert build(out, ROOT / "seeds") == 0
    return out


def run_query(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["query", *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str, message: str) -> None:
    assert err.startswith("renda-kg: error: ") and message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


# --- the build writes it ---------------------------------------------------------------

def test_the_store_is_a_default_format_between_nt_and_index():
    names = list(FORMATS)
    assert names.index("nt") < names.index("store") < names.index("index")
    assert FORMATS["store"].filename == STORE_NAME
    assert "store" in build_parser().parse_args(["build", "x"]).format


def test_build_writes_a_store_holding_the_triples_of_graph_nt(seed_build):
    store, info = open_store(seed_build / STORE_NAME)
    from_file = {q.triple for q in ox.parse(path=str(seed_build / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)}
    in_store = {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert len(from_file) > 1000 and in_store == from_file
    assert info.triples == len(from_file) == len((seed_build / "graph.nt").read_bytes().splitlines())
    assert not list(store.named_graphs()), "the default graph only"
    manifest = json.loads((seed_build / STORE_NAME / MANIFEST).read_text("utf-8"))
    assert manifest["version"] == 1 and manifest["pyoxigraph"] == ox.__version__
    assert not [p for p in seed_build.iterdir() if p.name.startswith(".")], "no temporary folder left"
    assert not list((seed_build / STORE_NAME).glob("LOG*")), "no RocksDB diagnostic log"


def test_a_store_of_an_older_builds_turtle(seed_build, tmp_path):
    store_from_file(seed_build / "graph.ttl", tmp_path / STORE_NAME)
    query = (QUERY_DIR / "articles_per_author.rq").read_text("utf-8")
    assert open_graph(tmp_path).query(query) == open_graph(seed_build / "graph.ttl").query(query)


# --- the same answers as graph.ttl -------------------------------------------------------

@pytest.fixture(scope="module")
def opened(seed_build) -> dict:
    """Each engine on the output directory and on graph.ttl."""
    return {(engine, source): open_graph(seed_build if source == "dir" else seed_build / "graph.ttl", engine)
            for engine in ENGINES for source in ("dir", "ttl")}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", QUERIES)
def test_every_example_query_on_the_directory_equals_graph_ttl(opened, engine, name):
    text = (QUERY_DIR / name).read_text("utf-8")
    on_dir, on_ttl = (opened[engine, source].query(text) for source in ("dir", "ttl"))
    assert on_dir == on_ttl and on_dir.term_rows, name
    for fmt in ("table", "csv", "json"):
        assert format_result(on_dir, fmt, query_prefixes(text)) == format_result(on_ttl, fmt, query_prefixes(text))
    for accept in ACCEPTS:
        assert serialize_result(on_dir, accept) == serialize_result(on_ttl, accept)


def test_the_store_counts_its_triples_from_the_manifest(opened, seed_build):
    assert len(opened["oxigraph", "dir"]) == len(opened["oxigraph", "ttl"]) == len(opened["rdflib", "dir"])


@pytest.mark.parametrize("engine", ENGINES)
def test_query_command_on_the_directory_prints_what_it_prints_for_graph_ttl(seed_build, capsys, engine):
    query = str(QUERY_DIR / "programmes_by_county_standing_committees.rq")
    for fmt in ("table", "json"):
        outputs = {run_query(capsys, str(graph), query, "--format", fmt, "--engine", engine)
                   for graph in (seed_build, seed_build / STORE_NAME, seed_build / "graph.ttl")}
        assert len(outputs) == 1
        code, out, err = outputs.pop()
        assert code == 0 and not err and out.count("一乡一品") >= 1


# --- never reparsed -----------------------------------------------------------------------

def test_query_on_a_store_reads_no_rdf_file(seed_build, tmp_path, capsys):
    """The RDF files are gone: only the store can answer."""
    copy = tmp_path / "out"
    shutil.copytree(seed_build, copy)
    query = str(QUERY_DIR / "articles_per_author.rq")
    expected = run_query(capsys, str(seed_build / "graph.ttl"), query)
    for name in ("graph.ttl", "graph.nt"):
        (copy / name).unlink()
    for engine in ENGINES:
        assert run_query(capsys, str(copy), query, "--engine", engine) == expected


def test_the_oxigraph_path_does_not_import_rdflib(seed_build):
    """SELECT and ASK results go from Oxigraph terms to text without rdflib, whose import
    alone costs more than opening the store and running a small query."""
    script = (
        "import sys\n"
        "from renda_kg.graph.query_pool import run_query\n"
        "from renda_kg.graph.query_limits import QueryLimits\n"
        f"text = open({str(QUERY_DIR / 'evidence_by_relation.rq')!r}, encoding='utf-8').read()\n"
        "limits = QueryLimits(timeout=0, max_memory_mb=0)\n"
        "out = [run_query(sys.argv[1], text, fmt=f, limits=limits) for f in ('table', 'csv', 'json')]\n"
        "assert all(o.count('\\n') > 3 for o in out), out\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rdflib'))\n")
    done = subprocess.run([sys.executable, "-c", script, str(seed_build)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- damaged, foreign or missing stores ------------------------------------------------------

def damage(store: Path, how: str) -> None:
    if how == "no manifest":
        (store / MANIFEST).unlink()
    elif how == "another version":
        manifest = json.loads((store / MANIFEST).read_text("utf-8"))
        (store / MANIFEST).write_text(json.dumps({**manifest, "version": 99}), "utf-8")
    elif how == "garbled manifest":
        (store / MANIFEST).write_bytes(b"\xff\x00{")
    elif how == "no CURRENT":
        (store / "CURRENT").unlink()
    elif how == "truncated table":
        table = max(store.glob("*.sst"), key=lambda p: p.stat().st_size)
        with open(table, "r+b") as fh:
            fh.truncate(100)
    elif how == "empty folder":
        for p in store.iterdir():
            p.unlink()


@pytest.mark.parametrize("how, message", [
    ("no manifest", "not a complete renda-kg query store"),
    ("another version", "query store version 99, this renda-kg reads version 1"),
    ("garbled manifest", f"unreadable {MANIFEST}"),
    ("no CURRENT", "cannot open the query store"),
    ("truncated table", "cannot open the query store"),
    ("empty folder", "no query store"),
])
@pytest.mark.parametrize("engine", ENGINES)
def test_a_damaged_store_is_one_line_and_exit_2(seed_build, tmp_path, capsys, how, message, engine):
    copy = tmp_path / "out"
    shutil.copytree(seed_build, copy)
    damage(copy / STORE_NAME, how)
    if how == "empty folder":
        (copy / STORE_NAME).rmdir()
    code, out, err = run_query(capsys, str(copy), "ASK {}", "--engine", engine)
    assert code == 2 and not out
    one_line(err, message)
    if how != "empty folder":
        assert "rebuild it with `renda-kg build`" in err


def test_a_damaged_store_as_a_real_process_and_for_serve(seed_build, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(seed_build, copy)
    damage(copy / STORE_NAME, "truncated table")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for args in (["query", str(copy), "ASK {}"], ["serve", str(copy), "--port", "0"]):
        done = subprocess.run([sys.executable, "-m", "renda_kg.cli", *args], capture_output=True, text=True,
                              env=env, timeout=120)
        assert done.returncode == 2 and done.stdout == "", args
        one_line(done.stderr, f"{copy / STORE_NAME}: cannot open the query store")


@pytest.mark.parametrize("path, message", [
    ("{tmp}", "no query store (graph.oxigraph/) in this directory"),
    ("{tmp}/missing", "no such graph file or directory"),
    ("{tmp}/missing/graph.oxigraph", "no such graph file or directory"),
    ("{tmp}/graph.json", "expected a .ttl or .nt file or the output directory"),
])
def test_paths_that_name_no_graph(tmp_path, capsys, path, message):
    code, out, err = run_query(capsys, path.format(tmp=tmp_path), "ASK {}")
    assert code == 2 and not out
    one_line(err, message)


def test_graph_source_tells_stores_from_files(seed_build):
    assert graph_source(seed_build) == graph_source(seed_build / STORE_NAME)
    assert graph_source(seed_build).is_store and graph_source(seed_build).path == seed_build / STORE_NAME
    assert not graph_source(seed_build / "graph.nt").is_store
    with pytest.raises(SparqlError, match="no such graph file"):
        graph_source(seed_build / "other.ttl")


# --- rebuilding in place ------------------------------------------------------------------------

def test_an_output_directory_with_a_store_is_rebuilt_in_place(tmp_path, capsys):
    out = tmp_path / "out"
    assert build(out, SEED) == 0
    first = json.loads((out / STORE_NAME / MANIFEST).read_text("utf-8"))
    old_tables = {p.name: p.stat().st_ino for p in (out / STORE_NAME).glob("*.sst")}
    (out / "README.md").write_text("mine", "utf-8")
    assert build(out, SEED, ROOT / "seeds" / "000_82718d54f40bf8d9.txt") == 0
    second = json.loads((out / STORE_NAME / MANIFEST).read_text("utf-8"))
    assert second["triples"] > first["triples"], "the new build's store, not the old one"
    assert {p.name: p.stat().st_ino for p in (out / STORE_NAME).glob("*.sst")} != old_tables
    assert (out / "README.md").read_text("utf-8") == "mine"
    assert len(open_graph(out)) == len((out / "graph.nt").read_bytes().splitlines())
    # a build without the store drops the old one rather than leave a stale store beside graph.ttl
    assert build(out, SEED, formats="ttl") == 0
    assert not (out / STORE_NAME).exists()
    capsys.readouterr()


def test_a_users_own_folder_is_still_refused(tmp_path, capsys):
    out = tmp_path / "out"
    (out / STORE_NAME).mkdir(parents=True)
    (out / "notes").mkdir()
    assert build(out, SEED) == 2
    one_line(capsys.readouterr().err, "holds folders (notes)")
    with pytest.raises(OutputDirError, match="holds folders"):
        StagedOutput(out, ["graph.ttl"])
    shutil.rmtree(out / "notes")
    StagedOutput(out, [STORE_NAME])                 # the build's own product folder is not refused


# --- serve ------------------------------------------------------------------------------------

def get(url: str, query: str) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


def test_serve_answers_from_a_snapshot_of_the_store(seed_build, tmp_path):
    """A worker started after the output directory was rebuilt (or removed) still serves
    the graph the server started with."""
    copy = tmp_path / "out"
    shutil.copytree(seed_build, copy)
    query = (QUERY_DIR / "liaison_stations_per_province.rq").read_text("utf-8")
    with SparqlServer(seed_build / "graph.ttl", port=0, log_level="warning", workers=1) as from_ttl:
        expected = get(from_ttl.url, query)
    with SparqlServer(copy, port=0, log_level="warning", workers=1) as server:
        assert server.triples == json.loads((copy / STORE_NAME / MANIFEST).read_text("utf-8"))["triples"]
        assert get(server.url, query) == expected and b"bindings" in expected[1]
        shutil.rmtree(copy)
        (pid,) = server.pool.pids
        os.kill(pid, 9)
        deadline = time.monotonic() + 30
        while pid in server.pool.pids and time.monotonic() < deadline:      # until the pool sees it gone
            time.sleep(0.05)
        assert get(server.url, query) == expected
        assert server.pool.pids != [pid]
