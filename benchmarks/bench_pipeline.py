"""Speed and memory of each pipeline stage on a replicated seed corpus, next to jieba.

    .venv/bin/python benchmarks/bench_pipeline.py [--copies 20] [--runs 3]

The five seed pages are written COPIES times into a temporary directory (same
text, distinct file names) and every stage runs over the whole corpus: reading +
normalising + segmenting, entity extraction (the spaCy Doc and the pipeline's
entity components), relations (with the statistics attached as observations),
graph assembly, each output writer, and `renda-kg
build` end to end as a subprocess. jieba — the generic Chinese NLP baseline every user already has — is
measured in the same run over the same decoded texts: `jieba.lcut` and
`jieba.posseg.cut` in process, and a `python -c "import jieba ..."` script as a
subprocess next to the build.

Figures, not assertions: the machine is shared and noisy, so each figure is the
median of RUNS runs after a warm-up over the five seeds, on one pinned core.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, Sequence

if TYPE_CHECKING:       # the stages import renda_kg lazily: see measure_commands
    from spacy.tokens import Doc

    from renda_kg.extractors.records import DocumentResult, SegmentedDocument, SourceDocument

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

#: The jieba baseline as a whole process: dictionary load plus lcut over every file.
JIEBA_SCRIPT = ("import sys, jieba; from pathlib import Path; "
                "[jieba.lcut(p.read_text('utf-8')) for p in sorted(Path(sys.argv[1]).glob('*.txt'))]")


def pin_to_one_core() -> int:
    """Pin this process (and so every subprocess it starts) to one CPU.

    The figures are per core; pinning stops a stage from borrowing the second
    core (onnxruntime, the OS) and makes runs comparable. Returns the CPU taken.
    """
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def forget_text_caches() -> None:
    """Empty the memo caches keyed on input text, as if the next document were new.

    The extractors memoise jieba tokens per sentence, local place automata per
    set of anchors and OpenCC conversions per string. Within one document that is
    the point; across a replicated corpus (or repeated runs over the same pages)
    every copy would be served from the cache and look faster than new text is.
    Model and dictionary loaders are left alone: a real corpus pays those once.
    """
    from renda_kg.extractors import entity_extractor, place_gazetteer
    from renda_kg.extractors.rules import text_helpers
    text_helpers.tokens.cache_clear()
    place_gazetteer._local_automaton.cache_clear()
    entity_extractor._simplified.cache_clear()


@dataclass(frozen=True)
class Timing:
    """Wall and CPU seconds of one figure.

    Wall time is the figure quoted; CPU time beside it shows when the pinned core
    was shared with other work (wall well above CPU), which wall time alone hides.
    """
    wall: float
    cpu: float


def median_timing(fn: Callable[[], object], runs: int) -> Timing:
    """Median wall and CPU time of `runs` calls: the median shrugs off one noisy run."""
    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return Timing(statistics.median(walls), statistics.median(cpus))


def peak_heap(fn: Callable[[], object]) -> int:
    """Peak bytes of Python objects allocated while `fn` runs, its result included.

    A separate untimed pass, because tracing slows Python code two- to threefold.
    Native allocations (onnxruntime, pyahocorasick) are not seen; the subprocess
    rows' peak RSS covers those.
    """
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run_command(argv: Sequence[str]) -> tuple[Timing, int]:
    """Wall and CPU seconds and peak RSS in bytes of one subprocess.

    `os.wait4` returns the `resource.struct_rusage` of exactly that child;
    `resource.getrusage(RUSAGE_CHILDREN)` would report the largest child so far,
    so the jieba script's figure could hide behind the build's.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{err.decode(errors='replace')}")
    return Timing(wall, usage.ru_utime + usage.ru_stime), usage.ru_maxrss * 1024   # Linux: KiB


def median_command(argv: Sequence[str], runs: int) -> tuple[Timing, int]:
    """Median wall and CPU seconds and median peak RSS of `runs` runs of a command."""
    results = [run_command(argv) for _ in range(runs)]
    walls, cpus, rss = zip(*((t.wall, t.cpu, peak) for t, peak in results))
    return Timing(statistics.median(walls), statistics.median(cpus)), int(statistics.median(rss))


def build_argv(corpus: Path, out: Path) -> list[str]:
    """`renda-kg build` with this interpreter (what the console script runs), quiet."""
    return [sys.executable, "-m", "renda_kg.cli", "build", str(corpus), "-o", str(out), "-q"]


def jieba_argv(corpus: Path) -> list[str]:
    """The jieba baseline as a whole command over the same directory."""
    return [sys.executable, "-c", JIEBA_SCRIPT, str(corpus)]


def replicate(seeds: Sequence[Path], copies: int, into: Path) -> list[Path]:
    """Write every seed `copies` times as c00_<name>, c01_<name>, … (distinct doc ids)."""
    into.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(copies):
        for seed in seeds:
            target = into / f"c{k:02d}_{seed.name}"
            target.write_bytes(seed.read_bytes())
            paths.append(target)
    return paths


