"""Entities of one segmented document: rules + gazetteer + context, merged per document.

Mentions come from three extractors — the rules (`rules/`), the place
gazetteer and the context resolver — and are merged into one entity per thing
the document names: mentions with the same type and canonical name, or sharing a
full (non-abbreviated) alias, are one entity. Every entity keeps the evidence of
each mention (article, sentence, raw offsets into the original file, extractor).
Authors, article headlines and page mastheads (dropped by the normaliser as
furniture) are added from the segmentation and the raw text.

The stages are functions that the spaCy pipeline's components call in order
(`spacy_pipeline`): `document_places`, `rule_units`, `resolve_units`, `merge_entities`.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable, Optional, Sequence

from .context_resolver import article_context, resolve
from ..ontology.types import TYPE_ORDER
from .records import Article, Entity, Evidence, Mention, PlaceSpan, SegmentedDocument, Sentence, unique_ids
from .rules import DEFAULT_ORDER, sentence_mentions
from .rules.places import full_villages as _full_villages, short_villages, localities_after, named_zones, running_localities, text_places
from .rules.text_helpers import TITLE, clean, is_common_word, tokens
from .text_normaliser import MASTHEADS, is_furniture, to_simplified

__all__ = ["Mention", "DocumentPlaces", "TextUnit", "gazetteer_named", "document_places",
           "rule_units", "resolve_units", "merge_entities"]


# ---------------------------------------------------------------------------
# Places: gazetteer mentions turned into PlaceSpans, resolved per document


def gazetteer_named(name: Optional[str]) -> Any:
    """The place gazetteer a pipeline config names, the one accessor for it: "default"
    is jionlp's tree (loaded once per process, ~1 s), "none" runs without places."""
    if name is None or name == "none":
        return None
    if name == "default":
        from .place_gazetteer import PlaceGazetteer     # imported on first use
        return PlaceGazetteer.default()
    raise ValueError(f"unknown gazetteer {name!r}: use 'default' or 'none'")


