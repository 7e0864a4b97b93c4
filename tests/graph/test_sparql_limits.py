"""Bounded SPARQL (issue 10, "Reliability"): a runaway query is stopped — CPU and memory
released — with a one-line error, on `renda-kg query` and on `renda-kg serve`, while the
endpoint keeps answering other clients; SIGTERM and SIGINT stop the server at once;
results over the row cap are refused; FROM means the same on both engines.

Timings are never asserted tightly: the limits in these tests are 1–3 s and the margins
several times that, for a loaded 2-core machine."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from renda_kg.cli import main
from renda_kg.graph.export.query_store import STORE_NAME, store_from_file
from renda_kg.graph.query_limits import QueryLimits
from renda_kg.graph.sparql import ENGINES, SparqlError, open_graph
from renda_kg.graph.sparql_server import SparqlServer

linux_only = pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc (Linux)")

PREFIXES = """PREFIX renda: <https://renda-kg.example/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
STATIONS = PREFIXES + "SELECT ?name WHERE { ?s a renda:LiaisonStation ; skos:prefLabel ?name } ORDER BY ?name"
NAMES = ["向阳社区人大代表联络站", "地方镇人大代表联络站", "钧瓷产业代表联络站"]
STATION_TRIPLES = PREFIXES + "CONSTRUCT { ?s a renda:LiaisonStation } WHERE { ?s a renda:LiaisonStation }"
#: Never finishes on any graph of a few dozen triples: 60^6 joins, and nothing to stream.
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n1 ?o . ?p ?q ?r }")
#: The issue's reproducer: 60^3 = 216,000 rows.
REPRODUCER = "SELECT * WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"
#: ORDER BY must hold every one of 60^4 rows before the first: memory grows until stopped.
MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c ?f ?i ?l"


