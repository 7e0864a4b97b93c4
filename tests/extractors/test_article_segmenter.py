"""Segmentation of the real seed pages and of single web articles."""
from __future__ import annotations

import re

import pytest

from renda_kg.extractors.article_segmenter import MAX_SENTENCE_CHARS, segment
from renda_kg.extractors.records import SourceDocument
from renda_kg.extractors.text_normaliser import plain, to_simplified


def test_page_000_articles_and_bylines(segmented_seeds):
    arts = segmented_seeds["000"].articles
    assert [(a.name, [(au.name, au.province) for au in a.authors]) for a in arts] == [
        ("组建产业代表小组助力高质量发展", [("徐希友", "山东")]),
        ('探索"人大代表+"模式激发代表履职新活力', [("刘璐", "河南")]),
        ('打造"一乡一品"特色品牌体系推动代表工作再上新台阶', [("余建华", "浙江")]),
        ("多点发力做好新时代人大宣传工作", [("熊先明", "江苏"), ("施国青", "江苏"), ("王树康", "江苏")]),
        ('念好"四字诀"深耕基层人大宣传沃土', [("王新荣", "广西")]),
    ]
    # the author's position is split over two lines by a column break
    assert arts[1].author_position == "河南省禹州市人大常委会主任"
    assert arts[0].sections == ("创新编组方式 实现代表小组专业化", "聚焦关键环节 实现小组活动精准化",
                                '"点线面"多方联动 实现履职行权系统化')


def test_every_seed_page_has_five_articles_with_authors(segmented_seeds):
    for key, doc in segmented_seeds.items():
        assert len(doc.articles) == 5, key
        assert all(a.authors and a.headline for a in doc.articles), key
        assert all(sum(s.kind == "body" for s in a.sentences) >= 2 for a in doc.articles), key


def test_bylines_without_space_and_positions(segmented_seeds):
    arts = segmented_seeds["001"].articles
    assert [au.name for au in arts[0].authors] == ["李文锋", "吴春玲"]
    assert arts[0].name == "打造特色工作品牌丰富全过程人民民主基层实践"
    assert segmented_seeds["003"].articles[2].author_position == "陕西省宝鸡市凤翔区人大常委会主任"


def test_page_004_reporting_bodies_and_text_above_its_header(segmented_seeds):
    arts = segmented_seeds["004"].articles
    assert [a.reporting_body for a in arts] == [
        "兴宾区人大常委会", "忻城县果遂镇人大主席团", "合山市北泗镇人大主席团", "武宣县人大常委会",
        "象州县罗秀镇人大主席团"]
    assert [a.authors[0].name for a in arts] == ["韦妮萍", "韦明旺", "兰就芳", "李珮珉", "郭素贞"]
    wuxuan = [s.text for s in arts[3].sentences if s.kind == "body"]
    assert wuxuan[0].startswith("近年来,武宣县人大常委会坚持把代表建议办理工作")
    assert not any("武宣" in s.text for s in arts[2].sentences)
    assert any("北泗镇人大代表通过" in s.text for s in arts[2].sentences)
    # the editor's note and the page's series title are not an article
    assert any("编者按" in s.text for s in segmented_seeds["004"].preamble)


def test_sentence_offsets_slice_the_raw_file(segmented_seeds):
    for key, doc in segmented_seeds.items():
        raw = doc.source.raw
        checked = 0
        for a in doc.articles:
            for s in a.sentences:
                got = re.sub(r"\s", "", to_simplified(raw[s.raw_start:s.raw_end]))
                want = re.sub(r"\s", "", s.text)
                if got != want:
                    # only a dropped furniture line or a repaired OCR slip may differ
                    same_length_repair = len(got) == len(want) and sum(
                        x != y for x, y in zip(got, want)) <= 2
                    furniture = len(got) - len(want) <= 12 and want[:3] == got[:3]
                    assert same_length_repair or furniture, (key, want, got)
                else:
                    checked += 1
        assert checked >= 0.97 * sum(len(a.sentences) for a in doc.articles), key


def test_sentences_split_at_full_stops(segmented_seeds):
    body = [s for s in segmented_seeds["000"].articles[0].sentences if s.kind == "body"]
    assert all(s.text.endswith(("。", "”", '"', "!", "?")) for s in body[:-1])
    assert body[0].text.startswith("习近平总书记强调,各级人大常委会要加强代表工作能力建设")


def _doc(text: str) -> SourceDocument:
    return SourceDocument("web", "web.txt", text, "utf-8")


def test_single_web_article_with_publication_line():
    text = ("南宁市人大常委会开展代表联络站建设专题调研\n"
            "发布时间:2024-05-21 10:30  来源:南宁人大\n\n"
            "5月20日,南宁市人大常委会调研组深入青秀区开展代表联络站建设专题调研。"
            "调研组一行先后走访了多个人大代表联络站,详细了解站点建设情况。\n")
    doc = segment(_doc(text))
    assert len(doc.articles) == 1
    a = doc.articles[0]
    assert a.headline == "南宁市人大常委会开展代表联络站建设专题调研"
    assert a.published == "2024-05-21 10:30" and a.source == "南宁人大"
    assert [s.kind for s in a.sentences] == ["headline", "body", "body"]
    assert a.authors == ()