class DocumentPlaces:
    """Finds places in the texts of one document and picks one reading of each.

    A name shared by several places ("中村镇") is read as the one under a place
    that the document names without ambiguity; town short forms ("齐溪") are
    looked for under the counties the document names."""

    def __init__(self, gazetteer: Any, texts: Iterable[str]):
        self.gaz = gazetteer
        self._cache: dict[str, tuple[PlaceSpan, ...]] = {}
        self._found: dict[str, tuple] = {}        # `_raw_find` per text: every text is read twice
        self.context_ids: set[str] = set()
        if gazetteer is None:
            return
        texts = list(texts)
        found = [m for t in texts for m in self._raw_find(t)]
        for m in found:
            if len(m.candidates) == 1 and len(m.surface) >= 3:
                node = m.candidates[0]
                self.context_ids.add(node.node_id)
                self.context_ids.update(a.node_id for a in self._ancestors(node.node_id))
        self.strong_ids = frozenset(self.context_ids)
        # second pass: unique readings of short names under what is already known
        for m in found:
            node = self._pick(m)
            if node is not None:
                self.context_ids.add(node.node_id)
        self._villages = _full_villages(self._spans(t) for t in texts)

    def _raw_find(self, text: str) -> list:
        """Gazetteer matches that start and end on word boundaries.

        A short name inside a longer word is no place: 大新 in 人大新闻, 高要 in
        提高要求, 促进乡 in 促进乡村. Names of four characters or more are kept."""
        if text not in self._found:
            self._found[text] = tuple(self._word_bounded(text))
        return list(self._found[text])

    def _word_bounded(self, text: str) -> list:
        found = list(self.gaz.find(text))
        if not any(m.end - m.start < 4 for m in found):
            return found
        bounds = {0, len(text)}
        word_end: dict[int, int] = {}
        for s, e, _, _ in tokens(text):
            bounds.update((s, e))
            word_end[s] = e
        # a full official name may also head one longer word (北京市人大常委会), never
        # run across two ("人大会同县政府": 会同 | 县政府 is no county)
        return [m for m in found if m.end - m.start >= 4 or m.start in bounds and (
            m.end in bounds or word_end.get(m.start, 0) > m.end and _official_head(m))]

    def _ancestors(self, node_id: str) -> list:
        return self.gaz.ancestors(node_id)

    def _pick(self, m) -> Optional[Any]:
        cands = list(m.candidates)
        if not cands:
            return None
        full = getattr(self.gaz, "is_full_form", lambda printed, node: printed == node.name)
        short = not any(full(m.surface, c) for c in cands)
        if short or len(m.surface) <= 2:
            # a short form (振兴 for 振兴区) only for a place the document names in full
            # (a town's also under a named county); a two-character name ("费县", "城区")
            # only below a place the document names; provinces always
            cands = [c for c in cands if c.level == "province" or c.node_id in self.strong_ids
                     or c.parent_id in self.strong_ids and (not short or c.level in ("town", "village"))]
            if short and is_common_word(m.surface):
                cands = [c for c in cands if c.level != "town"]     # 复兴, 地方, 建设: words first
            if not cands:
                return None
        if len(cands) == 1:
            return cands[0]
        inside = [c for c in cands if c.node_id in self.context_ids
                  or any(a.node_id in self.context_ids for a in self._ancestors(c.node_id))]
        if len(inside) == 1:
            return inside[0]
        if inside:
            # the nearest: a candidate whose parent itself is named
            direct = [c for c in inside if c.parent_id in self.context_ids or c.node_id in self.context_ids]
            if len(direct) == 1:
                return direct[0]
        levels = {c.level for c in cands}
        if len(levels) == 1 and next(iter(levels)) == "province":
            return cands[0]
        return None

    def __call__(self, text: str) -> tuple[PlaceSpan, ...]:
        spans = self._spans(text)
        short = short_villages(text, spans, getattr(self, "_villages", {}))
        return tuple(_longest_first([*short, *spans])) if short else spans   # the area under its town wins

    def _spans(self, text: str) -> tuple[PlaceSpan, ...]:
        if text in self._cache:
            return self._cache[text]
        spans: list[PlaceSpan] = []
        if self.gaz is not None:
            found = self._raw_find(text) + self.gaz.short_forms_in(text, sorted(self.context_ids))
            unresolved: list[PlaceSpan] = []
            for m in found:
                node = self._pick(m)
                if node is None:
                    unresolved += self._unresolved(m, text)
                    continue
                parents = tuple(a.name for a in self._ancestors(node.node_id))
                spans.append(PlaceSpan(m.start, m.end, m.surface, node.name, node.level,
                                       node.node_id, getattr(node, "adcode", None), parents))
            # a reading the document resolves wins over one it does not ("中村镇", a renamed 中村乡)
            spans += [u for u in unresolved if not any(p.start <= u.start and u.end <= p.end for p in spans)]
        spans = _longest_first(spans)
        spans = _longest_first(spans + localities_after(text, spans))
        spans = _longest_first(spans + running_localities(text, spans))
        given = text_places(text, spans)
        if given:
            spans = [p for p in spans if not any(g.start <= p.start and p.end <= g.end for g in given)]
            spans = _longest_first(spans + given)
        spans = _with_zones(spans, named_zones(text, spans))
        self._cache[text] = tuple(spans)
        return self._cache[text]

    def _unresolved(self, m, text: str) -> list[PlaceSpan]:
        """A town or county printed by its full name that several places share and the
        document does not tell apart ("金川镇" with no county named): still the place
        the text names, by that name, with the ancestors all its readings share (none
        when they share none), but no tree node. It must start a word: 太阳镇 inside
        "小太阳镇" is not it."""
        if not _starts_name(text, m.start):
            return []
        cands = list(m.candidates)
        if len(cands) < 2 or len(m.surface) < 3 or not m.surface.endswith(_FULL_TOWN_ENDS) \
                or any(c.name != m.surface or c.level != cands[0].level for c in cands) \
                or cands[0].level not in ("county", "town") or is_common_word(m.surface):
            return []
        chains = [[a.name for a in self._ancestors(c.node_id)] for c in cands]
        shared = tuple(a for a in chains[0] if all(a in ch for ch in chains[1:]))
        return [PlaceSpan(m.start, m.end, m.surface, m.surface, cands[0].level, None, None, shared)]

    def province_of(self, short: Optional[str]) -> Optional[str]:
        """Official name of a province printed short in a byline ("山东" → 山东省)."""
        if not short or self.gaz is None:
            return None
        for m in self._raw_find(short):
            if m.start == 0 and m.end == len(short):
                provs = [c for c in m.candidates if c.level == "province"]
                if provs:
                    return provs[0].name
        return None

    def lookup_province(self, short: str) -> Optional[PlaceSpan]:
        for m in self._raw_find(short) if self.gaz is not None else []:
            if m.start == 0 and m.end == len(short):
                provs = [c for c in m.candidates if c.level == "province"]
                if provs:
                    c = provs[0]
                    return PlaceSpan(0, len(short), short, c.name, c.level, c.node_id, getattr(c, "adcode", None))
        return None


