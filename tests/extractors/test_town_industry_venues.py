"""Recall of venues: stations and deputy groups named from a town and an industry,
stations a place builds for itself, places the tree names otherwise or lacks.

Rule tests hand places in from a small table (`known_places`); the end-to-end tests
run the whole pipeline with jionlp's tree, because what they pin is how the
gazetteer and the rules meet (a town printed with a newer suffix, an enumeration
of villages and its parent in the tree)."""
from __future__ import annotations

import pytest
from known_places import place_spans

from renda_kg.extractors.entity_extractor import DocumentPlaces
from renda_kg.extractors.place_gazetteer import PlaceGazetteer
from renda_kg.extractors.rules import sentence_mentions
from renda_kg.extractors.rules.places import localities_after, text_places
from sample_texts import entities_and_relations

KNOWN = {
    "湖北省": ("湖北省", "province", ()),
    "恩施市": ("恩施市", "county", ("恩施土家族苗族自治州", "湖北省")),
    "盛家坝镇": ("盛家坝镇", "town", ("恩施市", "湖北省")),
    "安吉县": ("安吉县", "county", ("湖州市", "浙江省")),
    "溪龙乡": ("溪龙乡", "town", ("安吉县", "湖州市", "浙江省")),
    "华埠镇": ("华埠镇", "town", ("开化县", "衢州市", "浙江省")),
    "横渠村": ("横渠村", "village", ("横渠镇", "眉县")),
    "开化县": ("开化县", "county", ("衢州市", "浙江省")),
    "武进": ("武进区", "county", ("常州市", "江苏省")),
}


def found(text: str, typ: str) -> dict[str, tuple]:
    """Rule mentions of a type: name → (aliases, kind)."""
    return {m.name: (m.aliases, m.kind) for m in sentence_mentions(text, place_spans(KNOWN, text)) if m.type == typ}


@pytest.fixture(scope="module")
def gaz():
    return PlaceGazetteer.default()


def _result(text: str):
    return entities_and_relations(text)


# -- 1. deputy groups and stations named from a town and an industry ----------

TEA = "近日，湖北省恩施市盛家坝镇茶产业代表小组联络站正式挂牌成立。浙江省安吉县溪龙乡白茶产业代表小组开展活动。"


def test_industry_starts_after_the_place_and_a_group_venue_is_a_station():
    groups, industries = found(TEA, "CongressBody"), found(TEA, "Industry")
    assert groups == {"盛家坝镇茶产业代表小组": (("茶产业代表小组",), "deputy_group"),
                      "溪龙乡白茶产业代表小组": (("白茶产业代表小组",), "deputy_group")}
    assert industries == {"茶产业": (("茶",), None), "白茶产业": (("白茶",), None)}
    assert found(TEA, "LiaisonStation") == {
        "盛家坝镇茶产业代表小组联络站": (("茶产业代表小组联络站",), "liaison_station")}


def test_a_single_character_industry_needs_a_place_or_quotes_before_it():
    text = "市人大常委会组建了茶产业代表小组和白茶产业代表小组。"
    assert set(found(text, "Industry")) == {"白茶产业"}


def test_town_printed_with_a_newer_suffix_is_matched_whole(gaz):
    """The tree has 盛家坝乡; the text prints 盛家坝镇: no stray 镇 starts the industry."""
    ents, rels = _result(TEA)
    place = ents[("Place", "盛家坝镇")]
    assert place.attr("node_id") == "422801/盛家坝乡" and place.attr("level") == "town"
    assert ("Place", "盛家坝乡") not in ents
    assert {("Industry", "茶产业"), ("Industry", "白茶产业"), ("CongressBody", "盛家坝镇茶产业代表小组"),
            ("CongressBody", "溪龙乡白茶产业代表小组"), ("LiaisonStation", "盛家坝镇茶产业代表小组联络站")} <= set(ents)
    assert {("盛家坝镇", "locatedIn", "恩施市"), ("盛家坝镇茶产业代表小组联络站", "locatedIn", "盛家坝镇"),
            ("盛家坝镇茶产业代表小组", "focusesOn", "茶产业")} <= rels


