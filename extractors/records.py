"""Records that cross pipeline stages (read → normalise → segment → extract → assemble).

Frozen dataclasses so a stage can never mutate what an earlier stage produced.
Offsets called ``start``/``end`` index the normalised text; ``raw_start``/``raw_end``
index the decoded original file (Python string positions, BOM excluded), which is
what users see when they open the file. `Evidence` is the exception: it only ever
points into the original file, so its ``start``/``end`` are raw offsets.

What extraction produces stays typed up to the exporters: `Entity` (with an ``id``
unique in its document), `Relation` (ends are entity ids, so two entities that share
a name never collide), `Observation` (its owner's id), held by one `DocumentResult`.
``to_dict()`` gives the SCHEMA.md JSON Lines shape, ids mapped back to names.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Optional


@dataclass(frozen=True)
class SourceDocument:
    """One input file, decoded."""

    doc_id: str          # file stem, e.g. "000_82718d54f40bf8d9"
    path: str            # as given by the user (relative paths stay relative)
    raw: str             # decoded text exactly as in the file (CR/LF kept)
    encoding: str        # codec that decoded it


@dataclass(frozen=True)
class NormalisedText:
    """Clean text plus a map from each of its characters back into ``raw``.

    ``raw_index[i]`` is the raw position of ``text[i]``; ``raw_index[len(text)]``
    is the raw position just after the last kept character.
    """

    text: str
    raw_index: tuple[int, ...]
    heading_marks: frozenset[int] = frozenset()  # line starts that had '#' marks

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to the smallest raw span holding it."""
        if start >= end:
            pos = self.raw_index[start]
            return pos, pos
        return self.raw_index[start], self.raw_index[end - 1] + 1


@dataclass(frozen=True)
class Sentence:
    """A unit of text inside an article; ``kind`` says which part of it.

    kinds: "headline", "subheadline", "heading" (a section heading) and "body".
    ``text`` is the normalised slice with line breaks removed.
    """

    text: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    kind: str = "body"


@dataclass(frozen=True)
class Author:
    name: str
    province: Optional[str] = None


@dataclass(frozen=True)
class Article:
    """One article of a page; ``index`` is its order of appearance in the file."""

    doc_id: str
    index: int
    headline: str
    subheadline: Optional[str] = None
    authors: tuple[Author, ...] = ()
    author_position: Optional[str] = None   # "河南省禹州市人大常委会主任"
    reporting_body: Optional[str] = None    # "兴宾区人大常委会" (page-004 style)
    published: Optional[str] = None         # from a "发布时间" line
    source: Optional[str] = None            # from a "来源" line
    sentences: tuple[Sentence, ...] = ()
    start: int = 0                           # span of the article in normalised text
    end: int = 0

    @property
    def article_id(self) -> str:
        return f"{self.doc_id}#a{self.index}"

    @property
    def sections(self) -> tuple[str, ...]:
        """Section headings in order of appearance."""
        return tuple(s.text for s in self.sentences if s.kind == "heading")

    @property
    def name(self) -> str:
        """Canonical Article name (SCHEMA.md): the headline with spaces removed."""
        return "".join(self.headline.split())


@dataclass(frozen=True)
class SegmentedDocument:
    source: SourceDocument
    normalised: NormalisedText
    articles: tuple[Article, ...] = field(default_factory=tuple)
    preamble: tuple[Sentence, ...] = ()      # text before the first article (编者按 …)


def sentence_span_to_raw(norm: NormalisedText, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """Raw offsets of ``sentence.text[start:end]``.

    A sentence's text drops the line breaks (and spaces around them) that a
    column break left inside it, so its positions are re-counted over the
    normalised slice, skipping what was dropped.
    """
    kept = [i for i in range(sentence.start, sentence.end) if not _dropped(norm.text, i)]
    if not kept or start >= len(kept):
        return sentence.raw_start, sentence.raw_end
    return norm.to_raw(kept[start], kept[min(end, len(kept)) - 1] + 1)


def _dropped(text: str, i: int) -> bool:
    """True for a newline, or white space touching a newline run."""
    if text[i] == "\n":
        return True
    if not text[i].isspace():
        return False
    j = i
    while j < len(text) and text[j].isspace() and text[j] != "\n":
        j += 1
    k = i
    while k >= 0 and text[k].isspace() and text[k] != "\n":
        k -= 1
    return (j < len(text) and text[j] == "\n") or (k >= 0 and text[k] == "\n")


# ---------------------------------------------------------------------------
# What the entity extractors find in a sentence


#: Administrative levels, highest first.
LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "town": 3, "village": 4}


@dataclass(frozen=True)
class PlaceSpan:
    """A place the gazetteer found in a sentence: offsets into the sentence text."""

    start: int
    end: int
    surface: str          # as printed: "临沂", "齐溪", "山东省"
    name: str             # official full name: "临沂市", "齐溪镇"
    level: str            # province, city, county, town, village
    node_id: Optional[str] = None
    adcode: Optional[str] = None
    parents: tuple[str, ...] = ()   # official names of the ancestors, nearest first


