"""NER candidates: the tagger proposes, the language context decides."""
from renda_kg.extractors.ner_candidates import ner_mentions, sentence_candidates
from renda_kg.extractors.ner_tagger import NerSpan


def _span(text: str, word: str, typ: str) -> NerSpan:
    i = text.index(word)
    return NerSpan(i, i + len(word), word, typ)


def test_person_needs_surname_and_context():
    text = "村党支部书记王建国介绍，连心桥项目由月月负责。"
    spans = [_span(text, "王建国", "Person"), _span(text, "连心桥", "Person"), _span(text, "月月", "Person")]
    names = [m.name for m in sentence_candidates(text, spans, taken=[])]
    assert names == ["王建国"]


def test_list_item_after_a_person_is_a_person():
    text = "县人大代表刘晓梅、陈志强参加活动。"
    rule_span = (text.index("刘晓梅"), text.index("刘晓梅") + 3)
    spans = [_span(text, "刘晓梅", "Person"), _span(text, "陈志强", "Person")]
    found = sentence_candidates(text, spans, taken=[rule_span])
    assert [(m.type, m.name, m.extractor) for m in found] == [("Person", "陈志强", "ner")]


def test_organization_needs_suffix_and_is_never_a_congress_body():
    text = "宁陕县鑫源农业专业合作社和宁陕县人大常委会签约。"
    spans = [_span(text, "宁陕县鑫源农业专业合作社", "Organization"),
             _span(text, "宁陕县人大常委会", "Organization")]
    assert [m.name for m in sentence_candidates(text, spans, taken=[])] == ["宁陕县鑫源农业专业合作社"]


def test_places_from_the_tagger_are_left_to_the_gazetteer():
    text = "在金山社区打造联络站。"
    assert sentence_candidates(text, [_span(text, "金山社区", "Place")], taken=[]) == []


def test_rule_mentions_win_over_overlapping_proposals():
    text = "主任王建国说。"
    s = _span(text, "王建国", "Person")
    assert sentence_candidates(text, [s], taken=[(s.start, s.end)]) == []


def test_real_lac_model_finds_a_name_the_rules_leave_out():
    text = "合作社负责人李明表示将继续发展产业。"
    found = ner_mentions([text], [[]])
    assert ("Person", "李明") in {(m.type, m.name) for m in found[0]}
