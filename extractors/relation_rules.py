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
from collections import Counter, defaultdict
from dataclasses import replace
from functools import cached_property
from typing import Any, Callable, Container, Iterable, Iterator, Optional, Sequence

from .lexicons import words
from .article_segmenter import author_position_sentences
from .records import LEVEL_RANK
from .records import Article, Entity, Evidence, Relation, SegmentedDocument, Sentence
from .text_normaliser import plain

#: Verbs by which a body builds, sets up, launches or issues something.
CREATION_VERBS = words("creation_verbs")
#: Suffixes of the parts of a body: party group, offices, working committees.
SUB_ORGANIZATION_SUFFIXES = words("sub_organization_suffixes")
#: Role words of a person in a body, as printed after the body's name.
ROLE_WORDS = words("role_words")
_LAW_DOCUMENT = re.compile(r"(宪法|法典|法|条例|规定)$")

#: An entity with one piece of its evidence.
Sighting = tuple[Entity, Evidence]


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
        for e in self.entities:
            for ev in e.evidence:
                if ev.article:
                    self.in_article[ev.article].append((e, ev))
        for items in self.in_article.values():
            items.sort(key=lambda pair: (pair[1].start or 0, pair[0].name))

    @cached_property
    def positions(self) -> dict[str, Sentence]:
        """The "(作者系…)" line of each article that prints one, by article id."""
        return author_position_sentences(self.doc)

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


def _evidence(article: Article | None, sentence: Optional[Sentence], extractor: str = "rule") -> tuple[Evidence, ...]:
    """A relation's evidence: the sentence that states it (offsets of the whole sentence)."""
    if article is None:
        return ()
    if sentence is None:
        return (Evidence(article.article_id, None, None, None, extractor),)
    return (Evidence(article.article_id, sentence.text, sentence.raw_start, sentence.raw_end, extractor),)


def _first_evidence(entity: Entity) -> Optional[Evidence]:
    return entity.evidence[0] if entity.evidence else None


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
    parts = {b.id for b in ix.of_type("CongressBody", "Organization") if _parent_body(b, ix) is not None}
    for e in ix.of_type("CongressBody", "LiaisonStation", "Organization"):
        if e.name.startswith(("全国", "中共中央", "党中央")) or e.id in parts:
            continue                    # a part of a body lies where its body lies
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


def _parent_body(b: Entity, ix: EntityIndex) -> Optional[Entity]:
    """The body that X人大常委会党组 / 办公室 / 代表工委 is part of, if the document names it."""
    for n in b.names:
        for suffix in SUB_ORGANIZATION_SUFFIXES:
            if n.endswith(suffix):
                parent = ix.by_name.get(n[: -len(suffix)])
                if parent is not None and parent is not b and parent.type in ("CongressBody", "Organization"):
                    return parent
    return None


def sub_organization_of(ix: EntityIndex) -> Iterator[Relation]:
    """X人大常委会党组 / 办公室 / 代表工委 are parts of X人大常委会.

    A standing committee is not made part of its congress: it is the congress's
    permanent body, and reporting never presents it as a department of it."""
    for b in ix.of_type("CongressBody", "Organization"):
        parent = _parent_body(b, ix)
        if parent is not None:
            yield Relation(b.id, "subOrganizationOf", parent.id, evidence=b.evidence[:1])


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
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for e, ev in ix.in_article.get(article.article_id, []):
        if e.type == "CongressBody" and e.kind in ("standing_committee", "presidium") \
                and not e.name.startswith("全国"):
            counts[e.id] += 1
            first.setdefault(e.id, ev.start or 0)
    if not counts:
        return None
    return ix.by_id[max(counts, key=lambda i: (counts[i], -first[i]))]


def _headline(article: Article) -> Optional[Sentence]:
    return next((s for s in article.sentences if s.kind == "headline"), None)


def bylines(ix: EntityIndex) -> Iterator[Relation]:
    """authorOf and about cite the headline; memberOf from positions cites the position line."""
    for article in ix.doc.articles:
        ev = _evidence(article, _headline(article))
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
    ev = _evidence(article, line or _headline(article))
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


_PERSON_IN_BODY = re.compile(r"(?P<role>" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + r")$")


def memberships_in_text(ix: EntityIndex) -> Iterator[Relation]:
    """"六龙村人大代表韦永冠", "全国人大常委会委员长赵乐际": a body, a role, a name."""
    for article in ix.doc.articles:
        items = ix.in_article.get(article.article_id, [])
        for (e1, ev1), (e2, ev2) in zip(items, items[1:]):
            if e2.type != "Person" or e1.type not in ("CongressBody", "Organization", "Place"):
                continue
            gap_start, gap_end = ev1.end or 0, ev2.start or 0
            if not 0 <= gap_end - gap_start <= 6:
                continue
            gap = plain(ix.doc.source.raw[gap_start:gap_end])
            m = _PERSON_IN_BODY.search(gap)
            if m and e1.type != "Place":
                yield Relation(e2.id, "memberOf", e1.id, role=m.group("role"),
                               evidence=_evidence(article, ix.sentence_of(article, gap_start)))


# ---------------------------------------------------------------------------
# Verbs: who built what.


