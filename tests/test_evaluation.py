"""The evaluation scorer: hand-made cases whose right answer is known, and the real gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from renda_kg.cli import main
from renda_kg.evaluation import (
    AnnotatedDocument, Counts, NameNormaliser, format_report, load_gold, load_predictions,
    parse_document, report_to_json, score,
)

GOLD_DIR = Path(__file__).resolve().parent / "gold"


@pytest.fixture(scope="module")
def norm() -> NameNormaliser:
    return NameNormaliser()


def ent(type_: str, name: str, *aliases: str) -> dict:
    return {"type": type_, "name": name, "aliases": list(aliases)}


def rel(head: str, relation: str, tail: str) -> dict:
    return {"head": head, "relation": relation, "tail": tail}


def doc(entities=(), relations=(), doc_id: str = "d1") -> AnnotatedDocument:
    return parse_document({"doc": doc_id, "entities": list(entities), "relations": list(relations)})


def run(gold_docs, pred_docs, norm):
    gold = {d.doc: d for d in gold_docs}
    pred = {d.doc: d for d in pred_docs}
    return score(pred, gold, norm)


def entity_counts(gold_entities, pred_entities, norm):
    r = run([doc(gold_entities)], [doc(pred_entities)], norm)
    return r.entities.overall.strict, r.entities.overall.relaxed


# ---------------------------------------------------------------------------
# Entities


def test_alias_match_counts(norm):
    strict, relaxed = entity_counts([ent("CongressBody", "临沂市人大常委会", "市人大常委会")],
                                    [ent("CongressBody", "市人大常委会")], norm)
    assert strict == Counts(1, 1, 1) and relaxed == Counts(1, 1, 1)


def test_predicted_alias_matches_gold_name(norm):
    strict, _ = entity_counts([ent("Place", "临沂市")], [ent("Place", "临沂", "临沂市")], norm)
    assert strict.tp == 1


def test_type_mismatch_does_not_match(norm):
    strict, relaxed = entity_counts([ent("Place", "临沂市")], [ent("Organization", "临沂市")], norm)
    assert strict == Counts(0, 1, 1) and relaxed == Counts(0, 1, 1)


@pytest.mark.parametrize("gold_name, pred_name", [
    ("一乡一品", "“一乡一品”"),
    ("人民代表报", "人民代表報"),
    ("人民代表报", "《人民代表报》"),
    ("人民代表报", "〈人民代表报〉"),
    ("把握\"因需\"\"应时\"", "把握「因需」『应时』"),
    ("代表进'家站'", "代表进‘家站’"),
    ("临沂市人大常委会", "临沂市 人大\u3000常委会"),
    ("1+5+N", "１＋５＋Ｎ"),  # full-width forms, NFKC
])
def test_names_are_normalised_before_comparison(norm, gold_name, pred_name):
    strict, _ = entity_counts([ent("Programme", gold_name)], [ent("Programme", pred_name)], norm)
    assert strict == Counts(1, 1, 1), (gold_name, pred_name)


def test_normaliser(norm):
    assert norm(" “臺灣”人民代表報 ") == "台湾人民代表报"
    assert norm("«x»") == "«x»"  # only the listed quotes go


def test_one_to_one_duplicate_prediction_is_a_false_positive(norm):
    strict, relaxed = entity_counts([ent("Person", "徐希友")],
                                    [ent("Person", "徐希友"), ent("Person", "徐希友")], norm)
    assert strict == Counts(1, 2, 1) and relaxed == Counts(1, 2, 1)
    assert (strict.precision, strict.recall) == (0.5, 1.0)


def test_one_to_one_one_prediction_cannot_serve_two_golds(norm):
    strict, _ = entity_counts([ent("Place", "临沂市", "临沂"), ent("Place", "临沂", "临沂市")],
                              [ent("Place", "临沂市")], norm)
    assert strict == Counts(1, 1, 2)


def test_exact_name_pairs_are_made_before_alias_pairs(norm):
    # First-come greedy would give 乙 to gold 甲 (alias) and leave gold 乙 unmatched.
    gold = [ent("Organization", "甲", "乙"), ent("Organization", "乙")]
    pred = [ent("Organization", "乙"), ent("Organization", "甲")]
    strict, _ = entity_counts(gold, pred, norm)
    assert strict.tp == 2
    report = run([doc(gold)], [doc(pred[:1])], norm)
    assert [str(e) for e in report.documents[0].missed_entities] == ["Organization 甲"]


def test_relaxed_containment_counts_where_strict_does_not(norm):
    strict, relaxed = entity_counts([ent("CongressBody", "临沂市人大常委会")],
                                    [ent("CongressBody", "临沂市人大")], norm)
    assert strict == Counts(0, 1, 1) and relaxed == Counts(1, 1, 1)
    # the longer prediction contains the gold alias: also relaxed only
    strict, relaxed = entity_counts([ent("Media", "人民代表报社", "代表报")],
                                    [ent("Media", "中国人民代表报")], norm)
    assert (strict.tp, relaxed.tp) == (0, 1)


def test_relaxed_containment_still_needs_the_same_type(norm):
    _, relaxed = entity_counts([ent("CongressBody", "临沂市人大常委会")],
                               [ent("Place", "临沂市")], norm)
    assert relaxed.tp == 0


def test_relaxed_prefers_exact_pairs_over_containment(norm):
    gold = [ent("Place", "临沂市"), ent("Place", "临沂")]
    pred = [ent("Place", "临沂"), ent("Place", "临沂市")]
    _, relaxed = entity_counts(gold, pred, norm)
    assert relaxed.tp == 2


def test_name_that_normalises_to_nothing_matches_nothing(norm):
    strict, relaxed = entity_counts([ent("Programme", "一乡一品")], [ent("Programme", "“”")], norm)
    assert strict.tp == 0 and relaxed.tp == 0


def test_extra_keys_are_ignored(norm):
    gold = {"doc": "d1", "entities": [{**ent("Place", "临沂市"), "kind": "city", "level": "city"}],
            "relations": [], "observations": [{"x": 1}]}
    pred = {"doc": "d1", "entities": [{**ent("Place", "临沂市"), "evidence": [{"start": 1}]}],
            "relations": [], "observations": []}
    r = score({"d1": parse_document(pred)}, {"d1": parse_document(gold)}, norm)
    assert r.entities.overall.strict == Counts(1, 1, 1)


# ---------------------------------------------------------------------------
# Relations

ENTS = [ent("CongressBody", "临沂市人大常委会", "市人大常委会"), ent("Place", "临沂市"),
        ent("Place", "山东省")]


def relation_counts(gold_rels, pred_rels, norm, pred_ents=ENTS, gold_ents=ENTS):
    r = run([doc(gold_ents, gold_rels)], [doc(pred_ents, pred_rels)], norm)
    return r.relations.overall.strict, r.relations.overall.relaxed


def test_relation_needs_both_ends_and_the_same_relation_type(norm):
    gold = [rel("临沂市人大常委会", "locatedIn", "临沂市")]
    strict, relaxed = relation_counts(gold, [rel("临沂市人大常委会", "locatedIn", "山东省"),
                                             rel("临沂市", "locatedIn", "临沂市"),
                                             rel("临沂市人大常委会", "about", "临沂市")], norm)
    assert strict == Counts(0, 3, 1) and relaxed == Counts(0, 3, 1)
    strict, _ = relation_counts(gold, [rel("临沂市人大常委会", "about", "临沂市"),
                                       rel("临沂市人大常委会", "locatedIn", "临沂市")], norm)
    assert strict == Counts(1, 2, 1)


def test_relation_ends_match_through_entity_aliases(norm):
    strict, _ = relation_counts([rel("临沂市人大常委会", "locatedIn", "临沂市")],
                                [rel("市人大常委会", "locatedIn", "临沂市")], norm)
    assert strict.tp == 1


def test_relation_ends_resolve_to_entities_of_their_own_side(norm):
    # The predicted head names a predicted entity of the wrong type: no match,
    # even though the same string is a gold name.
    pred_ents = [ent("Organization", "临沂市人大常委会"), ent("Place", "临沂市")]
    strict, relaxed = relation_counts([rel("临沂市人大常委会", "locatedIn", "临沂市")],
                                      [rel("临沂市人大常委会", "locatedIn", "临沂市")], norm,
                                      pred_ents=pred_ents)
    assert strict.tp == 0 and relaxed.tp == 0


def test_relation_end_resolves_through_its_sides_aliases_too(norm):
    # "市人大常委会" is an alias of a predicted Organization, so the end is that
    # Organization and cannot match the gold CongressBody.
    pred_ents = [ent("Organization", "临沂市人大常委会办公室", "市人大常委会"), ent("Place", "临沂市")]
    strict, relaxed = relation_counts([rel("临沂市人大常委会", "locatedIn", "临沂市")],
                                      [rel("市人大常委会", "locatedIn", "临沂市")], norm,
                                      pred_ents=pred_ents)
    assert strict.tp == 0 and relaxed.tp == 0


def test_relations_pair_exact_ends_before_alias_ends(norm):
    # A relation's match is only as good as its weaker end: 甲→P against 乙→P is an
    # alias match and must wait until the exact pairs are made.
    gold_ents = [ent("Organization", "甲", "乙"), ent("Organization", "乙"), ent("Place", "P")]
    pred_ents = [ent("Organization", "乙"), ent("Organization", "甲"), ent("Place", "P")]
    gold = [rel("甲", "locatedIn", "P"), rel("乙", "locatedIn", "P")]
    strict, _ = relation_counts(gold, [rel("乙", "locatedIn", "P"), rel("甲", "locatedIn", "P")],
                                norm, pred_ents=pred_ents, gold_ents=gold_ents)
    assert strict == Counts(2, 2, 2)
    r = run([doc(gold_ents, gold)], [doc(pred_ents, [rel("乙", "locatedIn", "P")])], norm)
    assert [str(x) for x in r.documents[0].missed_relations] == ["甲 -locatedIn-> P"]


def test_unlisted_relation_end_falls_back_to_name_lookup(norm):
    # "市人大常委会" is no predicted entity's name; it is a gold alias, so it matches.
    strict, _ = relation_counts([rel("临沂市人大常委会", "locatedIn", "临沂市")],
                                [rel("市人大常委会", "locatedIn", "临沂市")], norm,
                                pred_ents=[ent("Place", "临沂市")])
    assert strict.tp == 1


def test_duplicate_relation_prediction_is_a_false_positive(norm):
    strict, _ = relation_counts([rel("临沂市", "locatedIn", "山东省")],
                                [rel("临沂市", "locatedIn", "山东省")] * 2, norm)
    assert strict == Counts(1, 2, 1)


def test_relaxed_relation_ends(norm):
    pred_ents = [ent("CongressBody", "临沂市人大"), ent("Place", "临沂市")]
    strict, relaxed = relation_counts([rel("临沂市人大常委会", "locatedIn", "临沂市")],
                                      [rel("临沂市人大", "locatedIn", "临沂市")], norm,
                                      pred_ents=pred_ents)
    assert strict == Counts(0, 1, 1) and relaxed == Counts(1, 1, 1)


# ---------------------------------------------------------------------------
# Documents, types and numbers


def test_missing_predicted_document_is_all_misses_and_extra_ones_are_ignored(norm):
    g1 = doc([ent("Place", "临沂市")], doc_id="a")
    g2 = doc(ENTS, [rel("临沂市", "locatedIn", "山东省")], doc_id="b")
    extra = doc([ent("Place", "北京市")], doc_id="zzz")
    r = run([g1, g2], [doc([ent("Place", "临沂市")], doc_id="a"), extra], norm)
    assert r.missing == ("b",) and r.ignored == ("zzz",)
    assert r.entities.overall.strict == Counts(1, 1, 4)
    assert r.relations.overall.strict == Counts(0, 0, 1)
    b = r.documents[1]
    assert not b.predicted and len(b.missed_entities) == 3 and len(b.missed_relations) == 1
    assert r.entities.get("Place").strict == Counts(1, 1, 3)  # 北京市 of zzz is not counted


def test_per_type_counts(norm):
    gold = [ent("Person", "徐希友"), ent("Person", "刘璐"), ent("Place", "临沂市")]
    pred = [ent("Person", "徐希友"), ent("Place", "临沂市"), ent("Place", "山东省"),
            ent("Media", "人民代表报")]
    r = run([doc(gold)], [doc(pred)], norm)
    assert [t for t, _ in r.entities.by_type] == ["Media", "Person", "Place"]
    assert r.entities.get("Person").strict == Counts(1, 1, 2)
    assert r.entities.get("Place").strict == Counts(1, 2, 1)
    assert r.entities.get("Media").strict == Counts(0, 1, 0)
    assert r.entities.get("Programme").strict == Counts(0, 0, 0)


def test_scores_on_a_small_example_computed_by_hand(norm):
    # doc a: gold 3 entities, pred 3 of which 2 right; doc b: gold 1, pred 2, 1 right.
    # micro: tp 3, pred 5, gold 4 → P 3/5, R 3/4, F1 2·3/(5+4) = 2/3.
    # relaxed adds 临沂市人大 ⊂ 临沂市人大常委会: tp 4 → P 4/5, R 1, F1 8/9.
    gold = [doc([ent("Person", "徐希友"), ent("Place", "临沂市"),
                 ent("CongressBody", "临沂市人大常委会")], doc_id="a"),
            doc([ent("Person", "刘璐")], doc_id="b")]
    pred = [doc([ent("Person", "徐希友"), ent("Place", "临沂市"), ent("CongressBody", "临沂市人大")],
                doc_id="a"),
            doc([ent("Person", "刘璐"), ent("Person", "余建华")], doc_id="b")]
    r = run(gold, pred, norm)
    s, x = r.entities.overall.strict, r.entities.overall.relaxed
    assert s == Counts(3, 5, 4) and x == Counts(4, 5, 4)
    assert s.precision == pytest.approx(0.6) and s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(2 / 3)
    assert x.precision == pytest.approx(0.8) and x.recall == 1.0 and x.f1 == pytest.approx(8 / 9)
    assert r.documents[0].entities.strict == Counts(2, 3, 3)
    assert r.documents[1].entities.strict == Counts(1, 2, 1)
    js = report_to_json(r)["entities"]["overall"]
    assert js == {"gold": 4, "pred": 5,
                  "strict": {"tp": 3, "precision": 0.6, "recall": 0.75, "f1": 0.6667},
                  "relaxed": {"tp": 4, "precision": 0.8, "recall": 1.0, "f1": 0.8889}}


def test_counts_are_zero_when_undefined():
    assert (Counts().precision, Counts().recall, Counts().f1) == (0.0, 0.0, 0.0)
    assert Counts(0, 3, 0).f1 == 0.0 and Counts(0, 0, 3).recall == 0.0


def test_gold_against_itself_is_perfect(norm):
    gold = load_gold(GOLD_DIR)
    assert len(gold) == len(list(GOLD_DIR.glob("*.json"))) == 3
    r = score(gold, gold, norm)
    for table in (r.entities, r.relations):
        assert table.overall.gold > 0
        for _, s in (("overall", table.overall), *table.by_type):
            assert s.strict.tp == s.gold == s.pred
            assert (s.strict.precision, s.strict.recall, s.strict.f1) == (1.0, 1.0, 1.0)
            assert s.relaxed.f1 == 1.0
    for d in r.documents:
        assert d.entities.strict.f1 == 1.0 and d.relations.strict.f1 == 1.0
        assert not (d.missed_entities or d.false_entities or d.missed_relations
                    or d.false_relations)
    assert r.entities.overall.gold == sum(len(d.entities) for d in gold.values())
    assert r.relations.overall.gold == sum(len(d.relations) for d in gold.values())


# ---------------------------------------------------------------------------
# Loading


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_load_predictions_reads_lines_and_skips_blank_ones(tmp_path):
    p = tmp_path / "pred.jsonl"
    p.write_text(json.dumps({"doc": "a", "entities": [ent("Place", "临沂市")], "relations": []},
                            ensure_ascii=False) + "\n\n" + json.dumps({"doc": "b"}) + "\n", "utf-8")
    preds = load_predictions(p)
    assert list(preds) == ["a", "b"]
    assert preds["a"].entities[0].name == "临沂市" and preds["b"].entities == ()


def test_malformed_json_line_names_the_line(tmp_path):
    p = tmp_path / "pred.jsonl"
    p.write_text('{"doc": "a", "entities": [], "relations": []}\n{"doc": "b", "entities": [\n',
                 "utf-8")
    with pytest.raises(ValueError, match=r"^line 2: "):
        load_predictions(p)


@pytest.mark.parametrize("bad", [
    '["not", "an", "object"]',
    '{"entities": []}',
    '{"doc": "a", "entities": [{"type": "Place"}]}',
    '{"doc": "a", "entities": [], "relations": [{"head": "x", "tail": "y"}]}',
    '{"doc": "a", "entities": {"type": "Place"}}',
])
def test_invalid_document_line_names_the_line(tmp_path, bad):
    p = tmp_path / "pred.jsonl"
    p.write_text('{"doc": "ok"}\n\n' + bad + "\n", "utf-8")
    with pytest.raises(ValueError, match=r"^line 3: "):
        load_predictions(p)


def test_repeated_document_line_is_an_error(tmp_path):
    p = write_jsonl(tmp_path / "pred.jsonl", [{"doc": "a"}, {"doc": "a"}])
    with pytest.raises(ValueError, match=r"^line 2: .*twice"):
        load_predictions(p)


def test_missing_predictions_file():
    with pytest.raises(FileNotFoundError):
        load_predictions("/nonexistent/pred.jsonl")


# ---------------------------------------------------------------------------
# Output and CLI


def small_report(norm):
    gold = doc([ent("Person", "徐希友"), ent("Place", "临沂市")],
               [rel("徐希友", "memberOf", "临沂市")], doc_id="a")
    pred = doc([ent("Person", "徐希友"), ent("Place", "山东省")],
               [rel("徐希友", "memberOf", "山东省")], doc_id="a")
    return run([gold], [pred], norm)


def test_format_report_tables_and_errors(norm):
    text = format_report(small_report(norm), errors=True)
    lines = text.splitlines()
    overall = [l for l in lines if l.startswith("overall")]
    assert len(overall) == 2
    assert overall[0].split() == ["overall", "2", "2", "0.5000", "0.5000", "0.5000",
                                  "0.5000", "0.5000", "0.5000"]
    ent_rows = lines[lines.index(next(l for l in lines if l.startswith("entities"))):]
    assert [l.split()[0] for l in ent_rows[1:4]] == ["overall", "Person", "Place"]
    assert len({len(l) for l in ent_rows[:4]}) == 1, "rows of a table line up"
    for item in ("Place 临沂市", "Place 山东省", "徐希友 -memberOf-> 临沂市",
                 "徐希友 -memberOf-> 山东省"):
        assert f"    {item}" in lines
    assert "徐希友 -memberOf-> 临沂市" not in format_report(small_report(norm))


def test_report_to_json_is_plain_and_stable(norm):
    js = report_to_json(small_report(norm))
    assert list(js) == ["documents", "entities", "relations", "per_document"]
    assert json.loads(json.dumps(js)) == js
    assert js["per_document"][0]["errors"] == {
        "missed_entities": ["Place 临沂市"], "false_entities": ["Place 山东省"],
        "missed_relations": ["徐希友 -memberOf-> 临沂市"],
        "false_relations": ["徐希友 -memberOf-> 山东省"]}
    assert js == report_to_json(small_report(norm))


def test_cli_eval_json(tmp_path, capsys):
    gold = load_gold(GOLD_DIR)
    first = json.loads(next(GOLD_DIR.glob("*.json")).read_text("utf-8"))
    records = [{**first, "observations": []}, {"doc": "not-in-gold", "entities": [], "relations": []}]
    pred = write_jsonl(tmp_path / "pred.jsonl", records)
    assert main(["eval", str(pred), "--gold", str(GOLD_DIR), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["documents"] == {"gold": 3, "predicted": 1,
                                "missing": sorted(d for d in gold if d != first["doc"]),
                                "ignored": 1}
    n_first = len(first["entities"])
    ents = out["entities"]["overall"]
    assert ents["strict"]["tp"] == ents["pred"] == n_first
    assert ents["gold"] == sum(len(d.entities) for d in gold.values())
    assert ents["strict"]["precision"] == 1.0
    assert ents["strict"]["recall"] == round(n_first / ents["gold"], 4)


def test_cli_eval_text_with_errors(tmp_path, capsys):
    pred = write_jsonl(tmp_path / "pred.jsonl", [])
    assert main(["eval", str(pred), "--gold", str(GOLD_DIR), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "no prediction for 3" in out and "missed entities (" in out


def test_cli_missing_predictions_file_is_a_usage_error(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "nope.jsonl"), "--gold", str(GOLD_DIR)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_malformed_predictions_is_a_usage_error(tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    pred.write_text("{oops\n", "utf-8")
    assert main(["eval", str(pred), "--gold", str(GOLD_DIR)]) == 2
    assert "line 1:" in capsys.readouterr().err


def test_cli_malformed_gold_file_is_a_usage_error(tmp_path, capsys):
    from renda_kg.cli import main
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "x.json").write_text("{bad", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"doc": "x", "entities": [], "relations": []}\n', encoding="utf-8")
    assert main(["eval", str(pred), "--gold", str(gold)]) == 2
    err = capsys.readouterr().err
    assert "x.json" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
