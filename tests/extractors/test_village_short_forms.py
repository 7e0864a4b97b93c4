"""Villages printed short before an area or a deputies' venue.

- a village or community the document names in full ("柳沟村", "尔林嘎查") printed by its
  stem before 片区 is a village-level area beside it, under the same town
  ("柳沟片区人大代表联络站" → 柳沟片区, in the town), and before a deputies' venue or
  group word the venue is that village's ("柳沟人大代表活动室" → in 柳沟村);
- 活动室 and 联络室 are station words when a place names them.

End-to-end through the whole pipeline with jionlp's tree, rules only (no tagger)."""
from __future__ import annotations

from sample_texts import entities_and_relations as run


def test_area_named_after_a_village_named_in_full():
    ents, rels = run("片区联络站开门迎客\n在平邑县卞桥镇柳沟村,各级人大代表组成代表小组。"
                     "柳沟片区人大代表联络站设在村委会,方便群众反映情况。")
    assert ("Place", "柳沟片区") in ents
    assert ("柳沟片区", "locatedIn", "卞桥镇") in rels
    assert ("LiaisonStation", "柳沟片区人大代表联络站") in ents
    assert ("柳沟片区人大代表联络站", "locatedIn", "柳沟片区") in rels


def test_venue_named_by_a_village_stem():
    ents, rels = run("村级活动室启用\n平邑县卞桥镇人大在柳沟村举行启动仪式,"
                     "镇人大主席介绍了柳沟人大代表活动室的基本情况。")
    assert ("LiaisonStation", "柳沟人大代表活动室") in ents
    assert ("柳沟人大代表活动室", "locatedIn", "柳沟村") in rels


def test_village_stem_elsewhere_and_class_of_rooms_are_no_venue():
    ents, _ = run("村级活动室启用\n平邑县卞桥镇人大在柳沟村举行启动仪式,强调了全县统一启用"
                  "村级人大代表活动室的意义,柳沟群众纷纷点赞。")
    assert not any(t == "LiaisonStation" for t, _ in ents)
    assert sum(1 for t, n in ents if t == "Place" and n.startswith("柳沟")) == 1