#: Ends of a town's or county's full name that `DocumentPlaces._unresolved` keeps.
_FULL_TOWN_ENDS = ("镇", "乡", "街道", "县", "区", "旗")


def _with_zones(spans: list[PlaceSpan], zones: list[PlaceSpan]) -> list[PlaceSpan]:
    """The places and the zones named over them. A place printed short inside a zone's
    name ("北京" in 北京雁栖湖示范区, "大阳" in 大阳高端装备制造产业园) is part of that
    name, not a place the text names; one printed in full ("吉县" in 吉县壶口景区)
    still is, and so is the city or county a zone is named after ("怀柔" in 怀柔科学城)."""
    def named(p: PlaceSpan) -> bool:
        if any(z.start < p.start and p.end == z.end for z in zones):
            return False                    # "经济开发区" read as a district: the zone's own tail
        return p.surface.endswith(_LEVEL_ENDS) or not any(
            z.start <= p.start and p.end <= z.end and not (
                z.start == p.start and z.parents[:1] == (p.name,) and p.level in ("city", "county"))
            for z in zones)

    kept = [p for p in spans if named(p)]
    return sorted(kept + zones, key=lambda p: (p.start, -p.end))


def _starts_name(text: str, start: int) -> bool:
    """Does a name start at ``start``: after no Han character, or after a function word
    (a preposition, verb, conjunction, particle …) that jieba ends there?"""
    if start == 0 or not ("\u4e00" <= text[start - 1] <= "\u9fff") or text[start - 1] in "省市县区旗州":
        return True                              # "汇川区石板镇": after a place's level word
    before = [t for t in tokens(text) if t[1] == start]
    return bool(before) and before[0][3][:1] in ("p", "v", "c", "u", "d", "f", "m", "q", "r")


def _official_head(m: Any) -> bool:
    """A full official name ending in its level word at the head of a longer word:
    jieba reads "北京市人大常委会" as one word, and 北京市 is still a place."""
    return m.surface[-1] in "省市县区旗州" and any(m.surface == c.name for c in m.candidates)


def _longest_first(spans: list[PlaceSpan]) -> list[PlaceSpan]:
    """Non-overlapping spans, longer ones winning ("平邑县" over "和平")."""
    chosen: list[PlaceSpan] = []
    taken: set[int] = set()
    for p in sorted(spans, key=lambda p: (-(p.end - p.start), p.start)):
        if any(i in taken for i in range(p.start, p.end)):
            continue
        chosen.append(p)
        taken.update(range(p.start, p.end))
    return sorted(chosen, key=lambda p: p.start)


# ---------------------------------------------------------------------------
# Offsets


#: A line break and the white space around it.
_LINE_BREAK = re.compile(r"\s*\n\s*")


