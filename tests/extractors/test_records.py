"""Typed records end to end: entity ids, relation ends by id, and the one place they
become SCHEMA.md dicts (`DocumentResult.to_dict`, what `renda-kg extract` writes)."""
from __future__ import annotations

import json
import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from renda_kg.evaluation import parse_document
from renda_kg.extractors.input_reader import read_document
from renda_kg.extractors.records import (DocumentResult, Entity, Evidence, Observation, Relation, entity_id,
                                         unique_ids)
from renda_kg.extractors.relation_rules import _Merged
from renda_kg.graph.export.extraction_jsonl import generate_extraction_jsonl
from renda_kg.graph.pipeline import extract_document

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT.parent / "shared" / "SCHEMA.md"
#: SCHEMA.md v1's example record, used when the shared folder is not beside the repository.
SCHEMA_EXAMPLE = {
    "doc": "000_82718d54f40bf8d9",
    "entities": [{"type": "CongressBody", "name": "临沂市人大常委会",
                  "aliases": ["山东省临沂市人大常委会", "市人大常委会"], "kind": "standing_committee"}],
    "relations": [{"head": "临沂市人大常委会", "relation": "locatedIn", "tail": "临沂市"}]}
INPUTS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "web").glob("*.txt"))


@pytest.fixture(scope="module")
def results() -> list[DocumentResult]:
    """Every seed page and web article, rules only (ids do not depend on the tagger)."""
    return [extract_document(read_document(p), extractors=("rules",))[1] for p in INPUTS]


def schema_example() -> dict:
    if not SCHEMA.is_file():
        return SCHEMA_EXAMPLE
    block = SCHEMA.read_text("utf-8").split("```json\n", 1)[1].split("```", 1)[0]
    return json.loads(block)


def ev(article: str | None, start: int, end: int, sentence: str = "s", extractor: str = "rule") -> Evidence:
    return Evidence(article, sentence, start, end, extractor)


# ---------------------------------------------------------------------------
# Ids


def test_entity_ids_are_unique_in_every_document_and_every_end_is_one(results):
    assert len(results) == len(INPUTS) >= 12
    for r in results:
        ids = [e.id for e in r.entities]
        assert len(set(ids)) == len(ids), r.doc_id
        assert all(e.id == entity_id(e.type, e.name) for e in r.entities)   # no repeat needed a suffix
        known = set(ids)
        assert all(rel.head in known and rel.tail in known for rel in r.relations), r.doc_id
        assert all(o.entity in known for o in r.observations), r.doc_id


def test_an_entity_id_is_its_type_and_name_and_repeats_get_a_suffix():
    a = Entity("Programme", "代表在线")
    assert a.id == "Programme:代表在线"
    assert Entity("Media", "代表在线").id != a.id
    first, second, third = unique_ids([a, Entity("Programme", "代表在线", ("代表在线平台",)), a])
    assert (first.id, second.id, third.id) == ("Programme:代表在线", "Programme:代表在线#2", "Programme:代表在线#3")
    assert second.aliases == ("代表在线平台",) and first is a


def test_records_are_frozen():
    e = Entity("Place", "临沂市")
    with pytest.raises(FrozenInstanceError):
        e.name = "临沂"     # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        Relation(e.id, "locatedIn", "Place:山东省").head = "x"      # type: ignore[misc]


# ---------------------------------------------------------------------------
# Same name, different types


SAME_NAME = "代表在线\n宁陕县人大常委会上线“代表在线”平台。《代表在线》杂志报道了宁陕县人大常委会。\n"


def test_entities_sharing_a_name_keep_their_own_relations(tmp_path):
    """An Article, a Programme and a Media all called 代表在线: the programme was
    created by the committee, the article is about it, the magazine is neither."""
    path = tmp_path / "same_name.txt"
    path.write_text(SAME_NAME, "utf-8")
    result = extract_document(read_document(path), extractors=("rules",))[1]
    named = {e.type: e for e in result.entities if e.name == "代表在线"}
    assert set(named) == {"Article", "Programme", "Media"}
    assert len({e.id for e in named.values()}) == 3
    body = next(e for e in result.entities if e.name == "宁陕县人大常委会")
    ends = {(r.head, r.relation, r.tail) for r in result.relations}
    assert (named["Programme"].id, "createdBy", body.id) in ends
    assert (named["Article"].id, "about", body.id) in ends
    assert not any(named["Media"].id in (h, t) for h, _, t in ends)


