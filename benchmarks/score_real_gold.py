"""Score renda-kg on the real-article gold (tests/real/dev and tests/real/test).

    .venv/bin/python benchmarks/score_real_gold.py [--half dev|test|both] [--per-doc]
                                                   [--renda "CMD"] [--extractors rules,ner]

Runs ``renda-kg extract`` on each half's texts in a separate process (``--renda`` names
another command, e.g. an older checkout, to record first blind scores) and scores the
output with the SCHEMA.md scorer. Prints a Markdown table: strict micro P/R/F1 for
entities and relations per half, per type with ``--by-type``, per document with
``--per-doc``. It never prints a miss or a false positive: the test half is only ever
scored (its errors are not read), and this script keeps it that way.
"""
from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from renda_kg.evaluation import Counts, load_gold, load_predictions, score  # noqa: E402

HALVES = ("dev", "test")


def run_half(half: str, renda: list[str], extractors: str, workdir: Path):
    folder = ROOT / "tests" / "real" / half
    texts = sorted(folder.glob("*.txt"))
    if not texts:
        raise SystemExit(f"no texts in {folder}")
    out = workdir / f"{half}.jsonl"
    subprocess.run([*renda, "extract", *map(str, texts), "--extractors", extractors, "-o", str(out),
                    "--quiet"], check=True, cwd=workdir)
    return score(load_predictions(out), load_gold(folder))


def fmt(c: Counts) -> str:
    return f"{c.precision:.3f} | {c.recall:.3f} | **{c.f1:.3f}**"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=(*HALVES, "both"), default="both")
    ap.add_argument("--renda", default=f"{sys.executable} -m renda_kg",
                    help="command that runs renda-kg (default: this Python's installed package)")
    ap.add_argument("--extractors", default="rules,ner")
    ap.add_argument("--per-doc", action="store_true", help="one row per document (F1 only)")
    ap.add_argument("--by-type", action="store_true", help="strict F1 per entity and relation type")
    args = ap.parse_args()
    halves = HALVES if args.half == "both" else (args.half,)
    print("| half | docs | kind | gold | P | R | F1 |\n|---|---|---|---|---|---|---|")
    reports = {}
    with tempfile.TemporaryDirectory() as tmp:
        for half in halves:
            rep = reports[half] = run_half(half, shlex.split(args.renda), args.extractors, Path(tmp))
            n = len(rep.documents)
            for kind, table in (("entities", rep.entities), ("relations", rep.relations)):
                print(f"| {half} | {n} | {kind} | {table.overall.gold} | {fmt(table.overall.strict)} |")
    for half, rep in reports.items():
        if args.by_type:
            print(f"\n{half} half, strict F1 per type (gold items):")
            for table in (rep.entities, rep.relations):
                print("  " + ", ".join(f"{name} {s.strict.f1:.2f} ({s.gold})" for name, s in table.by_type))
        if args.per_doc:
            print(f"\n| {half} document | entity gold | entity F1 | relation gold | relation F1 |\n|---|---|---|---|---|")
            for d in rep.documents:
                print(f"| {d.doc} | {d.entities.gold} | {d.entities.strict.f1:.3f} | "
                      f"{d.relations.gold} | {d.relations.strict.f1:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