def test_traditional_short_article():
    text = "臺灣同胞代表座談會在京舉行\n\n全國人大常委會有關負責同志出席座談會並講話。\n"
    a = segment(_doc(text)).articles[0]
    assert a.headline == "台湾同胞代表座谈会在京举行"
    assert a.sentences[-1].text == "全国人大常委会有关负责同志出席座谈会并讲话。"
    assert text[a.sentences[-1].raw_start:a.sentences[-1].raw_end] == "全國人大常委會有關負責同志出席座談會並講話。"


def test_empty_of_articles_text():
    assert segment(_doc("人民代表報\n\n")).articles == ()


# --- text without line breaks: sentences and headlines stay bounded -----------------

def _one_line(doc) -> SourceDocument:
    """A seed page with its line breaks removed (`tr -d '\\n'`): one 14–28 KB line."""
    raw = doc.source.raw.replace("\r", "").replace("\n", "")
    return SourceDocument(doc.source.doc_id, "one.txt", raw, "utf-8")


def _units(doc):
    return [s for a in doc.articles for s in a.sentences] + list(doc.preamble)


@pytest.mark.parametrize("key", ["000", "004"])
def test_a_page_without_line_breaks_gives_bounded_sentences(segmented_seeds, key):
    source = _one_line(segmented_seeds[key])
    doc = segment(source)
    assert doc.articles, "running text without structure is still an article"
    units = _units(doc)
    assert len(units) >= 50
    assert max(len(s.text) for s in units) <= MAX_SENTENCE_CHARS
    for a in doc.articles:       # running text with full stops starts inside its body: no headline
        assert a.headline == "" and all(s.kind == "body" for s in a.sentences)
    # offsets stay exact: raw[start:end] is the sentence as printed (but for a repaired OCR slip)
    for s in units:
        got, want = plain(source.raw[s.raw_start:s.raw_end]), plain(s.text)
        assert len(got) == len(want) and sum(x != y for x, y in zip(got, want)) <= 2, (want, got)
    # the sentences still end at full stops (nearly all: the text has them)
    body = [s for s in units if s.kind == "body"]
    assert sum(s.text.endswith(("。", "”", '"', "!", "?")) for s in body) >= 0.9 * len(body)


def test_a_run_without_punctuation_is_cut_at_a_comma_or_the_limit():
    clause = "代表联络站建设工作" * 6 + ","                # 55 characters, no full stop
    text = clause * 40 + "某" * 1200                      # no heading, no line break, no 。
    units = _units(segment(_doc(text)))
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in units)
    assert all(text[s.raw_start:s.raw_end] == s.text for s in units)
    assert units[0].kind == "headline" and units[0].text == clause[:-1]
    body = [s for s in units if s.kind == "body"]
    # the clauses are cut after a comma; the run without any mark is cut at the limit
    assert all(s.text.endswith(",") for s in body if "某" not in s.text)
    assert [len(s.text) for s in body if "某" in s.text] == [MAX_SENTENCE_CHARS] * 2 + [1200 - 2 * MAX_SENTENCE_CHARS]
    # nothing is lost between the units but the comma that ends the headline
    assert sum(s.raw_end - s.raw_start for s in units) == len(text) - 1


def test_an_unclosed_bracket_does_not_swallow_the_following_sentences():
    text = "标题\n" + "第一句话(没有闭合的括号。" + "这是后面的一句话。" * 100 + "\n"
    body = [s for s in segment(_doc(text)).articles[0].sentences if s.kind == "body"]
    assert max(len(s.text) for s in body) <= MAX_SENTENCE_CHARS
    assert sum(s.text == "这是后面的一句话。" for s in body) >= 90


def test_running_text_with_full_stops_has_no_headline():
    """A text without line breaks whose first line holds full stops starts inside its body:
    no headline is cut from it (it used to be its first clause)."""
    text = ("南宁市人大常委会开展代表联络站建设专题调研发布时间:2024-05-21 10:30 来源:南宁人大"
            "5月20日,南宁市人大常委会调研组深入青秀区开展代表联络站建设专题调研。" * 3)
    a = segment(_doc(text)).articles[0]
    assert a.headline == "" and {s.kind for s in a.sentences} == {"body"}
    assert a.sentences[0].text.startswith("南宁市人大常委会开展代表联络站建设专题调研发布时间")
    assert "".join(s.text for s in a.sentences).replace(" ", "") == text.replace(" ", "")


def test_extraction_of_a_page_without_line_breaks_stays_small(segmented_seeds):
    """`tr -d '\\n' < seeds/004*.txt | renda-kg extract --extractors rules` gave 176× its
    input (2.47 MB from 14 KB) when every evidence sentence was the whole text."""
    from renda_kg.graph.export.extraction_jsonl import generate_extraction_jsonl
    from renda_kg.graph.pipeline import extract_document

    source = _one_line(segmented_seeds["004"])
    _, result = extract_document(source, extractors=("rules",))
    size_in = len(source.raw.encode("utf-8"))
    size_out = len("".join(generate_extraction_jsonl([result])).encode("utf-8"))
    assert result.entities and result.relations
    assert size_out < 20 * size_in, (size_in, size_out)
    evidence = [ev for item in result.entities + result.relations for ev in item.evidence]
    assert max(len(ev.sentence or "") for ev in evidence) <= MAX_SENTENCE_CHARS
