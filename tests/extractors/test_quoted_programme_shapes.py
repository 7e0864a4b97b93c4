"""A quote before
"的…模式", a quote launched as a piece of work (推进"…"工作), the voting system after a
quoted list of deeds ("十件实事"人大代表票决制), campaigns ending 行动; and what is no
programme: a generic venue in quotes, a one-character name before a programme word, a
quoted policy clause, a verb phrase before 模式."""
from __future__ import annotations

from sample_texts import extract_text


def _extract(text: str):
    return extract_text(text + "\n")


def _programmes(text: str) -> dict[str, tuple[str, ...]]:
    """Every Programme extracted from ``text``: its name and aliases."""
    return {e.name: tuple(e.aliases) for e in _extract(text).entities if e.type == "Programme"}


def test_a_quote_before_de_and_a_model_word_is_a_programme():
    found = _programmes("近年来,该县人大代表联络站采取“一站两点”的模式,在各村设立联络点。")
    assert "一站两点" in found


def test_a_quote_before_de_and_a_description_is_no_programme():
    assert "一站两点" not in _programmes("该县把“一站两点”的经验带回去,在各村推广。")


def test_a_quote_launched_as_a_piece_of_work_is_a_programme():
    found = _programmes("市人大常委会全面推进“分组联动、履职为民”工作,组织代表进站履职。")
    assert "分组联动、履职为民" in found


def test_a_quote_before_work_without_a_launch_verb_is_no_programme():
    assert not _programmes("代表们对“一府一委两院”工作提出意见建议。")


def test_a_quoted_deed_list_before_the_voting_system_keeps_the_system_as_alias():
    found = _programmes("今年,该市开展为民办“八件实事”人大代表票决制工作。")
    assert "八件实事人大代表票决制" in found.get("八件实事", ())


def test_a_long_quote_ending_in_action_is_a_campaign():
    assert "服务发展、代表在行动" in _programmes("全区积极参与“服务发展、代表在行动”,收集意见建议。")


def test_a_generic_venue_in_quotes_is_no_programme():
    found = _programmes("要依托“人大代表之家”这个平台,推进“人大代表联络站”建设。")
    assert not found


def test_a_one_character_name_before_a_programme_word_is_no_programme():
    assert "小平台" not in _programmes("代表们用好联络站这个“小平台”,书写民生大文章。")


def test_a_quoted_policy_clause_is_no_programme():
    assert not _programmes("会议明确提出要“完善人大代表的联系制度”。")


def test_a_verb_phrase_before_model_is_no_programme():
    assert not _programmes("借鉴外地经验,创新举办赛事模式,提升影响力。")