def _kept_index(norm_text: str, s: Sentence) -> list[int]:
    """Normalised position of each character of ``s.text`` (the segmenter drops
    line breaks and the spaces around them when it builds a sentence)."""
    seg = norm_text[s.start:s.end]
    if "\n" not in seg:                            # most sentences: one line
        return list(range(s.start, s.end))
    keep: list[int] = []
    pos = 0
    for m in _LINE_BREAK.finditer(seg):
        keep.extend(range(s.start + pos, s.start + m.start()))
        pos = m.end()
    keep.extend(range(s.start + pos, s.end))
    return keep


class _Offsets:
    """Raw offsets of sentence-relative spans, one index per sentence built once."""

    def __init__(self, doc: SegmentedDocument):
        self.doc = doc
        self._maps: dict[int, list[int]] = {}

    def raw(self, s: Sentence, start: int, end: int) -> tuple[int, int]:
        key = id(s)
        if key not in self._maps:
            self._maps[key] = _kept_index(self.doc.normalised.text, s)
        kept = self._maps[key]
        if not kept or start >= len(kept) or end <= start:
            return s.raw_start, s.raw_end
        return self.doc.normalised.to_raw(kept[start], kept[min(end, len(kept)) - 1] + 1)


# ---------------------------------------------------------------------------
# Mentions of one document


_RULES_TITLE = re.compile(r"(条例|法|办法|规定|决定|决议|意见|方案|规划|细则|规则|计划|纲要|要点|制度|通知)$")


def _place_mentions(spans: Sequence[PlaceSpan], text: str = "") -> list[Mention]:
    """Places as mentions; the place at the head of a rule's title ("《青海省…条例》") is
    the rule's jurisdiction, part of its name, not a place the sentence names."""
    titles = [(m.start(), m.end()) for m in TITLE.finditer(text) if _RULES_TITLE.search(m.group("t"))]
    out = []
    for p in spans:
        if any(a < p.start and p.end < b for a, b in titles):
            continue
        attrs = tuple((k, v) for k, v in (("node_id", p.node_id), ("adcode", p.adcode)) if v)
        out.append(Mention("Place", p.name, p.start, p.end, p.surface,
                           aliases=(p.surface,) if p.surface != p.name else (), kind=p.level,
                           extractor="gazetteer", attrs=attrs))
    return out


#: Ends of a place printed in full, with its level word.
_LEVEL_ENDS = ("省", "市", "县", "区", "旗", "州", "盟", "镇", "乡", "街道", "村", "社区", "屯", "苏木")
#: Types whose names carry a place's short form as part of the name, not as a place.
_NAMED_AFTER_PLACE = ("Organization", "Media")


def _outside_names(spans: Sequence[PlaceSpan], found: Sequence[Mention]) -> list[PlaceSpan]:
    """Places without those printed short only inside an organisation's or outlet's name:
    "甘肃天水羲皇阿胶有限公司" names a company, "云南人大" an account; the text does not
    name 甘肃省 or 天水市 there. A place printed in full ("临沂市XX公司") still counts."""
    names = [(m.start, m.end) for m in found if m.type in _NAMED_AFTER_PLACE]
    return [p for p in spans if p.surface.endswith(_LEVEL_ENDS)
            or not any(a <= p.start and p.end < b for a, b in names)]


#: A mention with where it was read.
Item = tuple[Mention, Evidence]


@dataclass
class TextUnit:
    """Sentences read in one context: an article, or the page's own text (index -1),
    whose editor's note names the page's body in full once and then abbreviates it
    like any article ("市委" after "来宾市人大常委会")."""

    article: Article
    mentions: list[list[Mention]] = field(default_factory=list)  # per sentence: rules, gazetteer, NER
    items: list[Item] = field(default_factory=list)              # the mentions resolved, with evidence
    printed: list[Item] = field(default_factory=list)            # bylines and headline; the page's mastheads

    @property
    def evidence_article(self) -> Optional[str]:
        return self.article.article_id if self.article.index >= 0 else None


def document_places(doc: SegmentedDocument, gazetteer: Any) -> DocumentPlaces:
    """The place finder of one document: every text it prints decides the readings."""
    sentences = [s for a in doc.articles for s in a.sentences] + list(doc.preamble)
    extra_texts = [t for a in doc.articles for t in (a.author_position, a.reporting_body) if t]
    return DocumentPlaces(gazetteer, [s.text for s in sentences] + extra_texts)


