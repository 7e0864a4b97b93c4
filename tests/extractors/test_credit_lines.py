"""Recall on real web articles, area "credits": the people and outlets that credit and
source lines name, names listed after posts, and texts that start inside their body.

Each rule has a realistic sentence that fails without it and, where a false positive is
plausible, a negative example."""
from __future__ import annotations

import unicodedata

import pytest

from renda_kg.extractors.article_segmenter import credit_line, lead_credits, segment
from renda_kg.extractors.records import SourceDocument
from renda_kg.extractors.rules.persons import persons
from renda_kg.extractors.rules.registry import SentenceContext
from renda_kg.extractors.rules.websites import outlet_name, websites
from sample_texts import extract_text, pairs
from sample_texts import names_of as _names


def _doc(text: str) -> SourceDocument:
    return SourceDocument("web", "web.txt", text, "utf-8")


def _extract(text: str):
    return extract_text(text, doc_id="web")


def _relations(result, relation: str) -> set[tuple[str, str]]:
    return pairs(result, relation)


HEAD = "恩施市人大常委会推进产业代表小组建设\n"
BODY = "近日，恩施市人大常委会组织召开产业代表小组建设推进会。会议要求各乡镇人大进一步发挥代表作用。\n"


# --- 1. credit lines: authors are authorOf the article, editors are persons only -------

def test_correspondents_separated_by_spaces_are_authors():
    r = _extract(HEAD + "通讯员 张红芳 付慧玲 秦诗蓉\n" + BODY + "发布时间：2024-06-03　编辑：杨柳　审核：陈刚\n")
    authors = {p for p, _ in _relations(r, "authorOf")}
    assert authors == {"张红芳", "付慧玲", "秦诗蓉"}
    assert {"杨柳", "陈刚"} <= _names(r, "Person")          # editor, reviewer: persons only
    assert "通讯员" not in _names(r, "Person")


def test_byline_mark_does_not_make_the_role_a_name():
    """"□ 通讯员 A B" used to give a Person 通讯员 authorOf the article."""
    a = segment(_doc(HEAD + "□ 通讯员 张红芳 付慧玲\n" + BODY)).articles[0]
    assert [x.name for x in a.authors] == ["张红芳", "付慧玲"]


def test_names_spaced_out_by_ocr_and_outlet_in_front():
    outlet, credits = credit_line("■ 本报通讯员 杨 艳 代小河")
    assert outlet == "本报" and [c.name for c in credits] == ["杨艳", "代小河"]
    outlet, credits = credit_line("河南法制报记者 林栋 通讯员 张素珍")
    assert outlet == "河南法制报" and [(c.role, c.name) for c in credits] == [("记者", "林栋"), ("通讯员", "张素珍")]


@pytest.mark.parametrize("line, authors", [
    ("作者：王翔 李明", ("王翔", "李明")),
    ("文/李明", ("李明",)),
    ("撰稿：于代兄 编辑：包晓峰 责编：达来 审核：梅英", ("于代兄",)),
    ("（作者：王丽）", ("王丽",)),
])
def test_credit_lines_give_the_articles_authors(line, authors):
    a = segment(_doc(HEAD + line + "\n" + BODY)).articles[0]
    assert tuple(x.name for x in a.authors) == authors


def test_reporter_in_the_paragraphs_opening_credits_is_author():
    text = HEAD + "本报讯（记者 江忱菊 通讯员 黄文）12月25日，恩施市人大常委会召开代表小组建设推进会。\n"
    r = _extract(text)
    assert {p for p, _ in _relations(r, "authorOf")} == {"江忱菊", "黄文"}
    # the rules read normalised text: ASCII brackets and commas
    assert [c.name for c in lead_credits("湖北日报讯 (记者邓伟、通讯员仁轩)5月28日,省人大常委会")] == ["邓伟", "仁轩"]


def test_editors_and_photographers_are_persons_without_relation():
    r = _extract(HEAD + BODY + "（编辑：晓东   责编：徐声辉）\n摄影：王强\n")
    assert {"晓东", "徐声辉", "王强"} <= _names(r, "Person")
    assert not _relations(r, "authorOf")


def test_an_office_or_a_word_after_a_role_is_nobody():
    assert credit_line("作者：县人大办") is None
    assert credit_line("记者手记") is None
    assert credit_line("村民陈兴琴高兴地对记者说") is None
    r = _extract(HEAD + "作者：县人大办\n" + BODY)
    assert "县人大办" not in _names(r, "Person") and not _relations(r, "authorOf")


# --- 2. names listed after posts ---------------------------------------------------------

def _persons(sentence: str) -> set[str]:
    """The names the family finds in a sentence, normalised as the pipeline does (NFKC)."""
    return {m.name for m in persons(SentenceContext.of(unicodedata.normalize("NFKC", sentence)))}


