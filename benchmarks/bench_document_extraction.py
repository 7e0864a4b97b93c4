"""Per-document extraction throughput in one process: `extract_document` (segment →
entities → relations → statistics) on the seeds and the web test texts × N, each copy
altered so that no text-keyed cache helps. Prints chars/s by CPU time after a warm-up.

To compare two versions, install each in its own virtual environment and run this
script with each interpreter in turn, pinned to one core, several times:

    taskset -c 1 A/.venv/bin/python benchmarks/bench_document_extraction.py
    taskset -c 1 B/.venv/bin/python benchmarks/bench_document_extraction.py

It only imports `renda_kg.graph.pipeline.extract_document` and
`renda_kg.extractors.input_reader.read_document`, which every version since the
reliability work has, so the same script measures both sides.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(copies: int, folder: Path) -> list[Path]:
    """The seeds and web texts, `copies` times, each copy's sentences marked with its number."""
    from renda_kg.extractors.input_reader import read_document
    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "web").glob("*.txt"))
    paths = []
    for k in range(copies):
        for src in sources:
            text = read_document(src).raw.replace("。", f"{k + 1}。")
            path = folder / f"{k}_{src.name}"
            path.write_text(text, "utf-8")
            paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of the corpus (default 4)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3)")
    args = parser.parse_args()
    from renda_kg.extractors.input_reader import read_document
    from renda_kg.graph.pipeline import extract_document
    with tempfile.TemporaryDirectory() as tmp:
        every = [read_document(p) for p in corpus(args.copies * args.runs + 1, Path(tmp))]
    per_run = len(every) // (args.runs * args.copies + 1) * args.copies
    for d in every[: len(every) - per_run * args.runs]:
        extract_document(d)                            # warm-up: models, gazetteer, pipeline
    rates = []
    for r in range(args.runs):                         # each run new text: no cache carries over
        docs = every[len(every) - per_run * (r + 1): len(every) - per_run * r]
        start = time.process_time()
        for d in docs:
            extract_document(d)
        rates.append(sum(len(d.raw) for d in docs) / (time.process_time() - start))
    chars = sum(len(d.raw) for d in docs)
    print(f"{len(docs)} documents, {chars:,} characters; extract_document {statistics.median(rates):,.0f} "
          f"chars/s (median of {args.runs}, CPU time; runs {', '.join(f'{r:,.0f}' for r in rates)}) "
          f"— {sys.executable}")


if __name__ == "__main__":
    main()