@dataclass(frozen=True)
class Mention:
    """One candidate entity occurrence; offsets index ``Sentence.text``.

    ``abbrev`` marks an abbreviated institutional mention ("市人大常委会" → "市",
    bare "人代会" → "") that only the article's context can complete; ``weak``
    aliases are abbreviations that must never be used to merge two entities.
    """

    type: str
    name: str
    start: int
    end: int
    surface: str
    aliases: tuple[str, ...] = ()
    kind: Optional[str] = None            # CongressBody/LiaisonStation/Programme kind, Place level
    extractor: str = "rule"
    abbrev: Optional[str] = None
    tail: str = ""                        # for abbreviations: the institutional part ("人大常委会")
    weak: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    article: int = -1                     # index of the article (-1: preamble)
    sentence: int = -1                    # index of the sentence in its article


# ---------------------------------------------------------------------------
# What extraction produces for one document. Typed up to the exporters; ``to_dict``
# is the SCHEMA.md JSON Lines shape (the one place ids are mapped back to names).


@dataclass(frozen=True)
class Evidence:
    """Where something was read: ``start``/``end`` are raw offsets into the decoded
    original file. A relation that cites an article without a sentence of it (none
    holds the position) has no sentence and no offsets."""

    article: Optional[str]          # article id ("000_…#a2"); None for the page's own text
    sentence: Optional[str]
    start: Optional[int]
    end: Optional[int]
    extractor: str                  # rule, gazetteer, ner, context

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"article": self.article}
        if self.sentence is not None:
            out["sentence"] = self.sentence
        if self.start is not None:
            out["start"] = self.start
        if self.end is not None:
            out["end"] = self.end
        out["extractor"] = self.extractor
        return out


def entity_id(type_: str, name: str) -> str:
    """The id of a document's entity: its type and canonical name, which the merge
    makes unique per document ("CongressBody:临沂市人大常委会")."""
    return f"{type_}:{name}"


@dataclass(frozen=True)
class Entity:
    """One thing a document names, with all its names and where it was read.

    ``id`` defaults to `entity_id` (type + canonical name); `unique_ids` makes it
    unique should two entities of a document ever share both."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()     # kind / level / node_id / adcode
    evidence: tuple[Evidence, ...] = ()
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", entity_id(self.type, self.name))

    def attr(self, key: str) -> Optional[str]:
        return dict(self.attrs).get(key)

    @property
    def kind(self) -> Optional[str]:
        return self.attr("kind")

    @property
    def level(self) -> Optional[str]:
        return self.attr("level")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def to_dict(self) -> dict[str, Any]:
        """SCHEMA.md: type, name, aliases, kind/level/node_id/adcode, evidence (no id)."""
        out: dict[str, Any] = {"type": self.type, "name": self.name, "aliases": list(self.aliases)}
        out.update(self.attrs)
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


def unique_ids(entities: Iterable[Entity]) -> list[Entity]:
    """The entities, a repeated id suffixed with ``#2``, ``#3`` … in order of appearance."""
    seen: set[str] = set()
    out = []
    for e in entities:
        new_id, n = e.id, 1
        while new_id in seen:
            n += 1
            new_id = f"{e.id}#{n}"
        seen.add(new_id)
        out.append(e if new_id == e.id else replace(e, id=new_id))
    return out


@dataclass(frozen=True)
class Relation:
    """A typed edge between two entities of one document, named by their ids."""

    head: str                       # entity id
    relation: str
    tail: str                       # entity id
    role: Optional[str] = None      # memberOf: 主任, 代表 …
    evidence: tuple[Evidence, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return self.head, self.relation, self.tail

    def to_dict(self, names: Mapping[str, str]) -> dict[str, Any]:
        """SCHEMA.md: ``head`` and ``tail`` are the canonical names (``names``: id → name)."""
        out: dict[str, Any] = {"head": names[self.head], "relation": self.relation, "tail": names[self.tail]}
        if self.role:
            out["role"] = self.role
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(frozen=True)
class Observation:
    """A count the text reports ("697个人大代表联络站"), attached to the entity it describes."""

    entity: str                     # id of the entity it describes
    measure: str                    # what is counted: 人大代表联络站
    value: int | float
    unit: str                       # the measure word: 个
    year: Optional[int]
    approximate: bool               # 余 / 多 after the number
    evidence: Evidence

    def to_dict(self, names: Mapping[str, str]) -> dict[str, Any]:
        """SCHEMA.md: the fields, the evidence, and ``entity`` as the owner's name."""
        return {"measure": self.measure, "value": self.value, "unit": self.unit, "year": self.year,
                "approximate": self.approximate, "evidence": self.evidence.to_dict(),
                "entity": names[self.entity]}


@dataclass(frozen=True)
class DocumentResult:
    """What the extractors produced for one document."""

    doc_id: str
    path: str
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...] = ()
    observations: tuple[Observation, ...] = ()
    articles: Mapping[str, str] = field(default_factory=dict)   # article name → article id

    def names(self) -> dict[str, str]:
        """Entity id → canonical name."""
        return {e.id: e.name for e in self.entities}

    def to_dict(self) -> dict[str, Any]:
        """The SCHEMA.md JSON Lines record of the document: relation ends and
        observation owners by name."""
        names = self.names()
        return {"doc": self.doc_id, "entities": [e.to_dict() for e in self.entities],
                "relations": [r.to_dict(names) for r in self.relations],
                "observations": [o.to_dict(names) for o in self.observations]}
