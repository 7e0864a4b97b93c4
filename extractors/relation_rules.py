"""Relation rules: pure functions from a segmented document and its entities to relations.

Entities arrive in the JSON Lines shape of SCHEMA.md (``type``, ``name``,
``aliases``, ``kind``/``level``/``node_id`` …) with ``evidence`` entries that carry
``article``, ``sentence``, ``start``/``end`` (raw offsets) and ``extractor``. Each
rule family is a function of its own (composition, bylines, verbs, industries), so
each can be tested alone; `extract_relations` runs them all and merges evidence.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator

from .article_segmenter import author_position_sentences
from .records import LEVEL_RANK
from .records import Article, SegmentedDocument, Sentence
from .text_normaliser import plain

#: Verbs by which a body builds, sets up, launches or issues something.
CREATION_VERBS = ("制定", "出台", "印发", "建成", "设立", "打造", "组建", "推出", "建立", "创新",
                  "创建", "成立", "开展", "探索", "推行", "构建", "搭建", "开设", "开发", "上线",
                  "实施", "举办", "启动", "形成", "完善", "健全", "修订", "编制", "发起", "建好", "首创")
#: Suffixes of the parts of a body: party group, offices, working committees.
SUB_ORGANIZATION_SUFFIXES = ("党组", "办公室", "代表工委", "法工委", "研究室", "机关",
                             "人事代表工作委员会", "代表工作委员会", "法制工作委员会", "财经委",
                             "监察和司法委员会", "预算工作委员会", "选举联络工作委员会")
#: Role words of a person in a body, as printed after the body's name.
ROLE_WORDS = ("常务副主任", "副主任", "主任", "秘书长", "副秘书长", "党组书记", "书记", "委员长",
              "副委员长", "委员", "主席", "副主席", "代表", "组长", "站长", "局长", "县长", "市长")
CREATABLE = ("Programme", "LiaisonStation", "Document", "Organization", "CongressBody")
_LAW_DOCUMENT = re.compile(r"(宪法|法典|法|条例|规定)$")


@dataclass
class Relation:
    head: str
    relation: str
    tail: str
    role: str | None = None
    evidence: list[dict] = field(default_factory=list)

    def key(self) -> tuple:
        return self.head, self.relation, self.tail

    def to_dict(self) -> dict:
        out = {"head": self.head, "relation": self.relation, "tail": self.tail}
        if self.role:
            out["role"] = self.role
        out["evidence"] = self.evidence
        return out


class EntityIndex:
    """Looks entities up by name/alias and by the article and sentence they occur in."""

    def __init__(self, doc: SegmentedDocument, entities: list[dict]):
        self.doc = doc
        self.entities = entities
        self.by_name: dict[str, dict] = {}
        for e in entities:
            for n in [e["name"], *e.get("aliases", [])]:
                self.by_name.setdefault(n, e)
        self.articles = {a.article_id: a for a in doc.articles}
        self.in_article: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
        for e in entities:
            for ev in e.get("evidence", []):
                if ev.get("article"):
                    self.in_article[ev["article"]].append((e, ev))
        for items in self.in_article.values():
            items.sort(key=lambda pair: (pair[1].get("start", 0), pair[0]["name"]))

    @cached_property
    def positions(self) -> dict[str, Sentence]:
        """The "(作者系…)" line of each article that prints one, by article id."""
        return author_position_sentences(self.doc)

    def of_type(self, *types: str) -> Iterator[dict]:
        return (e for e in self.entities if e["type"] in types)

    def sentence_of(self, article: Article, raw_pos: int):
        for s in article.sentences:
            if s.raw_start <= raw_pos < s.raw_end:
                return s
        return None


def _evidence(article: Article | None, sentence, extractor: str = "rule") -> list[dict]:
    if article is None:
        return []
    ev = {"article": article.article_id, "extractor": extractor}
    if sentence is not None:
        ev.update(sentence=sentence.text, start=sentence.raw_start, end=sentence.raw_end)
    return [ev]


def _first_evidence(entity: dict) -> dict | None:
    evs = entity.get("evidence") or []
    return evs[0] if evs else None


# ---------------------------------------------------------------------------
# Composition: what names and the administrative tree say.


def _place_prefixes(name: str, places: list[dict]) -> list[dict]:
    """Places whose name or alias the entity name contains, most specific first."""
    hits = []
    for p in places:
        for n in [p["name"], *p.get("aliases", [])]:
            if len(n) >= 2 and n in name and not name == n:
                hits.append((-LEVEL_RANK.get(p.get("level", ""), 5), name.find(n), p["name"], p))
                break
    hits.sort(key=lambda h: (h[0], -h[1]))
    return [h[3] for h in hits]


def located_in(ix: EntityIndex, parent_of: Callable[[dict], dict | None]) -> Iterator[Relation]:
    """Places sit in their nearest mentioned ancestor; bodies, stations and
    organisations sit in the most specific place their name contains."""
    places = list(ix.of_type("Place"))
    printed = _printed_parents(ix, places)
    for p in places:
        if p["name"] in printed:
            parent, ev = printed[p["name"]]
            yield Relation(p["name"], "locatedIn", parent["name"], evidence=[ev])
            continue
        parent = parent_of(p)
        if parent is not None:
            yield Relation(p["name"], "locatedIn", parent["name"],
                           evidence=[dict(ev, extractor="gazetteer") for ev in p.get("evidence", [])[:1]])
    parts = {b["name"] for b in ix.of_type("CongressBody", "Organization") if _parent_body(b, ix) is not None}
    for e in ix.of_type("CongressBody", "LiaisonStation", "Organization"):
        if e["name"].startswith("全国") or e["name"].startswith(("中共中央", "党中央")) or e["name"] in parts:
            continue                    # a part of a body lies where its body lies
        names = [e["name"], *e.get("aliases", [])]
        hits = [h for n in names for h in _place_prefixes(n, places)]
        if hits:
            best = min(hits, key=lambda p: -LEVEL_RANK.get(p.get("level", ""), -1))
            yield Relation(e["name"], "locatedIn", best["name"], evidence=e.get("evidence", [])[:1])


def _printed_parents(ix: EntityIndex, places: list[dict]) -> dict[str, tuple[dict, dict]]:
    """Places printed right after a higher place ("江苏省仪征市", "潍坊市昌乐市"): the
    text gives the nearest level itself, which wins over the tree's nearest named
    ancestor (SCHEMA.md: the nearest level the text gives)."""
    raw = ix.doc.source.raw
    ends: dict[int, tuple[dict, dict]] = {}
    for p in places:
        for ev in p.get("evidence", []):
            if "end" in ev:
                ends.setdefault(ev["end"], (p, ev))
    out: dict[str, tuple[dict, dict]] = {}
    for p in places:
        rank = LEVEL_RANK.get(p.get("level", ""), 5)
        for ev in sorted(p.get("evidence", []), key=lambda e: e.get("start", 0)):
            start = ev.get("start", -1)
            k = start
            while k > 0 and raw[k - 1].isspace():
                k -= 1
            before = ends.get(k) or ends.get(start)
            if before is None or before[0] is p:
                continue
            if LEVEL_RANK.get(before[0].get("level", ""), 5) < rank:
                out.setdefault(p["name"], (before[0], dict(ev, extractor="rule")))
                break
    return out


def _parent_body(b: dict, ix: EntityIndex) -> dict | None:
    """The body that X人大常委会党组 / 办公室 / 代表工委 is part of, if the document names it."""
    for n in [b["name"], *b.get("aliases", [])]:
        for suffix in SUB_ORGANIZATION_SUFFIXES:
            if n.endswith(suffix):
                parent = ix.by_name.get(n[: -len(suffix)])
                if parent is not None and parent is not b and parent["type"] in ("CongressBody", "Organization"):
                    return parent
    return None


def sub_organization_of(ix: EntityIndex) -> Iterator[Relation]:
    """X人大常委会党组 / 办公室 / 代表工委 are parts of X人大常委会.

    A standing committee is not made part of its congress: it is the congress's
    permanent body, and reporting never presents it as a department of it."""
    for b in ix.of_type("CongressBody", "Organization"):
        parent = _parent_body(b, ix)
        if parent is not None:
            yield Relation(b["name"], "subOrganizationOf", parent["name"], evidence=b.get("evidence", [])[:1])


# ---------------------------------------------------------------------------
# Bylines and article structure.


def main_body(ix: EntityIndex, article: Article) -> dict | None:
    """The body whose work the article reports: its reporting body, the body in the
    author's position, else the standing committee or presidium it names most."""
    for hint in (article.reporting_body, article.author_position):
        if hint:
            # the longest name printed in the hint: "市人大常委会", another body's
            # abbreviation, is inside "禹州市人大常委会主任" too
            found = [(len(n), e["name"], e) for e in ix.of_type("CongressBody")
                     if e.get("kind") in ("standing_committee", "presidium", "congress", "working_committee")
                     for n in [e["name"], *e.get("aliases", [])] if n and n in hint]
            if found:
                return max(found, key=lambda f: (f[0], f[1]))[2]
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for e, ev in ix.in_article.get(article.article_id, []):
        if e["type"] == "CongressBody" and e.get("kind") in ("standing_committee", "presidium") \
                and not e["name"].startswith("全国"):
            counts[e["name"]] += 1
            first.setdefault(e["name"], ev.get("start", 0))
    if not counts:
        return None
    name = max(counts, key=lambda n: (counts[n], -first[n]))
    return ix.by_name[name]