def rule_units(doc: SegmentedDocument, places: DocumentPlaces,
               families: Sequence[str] = DEFAULT_ORDER) -> list[TextUnit]:
    """The articles, then the page's own text: rule and gazetteer mentions of each
    sentence (the rule families of ``families``, in that order), the authors and
    headline of each article, and the page's mastheads."""
    note = Article(doc.source.doc_id, -1, "", sentences=tuple(doc.preamble))
    units = [TextUnit(a) for a in (*doc.articles, note)]
    for unit in units:
        for s in unit.article.sentences:
            spans = places(s.text)
            found = sentence_mentions(s.text, spans, s.kind, MASTHEADS, families)
            unit.mentions.append(found + _place_mentions(_outside_names(spans, found), s.text))
    starts = [min((s.raw_start for s in a.sentences), default=0) for a in doc.articles]
    for n, unit in enumerate(units[:-1]):
        nxt = starts[n + 1] if n + 1 < len(starts) else len(doc.source.raw)
        unit.printed = _byline_items(doc, unit.article, places, nxt)
    units[-1].printed = _masthead_items(doc)
    return units


def resolve_units(doc: SegmentedDocument, units: Sequence[TextUnit], places: DocumentPlaces) -> None:
    """Complete each unit's abbreviations from its context and give every mention its
    evidence (raw offsets into the original file); sets ``unit.items``."""
    offsets = _Offsets(doc)
    for unit in units:
        article = unit.article
        ctx = article_context(article, places, places.province_of)
        found = [replace(m, article=article.index, sentence=k)
                 for k, mentions in enumerate(unit.mentions) for m in mentions]
        unit.items = []
        for m in resolve(found, ctx):
            s = article.sentences[m.sentence]
            a, b = offsets.raw(s, m.start, m.end)
            unit.items.append((m, Evidence(unit.evidence_article, s.text, a, b, m.extractor)))


def _station_key(name: str) -> str:
    """A station's name with "人大代表" said "代表": a text names its station both ways
    ("X街道人大代表联络站" and, later, "X街道代表联络站"), and it is one station."""
    return name.replace("人大代表", "代表")


@dataclass
class _Group:
    """Mentions being merged into one entity."""

    type: str
    mentions: list[tuple[Mention, Evidence]] = field(default_factory=list)
    forced_name: Optional[str] = None

    def strong(self) -> set[str]:
        """Names that identify the entity; a place's node in the tree is one of them, so a
        town printed "中村镇" and its short form read as the tree's 中村乡 are one place."""
        names = {n for m, _ in self.mentions for n in (m.name, *m.aliases)}
        if self.type == "LiaisonStation":
            names.update(_station_key(n) for n in list(names))
        if self.type == "Place":
            names.update("node:" + v for m, _ in self.mentions for k, v in m.attrs if k == "node_id")
        return names

    def name(self) -> str:
        if self.forced_name:
            return self.forced_name
        counts = Counter(m.name for m, _ in self.mentions)
        printed = {clean(m.surface) for m, _ in self.mentions}
        first = {}
        for k, (m, _) in enumerate(self.mentions):
            first.setdefault(m.name, k)
        # the most frequent name; between equals one the text prints, then the fuller
        # one, which keeps the place prefix a headline may drop (SCHEMA: name as printed)
        return max(counts, key=lambda n: (counts[n], n in printed, len(n), -first[n]))

    def to_entity(self) -> Entity:
        name = self.name()
        names: dict[str, None] = {}
        for m, _ in self.mentions:
            for n in (m.name, *m.aliases, *m.weak):
                c = clean(n)
                if c and c != name:
                    names[c] = None
        kinds = Counter(m.kind for m, _ in self.mentions if m.kind)
        attrs: list[tuple[str, str]] = []
        if kinds:
            key = "level" if self.type == "Place" else "kind"
            attrs.append((key, kinds.most_common(1)[0][0]))
        extra: dict[str, str] = {}
        for m, _ in self.mentions:
            for k, v in m.attrs:
                extra.setdefault(k, v)
        attrs += sorted(extra.items())
        evidence: dict[tuple, Evidence] = {}
        for _, e in self.mentions:
            evidence.setdefault((e.article, e.start, e.end, e.extractor), e)
        ev = tuple(sorted(evidence.values(), key=lambda e: (e.start, e.end, e.extractor)))
        return Entity(self.type, name, tuple(names), tuple(attrs), ev)


