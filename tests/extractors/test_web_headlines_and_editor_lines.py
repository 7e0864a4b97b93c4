"""Headlines of web pages, the persons of editor and
source lines, credits that close an article, outlets printed as page furniture, and
names the surname list or jieba cut short.

Each rule has a realistic text that fails without it and, where a false positive is
plausible, a negative example."""
from __future__ import annotations

import pytest

from renda_kg.extractors.article_segmenter import _meta_fields, segment
from renda_kg.extractors.records import SourceDocument
from renda_kg.extractors.rules.persons import looks_like_name, persons
from renda_kg.extractors.rules.registry import SentenceContext
from renda_kg.extractors.rules.titles import titles
from renda_kg.extractors.rules.websites import websites
from sample_texts import extract_text, pairs
from sample_texts import names_of as _names


def _doc(text: str) -> SourceDocument:
    return SourceDocument("web", "web.txt", text, "utf-8")


def _article(text: str):
    return segment(_doc(text)).articles[0]


def _extract(text: str):
    return extract_text(text, doc_id="web")


def _authors(result) -> set[str]:
    return {head for head, _ in pairs(result, "authorOf")}


HEAD = "柘城县人大常委会开展代表联络站专题视察\n"
BODY = "近日，柘城县人大常委会组织部分代表视察全县代表联络站建设。代表们查看了站点台账。\n"
MORE = "视察组要求进一步规范代表进站履职，推动群众意见建议及时办理。\n"


# --- 1. the headline of a web page is the line above its publication line ----------

@pytest.mark.parametrize("furniture", [
    "县区动态",                                       # a column label
    "打造人大宣传阵地 讲好基层民主故事",                  # the site's slogan
    "今日要闻 县区动态 代表风采 图片新闻 视频专区",          # a menu
])
def test_headline_is_the_line_above_the_publication_line(furniture):
    a = _article(f"{furniture}\n{HEAD}来源：柘城人大网 时间：2024-04-12 访问量：\n{BODY}")
    assert a.name == "柘城县人大常委会开展代表联络站专题视察"
    assert a.source == "柘城人大网"


def test_a_dash_line_above_the_publication_line_is_the_subheadline():
    a = _article(f"{HEAD}——记城关镇人大代表联络站\n发布时间：2024-04-12\n{BODY}")
    assert (a.headline, a.subheadline) == ("柘城县人大常委会开展代表联络站专题视察", "——记城关镇人大代表联络站")


def test_a_publication_line_after_the_text_does_not_move_the_headline():
    a = _article(HEAD + BODY + MORE + "短评一则\n发布时间：2024-04-12 来源：柘城人大网\n")
    assert a.name == "柘城县人大常委会开展代表联络站专题视察"


def test_a_masthead_line_is_no_headline_and_names_a_medium():
    text = "《柘城人大》电子版\n柘城县 人大代表视察代表联络站建设\n" + BODY
    assert _article(text).name == "柘城县人大代表视察代表联络站建设"
    assert "柘城人大" in _names(_extract(text), "Media")
    # a headline that is a law's title with a verb is still the headline
    assert _article("《柘城县养犬管理条例》明起施行\n" + BODY).name == "《柘城县养犬管理条例》明起施行"


def test_an_outlet_line_without_labels_is_a_publication_line():
    assert _meta_fields("商丘日报李晓静2023-11-08 10:12") == {
        "published": "2023-11-08 10:12", "source": "商丘日报", "authors": ("李晓静",)}
    assert _meta_fields("商丘日报海外版2023-11-08") is None        # an edition, not a name
    assert _meta_fields("各地代表开展视察2023年11月8日") is None
    a = _article("商丘新闻\n" + HEAD + "商丘日报李晓静2023-11-08 10:12\n" + BODY)
    assert (a.name, [x.name for x in a.authors]) == ("柘城县人大常委会开展代表联络站专题视察", ["李晓静"])


# --- 2. editor and source lines name persons ----------------------------------------

def test_editor_lines_on_their_own_name_persons_not_authors():
    r = _extract(HEAD + BODY + "编辑：邵文静\n审核人：潘国栋\n")
    assert {"邵文静", "潘国栋"} <= _names(r, "Person")
    assert _authors(r) == set()
    assert _article(HEAD + BODY + "编辑：邵文静\n").name == "柘城县人大常委会开展代表联络站专题视察"