def bylines(ix: EntityIndex) -> Iterator[Relation]:
    """authorOf and about cite the headline; memberOf from positions cites the position line."""
    for article in ix.doc.articles:
        head = next((s for s in article.sentences if s.kind == "headline"), None)
        ev = _evidence(article, head)
        for author in article.authors:
            if author.name in ix.by_name:
                yield Relation(author.name, "authorOf", article.name, evidence=list(ev))
        body = main_body(ix, article)
        if body is not None:
            yield Relation(article.name, "about", body["name"], evidence=list(ev))
        if article.author_position and article.authors:
            yield from _positions(ix, article)


def _positions(ix: EntityIndex, article: Article) -> Iterator[Relation]:
    """memberOf from the author's position; its evidence is the "(作者系…)" line."""
    position = article.author_position
    line = ix.positions.get(article.article_id)
    ev = _evidence(article, line or next((s for s in article.sentences if s.kind == "headline"), None))
    best = None
    for e in ix.of_type("CongressBody", "Organization"):
        for n in [e["name"], *e.get("aliases", [])]:
            if n in position and (best is None or len(n) > best[1]):
                best = (e, len(n), position[position.find(n) + len(n):])
    if best is None:
        return
    role = next((r for r in ROLE_WORDS if best[2].startswith(r)), best[2] or None)
    for author in article.authors:
        if author.name in ix.by_name:
            yield Relation(author.name, "memberOf", best[0]["name"], role=role, evidence=list(ev))