def created_by(ix: EntityIndex) -> Iterator[Relation]:
    """A creatable thing in a sentence with a creation verb was made by the body
    that is the sentence's subject, or by the article's main body when the
    sentence has none (the implicit subject of an article about one body)."""
    issued = dict(_issuers(ix))
    for doc_id, (issuer, ev) in sorted(issued.items(), key=lambda kv: kv[0]):
        yield Relation(doc_id, "createdBy", issuer.id, evidence=ev)
    for article in ix.doc.articles:
        yield from _created_in(ix, article, issued)


def _created_in(ix: EntityIndex, article: Article, skip: Container[str]) -> Iterator[Relation]:
    """createdBy in the body sentences of one article; the ids in ``skip`` are
    documents whose title gives their issuer already."""
    default = main_body(ix, article)
    by_sentence: dict[int, list[Sighting]] = defaultdict(list)
    for e, ev in ix.in_article.get(article.article_id, []):
        s = ix.sentence_of(article, ev.start if ev.start is not None else -1)
        if s is not None:
            by_sentence[s.raw_start].append((e, ev))
    raw = ix.doc.source.raw
    for s in article.sentences:
        if s.kind != "body" or not any(v in s.text for v in CREATION_VERBS):
            continue
        members = by_sentence.get(s.raw_start, [])
        for e, ev in members:
            if not _creatable(e) or e.id in skip:
                continue
            actor = _passive_actor(raw, members, ev)
            if actor is None and _verb_governs(raw, s, ev):
                actor = _actor_before(members, ev) or default
            if actor is not None and actor is not e and actor.name != e.name:
                yield Relation(e.id, "createdBy", actor.id, evidence=_evidence(article, s))


_CLAUSE_BREAK = re.compile(r"[,,;;:。!?]")


def _verb_governs(raw: str, sentence: Sentence, ev: Evidence, reach: int = 80) -> bool:
    """A creation verb stands before the thing in its own clause ("打造"一乡一品"品牌",
    "已建成A、B、C联络站"): a thing merely named in a sentence that creates something
    else was not created by it. A clause ends at , ; : and sentence marks, not at 、."""
    start = ev.start if ev.start is not None else -1
    if not sentence.raw_start <= start <= sentence.raw_end:
        return False
    before = plain(raw[max(sentence.raw_start, start - reach):start])
    clause = _CLAUSE_BREAK.split(before)[-1]
    return any(v in clause for v in CREATION_VERBS)


def _issuers(ix: EntityIndex) -> Iterator[tuple[str, tuple[Entity, tuple[Evidence, ...]]]]:
    """Documents titled after their issuer ("云城区人大常委会关于…方案", "宁陕县人大…考核办法"):
    the body at the head of the title issued it. By the document's id."""
    bodies = sorted(((n, b) for b in ix.of_type("CongressBody", "Organization")
                     for n in b.names if len(n) >= 4),
                    key=lambda nb: (-len(nb[0]), nb[0]))
    for d in ix.of_type("Document"):
        head = next(((n, b) for n, b in bodies if d.name.startswith(n) and len(d.name) > len(n)), None)
        if head is None:
            continue
        body = head[1]
        if head[0].endswith("人大") and body.kind != "standing_committee":
            # "宁陕县人大" heading a document title is its standing committee
            body = ix.by_name.get(head[0][:-2] + "人大常委会", body)
        ev = _first_evidence(d)
        yield d.id, (body, (replace(ev, extractor="rule"),) if ev else ())


def _passive_actor(raw: str, members: list[Sighting], target_ev: Evidence) -> Optional[Entity]:
    """"“一线议事”工作法由十里镇人大主席团首创": the body after 由, followed by a
    creation verb, in the target's own clause."""
    end = target_ev.end or 0
    for e, ev in members:
        start = ev.start or 0
        if start < end or not _is_actor(e):
            continue
        gap = plain(raw[end:start])
        if _CLAUSE_BREAK.search(gap) or not gap.endswith("由") or len(gap) > 8:
            continue
        after = plain(raw[ev.end or 0:(ev.end or 0) + 8])
        if after.startswith(CREATION_VERBS) or after[1:].startswith(CREATION_VERBS):
            return e
    return None


def _is_actor(e: Entity) -> bool:
    """Bodies that build and launch things: committees, presidiums, party committees, governments."""
    if e.type == "CongressBody":
        return e.kind in ("standing_committee", "presidium", "working_committee")
    return e.type == "Organization" and bool(re.search(r"(委|政府)$", e.name))


def _creatable(e: Entity) -> bool:
    if e.type == "Document":
        return not _LAW_DOCUMENT.search(e.name)      # laws are passed, not "created" here
    if e.type == "CongressBody":
        return e.kind == "deputy_group"
    if e.type == "Organization":
        return bool(re.search(r"(小组|智库|工作站|实践站|中心)$", e.name))
    return e.type in ("Programme", "LiaisonStation")


def _actor_before(members: list[Sighting], target_ev: Evidence) -> Optional[Entity]:
    """The nearest body (standing committee, presidium, party committee) named
    before the target in the same sentence."""
    best = None
    for e, ev in members:
        if (ev.start or 0) >= (target_ev.start or 0):
            break
        if _is_actor(e):
            best = e
    return best


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
            stems = {ind.name, ind.name.removesuffix("产业"), *ind.aliases}
            if any(st and st in e.name for st in stems):
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
        located_in(ix, parent_of), sub_organization_of(ix), bylines(ix),
        memberships_in_text(ix), created_by(ix), focuses_on(ix))
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
