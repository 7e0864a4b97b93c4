"""Relation families on real seed pages (pure functions of a document and its entities)."""
import pytest

from renda_kg.extractors.input_reader import read_document
from renda_kg.extractors.records import SourceDocument
from renda_kg.extractors.text_normaliser import plain
from renda_kg.graph.pipeline import extract_document

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _relations(result) -> set[tuple[str, str, str]]:
    """(head name, relation, tail name), as the SCHEMA.md record writes them."""
    return {(r["head"], r["relation"], r["tail"]) for r in result.to_dict()["relations"]}


@pytest.fixture(scope="module")
def page000():
    return extract_document(read_document(SEEDS / "000_82718d54f40bf8d9.txt"))[1]


@pytest.fixture(scope="module")
def page001():
    return extract_document(read_document(SEEDS / "001_fd47dae5f415434f.txt"))[1]


def test_places_sit_in_the_place_printed_before_them(page000, page001):
    rels = _relations(page000) | _relations(page001)
    assert ("临沂市", "locatedIn", "山东省") in rels
    # "江苏省仪征市": the text skips the city level, and the text wins over the tree
    assert ("仪征市", "locatedIn", "江苏省") in rels
    # a place the tree does not know still gets its parent from the text ("潍坊市昌乐市")
    assert ("昌乐市", "locatedIn", "潍坊市") in rels


def test_bodies_sit_in_the_place_of_their_name_but_their_internal_parts_do_not(page000):
    rels = _relations(page000)
    assert ("临沂市人大常委会", "locatedIn", "临沂市") in rels
    assert ("临沂市人大常委会党组", "subOrganizationOf", "临沂市人大常委会") in rels
    assert not any(h == "临沂市人大常委会党组" and r == "locatedIn" for h, r, _ in rels)
    # a street's 人大工委 answers to the standing committee of its county-level city
    assert ("褚河街道人大工委", "subOrganizationOf", "禹州市人大常委会") in rels


def test_a_standing_committee_acts_for_its_congress_when_both_are_named(page001):
    rels = _relations(page001)
    assert ("宁陕县人大常委会", "subOrganizationOf", "宁陕县人民代表大会") in rels


def test_stations_serve_the_area_of_the_body_that_set_them_up(page000):
    rels = _relations(page000)
    assert ("钧瓷产业代表联络站", "createdBy", "禹州市人大常委会") in rels
    assert ("钧瓷产业代表联络站", "locatedIn", "禹州市") in rels
    assert ("钧瓷产业代表联络站", "focusesOn", "钧瓷产业") in rels


def test_documents_titled_after_their_issuer(page001):
    rels = _relations(page001)
    created = {h: t for h, r, t in rels if r == "createdBy"}
    assert created["望花区人大常委会2025年宣传工作计划"] == "望花区人大常委会"
    assert created["宁陕县人大宣传调研工作考核办法"] == "宁陕县人大常委会"


def test_created_by_needs_a_verb_governing_the_thing():
    text = ("某县人大常委会工作纪实\n发布时间：2024-05-12 来源：某县人大\n"
            "天等县人大常委会打造“连心桥”工作法。会议还学习了“第一议题”制度的要求。\n")
    result = extract_document(SourceDocument("web", "web.txt", text, "utf-8"))[1]
    rels = _relations(result)
    assert ("连心桥", "createdBy", "天等县人大常委会") in rels
    assert not any(h == "第一议题" and r == "createdBy" for h, r, _ in rels)


def test_author_position_gives_membership_and_main_body(page000):
    rels = _relations(page000)
    roles = {(r["head"], r["tail"]): r.get("role") for r in page000.to_dict()["relations"]
             if r["relation"] == "memberOf"}
    assert roles.get(("刘璐", "禹州市人大常委会")) == "主任"
    assert ("探索\"人大代表+\"模式激发代表履职新活力", "about", "禹州市人大常委会") in rels


def test_every_relation_end_is_an_entity_and_has_evidence(page000):
    ids = {e.id for e in page000.entities}
    for r in page000.relations:
        assert r.head in ids and r.tail in ids
        assert r.evidence and all(ev.article for ev in r.evidence)


@pytest.fixture(scope="module")
def seed_pages():
    """Every seed page, rules only (memberOf from positions does not depend on NER)."""
    return {p.stem[:3]: extract_document(read_document(p), extractors=("rules",))
            for p in sorted(SEEDS.glob("*.txt"))}


def test_memberships_from_author_positions_cite_the_position_line(seed_pages):
    """The evidence of "刘璐 memberOf 禹州市人大常委会 (主任)" is "(作者系河南省禹州市人大常委会
    主任)" with its offsets in the file, not the article's headline."""
    checked = 0
    for key, (doc, result) in seed_pages.items():
        raw = doc.source.raw
        by_id = {e.id: e for e in result.entities}
        for article in doc.articles:
            if not article.author_position:
                continue
            authors = {a.name for a in article.authors}
            for r in result.relations:
                if r.relation != "memberOf" or by_id[r.head].name not in authors \
                        or not any(n in article.author_position for n in by_id[r.tail].names):
                    continue
                evidence = [ev for ev in r.evidence if ev.article == article.article_id]
                assert evidence, (key, r)
                for ev in evidence:
                    # page 002's line lost its closing bracket in the OCR
                    assert plain(ev.sentence).rstrip(")") == plain(f"(作者系{article.author_position}"), ev
                    # the offsets slice the position line out of the file; a line split by a
                    # column break spans both parts (and the Markdown marks between them)
                    printed = raw[ev.start:ev.end]
                    assert printed[0] in "((" and printed[-1] == ev.sentence[-1], (key, printed)
                    assert plain(printed).replace("#", "") == plain(ev.sentence), (key, printed)
                checked += 1
    assert checked >= 4      # 刘璐, 王永超, 史新荣, 蒲仪明


def test_byline_relations_do_not_share_evidence_lists(seed_pages):
    """Relations that cite one headline may share its evidence: it is an immutable
    tuple of frozen records, and each serialised relation gets a list of its own."""
    for _, result in seed_pages.values():
        assert all(isinstance(r.evidence, tuple) for r in result.relations)
        lists = [r["evidence"] for r in result.to_dict()["relations"]]
        assert len({id(x) for x in lists}) == len(lists)
