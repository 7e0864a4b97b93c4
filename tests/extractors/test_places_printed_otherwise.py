"""Places printed otherwise than the tree files them
(an autonomous county without its peoples, a Beijing area office as a town), places
the tree lacks (zones, parks, scenic areas; villages and communities listed
together), short place names that only belong to another name, and stations
(代表活动站; one station printed with and without 人大).

End-to-end through the whole pipeline with jionlp's tree, rules only (no tagger):
what is pinned is how the gazetteer, the place finder and the rules meet."""
from __future__ import annotations

import pytest

from renda_kg.extractors.place_gazetteer import PlaceGazetteer
from sample_texts import entities_and_relations as run


@pytest.fixture(scope="module")
def gaz():
    return PlaceGazetteer.default()


def places(ents) -> set[str]:
    return {name for typ, name in ents if typ == "Place"}


# -- the gazetteer: printed forms the tree does not list ----------------------------


def test_autonomous_county_printed_with_its_level_word_only_is_the_county(gaz):
    (sunan,) = gaz.by_name("肃南裕固族自治县")
    found = {m.surface: m for m in gaz.find("肃南县人大常委会")}
    assert [c.node_id for c in found["肃南县"].candidates] == [sunan.node_id]
    assert found["肃南县"].candidates[0].name == "肃南裕固族自治县"     # the official name stays
    assert gaz.is_full_form("肃南县", sunan) and not gaz.is_full_form("肃南", sunan)


def test_a_beijing_area_office_is_found_as_the_town_it_is(gaz):
    found = {m.surface: m for m in gaz.find("昌平区马池口镇人大")}
    (town,) = found["马池口镇"].candidates
    assert town.node_id.endswith("/马池口地区") and town.name == "马池口镇"     # named as printed
    assert gaz.find("上游林场镇") == []          # a forest farm filed as 地区 is no town


def test_autonomous_county_printed_short_is_one_place_with_the_printed_alias():
    ents, _ = run("9月5日,肃南县大河乡组织人大代表观摩辖区重点项目。肃南裕固族自治县人大常委会有关负责同志参加。")
    county = ents[("Place", "肃南裕固族自治县")]
    assert "肃南县" in county.aliases and "肃南县" not in places(ents)
    assert "大河乡" in places(ents)


# -- short names inside another name ------------------------------------------------


def test_a_province_printed_only_inside_a_company_name_is_no_place():
    ents, _ = run("代表们先后到南阳市卧龙区，走访了河南仲景宛西制药股份有限公司等企业。")
    assert "河南省" not in places(ents) and "南阳市" in places(ents)


def test_a_place_printed_in_full_before_a_company_still_is_one():
    ents, _ = run("代表们先后到南阳市卧龙区，走访了河南省仲景宛西制药股份有限公司等企业。")
    assert "河南省" in places(ents)


# -- villages and communities listed together --------------------------------------


def test_a_community_listed_among_villages_is_a_place_below_the_town():
    text = "昌平区马池口镇组织代表先后到横桥村、白浮村、亭自庄社区、北小营村,查看人居环境整治情况。"
    ents, rels = run(text)
    assert {"横桥村", "白浮村", "北小营村", "亭自庄社区"} <= places(ents)
    assert ("亭自庄社区", "locatedIn", "马池口镇") in rels


def test_a_list_of_towns_does_not_take_a_village_level_word():
    ents, _ = run("昌平区马池口镇、南口镇和沙河地区组织人大代表开展视察,白浮村民代表参加。")
    assert "白浮村民" not in " ".join(places(ents))


# -- zones, parks and scenic areas --------------------------------------------------


def test_a_development_zone_after_its_county_is_a_place_below_it():
    ents, rels = run("调研组来到江苏省高邮市经济开发区和高邮市湖西新区,听取园区建设情况汇报。")
    assert "江苏省高邮市经济开发区" in places(ents) and "经济开发区" not in places(ents)   # as printed
    assert ("江苏省高邮市经济开发区", "locatedIn", "高邮市") in rels


def test_a_park_inside_a_zone_is_below_the_zone_and_the_short_town_inside_it_is_no_place():
    text = "代表们到临汾市,先后参观尧都区高新技术产业开发区屯里绿色食品产业园、尧庙。"
    ents, rels = run(text)
    assert {"尧都区高新技术产业开发区", "屯里绿色食品产业园"} <= places(ents)
    assert ("屯里绿色食品产业园", "locatedIn", "尧都区高新技术产业开发区") in rels
    assert "屯里镇" not in places(ents)


def test_a_named_park_without_a_place_before_it():
    ents, _ = run("3月8日,街道在碧塘园区举行人大代表联络站揭牌仪式。")
    assert "碧塘园区" in places(ents)


@pytest.mark.parametrize("text", [
    "方岗镇组织10余名人大代表在铸造园区项目施工现场讲解征地政策。",
    "他建议统筹规划、通盘考虑,合理布局景区、景点,形成整体效应。",
    "畅通园区企业与政府之间的沟通渠道,该园区和工业园区都设了站。",
])
def test_a_word_before_a_zone_word_is_no_zone(text):
    ents, _ = run(text)
    assert not {n for n in places(ents) if n.endswith(("园区", "景区"))}


# -- stations ------------------------------------------------------------------------


def test_a_village_deputies_activity_station_is_a_station():
    ents, rels = run("市人大常委会调研组到昌平区马池口镇白浮村代表活动站了解情况。")
    assert ("LiaisonStation", "昌平区马池口镇白浮村代表活动站") in ents
    assert ("昌平区马池口镇白浮村代表活动站", "locatedIn", "白浮村") in rels


def test_a_bare_activity_station_is_no_entity():
    ents, _ = run("当天上午,5名镇人大代表在活动站开展代表小组活动,代表活动站运行良好。")
    assert not [n for t, n in ents if t == "LiaisonStation"]


def test_one_station_printed_with_and_without_renda_is_one_entity():
    text = ("考察组来到湖滨区前进街道人大代表联络站参观。考察组表示,前进街道代表联络站工作思路清晰。"
            "前进街道人大代表联络站将继续发挥作用。")
    ents, _ = run(text)
    stations = [n for t, n in ents if t == "LiaisonStation"]
    assert len(stations) == 1 and stations[0].endswith("前进街道人大代表联络站")
