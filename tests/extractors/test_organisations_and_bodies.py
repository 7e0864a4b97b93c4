"""Recall of organisations and congress bodies on web-article sentences: offices,
public services and grass-roots bodies after a place, registered names, town party
committees, the parts and committees of a congress, reversed street committees and
deputy groups named by place or number."""
from __future__ import annotations

import pytest

from sample_texts import extract_text

#: A headline, then a sentence naming the county's standing committee in full, so
#: that abbreviations ("县卫健委") resolve to the article's county as in real reports.
LEAD = "平邑县人大常委会开展专题视察\n\n本报讯 平邑县人大常委会组织部分省市县人大代表开展专题视察。\n"


def _entities(body: str, lead: str = LEAD) -> dict[str, tuple[str, str | None, tuple[str, ...]]]:
    result = extract_text(lead + body + "\n")
    return {e.name: (e.type, e.attr("kind"), tuple(e.aliases)) for e in result.entities}


def _names(body: str, typ: str, lead: str = LEAD) -> set[str]:
    return {n for n, (t, _, _) in _entities(body, lead).items() if t == typ}


# ---------------------------------------------------------------------------
# Organisations


def test_commissions_and_their_abbreviations_resolve_to_the_county():
    found = _names("会议听取了县发展和改革委员会、县卫生健康委员会的报告,县发改委、县卫健委、县住建局负责人列席会议。",
                   "Organization")
    assert {"平邑县发展和改革委员会", "平邑县卫生健康委员会", "平邑县发改委", "平邑县卫健委", "平邑县住建局"} <= found


def test_courts_procuratorates_and_the_supervisory_commission():
    found = _names("代表们旁听了县人民法院的庭审,并听取了县人民检察院和县监察委员会的情况介绍。", "Organization")
    assert {"平邑县人民法院", "平邑县人民检察院", "平邑县监察委员会"} <= found


def test_trade_union_schools_hospitals_and_water_works():
    found = _names("视察组先后来到平邑县总工会、平邑县第一中学、县人民医院、保太镇卫生院和平邑县第一水厂。",
                   "Organization")
    assert {"平邑县总工会", "平邑县第一中学", "平邑县人民医院", "保太镇卫生院", "平邑县第一水厂"} <= found


def test_residents_and_villagers_committees_and_a_mediation_room():
    found = _names("代表们在保太镇黄安村村委会、河西街道向阳社区居委会和保太镇人民调解室接待群众。", "Organization")
    assert {"黄安村村委会", "保太镇人民调解室"} <= found
    assert any(n.endswith("向阳社区居委会") for n in found)


def test_a_village_committee_printed_with_the_villages_own_cun():
    # the village's 村 begins 村委会: "大龙街道新水坑村委会"
    found = _names("联络站位于番禺区大龙街道新水坑村委会,共有进站人大代表14名。", "Organization",
                   lead="番禺区人大常委会推进联络站建设\n\n本报讯 番禺区人大常委会推进联络站建设。\n")
    assert any(n.endswith("新水坑村委会") for n in found)


def test_town_party_committee_and_street_party_working_committee():
    found = _names("保太镇党委、河西街道党工委高度重视代表工作。", "Organization")
    assert {"保太镇党委", "河西街道党工委"} <= found


def test_companies_cooperatives_and_law_firms_keep_their_printed_names():
    found = _names("代表们走进临沂鲁南制药有限公司、平邑县金丰种植专业合作社,山东泰和律师事务所律师参加座谈。",
                   "Organization")
    assert {"临沂鲁南制药有限公司", "平邑县金丰种植专业合作社", "山东泰和律师事务所"} <= found


def test_generic_mentions_name_no_organisation():
    found = _names("有关部门和各学校、村委会、社区居委会要高度重视,县级医院和全县27所中小学参加,集团委托第三方评估。",
                   "Organization")
    assert not {n for n in found if n.endswith(("学校", "村委会", "居委会", "医院", "小学", "团委"))}


def test_a_level_word_and_a_class_of_schools_are_no_name():
    found = _names("海口市美兰区中小学(幼儿园)开学,平邑县各中学做好准备。", "Organization")
    assert not {n for n in found if n.endswith(("幼儿园", "中学"))}


# ---------------------------------------------------------------------------
# Congress bodies


def test_special_committees_after_renda_are_working_committees():
    ents = _entities("会议听取了甘肃省人大教科文卫委员会和甘肃省人大农业与农村委员会的报告。")
    assert ents["甘肃省人大教科文卫委员会"][:2] == ("CongressBody", "working_committee")
    assert ents["甘肃省人大农业与农村委员会"][:2] == ("CongressBody", "working_committee")
    # the congress itself is not renamed after its committee
    assert "甘肃省人大教科文卫委员会" not in ents.get("甘肃省人民代表大会", ("", None, ()))[2]


def test_working_committees_and_offices_of_a_standing_committee():
    ents = _entities("甘肃省人大常委会人代工委、甘肃省人大常委会选任联工委负责同志和海南省人大常委会办公厅工作人员参加。")
    assert ents["甘肃省人大常委会人代工委"][:2] == ("CongressBody", "working_committee")
    assert ents["甘肃省人大常委会选任联工委"][:2] == ("CongressBody", "working_committee")
    assert ents["海南省人大常委会办公厅"][0] == "Organization"


def test_an_abbreviated_working_committee_resolves():
    ents = _entities("县人大常委会财经工委主任张寿钦和县人大代表联系工委负责人参加。")
    assert ents["平邑县人大常委会财经工委"][:2] == ("CongressBody", "working_committee")
    assert ents["平邑县人大代表联系工委"][:2] == ("CongressBody", "working_committee")


def test_national_working_committee():
    ents = _entities("襄阳已完成全国人大常委会法工委交办的立法征询任务。")
    assert ents["全国人大常委会法工委"][:2] == ("CongressBody", "working_committee")


def test_street_working_committee_printed_with_renda_first():
    ents = _entities("人大大龙街道工委积极探索阵地下沉、代表下沉的模式。")
    assert ents["大龙街道人大工委"][:2] == ("CongressBody", "working_committee")
    assert "人大大龙街道工委" in ents["大龙街道人大工委"][2]


def test_a_phrase_between_renda_and_gongwei_is_no_street():
    ents = _entities("区人大常委会及各街道工委负责同志参加。")
    assert not [n for n in ents if n.endswith("工委")]


def test_street_liaison_working_committee_is_not_a_presidium():
    ents = _entities("联合街道人大联络工委迅速启动“流动”联络站工作。",
                     lead="蒸湘区人大常委会创新联络站\n\n本报讯 蒸湘区人大常委会创新开展联络站工作。\n")
    assert ents["联合街道人大联络工委"][:2] == ("CongressBody", "working_committee")
    assert "联合街道人大" not in ents


@pytest.mark.parametrize("body, name", [
    ("合肥市人大代表巢湖市第二代表小组开展第三季度代表小组活动。", "合肥市人大代表巢湖市第二代表小组"),
    ("重庆市第六届人大代表丰都联系组开展会前集中视察活动。", "重庆市人大代表丰都联系组"),
    ("平邑县保太镇人大代表第一小组开展活动。", "保太镇人大代表第一小组"),
])
def test_deputy_groups_named_by_place_or_number(body, name):
    ents = _entities(body)
    assert ents[name][:2] == ("CongressBody", "deputy_group")


def test_a_deputy_groups_workroom_is_no_group():
    ents = _entities("考察组先后参观了保太镇人大代表第一小组工作室。")
    assert not [n for n, v in ents.items() if v[1] == "deputy_group"]
