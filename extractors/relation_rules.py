"""Relation rules: pure functions from a segmented document and its entities to relations.

Entities arrive as typed `Entity` records (``type``, ``name``, ``aliases``,
``kind``/``level``/``node_id`` in ``attrs``) whose `Evidence` carries the article,
sentence, raw offsets and extractor. A relation names its ends by entity id, so two
entities that share a name (a Programme, a Media and an Article all called 代表在线) stay
apart. Each rule family is a function of its own (composition, bylines, verbs,
industries), so each can be tested alone; `extract_relations` runs them all and merges
evidence.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from .body_relations import ROLE_WORDS, memberships_in_text, parent_body, sub_organization_of
from .creation_relations import created_by
from .entity_index import EntityIndex, Sighting, sentence_evidence
from .records import LEVEL_RANK
from .records import Article, Entity, Evidence, Relation, SegmentedDocument, Sentence
from .text_normaliser import plain

#: Parts of a body that are its internal offices: they lie where the body lies.
_INTERNAL_PARTS = ("党组", "办公室", "办公厅", "机关", "研究室")

# ---------------------------------------------------------------------------
# Composition: what names and the administrative tree say.


def _place_prefixes(name: str, places: list[Entity]) -> list[Entity]:
    """Places whose name or alias the entity name contains, most specific first."""
    hits = []
    for p in places:
        for n in p.names:
            if len(n) >= 2 and n in name and name != n:
                hits.append((-LEVEL_RANK.get(p.level or "", 5), name.find(n), p.name, p))
                break
    hits.sort(key=lambda h: (h[0], -h[1]))
    return [h[3] for h in hits]


def located_in(ix: EntityIndex, parent_of: Callable[[Entity], Optional[Entity]]) -> Iterator[Relation]:
    """Places sit in their nearest mentioned ancestor; bodies, stations and
    organisations sit in the most specific place their name contains."""
    places = list(ix.of_type("Place"))
    printed = _printed_parents(ix, places)
    for p in places:
        if p.id in printed:
            parent, ev = printed[p.id]
            yield Relation(p.id, "locatedIn", parent.id, evidence=(ev,))
            continue
        parent = parent_of(p)
        if parent is not None:
            yield Relation(p.id, "locatedIn", parent.id,
                           evidence=tuple(replace(ev, extractor="gazetteer") for ev in p.evidence[:1]))
    parts = {b.id for b in ix.of_type("CongressBody", "Organization")
             if b.name.endswith(_INTERNAL_PARTS) and parent_body(b, ix) is not None}
    for e in ix.of_type("CongressBody", "LiaisonStation", "Organization"):
        if e.name.startswith(("全国", "中共中央", "党中央")) or e.id in parts:
            continue                    # a body's own office or party group lies where the body lies
        hits = [h for n in e.names for h in _place_prefixes(n, places)]
        if hits:
            best = min(hits, key=lambda p: -LEVEL_RANK.get(p.level or "", -1))
            yield Relation(e.id, "locatedIn", best.id, evidence=e.evidence[:1])


def _printed_parents(ix: EntityIndex, places: list[Entity]) -> dict[str, Sighting]:
    """Places printed right after a higher place ("江苏省仪征市", "潍坊市昌乐市"): the
    text gives the nearest level itself, which wins over the tree's nearest named
    ancestor (SCHEMA.md: the nearest level the text gives). By the place's id."""
    raw = ix.doc.source.raw
    ends: dict[int, Sighting] = {}
    for p in places:
        for ev in p.evidence:
            if ev.end is not None:
                ends.setdefault(ev.end, (p, ev))
    out: dict[str, Sighting] = {}
    for p in places:
        rank = LEVEL_RANK.get(p.level or "", 5)
        for ev in sorted(p.evidence, key=lambda e: e.start or 0):
            start = ev.start if ev.start is not None else -1
            k = start
            while k > 0 and raw[k - 1].isspace():
                k -= 1
            before = ends.get(k) or ends.get(start)
            if before is None or before[0] is p:
                continue
            if LEVEL_RANK.get(before[0].level or "", 5) < rank:
                out.setdefault(p.id, (before[0], replace(ev, extractor="rule")))
                break
    return out


# ---------------------------------------------------------------------------
# Bylines and article structure.


def main_body(ix: EntityIndex, article: Article) -> Optional[Entity]:
    """The body whose work the article reports: its reporting body, the body in the
    author's position, else the standing committee or presidium it names most."""
    for hint in (article.reporting_body, article.author_position):
        if hint:
            # the longest name printed in the hint: "市人大常委会", another body's
            # abbreviation, is inside "禹州市人大常委会主任" too
            found = [(len(n), e.name, e) for e in ix.of_type("CongressBody")
                     if e.kind in ("standing_committee", "presidium", "congress", "working_committee")
                     for n in e.names if n and n in hint]
            if found:
                return max(found, key=lambda f: (f[0], f[1]))[2]
    headline = _headline_body(ix, article)
    if headline is not None:
        return headline
    # the committee or presidium it names most; else a street's working committee or a
    # deputy group, the body of an article about a street's or a group's work (a
    # headline whose subject is a group of deputies is not about a working committee)
    line = _headline(article)
    group_headline = line is not None and _DEPUTY_GROUP_HEADLINE.search(line.text) is not None
    return (_most_named(ix, article, ("standing_committee", "presidium"))
            or _most_named(ix, article, ("deputy_group",) if group_headline else ("working_committee", "deputy_group")))


