"""Relations read from how names and posts are printed in ordinary web reports."""
from __future__ import annotations

from sample_texts import extract_text, relations_by_name


def _extract(text: str):
    result = extract_text(text, ("rules", "ner"))
    return {(e.type, e.name) for e in result.entities}, relations_by_name(result)


def test_a_list_of_posts_after_one_body_makes_each_name_a_member():
    text = ("射阳县人大常委会视察民生工程\n\n"
            "12月26日，射阳县人大常委会主任季晓春，副主任王占芬、戴淦一行视察民生工程。")
    _, rels = _extract(text)
    assert rels[("季晓春", "memberOf", "射阳县人大常委会")].role == "主任"
    assert rels[("王占芬", "memberOf", "射阳县人大常委会")].role == "副主任"
    assert rels[("戴淦", "memberOf", "射阳县人大常委会")].role == "副主任"


def test_a_post_after_a_party_group_title_still_names_the_body():
    _, rels = _extract("刚察县人大常委会调研\n\n刚察县人大常委会党组书记、主任戴朝旭陪同调研。")
    assert rels[("戴朝旭", "memberOf", "刚察县人大常委会党组")].role == "书记"
    assert rels[("戴朝旭", "memberOf", "刚察县人大常委会")].role == "主任"


def test_a_name_in_another_clause_is_no_member():
    _, rels = _extract("刚察县人大常委会调研\n\n刚察县人大常委会召开会议，戴朝旭参加。")
    assert not any(r == "memberOf" for _, r, _ in rels)


def test_parts_named_after_their_body():
    text = ("临汾市人大常委会开展调研\n\n临汾市人大常委会人事代表工委和临汾市委组织部、"
            "刚察县人大常委会办公室有关同志参加。")
    _, rels = _extract(text)
    assert ("刚察县人大常委会办公室", "subOrganizationOf", "刚察县人大常委会") in rels
    assert not any(h == "刚察县人大常委会办公室" and r == "locatedIn" for h, r, _ in rels)


def test_a_standing_committee_under_its_congress():
    text = "射阳县召开人代会\n\n射阳县人民代表大会召开会议，射阳县人大常委会作工作报告。"
    _, rels = _extract(text)
    assert ("射阳县人大常委会", "subOrganizationOf", "射阳县人民代表大会") in rels
