"""Programmes named without quotes, and runs of quoted names sharing one word."""
from __future__ import annotations

from sample_texts import extract_text


def _programmes(text: str) -> dict[str, object]:
    return {e.name: e for e in extract_text("标题\n\n" + text).entities if e.type == "Programme"}


def test_named_systems_after_a_launch_verb():
    found = _programmes("镇人大主席团建立代表履职积分制，实行代表述职评议制。")
    assert found["代表履职积分制"].kind == "system"
    assert "代表述职评议制" in found


def test_generic_words_ending_in_zhi_are_no_system():
    found = _programmes("县人大常委会完善工作机制，健全责任制，坚持民主集中制。")
    assert not found


def test_the_voting_system_printed_short_is_the_voting_system():
    found = _programmes("该镇推行民生实事项目票决制。")
    assert "民生实事项目票决制" in found["民生实事项目人大代表票决制"].aliases


def test_quotes_back_to_back_share_the_word_after_the_last():
    found = _programmes("县人大常委会开展“亮身份”“解民忧”行动。")
    assert {"亮身份", "解民忧"} <= set(found)
