"""The real clients that the export tests open files with: graphology's GEXF and
GraphML parsers under Node.js, and headless Chromium driven by playwright-core.

A missing client skips the test with the reason; with RENDA_REQUIRE_CLIENTS=1 (set
by .ci/run, which installs them) it fails instead, so CI never passes by skipping.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
JS = Path(__file__).parent / "js"


def require(available: bool, reason: str) -> None:
    if available:
        return
    if os.environ.get("RENDA_REQUIRE_CLIENTS") == "1":
        pytest.fail(f"{reason} (RENDA_REQUIRE_CLIENTS=1 requires every client)")
    pytest.skip(reason)


def run_node(script: str, *args: str, timeout: float = 300) -> dict:
    """Run tests/graph/js/<script> and return the JSON object it prints."""
    require(shutil.which("node") is not None, "Node.js is not installed")
    require((ROOT / "node_modules").is_dir(), "node_modules is missing: run `npm ci` in the repository root")
    proc = subprocess.run(["node", str(JS / script), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, f"{script} failed:\n{proc.stderr}"
    return json.loads(proc.stdout)


def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require(Path(path).is_file(), "Chromium is not installed (Debian package `chromium`)")
    return path


def trap_graph() -> nx.MultiDiGraph:
    """Every attribute networkx's GEXF and GraphML writers choke on or swallow: None,
    lists (of scalars and of records), a dict, one column holding an int on one node
    and a str on another, names the GEXF writer takes as XML fields (id, label,
    start, end, viz, weight, type), a node with nothing at all, parallel edges."""
    g = nx.MultiDiGraph(name="traps")
    g.add_node("a", type="Place", name="甲市", level=None, aliases=["甲", "A"], id="custom-id",
               label="own label", start=1, end="later", score=1,
               evidence=[{"sentence": "甲市在这里。", "file": "x.txt", "start": 0, "end": 2}],
               viz={"position": {"x": 1.0, "y": 2.0}}, extra={"k": [1, 2]})
    g.add_node("b", type="Person", name="乙", score="high", aliases=[], evidence=[])
    g.add_node(3)
    g.add_edge("a", "b", key="memberOf", relation="memberOf", role=None, weight=[1, 2],
               type="odd", id=7, evidence=[{"sentence": "s"}])
    g.add_edge("a", "b", key="about", relation="about", evidence=[])
    g.add_edge("b", 3, relation="locatedIn", label="edge label", start=0)
    return g