def _merge(items: list[tuple[Mention, Evidence]], places: DocumentPlaces) -> list[Entity]:
    """One entity per (type, name), then per shared full name, then short → place-prefixed."""
    groups: dict[tuple[str, str], _Group] = {}
    for m, e in items:
        key = (m.type, clean(m.name))
        groups.setdefault(key, _Group(m.type)).mentions.append((m, e))
    final = _union_shared_names(groups)
    absorbed = _absorb_unprefixed(final, places)
    return [_with_tree_name(g.to_entity(), places) for g in final if id(g) not in absorbed]


def _with_tree_name(e: Entity, places: DocumentPlaces) -> Entity:
    """A place printed under another name than the tree's (a town renamed 乡 → 镇) keeps
    the tree's official name as an alias."""
    node_id = e.attr("node_id") if e.type == "Place" else None
    if not node_id or places.gaz is None:
        return e
    try:
        official = places.gaz.node(node_id).name
    except KeyError:
        return e
    if official == e.name or official in e.aliases:
        return e
    return replace(e, aliases=(*e.aliases, official))


def _union_shared_names(groups: dict[tuple[str, str], _Group]) -> list[_Group]:
    """Groups of one type that share a full (non-abbreviated) name become one (union-find)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {k: k for k in groups}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[tuple[str, str], tuple[str, str]] = {}
    for key, g in groups.items():
        for n in g.strong():
            nk = (g.type, clean(n))
            if nk not in owner:
                owner[nk] = key
                continue
            a, b = find(owner[nk]), find(key)
            if a != b:
                parent[b] = a
    merged: dict[tuple[str, str], _Group] = {}
    for key, g in groups.items():
        merged.setdefault(find(key), _Group(g.type)).mentions.extend(g.mentions)
    return list(merged.values())


def _absorb_unprefixed(final: list[_Group], places: DocumentPlaces) -> set[int]:
    """An unprefixed name is the place-prefixed entity when exactly one such exists;
    returns the ids of the groups absorbed that way (their mentions moved over)."""
    by_type: dict[str, list[_Group]] = defaultdict(list)
    for g in final:
        by_type[g.type].append(g)
    absorbed: set[int] = set()
    for typ in ("CongressBody", "LiaisonStation", "Programme", "Organization"):
        gs = by_type.get(typ, [])
        for g in gs:
            short = g.name()
            longer = [h for h in gs if h is not g and id(h) not in absorbed
                      and _prefixed_form_of(h.name(), short, places)]
            if len(longer) == 1 and id(g) not in absorbed:
                target = longer[0]
                target.forced_name = target.name()
                target.mentions.extend(g.mentions)
                absorbed.add(id(g))
    return absorbed


def _prefixed_form_of(name: str, short: str, places: DocumentPlaces) -> bool:
    return name.endswith(short) and name != short and _is_place_prefix(name[: -len(short)], places)


def _is_place_prefix(prefix: str, places: DocumentPlaces) -> bool:
    if not prefix:
        return False
    spans = places(prefix)
    return bool(spans) and spans[0].start == 0 and spans[-1].end == len(prefix) and \
        all(a.end == b.start for a, b in zip(spans, spans[1:]))


# ---------------------------------------------------------------------------
# Authors, headlines, mastheads


def _raw_find(raw: str, needle: str, lo: int, hi: int) -> Optional[tuple[int, int]]:
    """Position of ``needle`` in raw[lo:hi], allowing OCR spaces between its characters."""
    pattern = r"\s*".join(re.escape(c) for c in needle)
    m = re.compile(pattern).search(raw, lo, hi)
    return (m.start(), m.end()) if m else None


def _byline_items(doc: SegmentedDocument, article: Article, places: DocumentPlaces,
                  next_start: int) -> list[tuple[Mention, Evidence]]:
    raw = doc.source.raw
    head = next((s for s in article.sentences if s.kind == "headline"), None)
    body = next((s for s in article.sentences if s.kind == "body"), None)
    lo = head.raw_end if head else doc.normalised.to_raw(article.start, article.start)[0]
    hi = body.raw_start if body and body.raw_start > lo else next_start
    out = []
    for a in article.authors:
        pos = _raw_find(raw, a.name, lo, hi) or _raw_find(raw, a.name, 0, len(raw))
        start, end = pos if pos else (lo, lo)
        ev = Evidence(article.article_id, raw[start:end], start, end, "rule")
        out.append((Mention("Person", a.name, 0, 0, a.name), ev))
        if a.province:
            prov = places.lookup_province(a.province)
            if prov is not None:
                ppos = _raw_find(raw, a.province, start, hi) or (start, end)
                pev = Evidence(article.article_id, raw[ppos[0]:ppos[1]], ppos[0], ppos[1], "gazetteer")
                attrs = tuple((k, v) for k, v in (("node_id", prov.node_id), ("adcode", prov.adcode)) if v)
                out.append((Mention("Place", prov.name, 0, 0, a.province,
                                    aliases=(a.province,) if a.province != prov.name else (),
                                    kind="province", extractor="gazetteer", attrs=attrs), pev))
    if head is not None and article.name:
        ev = Evidence(article.article_id, head.text, head.raw_start, head.raw_end, "rule")
        out.append((Mention("Article", article.name, 0, 0, article.headline), ev))
    return out


@lru_cache(maxsize=64)
def _simplified(text: str) -> str:
    return to_simplified(text)


def _masthead(line: str) -> Optional[str]:
    """The masthead a running-head line prints, or None (column labels, editor lines)."""
    s = clean(line.lstrip("#"))
    if not s or not is_furniture(s):
        return None
    simple = _simplified(s)
    for m in MASTHEADS:
        if len(simple) == len(m) and sum(a != b for a, b in zip(simple, m)) <= 1:
            return m
    return None


def _masthead_items(doc: SegmentedDocument) -> list[tuple[Mention, Evidence]]:
    raw = doc.source.raw
    spans = []
    for a in doc.articles:
        if a.sentences:
            spans.append((min(s.raw_start for s in a.sentences), max(s.raw_end for s in a.sentences), a))
    out = []
    for m in re.finditer(r"[^\r\n]+", raw):
        name = _masthead(m.group())
        if not name:
            continue
        s = m.start() + len(m.group()) - len(m.group().lstrip("# "))
        e = m.start() + len(m.group().rstrip())
        owner = next((a for lo, hi, a in spans if lo <= s < hi), None)
        printed = clean(m.group().lstrip("#"))
        ev = Evidence(owner.article_id if owner else None, raw[s:e], s, e, "rule")
        out.append((Mention("Media", name, 0, 0, printed, aliases=(printed,) if printed != name else ()), ev))
    return out


# ---------------------------------------------------------------------------
# Merging


def merge_entities(units: Sequence[TextUnit], places: DocumentPlaces) -> list[Entity]:
    """The entities of one document from its resolved units, in type order then order
    of first appearance. The spaCy pipeline (`spacy_pipeline`) runs the stages
    before this one: `document_places`, `rule_units`, the NER candidates, `resolve_units`."""
    items = [item for unit in units for item in (*unit.items, *unit.printed)]
    entities = _merge(items, places)
    order = {t: k for k, t in enumerate(TYPE_ORDER)}
    entities.sort(key=lambda e: (order.get(e.type, len(order)),
                                 min((ev.start for ev in e.evidence), default=0), e.name))
    return unique_ids(entities)