_PERSON_IN_BODY = re.compile(r"(?P<role>" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + r")$")


def memberships_in_text(ix: EntityIndex) -> Iterator[Relation]:
    """"六龙村人大代表韦永冠", "全国人大常委会委员长赵乐际": a body, a role, a name."""
    for article in ix.doc.articles:
        items = ix.in_article.get(article.article_id, [])
        for (e1, ev1), (e2, ev2) in zip(items, items[1:]):
            if e2["type"] != "Person" or e1["type"] not in ("CongressBody", "Organization", "Place"):
                continue
            gap_start, gap_end = ev1.get("end", 0), ev2.get("start", 0)
            if not 0 <= gap_end - gap_start <= 6:
                continue
            gap = plain(ix.doc.source.raw[gap_start:gap_end])
            m = _PERSON_IN_BODY.search(gap)
            if m and e1["type"] != "Place":
                yield Relation(e2["name"], "memberOf", e1["name"], role=m.group("role"),
                               evidence=_evidence(article, ix.sentence_of(article, gap_start)))


# ---------------------------------------------------------------------------
# Verbs: who built what.


def created_by(ix: EntityIndex) -> Iterator[Relation]:
    """A creatable thing in a sentence with a creation verb was made by the body
    that is the sentence's subject, or by the article's main body when the
    sentence has none (the implicit subject of an article about one body)."""
    issued = dict(_issuers(ix))
    for name, (issuer, ev) in sorted(issued.items()):
        yield Relation(name, "createdBy", issuer["name"], evidence=[ev])
    for article in ix.doc.articles:
        default = main_body(ix, article)
        items = ix.in_article.get(article.article_id, [])
        by_sentence: dict[int, list[tuple[dict, dict]]] = defaultdict(list)
        for e, ev in items:
            s = ix.sentence_of(article, ev.get("start", -1))
            if s is not None:
                by_sentence[s.raw_start].append((e, ev))
        for s in article.sentences:
            if s.kind != "body":
                continue
            members = by_sentence.get(s.raw_start, [])
            if not any(v in s.text for v in CREATION_VERBS):
                continue
            for e, ev in members:
                if not _creatable(e) or e["name"] in issued:
                    continue
                actor = _passive_actor(ix.doc.source.raw, members, ev)
                if actor is None:
                    if not _verb_governs(ix.doc.source.raw, s, ev):
                        continue
                    actor = _actor_before(members, ev) or default
                if actor is None or actor is e or actor["name"] == e["name"]:
                    continue
                yield Relation(e["name"], "createdBy", actor["name"], evidence=_evidence(article, s))


