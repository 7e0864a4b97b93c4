"""Publication lines that
print their date first, outlets listed with 、 before a reporter, credit labels printed
spaced out, closing credits, photographers' credits inside the text, lines of bare names,
photo notes that are no headline, pinyin glosses, names after more posts, rolls of names
the tagger finds, and names jieba cuts short after a title.

Each rule has a realistic made-up text that fails without it and a negative example."""
from __future__ import annotations

from renda_kg.extractors.article_segmenter import _meta_fields, name_line, segment
from renda_kg.extractors.ner_candidates import sentence_candidates
from renda_kg.extractors.ner_tagger import NerSpan
from renda_kg.extractors.records import SourceDocument
from renda_kg.extractors.rules.persons import persons
from renda_kg.extractors.rules.registry import SentenceContext
from renda_kg.extractors.text_normaliser import normalise
from sample_texts import extract_text, pairs
from sample_texts import names_of as _names


def _doc(text: str) -> SourceDocument:
    return SourceDocument("web", "web.txt", text, "utf-8")


def _extract(text: str):
    return extract_text(text, doc_id="web")


def _authors(result) -> set[str]:
    return {head for head, _ in pairs(result, "authorOf")}


def _persons(text: str) -> set[str]:
    return {m.name for m in persons(SentenceContext.of(text))}


# --- publication lines ----------------------------------------------------------------

def test_a_publication_line_may_print_its_date_first():
    data = _meta_fields("2023-05-12 10:19 来源:南江日报 作者:记者林晓军 李亚峰 通讯员欧阳雪")
    assert data["published"] == "2023-05-12 10:19" and data["source"] == "南江日报"
    assert data["authors"] == ("林晓军", "李亚峰", "欧阳雪")
    text = ("南江镇人大代表票决8项民生项目\n\n2023-05-12 10:19 来源:南江日报 作者:记者林晓军 李亚峰\n\n"
            "5月10日,南江镇第十八届人民代表大会第三次会议召开。\n")
    assert {"林晓军", "李亚峰"} <= _authors(_extract(text))


def test_a_dated_sentence_is_no_publication_line():
    assert _meta_fields("2023-05-12 10:19 代表们来到联络站") is None


def test_outlets_listed_with_a_comma_before_the_reporter():
    text = ("代表履职记:“民声”定“民生”\n\n新南江客户端、南江网记者 贺立明\n\n"
            "过去一年,南江县人大代表在联络站征求群众意见。\n")
    result = _extract(text)
    assert {"新南江客户端", "南江网"} <= _names(result, "Media")
    assert "贺立明" in _authors(result)


def test_a_list_of_words_before_a_reporter_is_no_outlet():
    text = "代表履职记\n\n调研、座谈记者 贺立明\n\n过去一年,南江县人大代表在联络站征求群众意见。\n"
    assert "调研" not in _names(_extract(text), "Media")


# --- credit labels, closing credits -----------------------------------------------------

def test_a_credit_label_printed_spaced_out_loses_its_space():
    assert normalise("编 辑: 沈丽娟\n一 审:肖 敏\n").text.split("\n")[:2] == ["编辑: 沈丽娟", "一审:肖 敏"]
    text = ("县人大代表开展集中视察\n本报讯(记者 江小菊)12月5日,县人大代表开展集中视察。\n"
            "县人大常委会副主任易国平陪同视察。\n记 者:江小菊\n编 辑:夏朝红\n一 审:肖 敏\n")
    result = _extract(text)
    assert {"夏朝红", "肖敏"} <= _names(result, "Person")
    assert _names(result, "Article") == {"县人大代表开展集中视察"}      # the closing credit anchors nothing
    assert _authors(result) == {"江小菊"}


def test_a_spaced_heading_is_not_a_label():
    assert normalise("代 表:履职\n").text.startswith("代 表")


def test_a_credit_under_its_headline_still_anchors_the_article():
    doc = segment(_doc("县人大代表开展集中视察\n记者:江小菊\n12月5日,县人大代表开展集中视察。\n"))
    assert doc.articles[0].headline == "县人大代表开展集中视察"
    assert [a.name for a in doc.articles[0].authors] == ["江小菊"]


# --- credits inside the text ------------------------------------------------------------

def test_photo_credits_inside_the_text():
    assert {"严立新", "郭立红"} <= _persons("会议现场。严立新摄据悉,居民送来锦旗(图/郭立红)")
    assert "和冠华" in _persons("本报记者 和冠华摄昨晚,市人大代表来到社区。")


def test_a_verb_ending_in_she_is_no_photo_credit():
    assert _persons("他们拍摄了照片,并观看了摄影展。") == set()


