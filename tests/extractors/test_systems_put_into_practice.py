"""A programme a body puts into
practice (实行) was set up by it. A made-up sentence the rule needs and one it must leave
alone."""
from __future__ import annotations

from sample_texts import extract_text, pairs


def _made(text: str) -> set:
    return pairs(extract_text(text, ("rules", "ner")), "createdBy")


def test_a_body_putting_a_system_into_practice_set_it_up():
    made = _made("射阳县人大常委会推动民生工作\n\n"
                 "今年,射阳县人大常委会在全县实行民生实事项目人大代表票决制,代表投票决定项目。")
    assert ("民生实事项目人大代表票决制", "射阳县人大常委会") in made


def test_a_system_only_discussed_was_not_set_up():
    made = _made("射阳县人大常委会推动民生工作\n\n"
                 "今年,射阳县人大常委会组织代表座谈,交流民生实事项目人大代表票决制的经验。")
    assert ("民生实事项目人大代表票决制", "射阳县人大常委会") not in made


def test_a_procedure_put_into_practice_is_no_system_set_up():
    made = _made("射阳县人大常委会推动民生工作\n\n"
                 "今年,射阳县人大常委会坚持实行“三审签字”,保证材料质量。")
    assert not any(h == "三审签字" for h, _ in made)
