"""spaCy integration: a blank Chinese pipeline with jieba and the renda components.

`load()` returns ``spacy.blank("zh")`` segmenting with jieba — a private jieba
instance whose user dictionary holds the domain's words (institution names such
as 人大常委会 and 联络站, and the gazetteer's place names) so tokens respect them —
followed by three thin registered components:

- ``renda_places``  — the place gazetteer (`entity_extractor.DocumentPlaces`),
- ``renda_rules``   — the rule extractor (`rules.sentence_mentions`),
- ``renda_context`` — the context resolver, which completes abbreviations and
  writes ``doc.spans["renda"]`` (every mention) and ``doc.ents`` (non-overlapping).

Each span carries ``span._.canonical`` (the entity's canonical name) and
``span._.kind`` (kind or level). The logic stays in the extractor modules.
"""
from __future__ import annotations

import contextlib
import io
import logging
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .context_resolver import article_context, resolve
from .entity_extractor import DocumentPlaces, _default_gazetteer, _place_mentions
from .records import Mention
from .rules import sentence_mentions
from .records import Article, Sentence
from .text_normaliser import MASTHEADS

SPANS_KEY = "renda"
#: Institutional words that must stay one token.
DOMAIN_WORDS = (
    "人大常委会", "全国人大常委会", "人民代表大会", "人代会", "人大主席团", "人大工委", "代表工委", "法工委",
    "专门委员会", "代表小组", "监督小组", "人大代表", "人大代表联络站", "代表联络站", "联络站", "代表之家",
    "人大代表之家", "代表联络点", "代表工作站", "基层立法联系点", "基层立法联络站", "融媒体中心", "管委会",
    "办事处", "人民法院", "人民检察院", "党组", "领导小组", "票决制", "工作机制", "工作法", "民法典",
)

for _name in ("canonical", "kind", "aliases", "extractor"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

_SENTENCE = re.compile(r"[^。!?!?]+[。!?!?”’\"']*")


def _sentences(text: str) -> list[Sentence]:
    """Sentences of a doc's text with their character offsets (split at 。!?)."""
    out = []
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            out.append(Sentence(m.group(), m.start(), m.end(), m.start(), m.end(), "body"))
    return out


def _gazetteer(name: str) -> Any:
    return _default_gazetteer() if name == "default" else None


def _place_names(gaz: Any, levels: tuple[str, ...] = ("province", "city", "county")) -> Iterable[str]:
    """Place names of the gazetteer at the given levels, if it lets itself be listed."""
    nodes = getattr(gaz, "nodes", None)
    if callable(nodes):
        nodes = nodes()
    if isinstance(nodes, dict):
        nodes = nodes.values()
    for n in nodes or ():
        if getattr(n, "level", None) in levels:
            yield n.name


@lru_cache(maxsize=2)
def domain_tokenizer(gazetteer: str = "default"):
    """A private jieba instance with the domain's words (the global one stays untouched,
    so the rule extractor's own segmentation never depends on whether spaCy was loaded)."""
    with contextlib.redirect_stderr(io.StringIO()):
        import jieba
        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
    for w in DOMAIN_WORDS:
        tok.add_word(w, freq=100000)
    for w in _place_names(_gazetteer(gazetteer)):
        tok.add_word(w, freq=50000)
    return tok


@Language.factory("renda_places", default_config={"gazetteer": "default"},
                  assigns=["doc.spans"])
def make_places(nlp: Language, name: str, gazetteer: str) -> "PlacesComponent":
    return PlacesComponent(gazetteer)


@Language.factory("renda_rules", default_config={"use_mastheads": True}, requires=["doc.spans"])
def make_rules(nlp: Language, name: str, use_mastheads: bool) -> "RulesComponent":
    return RulesComponent(use_mastheads)


@Language.factory("renda_context", default_config={"spans_key": SPANS_KEY},
                  assigns=["doc.ents", "doc.spans"])
def make_context(nlp: Language, name: str, spans_key: str) -> "ContextComponent":
    return ContextComponent(spans_key)


class PlacesComponent:
    """Finds places with the gazetteer; keeps them per sentence for the next components."""

    def __init__(self, gazetteer: str = "default"):
        self.gaz = _gazetteer(gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        sentences = _sentences(doc.text)
        finder = DocumentPlaces(self.gaz, [s.text for s in sentences])
        doc.user_data["renda_sentences"] = sentences
        doc.user_data["renda_places"] = [finder(s.text) for s in sentences]
        doc.user_data["renda_finder"] = finder
        return doc


class RulesComponent:
    """Runs the rule extractor on each sentence."""

    def __init__(self, use_mastheads: bool = True):
        self.mastheads = MASTHEADS if use_mastheads else ()

    def __call__(self, doc: Doc) -> Doc:
        sentences = doc.user_data.get("renda_sentences") or _sentences(doc.text)
        places = doc.user_data.get("renda_places") or [() for _ in sentences]
        mentions: list[Mention] = []
        for k, (s, ps) in enumerate(zip(sentences, places)):
            for m in sentence_mentions(s.text, ps, s.kind, self.mastheads) + _place_mentions(ps):
                mentions.append(replace(m, article=0, sentence=k))
        doc.user_data["renda_mentions"] = mentions
        return doc


class ContextComponent:
    """Completes abbreviations from the doc's context and writes the spans."""

    def __init__(self, spans_key: str = SPANS_KEY):
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        sentences = doc.user_data.pop("renda_sentences", None) or _sentences(doc.text)
        mentions = doc.user_data.pop("renda_mentions", [])
        finder = doc.user_data.pop("renda_finder", None)
        doc.user_data.pop("renda_places", None)
        article = Article(doc_id="", index=0, headline="", sentences=tuple(sentences))
        if finder is not None:
            ctx = article_context(article, finder, finder.province_of)
        else:
            from .context_resolver import ArticleContext
            ctx = ArticleContext()
        spans: list[Span] = []
        for m in resolve(mentions, ctx):
            s = sentences[m.sentence]
            span = doc.char_span(s.start + m.start, s.start + m.end, label=m.type, alignment_mode="expand")
            if span is None:
                continue
            span._.canonical = m.name
            span._.kind = m.kind
            span._.aliases = m.aliases
            span._.extractor = m.extractor
            spans.append(span)
        spans.sort(key=lambda sp: (sp.start_char, -sp.end_char, sp.label_))
        doc.spans[self.spans_key] = spans
        doc.ents = filter_spans(spans)
        return doc


def load(gazetteer: str = "default") -> Language:
    """The whole pipeline in one call: ``nlp = load(); doc = nlp(text)``.

    ``gazetteer="none"`` runs without places (abbreviations then stay unresolved)."""
    with contextlib.redirect_stderr(io.StringIO()):
        import jieba
        jieba.setLogLevel(logging.WARNING)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = domain_tokenizer(gazetteer)
    nlp.add_pipe("renda_places", config={"gazetteer": gazetteer})
    nlp.add_pipe("renda_rules")
    nlp.add_pipe("renda_context")
    return nlp
