"""Places named in running text and stations named by them.

- a town printed by a full name several towns share, with nothing in the document to
  tell them apart, is still the place the text names (by that name, without a node);
- villages and communities named in running text by their suffix, away from any place
  above them ("对南塘村开设…", "在湄湘社区和文昌社区建设…"), with the last town named
  before them as parent;
- a 立法联系点 without 基层 when its place is printed right before it.

End-to-end through the whole pipeline with jionlp's tree, rules only (no tagger)."""
from __future__ import annotations

from sample_texts import entities_and_relations as run


def places(ents) -> set[str]:
    return {name for typ, name in ents if typ == "Place"}


# -- a town whose full name several towns share ------------------------------------


def test_ambiguous_town_printed_in_full_is_still_a_place():
    ents, rels = run("金川镇召开代表大会\n金川镇决定在全镇开展代表进站活动,镇人大主席团主持会议。")
    assert "金川镇" in places(ents)
    assert not any(h == "金川镇" and r == "locatedIn" for h, r, _ in rels)


def test_ambiguous_town_short_form_is_no_place():
    ents, _ = run("代表们来到金川调研,了解当地产业发展。")
    assert not {p for p in places(ents) if p.startswith("金川")}


def test_ambiguous_town_gives_its_station():
    ents, _ = run("代表们实地查看了白沙镇“人大代表之家”建设工作的具体情况。")
    assert ("LiaisonStation", "白沙镇人大代表之家") in ents


# -- villages and communities in running text ---------------------------------------


def test_communities_named_in_running_text():
    ents, _ = run("某县人大常委会调研\n按照代表全部进站要求,该镇决定在湄湘社区和文昌社区建设五星级代表联络站。")
    assert {"湄湘社区", "文昌社区"} <= places(ents)


def test_villages_after_a_verb_are_places():
    ents, _ = run("调研组对南塘村开设现实课堂的做法表示认同,希望梅岭村能立足地方特色,促进赤溪村各项事业发展。")
    assert {"南塘村", "梅岭村", "赤溪村"} <= places(ents)


def test_village_in_running_text_lies_in_the_town_named_before_it():
    ents, rels = run("威海市乳山市人大常委会视察\n乳山市人大常委会视察了大孤山镇对庄石村复兴公寓的改造情况。")
    assert "庄石村" in places(ents)
    assert ("庄石村", "locatedIn", "大孤山镇") in rels


def test_words_ending_in_a_village_suffix_are_no_places():
    ents, _ = run("走出农村又回到农村,助力乡村振兴,建设新农村,创建和谐社区,“我们村自2019年以来”,"
                  "全镇18个行政村,开展“健康进社区”“便民服务社区行”活动,打造试点示范村。")
    assert not {p for p in places(ents) if p.endswith(("村", "社区"))}


def test_a_person_named_like_a_village_after_a_title_is_no_place():
    ents, _ = run("自治区人大常委会召开会议,副主任洛桑江村指出,要做好代表工作。")
    assert "洛桑江村" not in places(ents)


# -- 立法联系点 without 基层 ---------------------------------------------------------


def test_legislative_contact_point_without_jiceng_after_its_place():
    ents, rels = run("滨州市人大常委会调研组深入邹平市立法联系点调研。")
    assert ents[("LiaisonStation", "邹平市立法联系点")].kind == "legislative_contact_point"
    assert ("邹平市立法联系点", "locatedIn", "邹平市") in rels


def test_legislative_contact_point_without_place_is_generic():
    ents, _ = run("这些建议通过立法联系点直达国家立法机关。")
    assert not [n for t, n in ents if t == "LiaisonStation"]


def test_a_noun_before_the_stem_makes_it_a_description():
    ents, _ = run("代表们先后考察了俄合拉生态文明旅游标杆村。")
    assert "标杆村" not in places(ents)
