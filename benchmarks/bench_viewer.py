"""The viewer at 500, 5,000 and 20,000 nodes: page build time, first draw and click → panel.

    .venv/bin/python benchmarks/bench_viewer.py [--sizes 500,5000,20000] [--docs 5000]
        [--runs 3] [--work DIR] [--json FILE]

The graphs are real builds, not random ones: `scale_corpus.py` writes ``--docs``
generated articles, `renda-kg build --extractors rules` builds them once, and the
graph of each size is that of the first k documents (every node and edge whose
evidence starts in them, evidence trimmed to them), k the smallest that gives the
size. The communities and layout are timed first (`presented`, on the frozen graph, as
in a build), then the page is written by `write_html` (timed), and opened ``--runs`` times in a fresh headless Chromium by
`tests/graph/js/open_viewer.mjs`, which reports

- **first draw**: from `page.goto` to the first animation frame after the page has
  built its graph and drawn it (the page marks it ``data-viewer="ready"``);
- **click → panel**: a real mouse click (playwright's mouse, through Chromium's input
  pipeline) on the biggest node that nothing covers: from the click event's time
  stamp (when the browser received the input) to the animation frame that paints the
  panel and the highlight, measured in the page;
- **driver round trip**: the same click timed from the test driver, until it has
  seen the panel and waited two more frames: an upper bound that adds the DevTools
  protocol's round trips and the polling.

Targets (issue 14): first draw ≤ 3 s at 5,000 nodes and ≤ 10 s at 20,000; a click
opens the panel in < 200 ms at 20,000 nodes.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale_corpus import write_corpus  # noqa: E402

from renda_kg.graph.export.html import write_html  # noqa: E402
from renda_kg.graph.export.presentation import presented  # noqa: E402
from renda_kg.graph.stats import load_graph  # noqa: E402

OPEN_VIEWER = ROOT / "tests" / "graph" / "js" / "open_viewer.mjs"
TARGETS = {5000: ("first draw", 3000), 20000: ("first draw", 10000)}
CLICK_TARGET_MS = 200


def prefix_graph(graph: nx.MultiDiGraph, size: int) -> tuple[nx.MultiDiGraph, int]:
    """The graph of the first k documents (by doc id, the corpus's order), k the
    smallest that gives at least ``size`` nodes; and k."""
    docs = sorted({ev["doc"] for _, d in graph.nodes(data=True) for ev in d.get("evidence", [])})
    rank = {doc: i for i, doc in enumerate(docs)}

    def first(data) -> float:
        return min((rank[ev["doc"]] for ev in data.get("evidence", [])), default=float("inf"))

    firsts = sorted(first(d) for _, d in graph.nodes(data=True))
    k = int(firsts[min(size, len(firsts)) - 1]) + 1
    out = nx.MultiDiGraph(name=graph.graph.get("name", "renda-kg"))
    for node, data in graph.nodes(data=True):
        if first(data) < k:
            out.add_node(node, **{**data, "evidence": [ev for ev in data.get("evidence", []) if rank[ev["doc"]] < k]})
    for u, v, key, data in graph.edges(keys=True, data=True):
        if u in out and v in out and first(data) < k:
            out.add_edge(u, v, key=key, **{**data, "evidence": [ev for ev in data["evidence"] if rank[ev["doc"]] < k]})
    return out, k


def open_page(html: Path, timeout_ms: int) -> dict:
    """One fresh browser: first draw, a screenshot of the overview beside the page, one click."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    plan = {"html": str(html), "chromium": chromium, "click": True, "timeoutMs": timeout_ms,
            "screenshot": str(html.with_suffix(".png")), "panelScreenshot": str(html.with_suffix(".panel.png"))}
    proc = subprocess.run(["node", str(OPEN_VIEWER), json.dumps(plan)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout_ms / 1000 + 120)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-400:]}
    r = json.loads(proc.stdout)
    return {k: r.get(k) for k in ("readyMs", "firstDrawMs", "clickToPanelMs", "shownNodes", "shownEdges",
                                   "labelOverlapsAtFit", "blockedRequests", "consoleErrors")} | {
        "selectMs": r.get("panel", {}).get("selectMs"), "labelsAtFit": len(r.get("labelsAtFit", []))}


