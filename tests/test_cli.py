"""The `renda-kg` command as a user runs it: real seed pages, bad files, exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from renda_kg.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "renda_kg.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_build_seeds_writes_articles_jsonl(tmp_path, seed_paths):
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds"), "-o", str(out), "--quiet"]) == 0
    records = read_jsonl(out / "articles.jsonl")
    assert [r["doc"] for r in records] == [p.stem for p in seed_paths]
    assert [len(r["articles"]) for r in records] == [5, 5, 5, 5, 5]
    first = records[0]["articles"][0]
    assert first["name"] == "组建产业代表小组助力高质量发展"
    assert first["authors"] == [{"name": "徐希友", "province": "山东"}]
    raw = seed_paths[0].read_text("utf-8")
    s = first["sentences"][1]
    assert raw[s["start"]:s["end"]].startswith("习近平总书记强调")
    assert not list(out.glob(".*.tmp")), "no temporary files left behind"


def test_build_is_deterministic(tmp_path):
    for name in ("a", "b"):
        assert main(["build", str(ROOT / "seeds"), "-o", str(tmp_path / name), "-q"]) == 0
    assert (tmp_path / "a/articles.jsonl").read_bytes() == (tmp_path / "b/articles.jsonl").read_bytes()


def test_bad_file_is_reported_and_others_still_written(tmp_path, seed_paths):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "page.txt").write_bytes(seed_paths[0].read_bytes())
    (corpus / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (corpus / "empty.txt").write_bytes(b"")
    result = run("build", str(corpus), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    errors = [l for l in result.stderr.splitlines() if l.startswith("renda-kg: skipped")]
    assert len(errors) == 2 and any("scan.txt" in l and "binary" in l for l in errors)
    assert "Traceback" not in result.stderr
    records = read_jsonl(tmp_path / "out" / "articles.jsonl")
    assert [r["doc"] for r in records] == ["page"] and len(records[0]["articles"]) == 5
    assert "2 input(s) skipped" in result.stderr


def test_gb18030_copy_segments_like_the_original(tmp_path, seed_paths):
    original = seed_paths[0]
    copy = tmp_path / original.name
    copy.write_bytes(original.read_text("utf-8").encode("gb18030"))
    a = run("segment", "--json", str(original))
    b = run("segment", "--json", str(copy))
    ra, rb = json.loads(a.stdout), json.loads(b.stdout)
    assert rb["encoding"] == "gb18030"
    assert ra["articles"] == rb["articles"]


def test_segment_text_output():
    result = run("segment", str(ROOT / "seeds" / "004_e0eeec07091cc154.txt"))
    assert result.returncode == 0
    assert "5 article(s)" in result.stdout
    assert "body: 武宣县人大常委会" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["build", "no/such/dir"], "no such file"),
    (["build", "seeds", "--format", "pdf"], "unknown format"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors_exit_2_with_one_line(args, message):
    result = run(*args, cwd=ROOT)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_every_subcommand_has_help():
    for cmd in ("build", "segment"):
        result = run(cmd, "--help")
        assert result.returncode == 0 and "--quiet" in result.stdout


def test_jobs_give_byte_identical_output(tmp_path):
    """Worker processes return results in input order: the file is the same."""
    pages = [str(p) for p in sorted((ROOT / "seeds").glob("*.txt"))[:2]]
    assert main(["extract", *pages, "-q", "-j", "1", "-o", str(tmp_path / "one.jsonl")]) == 0
    assert main(["extract", *pages, "-q", "-j", "2", "-o", str(tmp_path / "two.jsonl")]) == 0
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_negative_jobs_is_a_usage_error(capsys):
    assert main(["extract", str(ROOT / "seeds"), "-q", "-j", "-1"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_build_summary_counts_the_seven_and_the_mentions_apart(tmp_path, capsys):
    """graph.json holds an Article's mentions; the summary's edges are the seven and
    the per-document entities.jsonl (the scored contract) has no mention in it."""
    import re
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "seeds"), "-o", str(out), "-q", "--format", "jsonl,json"]) == 0
    summary = capsys.readouterr().err
    m = re.search(r"(\d+) relations.*; graph (\d+) nodes, (\d+) edges, (\d+) mentions → ", summary)
    assert m, summary
    extracted, nodes, edges, mentions = map(int, m.groups())
    graph = json.loads((out / "graph.json").read_text("utf-8"))
    keys = [e["key"] for e in graph["edges"]]
    assert (nodes, edges, mentions) == (len(graph["nodes"]), len(keys) - keys.count("mentions"),
                                        keys.count("mentions"))
    assert mentions > edges > 0
    relations = [r["relation"] for record in read_jsonl(out / "entities.jsonl") for r in record["relations"]]
    assert len(relations) == extracted and "mentions" not in relations
    # README quotes this build's figures: they must be this build's.
    import networkx as nx
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f'("graph {nodes} nodes, {edges} edges, {mentions} mentions" on `seeds/`' in readme
    whole = nx.node_link_graph(graph, directed=True, multigraph=True, edges="edges")
    seven = whole.edge_subgraph([(u, v, k) for u, v, k in whole.edges(keys=True) if k != "mentions"])
    seven = nx.compose(nx.MultiDiGraph(nx.create_empty_copy(whole)), seven)
    pieces = (nx.number_weakly_connected_components(whole), nx.number_weakly_connected_components(seven))
    assert "the seed graph is %d connected pieces instead of %d" % pieces in " ".join(readme.split())
