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