# ---------------------------------------------------------------------------
# The stages, each over the whole corpus: the spaCy pipeline's components run in
# its order, grouped (checked against extract_document below). The Doc is made
# in the entity stage, so spaCy's own cost (one token per character, the spans)
# counts against entity extraction.

#: The pipeline's components of each timed stage, in pipeline order.
ENTITY_COMPONENTS = ("renda_places", "renda_rules", "renda_ner", "renda_context", "renda_merge")
RELATION_COMPONENTS = ("renda_relations", "renda_statistics")


def _components(names: Sequence[str]) -> list[Callable[[Doc], Doc]]:
    from renda_kg.extractors.pipeline import pipeline_for
    nlp = pipeline_for()
    return [proc for name, proc in nlp.pipeline if name in names]


def segment_all(paths: Sequence[Path]) -> list[tuple[SourceDocument, SegmentedDocument]]:
    """Stage 1: read (decode) + normalise + segment every file (what `renda_segment` runs)."""
    from renda_kg.extractors.article_segmenter import segment
    from renda_kg.extractors.input_reader import read_document
    out = []
    for path in paths:
        forget_text_caches()
        source = read_document(path)
        out.append((source, segment(source)))
    return out


def entities_all(segmented: Sequence[tuple[SourceDocument, SegmentedDocument]]) -> list[Doc]:
    """Stage 2: the Doc, then the entity components, with the pipeline's default extractors."""
    from renda_kg.extractors.pipeline import pipeline_for
    make_doc, components = pipeline_for().make_doc, _components(ENTITY_COMPONENTS)
    out = []
    for source, seg in segmented:
        forget_text_caches()
        doc = make_doc(source.raw)
        doc._.source, doc._.segmented = source, seg
        for proc in components:
            doc = proc(doc)
        out.append(doc)
    return out


def relations_all(docs: Sequence[Doc]) -> list[Doc]:
    """Stage 3: relations and attached observations of every document."""
    components = _components(RELATION_COMPONENTS)
    for doc in docs:
        forget_text_caches()
        for proc in components:
            doc = proc(doc)
    return list(docs)


def results_of(docs: Sequence[Doc]) -> list[DocumentResult]:
    """The per-document results the assembler takes, from the stage outputs."""
    return [doc._.result for doc in docs]


def export_stages(docs: Sequence[SegmentedDocument], results: Sequence[DocumentResult],
                  out: Path) -> list[tuple[str, Callable[[], object]]]:
    """Stage 5: one writer per output format, fed as `renda-kg build` feeds them.

    Formats come from the registry, so a new format shows up here on its own.
    The index writer is told every other file was written: the stages before it
    have written them by the time it runs.
    """
    from renda_kg.graph.assembler import assemble
    from renda_kg.graph.export import FORMATS
    from renda_kg.graph.export.output_index import BuildOutputs
    written = [out / fmt.filename for fmt in FORMATS.values()]
    inputs = {"documents": list(docs), "results": list(results), "graph": assemble(results),
              "build": BuildOutputs(list(docs), written)}
    out.mkdir(parents=True, exist_ok=True)
    return [(f"write {fmt.filename}", partial(fmt.writer(), inputs[fmt.takes], out / fmt.filename))
            for fmt in FORMATS.values()]


def check_stages_match_pipeline(path: Path) -> None:
    """Stop if the staged composition drifts from `extract_document`.

    The stages are timed one by one, so the benchmark composes them itself;
    this guards against measuring a pipeline that no longer exists.
    """
    from renda_kg.extractors.input_reader import read_document
    from renda_kg.extractors.pipeline import extract_document, pipeline_for
    timed = {"renda_segment", *ENTITY_COMPONENTS, *RELATION_COMPONENTS}
    if set(pipeline_for().pipe_names) != timed:
        raise SystemExit("benchmarks/bench_pipeline.py: the pipeline's components are "
                         f"{pipeline_for().pipe_names}; update the stage groups")
    staged = results_of(relations_all(entities_all(segment_all([path]))))[0]
    forget_text_caches()
    if staged != extract_document(read_document(path))[1]:
        raise SystemExit("benchmarks/bench_pipeline.py: the staged composition no longer matches "
                         "renda_kg.extractors.pipeline.extract_document; update the stage functions")


# ---------------------------------------------------------------------------
# Report