_CLAUSE_BREAK = re.compile(r"[,,;;:。!?]")


def _verb_governs(raw: str, sentence, ev: dict, reach: int = 80) -> bool:
    """A creation verb stands before the thing in its own clause ("打造"一乡一品"品牌",
    "已建成A、B、C联络站"): a thing merely named in a sentence that creates something
    else was not created by it. A clause ends at , ; : and sentence marks, not at 、."""
    start = ev.get("start", -1)
    if not sentence.raw_start <= start <= sentence.raw_end:
        return False
    before = plain(raw[max(sentence.raw_start, start - reach):start])
    clause = _CLAUSE_BREAK.split(before)[-1]
    return any(v in clause for v in CREATION_VERBS)


def _issuers(ix: EntityIndex) -> Iterator[tuple[str, tuple[dict, dict]]]:
    """Documents titled after their issuer ("云城区人大常委会关于…方案", "宁陕县人大…考核办法"):
    the body at the head of the title issued it."""
    bodies = sorted(((n, b) for b in ix.of_type("CongressBody", "Organization")
                     for n in [b["name"], *b.get("aliases", [])] if len(n) >= 4),
                    key=lambda nb: (-len(nb[0]), nb[0]))
    for d in ix.of_type("Document"):
        head = next(((n, b) for n, b in bodies if d["name"].startswith(n) and len(d["name"]) > len(n)), None)
        if head is None:
            continue
        body = head[1]
        if head[0].endswith("人大") and body.get("kind") != "standing_committee":
            # "宁陕县人大" heading a document title is its standing committee
            body = ix.by_name.get(head[0][:-2] + "人大常委会", body)
        ev = _first_evidence(d)
        yield d["name"], (body, dict(ev, extractor="rule") if ev else {})


def _passive_actor(raw: str, members: list[tuple[dict, dict]], target_ev: dict) -> dict | None:
    """"“一线议事”工作法由十里镇人大主席团首创": the body after 由, followed by a
    creation verb, in the target's own clause."""
    end = target_ev.get("end", 0)
    for e, ev in members:
        start = ev.get("start", 0)
        if start < end or not _is_actor(e):
            continue
        gap = plain(raw[end:start])
        if _CLAUSE_BREAK.search(gap) or not gap.endswith("由") or len(gap) > 8:
            continue
        after = plain(raw[ev.get("end", 0):ev.get("end", 0) + 8])
        if after.startswith(CREATION_VERBS) or after[1:].startswith(CREATION_VERBS):
            return e
    return None


def _is_actor(e: dict) -> bool:
    """Bodies that build and launch things: committees, presidiums, party committees, governments."""
    if e["type"] == "CongressBody":
        return e.get("kind") in ("standing_committee", "presidium", "working_committee")
    return e["type"] == "Organization" and bool(re.search(r"(委|政府)$", e["name"]))


