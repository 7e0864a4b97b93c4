"""The extraction pipeline, as spaCy components: the one implementation that
`renda-kg extract`, `renda-kg build`, `build_graph` and `renda_kg.load()` all run.

The Doc is the document's raw text, so ``doc.spans`` and ``doc.ents`` offsets are the
evidence's offsets into the original file. Its tokens are single characters: the
rules tokenise each sentence with their own cached jieba, and a second jieba pass over
the whole document cost 11% of entity-extraction throughput for tokens nothing reads
(``segmenter = "jieba"`` gives word tokens that keep the domain's words whole).

The components, in the order `CONFIG` lists them; each is a thin class over a stage
module, and each stage's output hangs on a Doc extension:

=====================  ==================================================  =====================
component              stage                                               sets
=====================  ==================================================  =====================
``renda_segment``      read → normalise → articles and sentences           ``doc._.source``,
                       (`article_segmenter.segment`)                       ``doc._.segmented``
``renda_places``       the place gazetteer, one reading per name           ``doc._.places``
                       (`entity_extractor.document_places`)
``renda_rules``        rule families and gazetteer places per sentence,    ``doc._.units``
                       bylines, headlines, mastheads (`rule_units`)
``renda_ner``          LAC's validated Person/Organization candidates      ``doc._.units``
                       (`ner_candidates`)
``renda_context``      abbreviations completed from each article's         ``doc._.units``
                       context, raw evidence (`resolve_units`)
``renda_merge``        one entity per thing named (`merge_entities`)       ``doc._.entities``,
                                                                           ``doc.spans``, ``doc.ents``
``renda_relations``    the seven relations (`relation_rules`)              ``doc._.relations``
``renda_statistics``   counts attached to their body (`statistics`)        ``doc._.observations``
=====================  ==================================================  =====================

``doc._.entities``, ``doc._.relations`` and ``doc._.observations`` hold the typed records
(`records.Entity`, `Relation`, `Observation`; relation ends and owners are entity ids).
``doc._.result`` is the `DocumentResult` that `renda-kg extract` writes (its
``to_dict()`` is the JSON line). Leaving out
``renda_ner`` (``load(extractors=("rules",))``, ``exclude``, or ``nlp.select_pipes``)
is ``--extractors rules``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Iterable, Sequence

from spacy import util
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import DummyTokenizer, filter_spans, registry
from thinc.api import Config

from .lexicons import words
from .article_segmenter import segment
from .entity_extractor import document_places, gazetteer_named, merge_entities, resolve_units, rule_units
from .ner_candidates import ner_mentions
from .ner_tagger import jieba_tag, lac_tag
from .pipeline import DEFAULT_EXTRACTORS, EXTRACTORS
from .records import DocumentResult, SourceDocument
from .relation_rules import extract_relations, tree_parents
from .rules import DEFAULT_ORDER
from .statistics import attach_observations

__all__ = ["CONFIG", "DEFAULT_EXTRACTORS", "EXTRACTORS", "SPANS_KEY", "load", "run_pipeline"]

#: The component each extractor of `--extractors` (`pipeline.EXTRACTORS`) is.
EXTRACTOR_COMPONENTS = {"rules": "renda_rules", "ner": "renda_ner"}

SPANS_KEY = "renda"
#: Id and path of a Doc made from a plain string (no file behind it).
TEXT_DOC_ID, TEXT_PATH = "text", "<text>"

#: The pipeline: its order and every setting. `load` fills in the factories' defaults
#: (the rule families come from `rules.DEFAULT_ORDER`); `nlp.config` shows the whole.
CONFIG = """
[nlp]
lang = "zh"
pipeline = ["renda_segment", "renda_places", "renda_rules", "renda_ner", "renda_context", "renda_merge",
            "renda_relations", "renda_statistics"]

[nlp.tokenizer]
@tokenizers = "renda_kg.Tokenizer.v1"
segmenter = "char"
gazetteer = ${components.renda_places.gazetteer}

[components]

[components.renda_segment]
factory = "renda_segment"

[components.renda_places]
factory = "renda_places"
gazetteer = "default"

[components.renda_rules]
factory = "renda_rules"

[components.renda_ner]
factory = "renda_ner"
tagger = "lac"

[components.renda_context]
factory = "renda_context"

[components.renda_merge]
factory = "renda_merge"
spans_key = "renda"

[components.renda_relations]
factory = "renda_relations"

[components.renda_statistics]
factory = "renda_statistics"
"""

#: Institutional words that must stay one token (``segmenter = "jieba"``).
DOMAIN_WORDS = words("domain_words")

#: NER taggers by config name: LAC, or jieba's POS tags (the generic baseline).
TAGGERS: dict[str, Callable] = {"lac": lac_tag, "jieba": jieba_tag}

for _name in ("source", "segmented", "places", "units", "entities", "relations", "observations"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("canonical", "kind", "aliases", "extractor"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


def _result(doc: Doc) -> DocumentResult | None:
    """What `renda-kg extract` writes for the Doc's document, once entities exist."""
    source, seg = doc._.source, doc._.segmented
    if source is None or seg is None or doc._.entities is None:
        return None
    return DocumentResult(source.doc_id, source.path, tuple(doc._.entities), tuple(doc._.relations or ()),
                          tuple(doc._.observations or ()), {a.name: a.article_id for a in seg.articles})


