"""A congress's term printed
between its place and its word, the long form 人民代表大会常务委员会, a town's bodies and
offices abbreviated to their level word (镇人大主席, 镇党委, 街道党工委, 镇政府), a town's
government named in full, a place's delegation to a congress, and 局长 read as a title."""
from __future__ import annotations

from sample_texts import extract_text


def _extract(text: str):
    return extract_text(text + "\n")


def _entities(text: str) -> dict[str, str]:
    """Every name and alias of the entities extracted from ``text``, with its type."""
    return {n: e.type for e in _extract(text).entities for n in (e.name, *e.aliases)}


def _names(text: str) -> set[str]:
    return {e.name for e in _extract(text).entities}


def _members(text: str) -> set[tuple[str, str]]:
    return {(r.head.split(":", 1)[1], r.tail.split(":", 1)[1]) for r in _extract(text).relations
            if r.relation == "memberOf"}


# ---------------------------------------------------------------------------
# A term between the place and the body's word


def test_a_term_between_place_and_standing_committee_is_dropped_from_the_name():
    found = _entities("9月14日,吉林省十二届人大常委会第二十次会议在长春举行。")
    assert found.get("吉林省人大常委会") == "CongressBody"
    assert "吉林省十二届人大常委会" in found


def test_a_term_before_renda_makes_it_the_congress():
    names = _names("1月4日,参加延吉市十九届人大三次会议的代表们分组审议了报告。")
    assert "延吉市人民代表大会" in names
    # without a term an abbreviated 人大 stays too vague to name
    assert "延吉市人民代表大会" not in _names("延吉市人大常委会召开会议。市人大开展调研。")


def test_a_town_congress_with_its_term_is_the_congress_not_the_presidium():
    names = _names("日前,在灌南县新安镇召开的新安镇第十五届人民代表大会第九次会议上,代表们进行了票决。")
    assert "新安镇人民代表大会" in names


def test_the_province_of_a_headline_body_resolves_abbreviations_when_nothing_else_does():
    text = ("吉林省十二届人大常委会举行第二十次会议\n"
            "9月14日上午,省十二届人大常委会第二十次会议在长春举行。省人大常委会副主任王守臣出席会议。")
    assert ("王守臣", "吉林省人大常委会") in _members(text)


def test_the_long_form_of_a_standing_committee_is_named_short():
    found = _entities("湖南省人民代表大会常务委员会公告:现予公布。")
    assert found.get("湖南省人大常委会") == "CongressBody"
    assert "湖南省人民代表大会" not in found


# ---------------------------------------------------------------------------
# A town's bodies abbreviated to the level word


def test_a_town_chair_without_the_town_is_the_articles_town_congress():
    text = ("近日,连云港市赣榆区墩尚镇集市上人来人往。墩尚镇组织代表接待选民。"
            "鄭大爷在镇人大主席李斌的摊位前说着,镇党委书记王刚也来到现场。")
    members = _members(text)
    assert ("李斌", "墩尚镇人大") in members
    assert ("王刚", "墩尚镇党委") in members


def test_a_town_chair_after_the_town_is_its_presidium():
    assert ("王金礼", "石板镇人大") in _members("遵义市汇川区石板镇人大主席王金礼主持会议。")


def test_town_abbreviations_stay_unnamed_when_the_article_names_two_towns_alike():
    names = _names("遂溪县北坡镇和洋青镇代表参加活动。镇人大主席张三主持,镇党委书记李四讲话。")
    assert not any(n.endswith(("镇人大", "镇党委")) for n in names)


def test_a_class_of_town_bodies_is_no_name():
    names = _names("平邑县凤凰镇召开会议,部分乡镇人大主席、各镇党委书记参加。")
    assert "凤凰镇人大" not in names and "凤凰镇党委" not in names


def test_a_street_party_working_committee_abbreviated():
    names = _names("南京市鼓楼区宁海路街道召开会议。会上,街道党工委书记何美向讲话。")
    assert "宁海路街道党工委" in names


def test_a_town_government_named_in_full_is_an_organization():
    found = _entities("乐安县南村乡政府在条例的立法过程中组织有关工作人员深入村民中征求意见。")
    assert found.get("南村乡政府") == "Organization"
    assert "红堡镇政府" not in _names("调研组来到兰州市永登县红堡镇政府所在地调研。")


# ---------------------------------------------------------------------------
# Delegations and titles


def test_a_places_delegation_is_a_deputy_group():
    found = _entities("出席十三届全国人大一次会议的内蒙古代表团从呼和浩特出发。")
    assert found.get("内蒙古代表团") == "CongressBody"
    assert not any(n.endswith("代表团") for n in _names("农业代表团人大代表王晨发言。"))


def test_a_bureau_chiefs_title_is_no_bureau():
    names = _names("抚州市人大常委会召开会议。市教育局局长王明、市公安局副局长李强参加。")
    assert "抚州市教育局" in names and "抚州市公安局" in names
    assert not any(n.endswith(("局局", "副局")) for n in names)