@pytest.mark.parametrize("sentence, names", [
    ("县人大常委会副主任王明、李强出席会议。", {"王明", "李强"}),
    ("市人大代表张海峰、刘红梅、陈晓东参加活动。", {"张海峰", "刘红梅", "陈晓东"}),
    ("盛家坝镇二官寨村党支部书记张文华介绍了情况。", {"张文华"}),
    ("恩施市某茶业有限公司董事长李四说，联络站帮了大忙。", {"李四"}),
    ("由华容区选出的鄂州市第八届人民代表大会代表孙炜、廖述新，因工作调整已调离。", {"孙炜", "廖述新"}),
])
def test_names_after_a_post_and_in_its_list(sentence, names):
    assert names <= _persons(sentence)


@pytest.mark.parametrize("sentence, word", [
    ("联络站架起了代表和群众之间的连心桥。", "和群众"),
    ("群众对代表满意，代表连线群众。", "满意"),
    ("主任区人大常委会办公室负责联系。", "区人大"),
])
def test_words_after_a_post_are_no_names(sentence, word):
    assert word not in _persons(sentence)


# --- 3. media: sources, WeChat accounts, datelines, credits' outlets -----------------

@pytest.mark.parametrize("value, name", [
    ("恩施日报", "恩施日报"), ("海盐人大", "海盐人大"), ("深圳新闻网", "深圳新闻网"),
    ("新湖南客户端", "新湖南客户端"), ("吉林人大微信公众号", "吉林人大"), ("人民之声月刊", "人民之声月刊"),
    ("本网", None), ("客户端", None), ("微信公众号", None), ("市人大", None),
    ("光山县人大常委会", None), ("阳朔县人大常委会办公室", None), ("县融媒体中心", None),
])
def test_outlet_names(value, name):
    assert outlet_name(value) == name


def test_source_line_names_the_outlet():
    r = _extract(HEAD + "发布时间：2024-05-12 09:30　来源：恩施日报　编辑：徐佳\n" + BODY)
    assert "恩施日报" in _names(r, "Media") and "徐佳" in _names(r, "Person")
    r = _extract(HEAD + "来源：光山县人大常委会\n" + BODY)
    assert not _names(r, "Media")


def test_wechat_header_and_repost_lines_name_the_outlet():
    r = _extract(HEAD + "原创 恩施人大 2024年06月03日 18:30 湖北\n" + BODY + "转自：湖北日报\n")
    assert {"恩施人大", "湖北日报"} <= _names(r, "Media")


def test_dateline_and_credit_outlets():
    def media(sentence: str) -> set[str]:
        ctx = SentenceContext.of(unicodedata.normalize("NFKC", sentence))
        return {m.name for m in websites(ctx) if m.type == "Media"}
    assert media("湖南日报·新湖南客户端10月2日讯（记者 李璐倩）9月30日，永兴县联络站投入使用。") == \
        {"湖南日报", "新湖南客户端"}
    assert media("记者苏强摄黑龙江日报11月13日讯日前，哈尔滨市一批联络站揭牌。") == {"黑龙江日报"}
    assert media("本报讯（记者 江忱菊）12月25日，丰都联系组开展视察。") == set()
    assert media("海口9月5日讯（海南日报全媒体记者黎鹏）按照部署开展调研。") == {"海南日报"}


def test_a_reposting_sites_place_does_not_resolve_the_article():
    """A publication line is the page's text: its place does not decide what "市" means."""
    text = ("辽阳市人大代表开展集中视察活动\n来源: 平度市人大常委会办公室\n"
            "近日，辽阳市人大常委会组织市人大代表开展集中视察。市人大常委会主任出席。\n")
    r = _extract(text)
    about = _relations(r, "about")
    assert about and all(body.startswith("辽阳市") for _, body in about)


# --- 4. a text that starts inside its body has no headline ----------------------------

def test_one_line_text_without_headline_has_no_article():
    text = "近日，湖北省恩施市盛家坝镇茶产业代表小组联络站正式挂牌成立。浙江省安吉县溪龙乡白茶产业代表小组开展活动。"
    doc = segment(_doc(text))
    assert [a.headline for a in doc.articles] == [""]
    assert {s.kind for s in doc.articles[0].sentences} == {"body"}
    r = _extract(text)
    assert not _names(r, "Article") and not _relations(r, "about")


@pytest.mark.parametrize("first", [
    "2月23日，四屏镇第二届人民代表大会第四次会议召开",                 # a body opener, no full stop
    "一年初始迎盛会，群贤聚首谋大计。2月23日，四屏镇人代会召开。",     # a full stop inside
    "“以前有诉求不知道找谁？现在扫码就能点单。”",                     # a question with text after it
])
def test_body_lines_are_no_headline(first):
    a = segment(_doc(first + "\n" + BODY)).articles[0]
    assert a.headline == ""


def test_navigation_lines_are_skipped_for_the_headline():
    text = "当前位置：首页 > 工作动态 > 正文\n微博\n" + HEAD + "发布时间：2024-05-12\n" + BODY
    a = segment(_doc(text)).articles[0]
    assert a.headline == "恩施市人大常委会推进产业代表小组建设"
    assert a.published == "2024-05-12"


def test_headline_ending_in_a_question_mark_stays():
    a = segment(_doc("代表履职，为啥这么拼？\n" + BODY)).articles[0]
    assert a.headline == "代表履职,为啥这么拼?"