def test_a_source_field_that_lists_people():
    meta = "来源:韩立新 陶思远 2025-03-02 09:15 责编:梁静 潘国栋 邹红"   # normalised text
    found = {m.name for m in persons(SentenceContext.of(meta, kind="meta"))}
    assert found == {"韩立新", "陶思远", "梁静", "潘国栋", "邹红"}
    # an outlet or a single place in the field is nobody
    for meta in ("来源:柘城人大网 编辑:邹红", "来源:高桥镇 编辑:邹红"):
        assert {m.name for m in persons(SentenceContext.of(meta, kind="meta"))} == {"邹红"}


# --- 3. credits closing the text are its authors -------------------------------------

@pytest.mark.parametrize("closing, authors", [
    ("视察组对联络站建设给予肯定。（韩立新 陶思远）\n", ("韩立新", "陶思远")),
    ("视察组对联络站建设给予肯定。\n（县人大办 邹红）\n", ("邹红",)),
    ("视察组对联络站建设给予肯定。（记者 赖晓峰）\n相关新闻\n上一篇：县人大召开主任会议\n", ("赖晓峰",)),
])
def test_names_in_brackets_closing_the_text_are_authors(closing, authors):
    assert tuple(x.name for x in _article(HEAD + BODY + closing).authors) == authors


@pytest.mark.parametrize("closing", [
    "全年安排资金120万元（单位：万元）\n",
    "会议审议通过了实施办法（试行）。\n",
    "代表们参观了联络站（资料图片）\n",
    "视察组一行（韩立新 陶思远）先后来到城关镇。代表们查看了台账。\n",   # not at the end
])
def test_other_closing_brackets_are_no_credits(closing):
    assert _article(HEAD + BODY + closing).authors == ()


def test_opening_credits_after_a_photo_caption():
    text = HEAD + "代表们在联络站查看台账。\n柘城网讯（通讯员 韩立新摄影报道）4月10日，柘城县人大常委会组织代表视察。\n"
    r = _extract(text)
    assert _authors(r) == {"韩立新"}
    assert "报道" not in _names(r, "Person")


# --- 4. outlets printed as furniture ------------------------------------------------

def test_the_outlet_line_under_the_publication_line_and_a_link_home():
    r = _extract(HEAD + "来源：城关镇 编辑：邹红 2024-04-12 16:00\n" + BODY + "返回柘城新闻网首页\n")
    assert _names(r, "Media") == {"柘城新闻网"}
    r = _extract(HEAD + "来源：城关镇 编辑：邹红 2024-04-12 16:00\n商丘晚报\n" + BODY)
    assert "商丘晚报" in _names(r, "Media")
    # a column heading there is no outlet, nor is a labelled field
    r = _extract(HEAD + "来源：城关镇 编辑：邹红 2024-04-12 16:00\n相关新闻\n" + BODY)
    assert _names(r, "Media") == set()
    ctx = SentenceContext.of("来源:商丘日报", kind="meta")
    assert {m.name for m in websites(ctx)} == {"商丘日报"}


def test_a_headline_ending_like_an_outlet_is_still_the_headline():
    assert _article("代表在线\n" + BODY).name == "代表在线"
    assert _article("商丘日报\n" + HEAD + BODY).name == "柘城县人大常委会开展代表联络站专题视察"


def test_a_title_before_a_masthead_word_is_a_medium():
    ctx = SentenceContext.of("《柘城人大》数字报", kind="heading")
    assert [(m.type, m.name) for m in titles(ctx)] == [("Media", "柘城人大")]


# --- 5. names ---------------------------------------------------------------------

@pytest.mark.parametrize("sentence, name", [
    ("县人大常委会副主任赖建华出席会议。", "赖建华"),
    ("县政协副主席、民进县委主委畅文斌参加视察。", "畅文斌"),
    ("村党支部书记代红军介绍了村里的情况。", "代红军"),
    ("调研由镇人大主席王卫星同志主持。", "王卫星"),
    ("县人大常委会主任、党组书记荀建栖主持了会议。", "荀建栖"),
])
def test_names_the_surname_list_or_jieba_cut_short(sentence, name):
    assert {m.name for m in persons(SentenceContext.of(sentence))} == {name}


def test_frequent_words_after_a_new_surname_are_no_names():
    assert not any(looks_like_name(w) for w in ("代表", "代理", "畅通", "铁路"))
    assert looks_like_name("代红军") and looks_like_name("畅文")
    assert persons(SentenceContext.of("县人大常委会主任代表主任会议作工作报告。")) == []


def test_persons_appointed_in_a_list():
    s = "会议决定任命韩立新、陶思远同志为县人民政府副县长。"
    assert {m.name for m in persons(SentenceContext.of(s))} >= {"韩立新", "陶思远"}
    assert persons(SentenceContext.of("会议表决通过了任命事项。")) == []
