"""Posts around names, headlines' bodies, issuers printed before a
title, and the bounds that keep these rules from firing where they should not."""
from __future__ import annotations

from sample_texts import extract_text, relations_by_name


def _rels(text: str) -> dict:
    return relations_by_name(extract_text(text, ("rules", "ner")))


def _members(rels: dict) -> set:
    return {(h, t) for h, r, t in rels if r == "memberOf"}


def test_a_party_group_post_is_read_past_the_place_inside_the_body_name():
    rels = _rels("黄浦区人大常委会赴外地考察\n\n"
                 "12月2日,上海市黄浦区人大常委会党组书记、主任王建国一行到外地考察。")
    assert ("王建国", "黄浦区人大常委会") in _members(rels)
    assert ("王建国", "黄浦区人大常委会党组") in _members(rels)


def test_a_post_in_another_body_printed_before_is_the_same_persons():
    rels = _rels("三门峡市人大常委会调研\n\n"
                 "5月19日,三门峡市委组织部副部长、市人大选工委主任李建华一行来到街道调研。")
    members = _members(rels)
    assert ("李建华", "三门峡市委组织部") in members
    assert ("李建华", "三门峡市人大常委会选工委") in members or ("李建华", "三门峡市人大选工委") in members


def test_a_post_in_an_unnamed_body_breaks_the_list():
    """"县委副书记、人大常委会主任甲,副主任乙": 乙 is no deputy of the party committee."""
    rels = _rels("华亭县人大常委会考察\n\n"
                 "华亭县委副书记、人大常委会主任李春来,副主任马志强一同参观。")
    assert ("马志强", "华亭县委") not in _members(rels)


def test_a_county_post_after_a_party_committee_is_in_the_government():
    rels = _rels("射阳县人大常委会召开会议\n\n"
                 "射阳县人民政府、射阳县委有关同志参加。射阳县委常委、常务副县长周海明列席会议。")
    members = _members(rels)
    assert ("周海明", "射阳县委") in members
    assert any(h == "周海明" and "政府" in t for h, t in members)


def test_names_printed_before_their_post():
    rels = _rels("射阳县人大常委会召开会议\n\n"
                 "会议决定任命王晓东、李春燕同志为射阳县人民政府副县长。")
    members = _members(rels)
    assert any(h == "王晓东" and "射阳县" in t and "政府" in t for h, t in members)
    assert any(h == "李春燕" and "射阳县" in t and "政府" in t for h, t in members)


def test_names_before_a_body_without_a_post_are_no_members():
    rels = _rels("射阳县人大常委会召开会议\n\n会议听取了王晓东为射阳县人民政府所作的报告。")
    assert not any(h == "王晓东" for h, _ in _members(rels))


def test_the_headline_names_the_body_the_article_is_about():
    rels = _rels("市人大常委会法工委开展立法调研\n\n"
                 "大同市人大常委会法工委赴县区调研。大同市人大常委会主任会议听取汇报。"
                 "大同市人大常委会有关负责同志参加。大同市人大常委会提出要求。")
    assert ("市人大常委会法工委开展立法调研", "about", "大同市人大常委会法工委") in rels


def test_a_town_holding_its_congress_in_the_headline():
    rels = _rels("青山镇召开第十八届人民代表大会第三次会议\n\n"
                 "会议审议通过了《青山镇人民代表大会关于民生实事项目人大代表票决制的实施办法》。")
    assert ("青山镇召开第十八届人民代表大会第三次会议", "about", "青山镇人民代表大会") in rels


def test_a_party_committee_passing_a_document_issued_it():
    rels = _rels("平邑县人大常委会调研代表工作\n\n"
                 "2014年,平邑县委通过了《关于进一步加强镇人大代表工作的意见》,推动工作。")
    assert ("关于进一步加强镇人大代表工作的意见", "createdBy", "平邑县委") in rels


def test_a_document_only_read_out_is_not_issued_by_the_reader():
    rels = _rels("平邑县人大常委会调研代表工作\n\n平邑县委学习了《关于进一步加强镇人大代表工作的意见》。")
    assert ("关于进一步加强镇人大代表工作的意见", "createdBy", "平邑县委") not in rels


def test_a_station_praised_for_its_own_method_does_not_credit_the_visitors():
    rels = _rels("三门峡市人大常委会调研组到街道考察\n\n"
                 "考察组表示,顺河街街道人大代表联络站工作思路创新,尤其是开展的“四联”活动值得学习。"
                 "三门峡市人大常委会调研组一行参加。")
    assert not any(h == "四联" and r == "createdBy" for h, r, _ in rels)


def test_a_street_committee_is_not_put_under_the_city():
    """Without its district's standing committee the street's 人大工委 has no parent;
    the city's standing committee did not send it out."""
    rels = _rels("芜湖市人大常委会确定基层立法联系点\n\n"
                 "芜湖市人大常委会确定官陡街道人大工委为基层立法联系点。")
    assert not any(h == "官陡街道人大工委" and r == "subOrganizationOf" for h, r, _ in rels)


def test_a_standing_committee_is_under_a_congress_printed_as_one():
    with_congress = _rels("宁县人大常委会召开会议\n\n宁县人大及其常委会认真履职,宁县人大常委会召开会议。")
    only_short = _rels("宁县人大调研工作\n\n宁县人大调研工作,宁县人大常委会召开会议。")
    assert not any(r == "subOrganizationOf" and h == "宁县人大常委会" for h, r, _ in only_short)
    assert with_congress is not None