def test_a_suffix_variant_is_no_match_where_the_tree_name_is_printed_too(gaz):
    """"洛阳镇……洛阳街道居委会": the 街道 of the committee's name is no renamed town."""
    (county,) = [n for n in gaz.by_name("曾都区")]
    text = "曾都区洛阳镇九口堰村、洛阳街道居委会的代表"
    assert {m.surface for m in gaz.short_forms_in(text, [county.node_id])} >= {"洛阳镇"}
    assert "洛阳街道" not in {m.surface for m in gaz.short_forms_in(text, [county.node_id])}
    (renamed,) = [m for m in gaz.short_forms_in("在洛阳街道", [county.node_id]) if m.surface == "洛阳街道"]
    assert renamed.candidates[0].name == "洛阳街道"


# -- 2. stations a place builds for itself; station words ---------------------


def test_station_words_after_a_place():
    text = "考察组参观了华埠镇人大代表小组工作室、横渠村人大代表联民工作站和华埠镇人大代表联络工作站。"
    assert found(text, "LiaisonStation") == {
        "华埠镇人大代表小组工作室": ((), "liaison_station"),
        "横渠村人大代表联民工作站": ((), "liaison_station"),
        "华埠镇人大代表联络工作站": ((), "liaison_station")}


def test_quoted_station_word_after_a_town():
    text = "县人大常委会副主任到华埠镇“人大代表之家”检查指导。详细了解武进“人大代表之家”建设情况。"
    assert found(text, "LiaisonStation") == {"华埠镇人大代表之家": ((), "deputies_home")}


def test_station_built_by_a_town_or_village():
    text = "今年在横渠村建成“人大代表之家”，在华埠镇打造代表工作站。"
    assert found(text, "LiaisonStation") == {"横渠村人大代表之家": ((), "deputies_home"),
                                             "华埠镇代表工作站": ((), "liaison_station")}


def test_a_county_building_stations_or_a_count_is_no_named_station():
    text = "在开化县建成人大代表联络站。在华埠镇建成人大代表联络站12个。"
    assert found(text, "LiaisonStation") == {}


# -- 3. places: enumerations, text places -------------------------------------


def test_listed_localities_hang_below_the_first_ones_parent(gaz):
    text = "广东省云浮市云城区云城街道金山社区、向阳社区和星岩社区开展活动。"
    ents, rels = _result(text)
    assert ("Place", "向阳社区") in ents
    assert ents[("Place", "向阳社区")].attr("node_id") == "445302/云城街道/向阳社区"
    assert ("向阳社区", "locatedIn", "云城街道") in rels


def test_a_list_stops_at_another_suffix_or_a_function_word():
    known = {"九口堰村": ("九口堰村", "village", ("洛阳镇", "曾都区"))}
    text = "九口堰村、龚店村和各村、洛阳街道居委会"
    spans = place_spans(known, text)
    assert [p.surface for p in localities_after(text, spans)] == ["龚店村"]
    text = "九口堰村、洛阳街道居委会和村民代表"
    assert localities_after(text, place_spans(known, text)) == []


def test_a_text_place_holds_no_verb_and_no_numeral():
    for text in ("以《人民心声》的形式交市政府分解落实", "固原、中卫五市人大常委会负责人"):
        assert text_places(text, []) == []
    assert [p.surface for p in text_places("褚河街道人大工委", [])] == ["褚河街道"]


def test_places_the_tree_lacks_get_an_id_below_their_parent(gaz):
    node = gaz.node(PlaceGazetteer.child_id("445302/云城街道", "向阳社区"))
    assert node.level == "village" and [a.name for a in gaz.ancestors(node.node_id)][:2] == ["云城街道", "云城区"]
    with pytest.raises(KeyError):
        gaz.node("999999/无此镇/无此村")


def test_the_same_town_by_another_suffix_in_the_document_places(gaz):
    places = DocumentPlaces(gaz, ["湖北省恩施市盛家坝镇"])
    assert [(p.surface, p.name) for p in places("湖北省恩施市盛家坝镇")][-1] == ("盛家坝镇", "盛家坝镇")
