"""createdBy: who built, set up, launched or issued what.

A creatable thing (a programme, a station, a deputy group, a document, a think tank)
was made by the body that a creation verb's clause gives as its subject: the nearest
acting body printed before it, the body after a passive 由 ("由十里镇人大主席团首创"),
the issuer at the head of a document's or station's name or printed right before its
title, or, when the clause names none, the article's main body (its implicit subject).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from typing import Callable, Container, Iterator, Optional

from .entity_index import EntityIndex, Sighting, first_evidence, sentence_evidence
from .lexicons import words
from .records import Article, Entity, Evidence, Relation, Sentence
from .text_normaliser import plain

__all__ = ["created_by", "CREATION_VERBS"]

#: Verbs by which a body builds, sets up, launches or issues something.
CREATION_VERBS = words("creation_verbs")
_LAW_DOCUMENT = re.compile(r"(宪法|法典|法|条例|规定)$")
#: Verbs of putting into practice: they create only a system (a name ending 制 / 制度).
_PRACTICE_VERBS = words("relations_practice_verbs")
_SYSTEM = re.compile(r"(制|制度)$")
#: The body an article reports, given the index and the article (relation_rules.main_body).
MainBody = Callable[[EntityIndex, Article], Optional[Entity]]

def created_by(ix: EntityIndex, main_body: MainBody) -> Iterator[Relation]:
    """A creatable thing in a sentence with a creation verb was made by the body
    that is the sentence's subject, or by the article's main body when the
    sentence has none (the implicit subject of an article about one body)."""
    issued = dict(_issuers(ix))
    for doc_id, (issuer, ev) in sorted(issued.items(), key=lambda kv: kv[0]):
        yield Relation(doc_id, "createdBy", issuer.id, evidence=ev)
    for article in ix.texts():
        yield from _created_in(ix, article, issued, main_body(ix, article))
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


def _created_in(ix: EntityIndex, article: Article, skip: Container[str],
                default: Optional[Entity]) -> Iterator[Relation]:
    """createdBy in the body sentences of one article; the ids in ``skip`` are
    documents whose title gives their issuer already; ``default`` is the article's
    main body, the maker when the clause prints none."""
    by_sentence: dict[int, list[Sighting]] = defaultdict(list)
    for e, ev in ix.in_article.get(article.article_id, []):
        s = ix.sentence_of(article, ev.start if ev.start is not None else -1)
        if s is not None:
            by_sentence[s.raw_start].append((e, ev))
    raw = ix.doc.source.raw
    for s in article.sentences:
        if s.kind != "body" or not any(v in s.text for v in (*CREATION_VERBS, *_OPENING_WORDS, *_PRACTICE_VERBS)):
            continue
        members = by_sentence.get(s.raw_start, [])
        for e, ev in members:
            if not _creatable(e) or e.id in skip:
                continue
            actor = _passive_actor(raw, members, ev)
            verbs = CREATION_VERBS + _PRACTICE_VERBS if e.type == "Programme" and _SYSTEM.search(e.name) else CREATION_VERBS
            if actor is None and (_verb_governs(raw, s, ev, verbs) or _opened_after(raw, s, ev, e)):
                actor = _actor_before(members, ev) or (None if _other_subject(raw, s, members, ev) else default)
            elif actor is None and e.type == "LiaisonStation" and _verb_inside(raw, ev):
                actor = _actor_in_clause(raw, members, ev) or default
            if actor is not None and actor is not e and actor.name != e.name:
                yield Relation(e.id, "createdBy", actor.id, evidence=sentence_evidence(article, s))


_CLAUSE_BREAK = re.compile(r"[,,;;:。!?]")


def _verb_governs(raw: str, sentence: Sentence, ev: Evidence,
                  verbs: tuple[str, ...] = CREATION_VERBS, reach: int = 80) -> bool:
    """A creation verb stands before the thing in its own clause ("打造"一乡一品"品牌",
    "已建成A、B、C联络站"): a thing merely named in a sentence that creates something
    else was not created by it. A clause ends at , ; : and sentence marks, not at 、."""
    start = ev.start if ev.start is not None else -1
    if not sentence.raw_start <= start <= sentence.raw_end:
        return False
    before = plain(raw[max(sentence.raw_start, start - reach):start])
    clause = _CLAUSE_BREAK.split(before)[-1]
    return any(v in clause for v in verbs)


def _verb_inside(raw: str, ev: Evidence) -> bool:
    """A station named from the place it was set up in, across the verb: "在上海虹桥街道
    设立基层立法联系点" printed as one mention whose words hold the creation verb."""
    printed = plain(raw[ev.start or 0:ev.end or 0])
    return bool(_STATION_SET_UP.search(printed))


def _actor_in_clause(raw: str, members: list[Sighting], target_ev: Evidence) -> Optional[Entity]:
    """The acting body printed last before the target in the target's own clause
    ("X法工委在Y街道设立…"); a body in an earlier clause is no subject of this one."""
    actor = _actor_before(members, target_ev)
    if actor is None:
        return None
    ends = [ev.end or 0 for e, ev in members if e is actor and (ev.end or 0) <= (target_ev.start or 0)]
    gap = plain(raw[max(ends, default=0):target_ev.start or 0])
    return None if not ends or _CLAUSE_BREAK.search(gap) else actor


#: A creation verb inside one printed station mention, the station's words after it.
_STATION_SET_UP = re.compile("(?:" + "|".join(CREATION_VERBS) + ").{0,10}(?:"
                             + "|".join(words("venues_station_words")) + ")$")


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
