"""Context resolution on the real articles of the seed pages."""
from __future__ import annotations

from known_places import place_spans

from renda_kg.extractors.context_resolver import ArticleContext, article_context, resolve
from renda_kg.extractors.records import Mention, PlaceSpan
from renda_kg.extractors.rules import sentence_mentions
from renda_kg.extractors.rules.places import text_places

KNOWN = {
    "山东省": ("山东省", "province", ()), "山东": ("山东省", "province", ()),
    "临沂市": ("临沂市", "city", ("山东省",)), "临沂": ("临沂市", "city", ("山东省",)),
    "潍坊市": ("潍坊市", "city", ("山东省",)), "江苏省": ("江苏省", "province", ()),
    "江苏": ("江苏省", "province", ()), "仪征市": ("仪征市", "county", ("扬州市", "江苏省")),
    "浙江省": ("浙江省", "province", ()), "浙江": ("浙江省", "province", ()),
    "开化县": ("开化县", "county", ("衢州市", "浙江省")), "河南省": ("河南省", "province", ()),
    "河南": ("河南省", "province", ()), "禹州市": ("禹州市", "county", ("许昌市", "河南省")),
}


def finder(text: str) -> list[PlaceSpan]:
    spans = place_spans(KNOWN, text)
    return sorted(spans + text_places(text, spans), key=lambda p: p.start)


def province(short: str | None) -> str | None:
    return KNOWN.get(short or "", (None,))[0]


def test_level_words_pick_the_place_of_that_level():
    ctx = ArticleContext("山东省", "临沂市", None)
    assert (ctx.place_for("省"), ctx.place_for("市"), ctx.place_for("县"), ctx.place_for("")) == \
        ("山东省", "临沂市", None, "临沂市")
    county_city = ArticleContext("吉林省", None, "大安市")
    assert county_city.place_for("市") == "大安市"
    # "县委" in an article about 昌乐市 (a county-level city) is 昌乐县委
    assert ArticleContext("山东省", "潍坊市", "昌乐市").place_for("县") == "昌乐县"
    assert ArticleContext("辽宁省", "抚顺市", "望花区").place_for("区") == "望花区"
    assert ArticleContext("辽宁省", "抚顺市", "望花区").place_for("县") is None


def test_abbreviations_become_the_named_entity():
    ctx = ArticleContext("山东省", "临沂市", None)
    text = "将代表小组活动重要成果以市人大常委会党组文件的形式报送市委,在全国人代会或省人代会期间提出"
    got = {(m.type, m.name): m for m in resolve(sentence_mentions(text, []), ctx)}
    assert ("Organization", "临沂市人大常委会党组") in got
    assert ("CongressBody", "临沂市人大常委会") in got
    assert ("Organization", "临沂市委") in got
    assert ("CongressBody", "山东省人民代表大会") in got
    committee = got[("CongressBody", "临沂市人大常委会")]
    assert committee.extractor == "context" and committee.weak == ("市人大常委会",)


def test_unresolvable_abbreviations_are_dropped():
    ctx = ArticleContext("安徽省", None, "定远县")
    mentions = [Mention("Organization", "市委", 0, 2, "市委", abbrev="市", tail="委"),
                Mention("Organization", "县委", 3, 5, "县委", abbrev="县", tail="委")]
    assert [m.name for m in resolve(mentions, ctx)] == ["定远县委"]


def test_bare_congress_session_is_the_articles_own():
    ctx = ArticleContext("浙江省", None, "开化县")
    text = "聚焦县委决策部署和人代会确定的目标任务"
    got = {m.name: m for m in resolve(sentence_mentions(text, []), ctx)}
    assert set(got) == {"开化县委", "开化县人民代表大会"}
    assert "人代会" in got["开化县人民代表大会"].weak


def test_article_context_from_the_first_full_body_name(segmented_seeds):
    article = segmented_seeds["000"].articles[0]
    assert article_context(article, finder, province) == ArticleContext("山东省", "临沂市", None)
    article = segmented_seeds["000"].articles[1]          # the position names 河南省禹州市人大常委会
    assert article_context(article, finder, province) == ArticleContext("河南省", None, "禹州市")


def test_position_from_another_province_is_not_trusted(segmented_seeds):
    # page 001: a column break puts 丁雪海's position (江苏省仪征市…) under 王永超 (山东)
    article = segmented_seeds["001"].articles[2]
    assert [a.province for a in article.authors] == ["山东"]
    assert "仪征" in article.author_position
    ctx = article_context(article, finder, province)
    assert ctx == ArticleContext("山东省", "潍坊市", "昌乐市")
    assert ctx.place_for("县") == "昌乐县"


def test_autonomous_region_abbreviation_needs_an_autonomous_region():
    from renda_kg.extractors.context_resolver import ArticleContext
    assert ArticleContext(province="广西壮族自治区").place_for("自治区") == "广西壮族自治区"
    assert ArticleContext(province="山东省").place_for("自治区") is None
    assert ArticleContext(province="广西壮族自治区").place_for("省") is None