#: A headline whose subject is a group of deputies ("城中人大代表活动组开展…", "…代表丰都联系组").
_DEPUTY_GROUP_HEADLINE = re.compile(r"代表[^,,。:: ]{0,6}?(?:小组|活动组|联系组|代表团)")


def _most_named(ix: EntityIndex, article: Article, kinds: tuple[str, ...]) -> Optional[Entity]:
    """The congress body of one of ``kinds`` the article names most often (the first
    named on a tie); national bodies are never an article's own."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for e, ev in ix.in_article.get(article.article_id, []):
        if e.type == "CongressBody" and e.kind in kinds and not e.name.startswith("全国"):
            counts[e.id] += 1
            first.setdefault(e.id, ev.start or 0)
    if not counts:
        return None
    return ix.by_id[max(counts, key=lambda i: (counts[i], -first[i]))]


#: Congress words printed after a place in a headline ("官垱镇召开第十六届人民代表大会…").
_HEADLINE_CONGRESS = re.compile(r"人民代表大会(?!常务委员会)|人代会")


def _headline_body(ix: EntityIndex, article: Article) -> Optional[Entity]:
    """The body a headline names first is the one whose work it reports ("市人大常委会
    法工委开展…调研", "三门峡人大常委会调研组到…"): a congress body, or a named part of
    one; a visiting group (检查组, 调研组) stands for the body it is part of. A body
    inside another name (a station named after a body) is not the headline's subject;
    nor is a national body. "X镇召开…人民代表大会" names X's congress."""
    line = _headline(article)
    if line is None:
        return None
    inside = [(ev.start or 0, ev.end or 0) for e, ev in ix.in_article.get(article.article_id, [])
              if e.type in ("LiaisonStation", "Document", "Programme")]
    found = []
    for e, ev in ix.in_article.get(article.article_id, []):
        start, end = ev.start or 0, ev.end or 0
        if not line.raw_start <= start < line.raw_end or any(a <= start and end <= b for a, b in inside):
            continue
        body = _reported_body(e, ix, plain(ix.doc.source.raw[start:end]))
        if body is not None and not body.name.startswith("全国"):
            found.append((start, -(end - start), body))
    if found:
        return min(found, key=lambda f: (f[0], f[1]))[2]
    return _headline_congress(ix, article, line)


def _reported_body(e: Entity, ix: EntityIndex, printed: str = "") -> Optional[Entity]:
    """``e`` as the body an article reports: a congress body, or a part of one (a
    group sent out by a body stands for the body). "X人大" doing something is X's
    standing committee when the document names one, not the congress itself."""
    if e.kind == "congress" and printed.endswith("人大"):
        e = ix.named(e.name.removesuffix("人民代表大会") + "人大常委会", "CongressBody") or e
    parent = parent_body(e, ix) if e.type in ("CongressBody", "Organization") else None
    if e.type == "Organization" and (parent is None or parent.type != "CongressBody"):
        return None
    if e.type not in ("CongressBody", "Organization"):
        return None
    return parent if parent is not None and e.name.endswith("组") else e


def _headline_congress(ix: EntityIndex, article: Article, line: Sentence) -> Optional[Entity]:
    """"官垱镇召开第十六届人民代表大会第二次会议": a place, then a congress's session."""
    m = _HEADLINE_CONGRESS.search(line.text)
    if m is None or re.search("常务委员会|常委会", line.text):
        return None                 # a standing committee's headline is its own
    before = line.text[:m.start()]
    found = [(before.find(place), c.name, c) for c in ix.of_type("CongressBody") if c.kind == "congress"
             for place in (c.name.removesuffix("人民代表大会"),) if len(place) >= 2 and place in before]
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def _headline(article: Article) -> Optional[Sentence]:
    return next((s for s in article.sentences if s.kind == "headline"), None)


def bylines(ix: EntityIndex) -> Iterator[Relation]:
    """authorOf and about cite the headline; memberOf from positions cites the position line."""
    for article in ix.doc.articles:
        ev = sentence_evidence(article, _headline(article))
        node = ix.named(article.name, "Article")
        for author in article.authors:
            person = ix.named(author.name, "Person")
            if person is not None and node is not None:
                yield Relation(person.id, "authorOf", node.id, evidence=ev)
        body = main_body(ix, article)
        if body is not None and node is not None:
            yield Relation(node.id, "about", body.id, evidence=ev)
        if article.author_position and article.authors:
            yield from _positions(ix, article)


def _positions(ix: EntityIndex, article: Article) -> Iterator[Relation]:
    """memberOf from the author's position; its evidence is the "(作者系…)" line."""
    position = article.author_position or ""
    line = ix.positions.get(article.article_id)
    ev = sentence_evidence(article, line or _headline(article))
    best = None
    for e in ix.of_type("CongressBody", "Organization"):
        for n in e.names:
            if n in position and (best is None or len(n) > best[1]):
                best = (e, len(n), position[position.find(n) + len(n):])
    if best is None:
        return
    role = next((r for r in ROLE_WORDS if best[2].startswith(r)), best[2] or None)
    for author in article.authors:
        person = ix.named(author.name, "Person")
        if person is not None:
            yield Relation(person.id, "memberOf", best[0].id, role=role, evidence=ev)


# ---------------------------------------------------------------------------
# Industries.


def focuses_on(ix: EntityIndex) -> Iterator[Relation]:
    """产业代表小组 / 产业代表联络站 serve the industry in their name; a programme
    or station named in one sentence with exactly one industry serves it."""
    industries = sorted(ix.of_type("Industry"), key=lambda i: -len(i.name))
    for e in ix.of_type("CongressBody", "LiaisonStation"):
        if "产业" not in e.name and e.type == "CongressBody" and e.kind != "deputy_group":
            continue
        for ind in industries:
            # a one-character stem (茶) counts only with 产业 after it: "茶" is in too many names
            stems = {st for st in (ind.name, ind.name.removesuffix("产业"), *ind.aliases) if len(st) >= 2}
            if any(st in e.name for st in stems):
                yield Relation(e.id, "focusesOn", ind.id, evidence=e.evidence[:1])
                break


def tree_parents(entities: Iterable[Entity], gazetteer: Any) -> Callable[[Entity], Optional[Entity]]:
    """`parent_of` for `extract_relations`: the nearest ancestor Place of the same
    document in the gazetteer's tree (none without a gazetteer)."""
    by_node = {e.attr("node_id"): e for e in entities if e.type == "Place" and e.attr("node_id")}

    def parent_of(place: Entity) -> Optional[Entity]:
        node_id = place.attr("node_id")
        if not node_id or gazetteer is None:
            return None
        try:
            ancestors = gazetteer.ancestors(node_id)
        except KeyError:
            return None
        return next((by_node[a.node_id] for a in ancestors if a.node_id in by_node), None)
    return parent_of


class _Merged:
    """Relations met so far, one per (head, relation, tail): evidence in a keyed
    collection (first appearance kept, each piece once), the first role given."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str, str], Relation] = {}
        self.evidence: dict[tuple[str, str, str], dict[Evidence, None]] = {}
        self.role: dict[tuple[str, str, str], Optional[str]] = {}

    def add(self, rel: Relation) -> None:
        key = rel.key
        if key not in self.first:
            self.first[key], self.role[key] = rel, rel.role
            self.evidence[key] = dict.fromkeys(rel.evidence)
            return
        self.evidence[key].update(dict.fromkeys(rel.evidence))
        self.role[key] = self.role[key] or rel.role

    def relations(self) -> list[Relation]:
        return [replace(r, role=self.role[k], evidence=tuple(self.evidence[k])) for k, r in self.first.items()]


def extract_relations(doc: SegmentedDocument, entities: Sequence[Entity],
                      parent_of: Callable[[Entity], Optional[Entity]] = lambda p: None) -> list[Relation]:
    """All relation families over one document; duplicates merge their evidence.

    `parent_of(place_entity)` returns the nearest ancestor Place entity of the
    same document (the gazetteer tree decides); without it, places get no parents.
    Relations come sorted by relation, then head and tail name.
    """
    ix = EntityIndex(doc, entities)
    merged = _Merged()
    families: Iterable[Iterable[Relation]] = (
        located_in(ix, parent_of), sub_organization_of(ix, parent_of), bylines(ix),
        memberships_in_text(ix), created_by(ix, main_body), focuses_on(ix))
    for family in families:
        for rel in family:
            if rel.head != rel.tail and rel.head in ix.by_id and rel.tail in ix.by_id:
                merged.add(rel)     # both ends must be entities of this document (SCHEMA.md)
    relations = merged.relations()
    known = {r.key for r in relations}
    for rel in list(_served_areas(relations, ix)):
        if rel.key not in known:
            known.add(rel.key)
            relations.append(rel)
    return sorted(relations, key=lambda r: (r.relation, ix.by_id[r.head].name, ix.by_id[r.tail].name, r.head, r.tail))


def _served_areas(relations: Iterable[Relation], ix: EntityIndex) -> Iterator[Relation]:
    """A station or deputy group with no place in its name serves the area of the
    body that set it up ("钧瓷产业代表联络站", set up by 禹州市人大常委会, serves 禹州市)."""
    relations = list(relations)
    located = {r.head: r.tail for r in relations if r.relation == "locatedIn"}
    for r in relations:
        if r.relation != "createdBy" or r.head in located or r.tail not in located:
            continue
        head = ix.by_id[r.head]
        if head.type == "LiaisonStation" or head.kind == "deputy_group":
            yield Relation(r.head, "locatedIn", located[r.tail], evidence=r.evidence)