def _creatable(e: dict) -> bool:
    if e["type"] == "Document":
        return not _LAW_DOCUMENT.search(e["name"])      # laws are passed, not "created" here
    if e["type"] == "CongressBody":
        return e.get("kind") == "deputy_group"
    if e["type"] == "Organization":
        return bool(re.search(r"(小组|智库|工作站|实践站|中心)$", e["name"]))
    return e["type"] in ("Programme", "LiaisonStation")


def _actor_before(members: list[tuple[dict, dict]], target_ev: dict) -> dict | None:
    """The nearest body (standing committee, presidium, party committee) named
    before the target in the same sentence."""
    best = None
    for e, ev in members:
        if ev.get("start", 0) >= target_ev.get("start", 0):
            break
        if _is_actor(e):
            best = e
    return best


# ---------------------------------------------------------------------------
# Industries.


def focuses_on(ix: EntityIndex) -> Iterator[Relation]:
    """产业代表小组 / 产业代表联络站 serve the industry in their name; a programme
    or station named in one sentence with exactly one industry serves it."""
    industries = list(ix.of_type("Industry"))
    for e in ix.of_type("CongressBody", "LiaisonStation"):
        if "产业" not in e["name"] and e["type"] == "CongressBody" and e.get("kind") != "deputy_group":
            continue
        for ind in sorted(industries, key=lambda i: -len(i["name"])):
            stems = {ind["name"], ind["name"].removesuffix("产业"), *ind.get("aliases", [])}
            if any(st and st in e["name"] for st in stems):
                yield Relation(e["name"], "focusesOn", ind["name"], evidence=e.get("evidence", [])[:1])
                break


def tree_parents(entities: list[dict], gazetteer: Any) -> Callable[[dict], dict | None]:
    """`parent_of` for `extract_relations`: the nearest ancestor Place of the same
    document in the gazetteer's tree (none without a gazetteer)."""
    by_node = {e["node_id"]: e for e in entities if e["type"] == "Place" and e.get("node_id")}

    def parent_of(place: dict) -> dict | None:
        node_id = place.get("node_id")
        if not node_id or gazetteer is None:
            return None
        try:
            ancestors = gazetteer.ancestors(node_id)
        except KeyError:
            return None
        return next((by_node[a.node_id] for a in ancestors if a.node_id in by_node), None)
    return parent_of


def extract_relations(doc: SegmentedDocument, entities: list[dict],
                      parent_of: Callable[[dict], dict | None] = lambda p: None) -> list[dict]:
    """All relation families over one document; duplicates merge their evidence.

    `parent_of(place_entity)` returns the nearest ancestor Place entity of the
    same document (the gazetteer tree decides); without it, places get no parents.
    """
    ix = EntityIndex(doc, entities)
    merged: dict[tuple, Relation] = {}
    families: Iterable[Iterable[Relation]] = (
        located_in(ix, parent_of), sub_organization_of(ix), bylines(ix),
        memberships_in_text(ix), created_by(ix), focuses_on(ix))
    for family in families:
        for rel in family:
            if rel.head == rel.tail or rel.head not in ix.by_name or rel.tail not in ix.by_name:
                continue   # both ends must be entities of this document (SCHEMA.md)
            known = merged.get(rel.key())
            if known is None:
                merged[rel.key()] = rel
            else:
                known.evidence.extend(ev for ev in rel.evidence if ev not in known.evidence)
                known.role = known.role or rel.role
    for rel in list(_served_areas(merged.values(), ix)):
        merged.setdefault(rel.key(), rel)
    return [r.to_dict() for r in sorted(merged.values(), key=lambda r: (r.relation, r.head, r.tail))]


def _served_areas(relations: Iterable[Relation], ix: EntityIndex) -> Iterator[Relation]:
    """A station or deputy group with no place in its name serves the area of the
    body that set it up ("钧瓷产业代表联络站", set up by 禹州市人大常委会, serves 禹州市)."""
    relations = list(relations)
    located = {r.head: r.tail for r in relations if r.relation == "locatedIn"}
    for r in relations:
        if r.relation != "createdBy" or r.head in located or r.tail not in located:
            continue
        head = ix.by_name[r.head]
        if head["type"] == "LiaisonStation" or head.get("kind") == "deputy_group":
            yield Relation(r.head, "locatedIn", located[r.tail], evidence=list(r.evidence))
