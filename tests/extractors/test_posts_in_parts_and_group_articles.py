"""Posts in parts the text does not
name, reading aids inside posts, the body of a street's or a group's article, committees
printed short, stations named across their creation verb, and text before the first
article. Each rule has a made-up sentence it needs and one it must leave alone."""
from __future__ import annotations

from sample_texts import extract_text, relations_by_name


def _rels(text: str) -> dict:
    return relations_by_name(extract_text(text, ("rules", "ner")))


def _members(rels: dict) -> set:
    return {(h, t) for h, r, t in rels if r == "memberOf"}


def _about(rels: dict) -> set:
    return {t for _, r, t in rels if r == "about"}


# --- memberOf ---------------------------------------------------------------


def test_a_post_in_a_part_the_text_does_not_name_is_not_in_the_body():
    rels = _rels("射阳县人大常委会召开会议\n\n"
                 "会上,射阳县委督查室副主任刘明远代表县政府作报告。射阳县委副书记张立新出席。")
    assert ("刘明远", "射阳县委") not in _members(rels)
    assert ("张立新", "射阳县委") in _members(rels)


def test_a_qualified_post_stays_in_the_body_printed_before():
    rels = _rels("射阳县人大常委会召开会议\n\n射阳县人大常委会专职副主任王晓东主持会议。")
    assert ("王晓东", "射阳县人大常委会") in _members(rels)


def test_reading_aids_inside_a_post_do_not_break_it():
    rels = _rels("安康市人大常委会开展调研\n\n"
                 "近日,安康市人大常委会(huì)副主任、市总工会(huì)主席陈伦宝带队调研。")
    members = _members(rels)
    assert ("陈伦宝", "安康市人大常委会") in members
    assert ("陈伦宝", "安康市总工会") in members


def test_reading_aids_do_not_join_a_name_to_a_body_across_a_sentence():
    rels = _rels("安康市人大常委会开展调研\n\n安康市总工会(huì)召开会议,陈伦宝出席。")
    assert not any(h == "陈伦宝" for h, _ in _members(rels))


# --- about ------------------------------------------------------------------


def test_an_article_about_a_streets_work_is_about_its_working_committee():
    rels = _rels("浦东潍坊新村街道:代表进站议事忙\n\n"
                 "近日,潍坊新村街道人大工委组织代表进站接待群众,代表们认真记录群众意见。")
    assert _about(rels) == {"潍坊新村街道人大工委"}


def test_a_headline_about_a_group_of_deputies_is_not_about_a_working_committee():
    rels = _rels("城中人大代表活动组开展集中视察活动\n\n"
                 "6月8日,城中街道人大工委组织两级人大代表20余人,集中视察城中经济建设。")
    assert "城中街道人大工委" not in _about(rels)


# --- subOrganizationOf --------------------------------------------------------


def test_a_streets_liaison_working_committee_answers_to_the_district():
    rels = _rels("蒸湘区人大常委会调研街道人大工作\n\n"
                 "蒸湘区人大常委会调研组来到联合街道,听取联合街道人大联络工委工作汇报。")
    assert ("联合街道人大联络工委", "subOrganizationOf", "蒸湘区人大常委会") in rels


def test_a_committee_of_a_congress_the_text_names_stays_under_the_congress():
    """Special committees (法制委员会) are the congress's; only a text naming no congress
    puts one printed as "X人大…委员会" under X's standing committee."""
    rels = _rels("厦门市人大常委会召开会议\n\n"
                 "厦门市人民代表大会法制委员会提出审议意见。厦门市人大法制委员会负责同志作说明。")
    assert ("厦门市人大法制委员会", "subOrganizationOf", "厦门市人大常委会") not in rels


# --- createdBy ----------------------------------------------------------------


def test_a_station_named_across_its_creation_verb_was_set_up_by_the_clauses_body():
    rels = _rels("基层立法联系点让民意直达\n\n"
                 "自2015年起,全国人大常委会法工委在上海虹桥街道设立基层立法联系点。"
                 "在这里,基层的立法建议可以直达全国人大常委会。")
    made = {t for h, r, t in rels if r == "createdBy" and "立法联系点" in h}
    assert made == {"全国人大常委会法工委"}


def test_a_body_in_an_earlier_clause_is_not_the_stations_maker():
    rels = _rels("云城区人大常委会推进立法联系工作\n\n"
                 "云城区人大常委会发挥好作为云浮市人大常委会联系单位的作用,在云城街道金山社区打造基层立法联络站,"
                 "完善工作制度。云城区人大常委会还组织代表开展调研。")
    made = {t for h, r, t in rels if r == "createdBy" and "立法联络站" in h}
    assert "云浮市人大常委会" not in made


# --- text before the first article ------------------------------------------


def test_relations_in_text_before_the_first_article_are_read():
    text = ("一年来,各基层立法联系点反映了400多条意见建议。\n"
            "自2015年起,全国人大常委会法工委在上海虹桥街道设立基层立法联系点。\n"
            "上海市人大常委会副主任李明华介绍了有关情况。\n"
            "作者:王翔\n编辑:邵珍\n")
    rels = _rels(text)
    assert ("李明华", "上海市人大常委会") in _members(rels)
    assert any(r == "createdBy" and t == "全国人大常委会法工委" for _, r, t in rels)


def test_credit_lines_before_the_first_article_give_no_posts():
    rels = _rels("来源:射阳县人大常委会 编辑:王翔\n\n射阳县人大常委会召开会议\n\n会议审议了有关报告。")
    assert not any(h == "王翔" for h, _ in _members(rels))
