"""Throughput of the text stages next to the jieba baseline, measured in one run.

    .venv/bin/python benchmarks/bench_text_stages.py [--repeat N]

Prints characters per second for: reading+normalising+segmenting the seed corpus,
and jieba.cut over the same normalised text (the generic Chinese NLP baseline every
user already has), and their ratio. Figures, not assertions: machines are noisy.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import jieba
    from renda_kg.extractors.article_segmenter import segment
    from renda_kg.extractors.input_reader import read_document
    from renda_kg.extractors.text_normaliser import normalise

    paths = sorted((ROOT / "seeds").glob("*.txt"))
    docs = [read_document(p) for p in paths]
    chars = sum(len(d.raw) for d in docs)
    texts = [normalise(d.raw).text for d in docs]
    jieba.initialize()
    segment(docs[0])  # warm OpenCC

    ours = best_of(lambda: [segment(read_document(p)) for p in paths], args.repeat)
    norm = best_of(lambda: [normalise(d.raw) for d in docs], args.repeat)
    base = best_of(lambda: [list(jieba.cut(t)) for t in texts], args.repeat)
    print(f"corpus: {len(paths)} files, {chars} characters (best of {args.repeat})")
    print(f"read+normalise+segment : {chars / ours:>10,.0f} chars/s")
    print(f"  of which normalise   : {chars / norm:>10,.0f} chars/s")
    print(f"jieba.cut baseline     : {chars / base:>10,.0f} chars/s")
    print(f"ratio ours/jieba       : {base / ours:>10.2f} (time of jieba.cut ÷ our time; >1 = faster)")


if __name__ == "__main__":
    main()
