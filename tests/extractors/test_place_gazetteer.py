"""The five-level tree from jionlp and its matchers."""
import pytest

from renda_kg.extractors.place_gazetteer import PlaceGazetteer, town_stem


@pytest.fixture(scope="module")
def gaz():
    return PlaceGazetteer.default()


def test_five_levels_with_adcodes(gaz):
    (pingyi,) = gaz.by_name("平邑县")
    assert (pingyi.level, pingyi.adcode) == ("county", "371326")
    assert [a.name for a in gaz.ancestors(pingyi.node_id)] == ["临沂市", "山东省"]
    village = gaz.node("451425/驮堪乡/道念村")
    assert [a.name for a in gaz.ancestors(village.node_id)] == ["驮堪乡", "天等县", "崇左市", "广西壮族自治区"]


def test_municipalities_have_no_city_level(gaz):
    (chaoyang,) = [n for n in gaz.by_name("朝阳区") if n.adcode == "110105"]
    assert [a.name for a in gaz.ancestors(chaoyang.node_id)] == ["北京市"]
    assert [n.level for n in gaz.by_name("重庆市")] == ["province"]


def test_short_forms_and_ambiguous_names(gaz):
    found = {m.surface: m for m in gaz.find("广西和临沂的凤凰镇")}
    assert [c.name for c in found["广西"].candidates] == ["广西壮族自治区"]
    assert [c.name for c in found["临沂"].candidates] == ["临沂市"]
    assert len(found["凤凰镇"].candidates) > 5          # many towns share the name


def test_lookalike_radicals_are_folded_before_lookup(gaz):
    (m,) = [m for m in gaz.find("广⻄壮族自治区") if m.end - m.start == 7]
    assert m.candidates[0].name == "广西壮族自治区" and m.surface == "广⻄壮族自治区"


def test_town_short_forms_and_villages_only_under_anchors(gaz):
    (kaihua,) = gaz.by_name("开化县")
    text = "齐溪人大和道念村"
    assert gaz.short_forms_in(text, []) == []
    near = {m.surface: m.candidates[0].name for m in gaz.short_forms_in(text, [kaihua.node_id])}
    assert near == {"齐溪": "齐溪镇"}
    (tiandeng,) = gaz.by_name("天等县")
    assert {m.surface for m in gaz.short_forms_in(text, [tiandeng.node_id])} == {"道念村"}


def test_town_stem():
    assert town_stem("齐溪镇") == "齐溪" and town_stem("河西街道") == "河西" and town_stem("高镇") == ""


def test_unknown_node_raises(gaz):
    with pytest.raises(KeyError):
        gaz.ancestors("999999/无此镇")


def test_towns_of_cities_without_counties_hang_below_the_city(gaz):
    """东莞/中山/儋州/嘉峪关 list towns under a pseudo-county with the city's own adcode;
    it once made the city its own parent, and resolving such a town never returned."""
    (dongkeng,) = [n for n in gaz.by_name("东坑镇") if n.node_id.startswith("441900/")]
    assert [a.name for a in gaz.ancestors(dongkeng.node_id)] == ["东莞市", "广东省"]
    for city in ("东莞市", "中山市", "儋州市", "嘉峪关市"):
        (node,) = gaz.by_name(city)
        assert node.level == "city" and node.parent_id != node.node_id
        assert any(c.level == "town" for c in gaz.children(node.node_id))


def test_every_ancestor_walk_ends_at_a_province(gaz):
    """No cycles anywhere in the tree: every walk of every node (villages included)
    ends at a province within four steps, and no node is its own ancestor."""
    walked = 0
    for node in gaz.nodes():
        chain = gaz.ancestors(node.node_id)
        assert len(chain) <= 4 and node.node_id not in {a.node_id for a in chain}, node
        assert (chain[-1] if chain else node).level == "province", node
        walked += 1
    assert walked > 600_000


def test_ancestors_stop_on_a_damaged_tree():
    from renda_kg.extractors.place_gazetteer import PlaceNode
    damaged = PlaceGazetteer([PlaceNode("1", "甲市", "city", "2"), PlaceNode("2", "乙市", "city", "1")])
    assert [a.node_id for a in damaged.ancestors("1")] == ["2"]


def test_a_town_of_dongguan_is_found_in_an_article(gaz):
    """The reproducer of the hang: a short article naming a town of 东莞."""
    from renda_kg.extractors.entity_extractor import DocumentPlaces
    places = DocumentPlaces(gaz, ["代表们来到东莞市东坑镇开展活动。"])
    spans = places("代表们来到东莞市东坑镇开展活动。")
    assert {(p.name, p.parents) for p in spans} >= {("东坑镇", ("东莞市", "广东省"))}
