"""Normalisation on real OCR lines and pages: spaces, furniture, t2s, repairs, offsets."""
from __future__ import annotations

import re

import pytest

from renda_kg.extractors.text_normaliser import (
    fold_lookalikes, is_furniture, is_han, normalise, to_simplified)


def lines(raw: str) -> list[str]:
    return [l for l in normalise(raw).text.split("\n") if l]


@pytest.mark.parametrize("raw, expected", [
    ("习近平总书记强调,各级人大常委 会要加强代表工作能力建设,支持和保障人大代表更好依法履职。",
     "习近平总书记强调,各级人大常委会要加强代表工作能力建设,支持和保障人大代表更好依法履职。"),
    ("山东省临 沂市人大常委会注重发挥人大代表专业特长,创新人大代表履职方式,组建产业代表小组。",
     "山东省临沂市人大常委会注重发挥人大代表专业特长,创新人大代表履职方式,组建产业代表小组。"),
    ("聘请各产业领域知名专家教授22 人,由专业人士为小组活动提供智力支持,提高履职水平。",
     "聘请各产业领域知名专家教授22人,由专业人士为小组活动提供智力支持,提高履职水平。"),
])
def test_ocr_line_break_spaces_are_removed_in_paragraphs(raw, expected):
    assert lines(raw) == [expected]


def test_real_spaces_are_kept():
    assert lines("#### 创新编组方式 实现代表小组专业化") == ["创新编组方式 实现代表小组专业化"]
    assert lines("代表们使用 open source 软件和 Python 3 进行数据分析,提高了工作效率和履职水平。") == [
        "代表们使用 open source 软件和 Python 3 进行数据分析,提高了工作效率和履职水平。"]


def test_space_cutting_an_institutional_word_in_a_short_line_is_removed():
    assert lines("(作者系陕西省宝鸡市凤翔区人大 常委会主任)") == ["(作者系陕西省宝鸡市凤翔区人大常委会主任)"]
    assert lines("宝鸡市人大常委 会") == ["宝鸡市人大常委会"]


def test_traditional_to_simplified_and_nfkc():
    assert lines("本報訊 臨沂市人大常委會組織代表開展視察活動，聽取意見建議。") == [
        "本报讯临沂市人大常委会组织代表开展视察活动,听取意见建议。"]
    assert lines("２０２４年共召开１３次协商议事会。") == ["2024年共召开13次协商议事会。"]


@pytest.mark.parametrize("line", ["人民代表報", "人民代表新", "主任笔谈", "HOUMOGUANCHA", "3", "第3版"])
def test_page_furniture_is_dropped(line):
    assert is_furniture(line)
    assert lines(f"前文内容到此结束。\n\n{line}\n\n后文内容从这里开始。") == [
        "前文内容到此结束。", "后文内容从这里开始。"]


@pytest.mark.parametrize("line, kept", [("责编:高 乐", "责编:高 乐"), ("编辑：梁 静", "编辑:梁 静"),
                                        ("审核人：韩立新", "审核人:韩立新")])
def test_editor_lines_are_kept_with_their_spaces(line, kept):
    """The persons an editor line names are Person entities: the line stays (the
    segmenter reads it as a credit line), and so do the spaces between its names."""
    assert not is_furniture(line)
    assert lines(f"前文内容到此结束。\n{line}\n") == ["前文内容到此结束。", kept]


def test_spaces_between_credited_names_are_kept():
    assert lines("来源：韩立新 陶思远 2025-03-02 09:15 责编：梁静 潘国栋") == [
        "来源:韩立新 陶思远 2025-03-02 09:15 责编:梁静 潘国栋"]
    assert lines("代表们表示将继续履职尽责。（韩立新 陶思远）") == ["代表们表示将继续履职尽责。(韩立新 陶思远)"]
    # a paragraph's spaces are still OCR breaks
    assert lines("区人大 常委会召开会议,来源 广泛。") == ["区人大常委会召开会议,来源广泛。"]


def test_headline_is_not_furniture():
    assert not is_furniture("组建产业代表小组助力高质量发展")
    assert not is_furniture("人民代表报社组织代表开展调研")


def test_ocr_slips_are_repaired_from_the_table_only():
    assert lines("市人大党委会召开会议,深人贯彻落实有关精神。") == ["市人大常委会召开会议,深入贯彻落实有关精神。"]
    assert lines("邀请资深人士参加座谈。") == ["邀请资深人士参加座谈。"]


def test_lookalike_radicals_fold_without_moving_offsets():
    assert fold_lookalikes("⻄安市") == "西安市"
    assert lines("⻄安市人大常委会召开会议。") == ["西安市人大常委会召开会议。"]


def test_offsets_point_back_into_the_raw_file(seed_paths):
    for path in seed_paths:
        raw = path.read_text("utf-8")
        norm = normalise(raw)
        assert len(norm.raw_index) == len(norm.text) + 1
        assert list(norm.raw_index) == sorted(norm.raw_index), "the map is monotone"
        for i, ch in enumerate(norm.text):
            if ch == "\n" or not is_han(ch):
                continue
            src = raw[norm.raw_index[i]]
            # the only differences allowed are t2s, NFKC and the repair table
            assert ch == to_simplified(src) or ch in "常委入站大", (path.name, i, ch, src)


def test_no_cjk_character_is_lost(seed_paths):
    """Every Han character of the raw page survives, except furniture lines."""
    for path in seed_paths:
        raw = path.read_text("utf-8")
        kept_lines = [l for l in raw.splitlines() if not is_furniture(re.sub(r"^#+\s*", "", l))]
        expected = [to_simplified(c) for c in "".join(kept_lines) if is_han(c)]
        got = [c for c in normalise(raw).text if is_han(c)]
        assert len(got) == len(expected), path.name
        diffs = sum(a != b for a, b in zip(got, expected))
        assert diffs <= 5, (path.name, diffs)   # only the OCR repairs may differ


def test_crlf_and_heading_marks(seed_paths):
    raw = seed_paths[0].read_text("utf-8")
    crlf = raw.replace("\n", "\r\n")
    a, b = normalise(raw), normalise(crlf)
    assert a.text == b.text
    assert "#" not in a.text
    # offsets into the CRLF file land on the same characters
    for i in range(0, len(b.text), 97):
        if b.text[i] != "\n":
            assert to_simplified(crlf[b.raw_index[i]]) == b.text[i] or b.text[i] in "常委入"
    assert len(a.heading_marks) > 10


def test_lone_surrogates_from_python_callers_keep_their_offsets():
    """OpenCC takes UTF-8, which has no lone surrogates: such text (made in Python,
    never read from a file) once raised UnicodeEncodeError inside the converter."""
    from renda_kg.extractors.text_normaliser import to_simplified
    assert to_simplified("開化\udcff縣") == "开化\ufffd县"
