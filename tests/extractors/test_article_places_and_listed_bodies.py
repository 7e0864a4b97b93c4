"""The article's place from the
places it names most, lists of streets sharing one 街道人大工委, working committees
printed alone in a list of posts, public venues and services after a place, town
governments, deputies' days, rules named after a drafting verb and a year's plan."""
from __future__ import annotations

from renda_kg.extractors.context_resolver import ArticleContext, _by_frequency, _PlaceCounts
from renda_kg.extractors.records import Article, PlaceSpan, Sentence
from renda_kg.extractors.rules.congress import congress_bodies_in, listed_bodies
from renda_kg.extractors.rules.laws import drafted_rules, year_plans
from sample_texts import extract_text


def _entities(text: str) -> dict[str, str]:
    """Every name and alias of the entities extracted from ``text``, with its type."""
    return {n: e.type for e in extract_text(text + "\n").entities for n in (e.name, *e.aliases)}


# ---------------------------------------------------------------------------
# The article's place when no body is named in full


def _counts(spans_per_sentence: list[list[PlaceSpan]]) -> _PlaceCounts:
    sentences = tuple(Sentence(str(k), 0, 1, 0, 1, "body") for k in range(len(spans_per_sentence)))
    article = Article("t", 0, "h", sentences=sentences)
    return _PlaceCounts(article, lambda text: spans_per_sentence[int(text)])


_COUNTY = PlaceSpan(0, 3, "平邑县", "平邑县", "county", parents=("临沂市", "山东省"))
_VISITOR = PlaceSpan(0, 3, "费县", "费县", "county", parents=("临沂市", "山东省"))
_CITY = PlaceSpan(0, 3, "临沂市", "临沂市", "city", parents=("山东省",))


def test_the_county_named_twice_is_the_articles_place():
    ctx = _by_frequency(None, _counts([[_COUNTY], [_COUNTY]]))
    assert ctx == ArticleContext("山东省", "临沂市", "平邑县")
    assert ctx.place_for("县") == "平邑县" and ctx.place_for("市") == "临沂市"


def test_two_counties_named_once_each_give_no_county():
    assert _by_frequency(None, _counts([[_COUNTY], [_VISITOR]])) is None


def test_a_visiting_body_gives_way_to_the_place_named_most():
    visitor = ArticleContext("山东省", "临沂市", "费县")
    pc = _counts([[_VISITOR], [_COUNTY], [_COUNTY], [_COUNTY]])
    assert _by_frequency(visitor, pc).county == "平邑县"
    # named only twice: the body printed in full keeps the article
    assert _by_frequency(visitor, _counts([[_VISITOR], [_COUNTY], [_COUNTY]])) == visitor


def test_a_citys_article_gets_its_district_but_keeps_its_own_level():
    ctx = _by_frequency(ArticleContext("山东省", "临沂市", None), _counts([[_COUNTY]] * 3 + [[_CITY]]))
    assert ctx.place_for("县") == "平邑县" and ctx.main == "临沂市"


def test_abbreviations_resolve_in_an_article_that_never_names_its_body_in_full():
    names = _entities("平邑县开展民生实事项目督查\n\n5月7日,县人大常委会组织代表到平邑县第一中学视察。"
                      "县委副书记王明参加活动。")
    assert names.get("平邑县人大常委会") == "CongressBody"
    assert names.get("平邑县委") == "Organization"


# ---------------------------------------------------------------------------
# Congress bodies


def test_a_list_of_streets_sharing_one_working_committee():
    text = "会上,区领导为东关、西关、北城等3个街道人大工委授牌。"
    assert [m.name for m in listed_bodies(text, [])] == ["东关街道人大工委", "西关街道人大工委", "北城街道人大工委"]


def test_a_list_whose_count_differs_or_that_names_no_level_gives_nothing():
    assert listed_bodies("为东关、西关等5个街道人大工委授牌", []) == []
    assert listed_bodies("为东关、西关等乡镇人大主席团授牌", []) == []


def test_a_working_committee_printed_alone_in_a_list_of_posts():
    text = "市人大常委会副主任赵一、法工委主任王二出席会议"
    names = {m.name for m in congress_bodies_in(text, [])}
    assert "市人大常委会法工委" in names
    # no standing committee before it: nothing to attach it to
    assert not any(m.name.endswith("法工委") for m in congress_bodies_in("赵一、法工委主任王二出席", []))


def test_a_special_committee_of_a_standing_committee():
    names = _entities("平邑县人大常委会召开会议\n\n会议审议通过平邑县人大常委会内务司法委员会更名事项。")
    assert names.get("平邑县人大常委会内务司法委员会") == "CongressBody"


# ---------------------------------------------------------------------------
# Organisations


def test_venues_services_and_courts_after_a_place():
    names = _entities("平邑县人大常委会开展视察\n\n代表们先后到平邑县红色记忆展览馆、平邑县仲村人民法庭、"
                      "平邑县福康护理院和平邑县信息化建设管理中心视察。")
    for name in ("平邑县红色记忆展览馆", "平邑县仲村人民法庭", "平邑县福康护理院", "平邑县信息化建设管理中心"):
        assert names.get(name) == "Organization", name


def test_a_towns_peoples_government_but_not_its_bare_government_nor_a_year():
    names = _entities("平邑县人大常委会开展视察\n\n会议听取了保太镇人民政府的工作报告,"
                      "审议了保太镇2021年政府民生实事项目。")
    assert names.get("保太镇人民政府") == "Organization"
    assert not any("2021" in n for n in names)


# ---------------------------------------------------------------------------
# Programmes and documents


def test_a_deputies_day_before_activity_words():
    names = _entities("平邑县人大常委会开展活动\n\n向阳社区开展了人大代表接待日活动。")
    assert names.get("人大代表接待日") == "Programme"
    assert "代表节日" not in _entities("平邑县人大常委会开展活动\n\n社区开展代表节日活动。")


def test_rules_named_after_a_drafting_verb():
    text = "先后研究制定县人大常委会立法协商办法和基层立法联系点工作规定,"
    assert [m.name for m in drafted_rules(text)] == ["县人大常委会立法协商办法", "基层立法联系点工作规定"]
    assert drafted_rules("出台产业代表小组活动的相关工作办法、") == []
    assert drafted_rules("制定相关管理办法。") == []


def test_a_standing_committees_plan_for_a_year():
    got = year_plans("根据市人大常委会2025年工作要点,加强联系点建设")
    assert [(m.name, m.abbrev) for m in got] == [("市人大常委会2025年工作要点", "市")]
    assert year_plans("根据人大常委会工作要点") == []