if not Doc.has_extension("result"):
    Doc.set_extension("result", getter=_result)


# ---------------------------------------------------------------------------
# Tokenizer


class CharTokenizer(DummyTokenizer):
    """One token per character, whitespace included: ``doc.text`` is the input and every
    character offset is a token boundary, so any evidence span aligns exactly."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return Doc(self.vocab, words=list(text), spaces=[False] * len(text))


class DomainTokenizer(DummyTokenizer):
    """jieba words that keep the domain's words and the gazetteer's place names whole."""

    def __init__(self, vocab, gazetteer: str = "default"):
        self.vocab = vocab
        self.jieba = domain_jieba(gazetteer)

    def __call__(self, text: str) -> Doc:
        words, spaces = util.get_words_and_spaces([w for w in self.jieba.cut(text, cut_all=False) if w], text)
        return Doc(self.vocab, words=words, spaces=spaces)


def _place_names(gaz: Any, levels: tuple[str, ...] = ("province", "city", "county")) -> Iterable[str]:
    return (n.name for n in gaz.nodes(levels)) if gaz is not None else ()


@lru_cache(maxsize=2)
def domain_jieba(gazetteer: str = "default"):
    """A private jieba instance with the domain's words (the global one stays untouched,
    so the rules' own segmentation never depends on which tokenizer was loaded). Its
    dictionary is a copy of the start-up cache's; adding the words costs little."""
    from .startup_cache import fresh_jieba
    tok = fresh_jieba()
    for w in DOMAIN_WORDS:
        tok.add_word(w, freq=100000)
    for w in _place_names(gazetteer_named(gazetteer)):
        tok.add_word(w, freq=50000)
    return tok


@registry.tokenizers("renda_kg.Tokenizer.v1")
def create_tokenizer(segmenter: str = "char", gazetteer: str = "default") -> Callable[[Language], DummyTokenizer]:
    if segmenter not in ("char", "jieba"):
        raise ValueError(f"segmenter {segmenter!r}: use 'char' or 'jieba'")

    def make(nlp: Language) -> DummyTokenizer:
        return CharTokenizer(nlp.vocab) if segmenter == "char" else DomainTokenizer(nlp.vocab, gazetteer)
    return make


# ---------------------------------------------------------------------------
# Components


class SegmentComponent:
    """Normalises and segments the Doc's document (a plain string is one article-less text)."""

    def __call__(self, doc: Doc) -> Doc:
        source = doc._.source
        if source is None:
            source = doc._.source = SourceDocument(TEXT_DOC_ID, TEXT_PATH, doc.text, "")
        elif _text_length(doc) != len(source.raw):
            raise ValueError("doc._.source.raw is not the Doc's text: make the Doc with run_pipeline")
        doc._.segmented = segment(source)
        return doc


