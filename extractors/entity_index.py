"""The index the relation rules read: entities by id, by name and by the article and
sentence they occur in, and the evidence a relation cites."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Optional, Sequence

from .article_segmenter import author_position_sentences
from .records import Article, Entity, Evidence, SegmentedDocument, Sentence

__all__ = ["EntityIndex", "Preamble", "Sighting", "sentence_evidence", "first_evidence"]

#: An entity with one piece of its evidence.
Sighting = tuple[Entity, Evidence]


@dataclass(frozen=True)
class Preamble:
    """The text before a document's first article (a web page's whole body when no
    headline was found), read like an article that has no id, headline or byline:
    relations stated in it cite their sentence with no article."""

    sentences: tuple[Sentence, ...]
    article_id: None = None
    headline: str = ""
    name: str = ""
    authors: tuple = ()
    author_position: None = None
    reporting_body: None = None


class EntityIndex:
    """Looks entities up by id, by name/alias and by the article and sentence they occur in."""

    def __init__(self, doc: SegmentedDocument, entities: Sequence[Entity]):
        self.doc = doc
        self.entities = list(entities)
        self.by_id: dict[str, Entity] = {e.id: e for e in self.entities}
        self.by_name: dict[str, Entity] = {}
        self._typed: dict[tuple[str, str], Entity] = {}         # (type, canonical name)
        self._typed_alias: dict[tuple[str, str], Entity] = {}   # (type, alias)
        for e in self.entities:
            for n in e.names:
                self.by_name.setdefault(n, e)
            self._typed.setdefault((e.type, e.name), e)
            for n in e.aliases:
                self._typed_alias.setdefault((e.type, n), e)
        self.articles = {a.article_id: a for a in doc.articles}
        self.in_article: dict[str, list[Sighting]] = defaultdict(list)
        preamble = [(s.raw_start, s.raw_end) for s in doc.preamble]
        for e in self.entities:
            for ev in e.evidence:
                if ev.article:
                    self.in_article[ev.article].append((e, ev))
                elif ev.start is not None and any(a <= ev.start < b for a, b in preamble):
                    self.in_article[None].append((e, ev))     # the preamble's, see `Preamble`
        for items in self.in_article.values():
            items.sort(key=lambda pair: (pair[1].start or 0, pair[0].name))

    @cached_property
    def positions(self) -> dict[str, Sentence]:
        """The "(作者系…)" line of each article that prints one, by article id."""
        return author_position_sentences(self.doc)

    def texts(self) -> list[Article | Preamble]:
        """The articles, and the preamble when it has sentences, for rules that read
        sentences rather than bylines (memberOf, createdBy)."""
        return [*self.doc.articles, *((Preamble(self.doc.preamble),) if self.doc.preamble else ())]

    def of_type(self, *types: str) -> Iterator[Entity]:
        return (e for e in self.entities if e.type in types)

    def named(self, name: str, type_: str) -> Optional[Entity]:
        """The entity of ``type_`` called ``name``: by its canonical name, else by an alias."""
        return self._typed.get((type_, name)) or self._typed_alias.get((type_, name))

    def sentence_of(self, article: Article, raw_pos: Optional[int]) -> Optional[Sentence]:
        for s in article.sentences:
            if raw_pos is not None and s.raw_start <= raw_pos < s.raw_end:
                return s
        return None


def sentence_evidence(article: Article | None, sentence: Optional[Sentence], extractor: str = "rule") -> tuple[Evidence, ...]:
    """A relation's evidence: the sentence that states it (offsets of the whole sentence)."""
    if article is None:
        return ()
    if sentence is None:
        return (Evidence(article.article_id, None, None, None, extractor),)
    return (Evidence(article.article_id, sentence.text, sentence.raw_start, sentence.raw_end, extractor),)


def first_evidence(entity: Entity) -> Optional[Evidence]:
    return entity.evidence[0] if entity.evidence else None
