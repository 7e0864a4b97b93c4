"""Bracketed credits whose
names are spaced apart inside a paragraph, outlets of a source field joined by "-" or
printed under a 发布 label or with a name ending in 发布, and outlet-and-date publication
lines as Media.

Each rule has a realistic made-up text that fails without it and a negative example."""
from __future__ import annotations

from renda_kg.extractors.text_normaliser import normalise
from sample_texts import extract_text, pairs
from sample_texts import names_of as _names


def _extract(text: str):
    return extract_text(text, doc_id="web")


def _authors(result) -> set[str]:
    return {head for head, _ in pairs(result, "authorOf")}


HEAD = "某县人大常委会开展代表视察活动\n"


def test_bracketed_credit_keeps_spaces_between_names():
    text = HEAD + "代表们对视察工作给予肯定,确保视察任务顺利完成。 (作者:李文娟 田晶)\n"
    result = _extract(text)
    assert {"李文娟", "田晶"} <= _authors(result)
    assert normalise("近日开展活动(见习记者 王宇琦 通讯员 麦斯雅 姚思倚)。\n").text.count(" ") == 4


def test_bracket_without_a_role_still_loses_ocr_spaces():
    # a one-character role needs its mark: "图为 会议 现场" is a caption, not a credit
    assert "田晶" not in normalise("代表们开展视察活动,成效 显著。代表 发言(图为 会议)\n").text
    assert normalise("会议现场,代表们认真 审议了报告。\n").text == "会议现场,代表们认真审议了报告。\n"


def test_source_outlets_joined_by_a_dash():
    result = _extract(HEAD + "来源:新重庆-重庆日报2024-09-07 09:49\n近日,县人大常委会组织代表开展视察。\n")
    assert "重庆日报" in _names(result, "Media")


def test_source_outlet_ending_in_fabu_and_fabu_label():
    result = _extract(HEAD + "来源:城关人大发布 发布时间:2024-09-07\n近日,县人大常委会组织代表开展视察。\n")
    assert "城关人大发布" in _names(result, "Media")
    result = _extract(HEAD + "2024-11-07 14:29  发布:城乡网\n近日,县人大常委会组织代表开展视察。\n")
    assert "城乡网" in _names(result, "Media")


def test_fabu_time_is_no_outlet():
    result = _extract(HEAD + "来源:城关人大 发布时间:2024-09-07\n近日,县人大常委会组织代表开展视察。\n")
    assert _names(result, "Media") == {"城关人大"}


def test_outlet_and_date_line_is_media():
    result = _extract("分享\n" + HEAD + "城关日报  2018-07-31 15:58:24\n近日,县人大常委会组织代表开展视察。\n")
    assert "城关日报" in _names(result, "Media")
    result = _extract(HEAD + "城关镇政府  2018-07-31 15:58:24\n近日,县人大常委会组织代表开展视察。\n")
    assert not _names(result, "Media")