@dataclass(frozen=True)
class Row:
    """One measured line of the table; ratios are filled in against a baseline row."""
    label: str
    time: Timing
    heap: Optional[int] = None      # peak traced Python heap, bytes
    rss: Optional[int] = None       # peak resident set of a subprocess, bytes


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], text_columns: int = 1) -> str:
    """A GitHub markdown table: the first `text_columns` columns left-aligned, figures right."""
    align = [":---"] * text_columns + ["---:"] * (len(headers) - text_columns)
    lines = [headers, align, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _mib(n: Optional[int]) -> str:
    return "–" if n is None else f"{n / 2**20:,.1f}"


def _ratio(row: Row, base: Optional[Row]) -> str:
    """This row's chars/s ÷ the baseline's (same characters, so a ratio of times)."""
    return "–" if base is None else f"{base.time.wall / row.time.wall:.2f}"


def format_rows(rows: Sequence[tuple[Row, Optional[Row], Optional[Row]]], chars: int) -> str:
    """Rows with their two baselines (jieba.lcut, jieba.posseg.cut, or None)."""
    headers = ["stage", "wall s", "CPU s", "chars/s", "÷ jieba.lcut", "÷ jieba.posseg",
               "peak heap MiB", "peak RSS MiB"]
    body = [[r.label, f"{r.time.wall:.2f}", f"{r.time.cpu:.2f}", f"{chars / r.time.wall:,.0f}",
             _ratio(r, lcut), _ratio(r, posseg), _mib(r.heap), _mib(r.rss)] for r, lcut, posseg in rows]
    return markdown_table(headers, body)


def measure_commands(corpus: Path, out: Path, runs: int) -> tuple[Row, Row]:
    """`renda-kg build` and the jieba script as whole processes, each after one warm-up.

    Run before this process loads anything large: Linux carries the parent's
    resident size at fork into the child's ru_maxrss, so a child started from a
    bloated parent would report the parent's size instead of its own. The build
    cannot forget its caches between copies: identical copies reuse the jieba
    tokens of earlier ones, which flatters it a little against new text.
    """
    run_command(build_argv(SEEDS, out))             # warm-up: bytecode and page caches
    run_command(jieba_argv(SEEDS))
    build_time, build_rss = median_command(build_argv(corpus, out), runs)
    script_time, script_rss = median_command(jieba_argv(corpus), runs)
    return (Row("`renda-kg build` (subprocess)", build_time, rss=build_rss),
            Row("`python -c 'import jieba; …lcut…'` (subprocess)", script_time, rss=script_rss))


def measure_stages(paths: Sequence[Path], texts: Sequence[str], out: Path,
                   runs: int) -> tuple[list[Row], Row, Row]:
    """The in-process stages, then jieba.lcut and jieba.posseg.cut over the same texts.

    Every model and dictionary is loaded by a warm-up over the five seeds first,
    so the figures are throughput, not start-up.
    """
    import jieba
    import jieba.posseg
    from renda_kg.extractors.input_reader import read_document
    from renda_kg.extractors.pipeline import DEFAULT_EXTRACTORS, extract_document
    from renda_kg.graph.assembler import assemble

    seeds = sorted(SEEDS.glob("*.txt"))
    jieba.setLogLevel(logging.WARNING)              # no cache-loading lines on stderr
    for seed in seeds:
        source = read_document(seed)
        extract_document(source)
        jieba.lcut(source.raw)
        list(jieba.posseg.cut(source.raw))
    check_stages_match_pipeline(seeds[0])

    segmented = segment_all(paths)
    docs = relations_all(entities_all(segmented))
    results = results_of(docs)
    stages: list[tuple[str, Callable[[], object]]] = [
        ("read + normalise + segment", lambda: segment_all(paths)),
        (f"entity extraction ({','.join(DEFAULT_EXTRACTORS)})", lambda: entities_all(segmented)),
        ("relations + observations", lambda: relations_all(docs)),
        ("graph assembly", lambda: assemble(results)),
        *export_stages([seg for _, seg in segmented], results, out),
    ]
    rows = [Row(label, median_timing(fn, runs), heap=peak_heap(fn)) for label, fn in stages]
    lcut = Row("jieba.lcut (in process)", median_timing(lambda: [jieba.lcut(t) for t in texts], runs))
    posseg = Row("jieba.posseg.cut (in process)",
                 median_timing(lambda: [list(jieba.posseg.cut(t)) for t in texts], runs))
    return rows, lcut, posseg


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=20, help="copies of the five seeds (default 20)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per figure (default 3)")
    args = ap.parse_args()
    cpu = pin_to_one_core()
    seeds = sorted(SEEDS.glob("*.txt"))

    with tempfile.TemporaryDirectory(prefix="renda-kg-bench-") as tmp:
        corpus = Path(tmp, "corpus")
        paths = replicate(seeds, args.copies, corpus)
        build, script = measure_commands(corpus, Path(tmp, "out"), args.runs)
        from renda_kg.extractors.input_reader import read_document     # only now: see measure_commands
        texts = [read_document(p).raw for p in paths]
        stages, lcut, posseg = measure_stages(paths, texts, Path(tmp, "stage-out"), args.runs)
    chars = sum(map(len, texts))

    print(f"corpus: {len(seeds)} seeds × {args.copies} = {len(paths)} files, {chars:,} characters "
          f"(decoded text); median of {args.runs} runs after a warm-up; pinned to CPU {cpu}")
    print()
    rows = [(r, lcut, posseg) for r in (*stages, lcut, posseg)]
    rows += [(r, script, None) for r in (build, script)]
    print(format_rows(rows, chars))
    print()
    print("ratio = the row's chars/s ÷ the baseline's; subprocess rows are compared with the jieba "
          "script (interpreter start-up and dictionary load included on both sides).")


if __name__ == "__main__":
    main()
