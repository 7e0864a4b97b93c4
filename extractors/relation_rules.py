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
from typing import Any, Callable, Container, Iterable, Iterator, Optional, Sequence

from .body_relations import ROLE_WORDS, memberships_in_text, parent_body, sub_organization_of
from .entity_index import EntityIndex, Sighting, first_evidence, sentence_evidence
from .lexicons import words
from .records import LEVEL_RANK
from .records import Article, Entity, Evidence, Relation, SegmentedDocument, Sentence
from .text_normaliser import plain

#: Verbs by which a body builds, sets up, launches or issues something.
CREATION_VERBS = words("creation_verbs")
#: Parts of a body that are its internal offices: they lie where the body lies.
_INTERNAL_PARTS = ("党组", "办公室", "办公厅", "机关", "研究室")
_LAW_DOCUMENT = re.compile(r"(宪法|法典|法|条例|规定)$")

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
    yield from _named_in_issued_title(ix, issued)


#: What follows a programme that is a title's topic: "…票决制的实施办法》".
_TITLE_TOPIC_END = re.compile(r"^(?:工作)?的(?:实施|工作|管理)?(?:办法|意见|方案|决定|规定|细则|制度)》?$")


def _named_in_issued_title(ix: EntityIndex, issued: dict[str, tuple[Entity, tuple[Evidence, ...]]]
                           ) -> Iterator[Relation]:
    """"《官垱镇人民代表大会关于政府民生实事项目人大代表票决制的实施办法》": a programme
    that is the topic of a document whose issuer is known (the title ends "…的实施办法")
    was made by that issuer; one merely mentioned in a title ("在X活动中…") was not."""
    raw = ix.doc.source.raw
    titles = [(ev.start or 0, ev.end or 0, issued[d.id]) for d in ix.of_type("Document")
              if d.id in issued for ev in d.evidence]
    for p in ix.of_type("Programme"):
        for ev in p.evidence:
            hit = next((t for t in titles if t[0] <= (ev.start or 0) and (ev.end or 0) <= t[1]
                        and _TITLE_TOPIC_END.match(plain(raw[ev.end or 0:t[1]]))), None)
            if hit is not None and hit[2][0] is not p:
                yield Relation(p.id, "createdBy", hit[2][0].id, evidence=hit[2][1])
                break


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
        if s.kind != "body" or not any(v in s.text for v in (*CREATION_VERBS, *_OPENING_WORDS)):
            continue
        members = by_sentence.get(s.raw_start, [])
        for e, ev in members:
            if not _creatable(e) or e.id in skip:
                continue
            actor = _passive_actor(raw, members, ev)
            if actor is None and (_verb_governs(raw, s, ev) or _opened_after(raw, s, ev, e)):
                actor = _actor_before(members, ev) or (None if _other_subject(raw, s, members, ev) else default)
            if actor is not None and actor is not e and actor.name != e.name:
                yield Relation(e.id, "createdBy", actor.id, evidence=sentence_evidence(article, s))


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


#: What is said of a station or group once it exists: "X联络站揭牌成立", "…正式投入使用".
_OPENING_WORDS = ("揭牌", "挂牌", "成立", "建成", "落成", "启用", "投入使用", "开始运行", "正式运行", "开馆", "开站")
_OPENED = re.compile(r"^[^,,;;。!?]{0,6}?(?:" + "|".join(_OPENING_WORDS) + ")")


def _opened_after(raw: str, sentence: Sentence, ev: Evidence, e: Entity) -> bool:
    """A station or deputy group followed in its clause by a word of opening ("揭牌成立"):
    the body that reports it (the sentence's or the article's) set it up."""
    if e.type != "LiaisonStation" and e.kind != "deputy_group":
        return False
    end = ev.end if ev.end is not None else -1
    if not sentence.raw_start <= end <= sentence.raw_end:
        return False
    return bool(_OPENED.search(plain(raw[end:min(sentence.raw_end, end + 20)])))


def _issuers(ix: EntityIndex) -> Iterator[tuple[str, tuple[Entity, tuple[Evidence, ...]]]]:
    """Documents titled after their issuer ("云城区人大常委会关于…方案", "宁陕县人大…考核办法")
    and stations named after the body that set them up ("全国人大常委会法工委…基层立法联系点"):
    the body at the head of the name made it. By the document's or station's id."""
    bodies = sorted(((n, b) for b in ix.of_type("CongressBody", "Organization")
                     for n in b.names if len(n) >= 4),
                    key=lambda nb: (-len(nb[0]), nb[0]))
    for d in ix.of_type("Document", "LiaisonStation"):
        head = next(((n, b) for n, b in bodies if d.name.startswith(n) and len(d.name) > len(n)), None)
        if head is None:
            printed = _printed_issuer(ix, d) if _creatable(d) else None
            if printed is not None:
                yield d.id, (printed[0], (replace(printed[1], extractor="rule"),))
            continue
        if d.type == "LiaisonStation" and not _is_actor(head[1]):
            continue
        body = head[1]
        if head[0].endswith("人大") and body.kind != "standing_committee":
            # "宁陕县人大" heading a document title is its standing committee
            body = ix.by_name.get(head[0][:-2] + "人大常委会", body)
        ev = first_evidence(d)
        yield d.id, (body, (replace(ev, extractor="rule"),) if ev else ())


#: Between an issuer and the title of what it issued: "县委通过了《", "区人大《".
_ISSUED_BY = re.compile(r"(?:审议)?(?:" + "|".join(words("relations_issuing_verbs")) + r")?了?《?$")


def _printed_issuer(ix: EntityIndex, d: Entity) -> Optional[Sighting]:
    """The body printed right before a document's title ("镇党委通过了《…意见》",
    "根据区人大《…指导意见》") or a station's name ("全国人大常委会法工委" + "大理基层
    立法联系点"): the body that issued the document or set the station up."""
    raw = ix.doc.source.raw
    for ev in sorted(d.evidence, key=lambda e: e.start or 0):
        start = ev.start or 0
        window = plain(raw[max(0, start - 20):start])
        if d.type == "Document":
            window = window[:_ISSUED_BY.search(window).start()]
        body = _body_ending(window, ix)
        if body is not None:
            return body, ev
    return None


def _body_ending(text: str, ix: EntityIndex) -> Optional[Entity]:
    """The acting body whose name or alias (or short "区人大" for its standing
    committee) ``text`` ends with, the longest."""
    for k in range(max(0, len(text) - 16), len(text) - 2):
        for name in (text[k:], text[k:] + "常委会"):
            body = ix.named(name, "CongressBody") or ix.named(name, "Organization")
            if body is not None and _is_actor(body):
                return body
    return None


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


def _other_subject(raw: str, sentence: Sentence, members: list[Sighting], target_ev: Evidence) -> bool:
    """A station named before the thing in its sentence, and not itself made there
    ("X联络站…开展的“四联”活动", unlike "建成A联络站、B联络站"): the station's own
    work, not the article's main body's, so no default maker."""
    return any(e.type == "LiaisonStation" and (ev.end or 0) <= (target_ev.start or 0)
               and not _verb_governs(raw, sentence, ev) for e, ev in members)


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