# --- lines of names alone ---------------------------------------------------------------

def test_a_line_of_names_alone_credits_the_article():
    assert [c.name for c in name_line("覃小心 张云海")] == ["覃小心", "张云海"]
    text = ("让代表“点菜”办实事\n\n蔡荣华\n\n2010年1月15日下午,力洋镇人大代表票决十大实事工程。\n")
    result = _extract(text)
    assert "蔡荣华" in _authors(result)


def test_a_headless_text_with_a_name_line_has_no_article():
    text = "(资料图片仅供参考)\n覃小心 张云海\n1月14日,自治区人大一次会议举行第二次全体会议。\n"
    result = _extract(text)
    assert {"覃小心", "张云海"} <= _names(result, "Person")
    assert _names(result, "Article") == set()


def test_words_are_no_name_line():
    assert name_line("文摘") == [] and name_line("安徽") == [] and name_line("分享到") == []
    assert name_line("第一章 总则") == []


# --- pinyin glosses ---------------------------------------------------------------------

def test_pinyin_glosses_are_dropped():
    norm = normalise("來安推行民生實(shí)事票決制\n責(zé)任編輯:楊璐\n")
    assert norm.text.split("\n")[:2] == ["来安推行民生实事票决制", "责任编辑:杨璐"]
    start = norm.text.index("票决")
    assert norm.to_raw(start, start + 2)[0] == "來安推行民生實(shí)事票決制".index("票")
    assert "杨璐" in _names(_extract("來安推行民生實(shí)事票決制\n\n今年,來安縣推行票決制。\n\n責(zé)任編輯:楊璐\n"),
                           "Person")


def test_brackets_without_tone_marks_stay():
    assert normalise("附件(a)和附件(b)\n").text.startswith("附件(a)和附件(b)")


# --- names after posts ------------------------------------------------------------------

def test_names_after_more_posts():
    assert "潘建华" in _persons("市人大常委会秘书长潘建华等参加活动。")
    assert "蔡永明" in _persons("区人大常委会主任朱清华,常务副区长蔡永明陪同。")
    assert "任良才" in _persons("县人大常委会党组成员、三级调研员任良才出席。")


def test_a_post_inside_a_longer_word_reads_no_name():
    assert _persons("既有街道敬老院院长,也有居民区书记。") == set()


def test_a_post_whose_last_character_starts_a_word_still_reads_the_name():
    assert "何宗明" in _persons("县委常委、县委办主任何宗明,县人大常委会副主任肖云出席。")   # jieba: 主/任何


def test_a_name_jieba_cuts_short_after_a_title():
    assert "罗国献" in _persons("镇委委员、公安分局局长罗国献等现场督导选举工作。")
    found = _persons("郑州市人大常委会副主任王福松到西流湖街道调研")
    assert "王福松" in found and "王福" not in found


# --- rolls of names the tagger finds ----------------------------------------------------

def _spans(text: str, names: list[str]) -> list[NerSpan]:
    out, pos = [], 0
    for n in names:
        pos = text.index(n, pos)
        out.append(NerSpan(pos, pos + len(n), n, "Person"))
        pos += len(n)
    return out


def test_a_roll_of_names_needs_no_title():
    text = "县人大常委会决定接受王建伟、张树林、柏琳娜辞去县人大代表职务的请求。"
    found = {m.name for m in sentence_candidates(text, _spans(text, ["王建伟", "张树林", "柏琳娜"]), [])}
    assert found == {"王建伟", "张树林", "柏琳娜"}


def test_a_name_the_tagger_cut_short_in_a_roll_is_left_out():
    text = "决定接受孙建、廖述新、曹莉键提出的辞职请求。"
    found = {m.name for m in sentence_candidates(text, _spans(text, ["孙建", "廖述", "曹莉"]), [])}
    assert "廖述" not in found and "曹莉" not in found


def test_a_list_continues_only_with_whole_names():
    text = "副主任王建伟、曹莉键、李强华提出辞职。"
    found = {m.name for m in sentence_candidates(text, _spans(text, ["王建伟", "曹莉"]), [(3, 6)])}
    assert "曹莉" not in found
    text = "代表唐小倩、余柳认真听取选民的意见。"
    assert {m.name for m in sentence_candidates(text, _spans(text, ["唐小倩", "余柳"]), [(2, 5)])} == {"余柳"}


def test_a_single_name_without_context_stays_out():
    text = "王建伟来到了这里。"
    assert sentence_candidates(text, _spans(text, ["王建伟"]), []) == []