class PlacesComponent:
    """The document's place finder: one reading of each name, decided by the whole document."""

    def __init__(self, gazetteer: str = "default"):
        self.gazetteer = gazetteer_named(gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        doc._.places = document_places(doc._.segmented, self.gazetteer)
        return doc


class RulesComponent:
    """Rule and gazetteer mentions of every sentence; authors, headlines and mastheads."""

    def __init__(self, families: Sequence[str] = DEFAULT_ORDER):
        self.families = tuple(families)

    def __call__(self, doc: Doc) -> Doc:
        doc._.units = rule_units(doc._.segmented, doc._.places, self.families)
        return doc


class NerComponent:
    """The tagger's candidates that the rules leave room for, one batch per article."""

    def __init__(self, tagger: str = "lac"):
        if tagger not in TAGGERS:
            raise ValueError(f"tagger {tagger!r}: use one of {', '.join(TAGGERS)}")
        self.tagger = TAGGERS[tagger]

    def __call__(self, doc: Doc) -> Doc:
        for unit in doc._.units:
            sentences = unit.article.sentences
            body = [k for k, s in enumerate(sentences) if s.kind == "body"]
            found = ner_mentions([sentences[k].text for k in body],
                                 [[(m.start, m.end) for m in unit.mentions[k]] for k in body], self.tagger)
            for k, extra in zip(body, found):
                unit.mentions[k] += extra
        return doc


class ContextComponent:
    """Abbreviations completed from each article's context; evidence in raw offsets."""

    def __call__(self, doc: Doc) -> Doc:
        resolve_units(doc._.segmented, doc._.units, doc._.places)
        return doc


class MergeComponent:
    """One entity per thing the document names; a span per piece of evidence.

    ``doc.spans[spans_key]`` holds every mention; ``doc.ents`` the longest ones that do
    not overlap, headlines left out (an Article's span would cover the names in it)."""

    def __init__(self, spans_key: str = SPANS_KEY):
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        entities = merge_entities(doc._.units, doc._.places)
        doc._.entities = entities
        spans: list[Span] = []
        for e in entities:
            for ev in e.evidence:
                span = doc.char_span(ev.start, ev.end, label=e.type, alignment_mode="expand")
                if span is None or not len(span):
                    continue
                span._.canonical = e.name
                span._.kind = e.kind or e.level
                span._.aliases = e.aliases
                span._.extractor = ev.extractor
                spans.append(span)
        spans.sort(key=lambda sp: (sp.start_char, -sp.end_char, sp.label_))
        doc.spans[self.spans_key] = spans
        doc.ents = filter_spans([sp for sp in spans if sp.label_ != "Article"])
        return doc


class RelationsComponent:
    """The seven relations between the document's entities; places' parents from the tree."""

    def __call__(self, doc: Doc) -> Doc:
        entities = doc._.entities
        gazetteer = doc._.places.gaz if doc._.places is not None else None
        doc._.relations = extract_relations(doc._.segmented, entities, tree_parents(entities, gazetteer))
        return doc


class StatisticsComponent:
    """Counts the text reports, each attached to the body it describes."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.observations = attach_observations(doc._.segmented, doc._.entities)
        return doc


def _text_length(doc: Doc) -> int:
    """len(doc.text) without building it: doc.text joins every token, one per character."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


@Language.factory("renda_segment", assigns=["doc._.source", "doc._.segmented"])
def make_segment(nlp: Language, name: str) -> SegmentComponent:
    return SegmentComponent()


@Language.factory("renda_places", default_config={"gazetteer": "default"},
                  requires=["doc._.segmented"], assigns=["doc._.places"])
def make_places(nlp: Language, name: str, gazetteer: str) -> PlacesComponent:
    return PlacesComponent(gazetteer)


@Language.factory("renda_rules", default_config={"families": list(DEFAULT_ORDER)},
                  requires=["doc._.segmented", "doc._.places"], assigns=["doc._.units"])
def make_rules(nlp: Language, name: str, families: list[str]) -> RulesComponent:
    return RulesComponent(families)


@Language.factory("renda_ner", default_config={"tagger": "lac"}, requires=["doc._.units"], assigns=["doc._.units"])
def make_ner(nlp: Language, name: str, tagger: str) -> NerComponent:
    return NerComponent(tagger)


@Language.factory("renda_context", requires=["doc._.units", "doc._.places"], assigns=["doc._.units"])
def make_context(nlp: Language, name: str) -> ContextComponent:
    return ContextComponent()


@Language.factory("renda_merge", default_config={"spans_key": SPANS_KEY}, requires=["doc._.units"],
                  assigns=["doc._.entities", "doc.spans", "doc.ents"])
def make_merge(nlp: Language, name: str, spans_key: str) -> MergeComponent:
    return MergeComponent(spans_key)


@Language.factory("renda_relations", requires=["doc._.entities"], assigns=["doc._.relations"])
def make_relations(nlp: Language, name: str) -> RelationsComponent:
    return RelationsComponent()


@Language.factory("renda_statistics", requires=["doc._.entities"], assigns=["doc._.observations"])
def make_statistics(nlp: Language, name: str) -> StatisticsComponent:
    return StatisticsComponent()


# ---------------------------------------------------------------------------
# Entry points


def load(extractors: Sequence[str] = DEFAULT_EXTRACTORS, gazetteer: str = "default",
         segmenter: str = "char") -> Language:
    """The whole pipeline in one call: ``nlp = load(); doc = nlp(text)``.

    ``extractors`` leaves out the components of the extractors it does not name
    (``("rules",)`` is ``--extractors rules``); ``gazetteer="none"`` runs without
    places (abbreviations then stay unresolved); ``segmenter="jieba"`` gives word tokens."""
    unknown = [x for x in extractors if x not in EXTRACTORS]
    if unknown:
        raise ValueError(f"unknown extractor(s) {', '.join(unknown)}: choose from {', '.join(EXTRACTORS)}")
    config = Config().from_str(CONFIG, overrides={"components.renda_places.gazetteer": gazetteer,
                                                  "nlp.tokenizer.segmenter": segmenter})
    exclude = [EXTRACTOR_COMPONENTS[x] for x in EXTRACTORS if x not in extractors]
    return util.load_model_from_config(config, auto_fill=True, exclude=exclude)


def run_pipeline(nlp: Language, source: SourceDocument) -> Doc:
    """Run ``nlp`` on one decoded file: the Doc's text is the file's text (so span
    offsets are raw offsets), its id and path are the file's."""
    doc = nlp.make_doc(source.raw)
    doc._.source = source
    return nlp(doc)
