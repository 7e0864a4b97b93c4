"""Place names must be words of the text, not pieces of other words."""
from __future__ import annotations

from sample_texts import extract_text, names_of


def _places(text: str) -> set[str]:
    return names_of(extract_text("标题\n\n" + text), "Place")


def test_a_county_name_across_two_words_is_no_county():
    # 人大 | 会同 ("together with") | 县政府: 会同县 is a county elsewhere, not here
    assert "会同县" not in _places("每年县人代会结束后,县人大会同县政府及时召开代表建议办理交办会。")


def test_a_full_name_heading_one_word_is_a_place():
    assert "北京市" in _places("北京市人大常委会组织代表视察。")


def test_a_shared_town_name_inside_a_longer_name_is_not_that_town():
    assert "太阳镇" not in _places("小太阳镇人大代表联络站探索形成工作机制。")