def measure_size(graph: nx.MultiDiGraph, size: int, work: Path, runs: int, timeout_ms: int) -> dict:
    sub, docs = prefix_graph(graph, size)
    html = work / f"graph-{size}.html"
    nx.freeze(sub)                      # as a build does: the layout is then computed once
    started = time.perf_counter()
    presented(sub)
    layout_s = time.perf_counter() - started
    started = time.perf_counter()
    write_html(sub, html)
    write_s = time.perf_counter() - started
    res = {"target_nodes": size, "docs": docs, "nodes": sub.number_of_nodes(), "edges": sub.number_of_edges(),
           "mentions": sum(d.get("relation") == "mentions" for *_, d in sub.edges(data=True)),
           "html_bytes": html.stat().st_size, "layout_s": round(layout_s, 2), "write_html_s": round(write_s, 2),
           "runs": []}
    for _ in range(runs):
        res["runs"].append(open_page(html, timeout_ms))
    for key in ("readyMs", "firstDrawMs", "clickToPanelMs", "selectMs"):
        values = [r[key] for r in res["runs"] if r.get(key) is not None]
        if values:
            res[f"median_{key}"] = round(statistics.median(values), 1)
            res[f"max_{key}"] = round(max(values), 1)
    return res


def report(res: dict) -> str:
    lines = [f"viewer benchmark (commit {res['commit']}, {res['cpus']} CPUs; corpus {res['docs']} generated documents, "
             f"graph {res['graph_nodes']:,} nodes; {res['runs']} fresh browsers per size)", "",
             "| nodes | edges (mentions) | docs | page MiB | communities + layout s | write_html s "
             "| first draw ms (median / max) "
             "| click → panel ms (median / max) | driver round trip ms (median) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in res["sizes"]:
        lines.append(f"| {s['nodes']:,} | {s['edges']:,} ({s['mentions']:,}) | {s['docs']:,} | "
                     f"{s['html_bytes'] / 2 ** 20:.1f} | {s['layout_s']} | {s['write_html_s']} | "
                     f"{s.get('median_readyMs', '–')} / {s.get('max_readyMs', '–')} | "
                     f"{s.get('median_selectMs', '–')} / {s.get('max_selectMs', '–')} | "
                     f"{s.get('median_clickToPanelMs', '–')} |")
    lines.append("")
    for s in res["sizes"]:
        errors = [r["error"] for r in s["runs"] if "error" in r]
        if errors:
            lines.append(f"{s['nodes']} nodes: {len(errors)} run(s) failed: {errors[0]}")
        for target, (what, limit) in TARGETS.items():
            if s["target_nodes"] == target and "median_readyMs" in s:
                ok = s["median_readyMs"] <= limit
                lines.append(f"target {what} ≤ {limit / 1000:g} s at {target:,} nodes: "
                             f"{s['median_readyMs'] / 1000:.2f} s — {'met' if ok else 'MISSED'}")
        if s["target_nodes"] == max(t["target_nodes"] for t in res["sizes"]) and "max_selectMs" in s:
            ok = s["max_selectMs"] < CLICK_TARGET_MS
            lines.append(f"target click → panel < {CLICK_TARGET_MS} ms at {s['nodes']:,} nodes: "
                         f"{s['max_selectMs']:.0f} ms (slowest run) — {'met' if ok else 'MISSED'}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,5000,20000", help="node counts (default 500,5000,20000)")
    ap.add_argument("--docs", type=int, default=5000, help="generated documents to build (default 5000)")
    ap.add_argument("--runs", type=int, default=3, help="fresh browsers per size (default 3)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/renda-bench-viewer"), help="work folder (reused)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds a page may take to draw (default 300)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    try:
        sizes = sorted(int(s) for s in args.sizes.split(","))
    except ValueError:
        ap.error(f"--sizes takes comma-separated numbers; got {args.sizes!r}")
    if not shutil.which("node") or not (ROOT / "node_modules" / "playwright-core").is_dir():
        print("bench_viewer: needs node and node_modules/playwright-core (npm ci)", file=sys.stderr)
        return 2
    corpus, build = args.work / f"corpus-{args.docs}", args.work / f"build-{args.docs}"
    if len(list(corpus.glob("*.txt"))) != args.docs:
        print(f"bench_viewer: writing {args.docs} documents to {corpus}", file=sys.stderr)
        write_corpus(corpus, args.docs)
    if not (build / "graph.json").is_file():
        print(f"bench_viewer: building {corpus} (rules)", file=sys.stderr)
        subprocess.run([str(Path(sys.executable).with_name("renda-kg")), "build", str(corpus), "-o", str(build),
                        "--extractors", "rules", "-q", "--no-cache"], check=True)
    graph = load_graph(build / "graph.json")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    res = {"commit": commit, "cpus": os.cpu_count(), "docs": args.docs, "graph_nodes": graph.number_of_nodes(),
           "runs": args.runs, "sizes": []}
    for size in sizes:
        print(f"bench_viewer: {size} nodes", file=sys.stderr)
        res["sizes"].append(measure_size(graph, size, args.work, args.runs, int(args.timeout * 1000)))
    print(report(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