# ---------------------------------------------------------------------------
# Evidence: keyed, in order of first appearance


def test_relation_evidence_merges_once_each_in_first_order():
    a, b, c = ev("d#a0", 0, 4), ev("d#a0", 10, 14), ev("d#a1", 20, 24)
    merged = _Merged()
    merged.add(Relation("P:x", "createdBy", "C:y", evidence=(b, a)))
    merged.add(Relation("P:x", "createdBy", "C:y", role="主任", evidence=(a, c, b)))
    merged.add(Relation("P:x", "createdBy", "C:y", role="委员", evidence=(c,)))
    (rel,) = merged.relations()
    assert rel.evidence == (b, a, c)
    assert rel.role == "主任"          # the first role given


# ---------------------------------------------------------------------------
# The boundary: dicts in the SCHEMA.md contract, relation ends by name


def test_to_dict_is_the_schema_example():
    example = schema_example()
    body = Entity("CongressBody", "临沂市人大常委会", ("山东省临沂市人大常委会", "市人大常委会"),
                  (("kind", "standing_committee"),), (ev("d#a0", 5, 16),))
    city = Entity("Place", "临沂市", (), (("level", "city"),), (ev("d#a0", 7, 10, extractor="gazetteer"),))
    result = DocumentResult(example["doc"], "page.txt", (body, city),
                            (Relation(body.id, "locatedIn", city.id, evidence=body.evidence),))
    record = result.to_dict()
    assert list(record) == ["doc", "entities", "relations", "observations"]
    assert record["doc"] == example["doc"]
    without_evidence = [{k: v for k, v in e.items() if k != "evidence"} for e in record["entities"]]
    for entity in example["entities"]:
        assert entity in without_evidence
    relations = [{k: v for k, v in r.items() if k != "evidence"} for r in record["relations"]]
    assert relations == example["relations"]
    assert record["relations"][0]["evidence"] == [
        {"article": "d#a0", "sentence": "s", "start": 5, "end": 16, "extractor": "rule"}]


def test_to_dict_writes_names_roles_evidence_and_observations():
    person = Entity("Person", "刘璐", evidence=(ev("d#a1", 3, 5),))
    body = Entity("CongressBody", "禹州市人大常委会", attrs=(("kind", "standing_committee"),))
    cited = Evidence("d#a1", None, None, None, "rule")      # an article without its sentence
    obs = Observation(body.id, "人大代表联络站", 697, "个", 2024, False, ev("d#a1", 40, 49))
    record = DocumentResult("d", "d.txt", (person, body), (Relation(person.id, "memberOf", body.id, "主任", (cited,)),),
                            (obs,)).to_dict()
    assert record["relations"] == [{"head": "刘璐", "relation": "memberOf", "tail": "禹州市人大常委会", "role": "主任",
                                    "evidence": [{"article": "d#a1", "extractor": "rule"}]}]
    assert record["observations"] == [{"measure": "人大代表联络站", "value": 697, "unit": "个", "year": 2024,
                                       "approximate": False, "evidence": {"article": "d#a1", "sentence": "s",
                                                                          "start": 40, "end": 49, "extractor": "rule"},
                                       "entity": "禹州市人大常委会"}]
    assert record["entities"][1] == {"type": "CongressBody", "name": "禹州市人大常委会", "aliases": [],
                                     "kind": "standing_committee", "evidence": []}
    assert "id" not in record["entities"][0]


def test_the_jsonl_line_is_the_records_contract(results):
    """What `renda-kg extract` writes: relation ends and observation owners are canonical
    names of entities of the same document, and the scorer reads every record."""
    allowed = {"type", "name", "aliases", "kind", "level", "node_id", "adcode", "evidence"}
    for result, line in zip(results, generate_extraction_jsonl(results)):
        record = json.loads(line)
        assert record == result.to_dict()
        names = {e["name"] for e in record["entities"]}
        assert all(set(e) <= allowed for e in record["entities"])
        assert all(r["head"] in names and r["tail"] in names for r in record["relations"])
        assert all(o["entity"] in names for o in record["observations"])
        for item in (*record["entities"], *record["relations"]):
            for e in item["evidence"]:
                assert list(e) == [k for k in ("article", "sentence", "start", "end", "extractor") if k in e]
        parsed = parse_document(record)
        assert len(parsed.entities) == len(result.entities) and len(parsed.relations) == len(result.relations)
        assert not re.search(r'"id"\s*:', line)