#: The clients must reach 127.0.0.1 directly even where a proxy is configured.
pytestmark = pytest.mark.usefixtures("no_proxy_for_loopback")


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    """60 triples: three stations with labels and 54 numbered filler triples."""
    lines = ["@prefix renda: <https://renda-kg.example/ontology#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for i, name in enumerate(NAMES):
        lines.append(f'<urn:station:{i}> a renda:LiaisonStation ; skos:prefLabel "{name}"@zh .')
    lines += [f"<urn:filler:{i}> <urn:p:{i % 7}> {i} ." for i in range(54)]
    path = tmp_path_factory.mktemp("limits") / "graph.ttl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert len(open_graph(path)) == 60
    return path


@pytest.fixture(scope="module")
def graphs(graph_file, tmp_path_factory) -> dict[str, Path]:
    """The same 60 triples as a .ttl file and as the output directory of a build (its store)."""
    out = tmp_path_factory.mktemp("limits-store")
    store_from_file(graph_file, out / STORE_NAME)
    assert len(open_graph(out)) == 60
    return {"file": graph_file, "store": out}


SOURCES = pytest.mark.parametrize("source", ["file", "store"])


def worker_children(pid: int | None = None) -> list[int]:
    """Query worker processes whose parent is `pid` (default: this process): started as
    `python -m renda_kg.graph.query_worker`, or forked and named renda-kg-query."""
    pid = os.getpid() if pid is None else pid
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        named = b"renda_kg.graph.query_worker" in cmdline or "(renda-kg-query)" in stat
        if ppid == pid and named and stat.rsplit(")", 1)[1].split()[0] != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["query", *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, message: str) -> None:
    assert err.startswith("renda-kg: error: ") and message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


# --- renda-kg query ------------------------------------------------------------------

@linux_only
@SOURCES
@pytest.mark.parametrize("engine", ENGINES)
def test_query_command_stops_a_runaway_query_after_the_timeout(graphs, capsys, engine, source):
    started = time.monotonic()
    code, out, err = run_cli(capsys, str(graphs[source]), RUNAWAY, "--timeout", "1", "--engine", engine)
    assert code == 1 and not out
    one_line_error(err, "query stopped after 1 s (--timeout)")
    assert time.monotonic() - started < 30
    assert worker_children() == [], "the worker was killed and reaped"


def test_query_command_as_a_real_process(graph_file):
    """The exact bytes a user sees: one line on stderr, nothing on stdout, exit 1."""
    done = subprocess.run([sys.executable, "-m", "renda_kg.cli", "query", str(graph_file), RUNAWAY,
                           "--timeout", "1"], capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode("utf-8") == "renda-kg: error: query stopped after 1 s (--timeout)\n"


@linux_only
@SOURCES
def test_query_command_worker_is_forked_and_dies_with_the_command(graphs, source):
    """`renda-kg query` forks its worker (no second Python start-up); killing the command
    outright (SIGKILL: no clean-up runs) still ends the worker and its query."""
    process = subprocess.Popen([sys.executable, "-m", "renda_kg.cli", "query", str(graphs[source]), RUNAWAY,
                                "--timeout", "120"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not worker_children(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        (worker,) = worker_children(process.pid)
        cmdline = Path(f"/proc/{worker}/cmdline").read_bytes()
        assert b"renda_kg.graph.query_worker" not in cmdline, "a fork, not a fresh interpreter"
        process.kill()
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(worker), "the worker died with the command"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_issue_reproducer_is_refused_by_the_row_cap(graph_file, capsys):
    code, out, err = run_cli(capsys, str(graph_file), REPRODUCER)
    assert code == 1 and not out
    one_line_error(err, "result too large: more than 100000 rows (--max-rows)")


@SOURCES
@pytest.mark.parametrize("engine", ENGINES)
def test_query_command_row_cap(graphs, capsys, engine, source):
    graph_file = graphs[source]
    code, out, err = run_cli(capsys, str(graph_file), STATIONS, "--max-rows", "2", "--engine", engine)
    assert code == 1 and not out
    one_line_error(err, "result too large: more than 2 rows (--max-rows)")
    code, out, _ = run_cli(capsys, str(graph_file), STATION_TRIPLES, "--max-rows", "2", "--engine", engine)
    assert code == 1 and not out
    code, out, _ = run_cli(capsys, str(graph_file), STATIONS, "--max-rows", "3", "--engine", engine)
    assert code == 0 and out.splitlines()[-1] == "(3 rows)"
    # no limits at all: the query runs in-process, the cap still holds
    code, _, err = run_cli(capsys, str(graph_file), STATIONS, "--max-rows", "2", "--timeout", "0",
                           "--max-memory", "0", "--engine", engine)
    assert code == 1 and "more than 2 rows" in err


@linux_only
@SOURCES
@pytest.mark.parametrize("engine", ENGINES)
def test_query_command_memory_guard(graphs, capsys, engine, source):
    code, out, err = run_cli(capsys, str(graphs[source]), MEMORY_HOG, "--max-memory", "64", "--max-rows", "0",
                             "--timeout", "60", "--engine", engine)
    assert code == 1 and not out
    one_line_error(err, "query stopped: it needed more than 64 MB of memory (--max-memory)")


@pytest.mark.parametrize("flag, value", [("--timeout", "-1"), ("--max-rows", "many"), ("--max-memory", "-5")])
def test_limit_flags_are_checked(graph_file, capsys, flag, value):
    with pytest.raises(SystemExit) as exited:
        main(["query", str(graph_file), "ASK {}", flag, value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert flag in err and len(err.strip().splitlines()) == 1


# --- renda-kg serve ------------------------------------------------------------------

def get(url: str, query: str, accept: str = "application/sparql-results+json",
        timeout: float = 60) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@linux_only
def test_endpoint_stops_a_runaway_query_and_keeps_answering_others(graph_file):
    with SparqlServer(graph_file, port=0, log_level="warning", limits=QueryLimits(timeout=3),
                      workers=2) as server:
        workers_before = set(server.pool.pids)
        runaway: dict = {}

        def slow_client():
            runaway["answer"] = get(server.url, RUNAWAY)
            runaway["at"] = time.monotonic()

        thread = threading.Thread(target=slow_client)
        thread.start()
        time.sleep(0.3)
        answers = []
        for _ in range(5):                       # answered by the other worker meanwhile
            answers.append(get(server.url, STATIONS))
        simple_done = time.monotonic()
        thread.join(60)
        assert runaway["answer"] == (503, b"query stopped after 3 s (--timeout)\n")
        assert all(status == 200 and "向阳社区" in body.decode() for status, body in answers)
        assert simple_done < runaway["at"], "the simple queries did not wait for the runaway one"
        # the killed worker is gone and a fresh one serves again
        deadline = time.monotonic() + 30
        while len(server.pool.pids) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        pids = set(server.pool.pids)
        assert len(pids) == 2 and pids != workers_before
        assert all(alive(pid) for pid in pids) and not any(alive(p) for p in workers_before - pids)
        assert get(server.url, STATIONS)[0] == 200


@linux_only
def test_a_client_that_disconnects_has_its_query_killed(graph_file):
    """One worker, a 60 s limit: the next query is answered long before 60 s only if the
    abandoned runaway query was killed when its client went away."""
    with SparqlServer(graph_file, port=0, log_level="warning", limits=QueryLimits(timeout=60),
                      workers=1) as server:
        host, port = re.match(r"http://([^:/]+):(\d+)", server.url).groups()
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            target = f"/sparql?{urllib.parse.urlencode({'query': RUNAWAY})}"
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            time.sleep(1)
        started = time.monotonic()
        assert get(server.url, STATIONS)[0] == 200
        assert time.monotonic() - started < 30
        assert server.pool.stopped == 1


def test_endpoint_row_cap(graph_file):
    with SparqlServer(graph_file, port=0, log_level="warning", limits=QueryLimits(max_rows=2),
                      workers=1) as server:
        status, body = get(server.url, STATIONS)
        assert status == 422 and body.decode().startswith("result too large: more than 2 rows (--max-rows)")
        assert get(server.url, STATION_TRIPLES, accept="text/turtle")[0] == 422
        status, body = get(server.url, STATIONS + " LIMIT 2")
        assert status == 200 and body.count(b'"xml:lang"') == 2


@linux_only
def test_an_idle_worker_killed_from_outside_is_replaced(graph_file):
    with SparqlServer(graph_file, port=0, log_level="warning", workers=1) as server:
        (pid,) = server.pool.pids
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        assert get(server.url, STATIONS)[0] == 200
        assert server.pool.pids != [pid]


def start_serve(graph_file: Path, *args: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_PROXY": "127.0.0.1"}
    process = subprocess.Popen([sys.executable, "-m", "renda_kg.cli", "serve", str(graph_file),
                                "--port", "0", *args], stderr=subprocess.PIPE, text=True, env=env)
    line = process.stderr.readline()
    assert "serving" in line, line
    return process, line.split(" at ", 1)[1].split()[0]


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_at_once_on_a_signal_while_a_runaway_query_runs(graph_file, signum):
    process, url = start_serve(graph_file, "--timeout", "120")
    try:
        assert get(url, STATIONS)[0] == 200
        workers = worker_children(process.pid)
        assert len(workers) == 2
        runaway: dict = {}

        def slow_client():
            try:
                runaway["answer"] = get(url, RUNAWAY, timeout=120)
            except OSError as err:                 # the connection may also just close
                runaway["answer"] = err

        thread = threading.Thread(target=slow_client, daemon=True)
        thread.start()
        time.sleep(1.5)                            # the query is running in a worker
        assert process.poll() is None
        sent = time.monotonic()
        process.send_signal(signum)
        process.wait(timeout=30)
        stopped_after = time.monotonic() - sent
        assert stopped_after < 5, f"serve took {stopped_after:.1f} s to stop (about 0.2 s expected)"
        assert process.returncode == 0
        assert not any(alive(pid) for pid in workers), "the query workers died with the server"
        thread.join(30)
        assert runaway["answer"] == (503, b"server is shutting down\n") or isinstance(runaway["answer"], OSError)
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


@linux_only
def test_large_queries_are_not_kept_by_the_server(graph_file):
    """The issue: RSS 92 → 451 MB after six ~1 MB queries (rdflib-endpoint cached them)."""
    process, url = start_serve(graph_file)
    try:
        assert get(url, STATIONS)[0] == 200
        before = rss_mb(process.pid)
        for i in range(6):
            filler = f"{i}" + "x" * 900_000
            query = f'ASK {{ FILTER("{filler}" != "") }}'
            request = urllib.request.Request(url, data=query.encode(),
                                             headers={"Content-Type": "application/sparql-query",
                                                      "Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200
        grown = rss_mb(process.pid) - before
        assert grown < 60, f"the server grew by {grown:.0f} MB"
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


# --- the dataset: FROM and GRAPH mean the same on both engines ------------------------

@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("query", [
    "SELECT * FROM <http://example.org/other> WHERE { ?s ?p ?o }",
    "select * from<http://example.org/other> where { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/other> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ?p ?o } FROM ex:other WHERE { ?s ?p ?o }",
    "ASK FROM <http://example.org/other> { ?s ?p ?o }",
])
@SOURCES
def test_from_is_refused_by_both_engines(graphs, engine, query, source):
    with pytest.raises(SparqlError, match="FROM and FROM NAMED are not supported"):
        open_graph(graphs[source], engine).query(query)


@SOURCES
@pytest.mark.parametrize("engine", ENGINES)
def test_words_that_only_look_like_from_are_not_refused(graphs, engine, source):
    graph = open_graph(graphs[source], engine)
    for query in ["SELECT ?from WHERE { ?from a ?type } LIMIT 1",
                  "PREFIX from: <urn:x:> ASK { ?s from:p ?o }",
                  "PREFIX ex: <urn:x:> ASK { ?s ex:FROM ?o }",
                  'ASK { ?s ?p "FROM <http://example.org/other>" }',
                  "ASK { ?s <http://example.org/FROM> ?o }",
                  "ASK { ?s ?p ?o } # FROM <http://example.org/other>"]:
        graph.query(query)


@SOURCES
@pytest.mark.parametrize("engine", ENGINES)
def test_graph_patterns_match_nothing_on_both_engines(graphs, engine, source):
    """The file is the default graph; there are no named graphs (rdflib used to fail)."""
    graph = open_graph(graphs[source], engine)
    assert graph.query("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }").rows == ()
    assert graph.query("SELECT ?s WHERE { GRAPH <urn:g> { ?s ?p ?o } }").rows == ()
    assert graph.query("ASK { GRAPH ?g { ?s ?p ?o } }").boolean is False
    assert len(graph.query(STATIONS).rows) == 3


@SOURCES
@pytest.mark.parametrize("engine", ENGINES)
def test_query_command_refuses_from(graphs, capsys, engine, source):
    code, out, err = run_cli(capsys, str(graphs[source]), "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
                             "--engine", engine)
    assert code == 2 and not out
    one_line_error(err, "FROM and FROM NAMED are not supported")


@SOURCES
@pytest.mark.parametrize("engine", ENGINES)
def test_endpoint_refuses_from_and_dataset_parameters(graphs, engine, source):
    with SparqlServer(graphs[source], port=0, log_level="warning", engine=engine, workers=1) as server:
        status, body = get(server.url, "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
        assert status == 400 and b"FROM and FROM NAMED are not supported" in body
        params = urllib.parse.urlencode({"query": STATIONS, "default-graph-uri": "http://example.org/g"})
        try:
            urllib.request.urlopen(f"{server.url}?{params}", timeout=30)
            raise AssertionError("default-graph-uri was accepted")
        except urllib.error.HTTPError as err:
            assert err.code == 400 and b"default-graph-uri" in err.read()
        status, body = get(server.url, STATIONS)
        assert status == 200 and all(name in body.decode() for name in NAMES)
