"""The quality bar of the entity and relation issues, enforced on the real gold pages.

Runs the real pipeline on the seed pages that have gold annotations and scores
it with the project's scorer (SCHEMA.md rules). Failing here means a change made
extraction worse than the bar the product promises; the figures are printed so
a CI log shows how far above the bar we are.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from renda_kg.extractors.input_reader import read_document
from renda_kg.graph.export.extraction_jsonl import generate_extraction_jsonl
from renda_kg.graph.pipeline import extract_document
from renda_kg.evaluation import load_gold, load_predictions, score

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold"

ENTITY_BAR, ENTITY_TYPE_BAR = 0.96, 0.70
RELATION_BAR, RELATION_TYPE_BAR = 0.85, 0.50
MIN_GOLD = 5          # types with fewer gold items are too small to hold to a bar


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    gold = load_gold(GOLD)
    pages = [ROOT / "seeds" / f"{doc}.txt" for doc in sorted(gold)]
    assert pages and all(p.exists() for p in pages), "every gold page has its seed file"
    results = [extract_document(read_document(p))[1] for p in pages]
    pred = tmp_path_factory.mktemp("quality") / "pred.jsonl"
    pred.write_text("".join(generate_extraction_jsonl(results)), encoding="utf-8")
    return score(load_predictions(pred), gold)


def _line(name, counts) -> str:
    return f"{name:<20} gold {counts.gold:>4} pred {counts.pred:>4} F1 {counts.f1:.3f}"


def _below(table, bar: float) -> dict[str, float]:
    """Types with enough gold items whose strict F1 is under the bar (printed for the log)."""
    low = {}
    for name, scores in table.by_type:
        print(_line(name, scores.strict))
        if scores.strict.gold >= MIN_GOLD and scores.strict.f1 < bar:
            low[name] = round(scores.strict.f1, 3)
    return low


def test_entity_bar(report):
    overall = report.entities.overall.strict
    print(_line("entities", overall))
    assert overall.f1 >= ENTITY_BAR, f"entity strict F1 {overall.f1:.3f} < {ENTITY_BAR}"


def test_entity_bar_per_type(report):
    low = _below(report.entities, ENTITY_TYPE_BAR)
    assert not low, f"types below the {ENTITY_TYPE_BAR} bar: {json.dumps(low, ensure_ascii=False)}"


def test_relation_bar(report):
    overall = report.relations.overall.strict
    print(_line("relations", overall))
    assert overall.f1 >= RELATION_BAR, f"relation strict F1 {overall.f1:.3f} < {RELATION_BAR}"


def test_relation_bar_per_type(report):
    low = _below(report.relations, RELATION_TYPE_BAR)
    assert not low, f"relations below the {RELATION_TYPE_BAR} bar: {json.dumps(low, ensure_ascii=False)}"


#: The page annotated blind (tests/heldout/README.md) guards against rules that
#: only fit the three dev pages: its floor sits just under its score now (entities
#: .830, relations .755; first blind score .759 and .680).
HELDOUT = ROOT / "tests" / "heldout"
HELDOUT_ENTITY_FLOOR, HELDOUT_RELATION_FLOOR = 0.81, 0.73


def test_held_out_page_stays_above_its_blind_score(tmp_path):
    gold = load_gold(HELDOUT)
    results = [extract_document(read_document(ROOT / "seeds" / f"{doc}.txt"))[1] for doc in sorted(gold)]
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(generate_extraction_jsonl(results)), encoding="utf-8")
    report = score(load_predictions(pred), gold)
    ents, rels = report.entities.overall.strict, report.relations.overall.strict
    print(_line("held-out entities", ents))
    print(_line("held-out relations", rels))
    assert ents.f1 >= HELDOUT_ENTITY_FLOOR and rels.f1 >= HELDOUT_RELATION_FLOOR


#: Floors on the real web articles (tests/real/README.md), a little under what the
#: extractor reaches, so a regression fails. The test half is only ever scored: this
#: test prints its overall figures and nothing about its items.
REAL = ROOT / "tests" / "real"
REAL_FLOORS = {            # half: (entity F1, relation F1, entity precision)
    "dev": (0.87, 0.82, 0.92),       # now .892, .842, P .945
    "test": (0.81, 0.70, 0.91),      # now .832, .725, P .935
}


@pytest.mark.parametrize("half", sorted(REAL_FLOORS))
def test_real_articles_stay_above_their_floors(half, tmp_path):
    folder = REAL / half
    gold = load_gold(folder)
    results = [extract_document(read_document(folder / f"{doc}.txt"))[1] for doc in sorted(gold)]
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(generate_extraction_jsonl(results)), encoding="utf-8")
    report = score(load_predictions(pred), gold)
    ents, rels = report.entities.overall.strict, report.relations.overall.strict
    print(_line(f"{half} entities", ents), f"P {ents.precision:.3f}")
    print(_line(f"{half} relations", rels))
    entity_floor, relation_floor, precision_floor = REAL_FLOORS[half]
    assert ents.f1 >= entity_floor, f"{half} half: entity F1 {ents.f1:.3f} < {entity_floor}"
    assert rels.f1 >= relation_floor, f"{half} half: relation F1 {rels.f1:.3f} < {relation_floor}"
    assert ents.precision >= precision_floor, f"{half} half: entity P {ents.precision:.3f} < {precision_floor}"
