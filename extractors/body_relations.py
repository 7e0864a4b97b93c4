"""Relations between bodies and people: which body is part of which
(subOrganizationOf) and who holds a post in which body (memberOf).

Both are read from how Chinese names and titles are built: a part is named after its
body ("刚察县人大常委会办公室"), a street's working committee answers to its district's
standing committee, and a post is printed between a body and a name
("射阳县人大常委会主任季晓春，副主任王占芬、戴淦").
"""
from __future__ import annotations

import re
from typing import Callable, Iterator, Optional

from .entity_index import EntityIndex, sentence_evidence
from .lexicons import words
from .records import Entity, Relation
from .text_normaliser import plain

__all__ = ["parent_body", "sub_organization_of", "memberships_in_text", "ROLE_WORDS"]

#: Whole words that make a part of the body named before them (党组, 办公室, 法工委 …).
SUB_ORGANIZATION_SUFFIXES = frozenset(words("sub_organization_suffixes") + words("congress_working_parts")
                                      + words("bodies_special_committees"))
#: Role words of a person in a body, as printed after the body's name.
ROLE_WORDS = words("role_words")
_PART_END = re.compile("(?:" + "|".join(sorted(words("part_endings"), key=len, reverse=True)) + ")$")
_BODIES = ("CongressBody", "Organization")
_TOWN_COMMITTEE = re.compile(r"^(?:(?P<town>.+?(?:街道|镇|乡))人大工委|人大(?P<town2>.+?(?:街道|镇|乡))工委)$")
_ROLE = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
_PERSON_IN_BODY = re.compile(r"(?P<role>" + _ROLE + r")$")
_NEXT_IN_LIST = re.compile(r"^[,,、和及与]?(?:党组成员、)?(?P<role>" + _ROLE + r")?$")
_CLAUSE = re.compile(r"[,,。;;::!?!?()()的]")


def parent_body(b: Entity, ix: EntityIndex) -> Optional[Entity]:
    """The body that X人大常委会党组 / 办公室 / 代表工委 (or X县委组织部) is part of, if
    the document names it: the longest body name the part's name starts with."""
    if b.kind == "deputy_group":
        return None                                 # deputy groups are set up, not parts
    for n in b.names:
        for k in range(len(n) - 1, 3, -1):
            rest = n[k:]
            parent = ix.by_name.get(n[:k])
            if n[:k].endswith("人大") and rest.endswith("工委"):
                # "三门峡市人大选工委": a working committee of the standing committee
                parent = ix.named(n[:k] + "常委会", "CongressBody") or parent
            if parent is None or parent is b or parent.type not in _BODIES:
                continue
            if rest in SUB_ORGANIZATION_SUFFIXES or (len(rest) <= 12 and _PART_END.search(rest)):
                return parent
    return None


def _standing_committee_of(place: Entity, ix: EntityIndex) -> Optional[Entity]:
    for n in place.names:
        body = ix.named(n + "人大常委会", "CongressBody")
        if body is not None:
            return body
    return None


def _town_committee_parent(b: Entity, ix: EntityIndex,
                           parent_of: Callable[[Entity], Optional[Entity]]) -> Optional[Entity]:
    """A street's or town's 人大工委 answers to the standing committee of the district
    or county the street lies in (the nearest one the document names)."""
    m = _TOWN_COMMITTEE.match(b.name)
    if b.kind != "working_committee" or m is None:
        return None
    town = ix.named(m.group("town") or m.group("town2"), "Place")
    place = parent_of(town) if town is not None else None
    while place is not None:
        body = _standing_committee_of(place, ix)
        if body is not None:
            return body
        place = parent_of(place)
    county = [e for e in ix.of_type("CongressBody") if e.kind == "standing_committee"
              and re.search(r"[县区旗]人大常委会$", e.name)]
    return county[0] if len(county) == 1 else None


def _congress_of(b: Entity, ix: EntityIndex) -> Optional[Entity]:
    """X人大常委会 and X人大主席团 act for X人民代表大会 when the document names it."""
    if b.kind not in ("standing_committee", "presidium"):
        return None
    place = re.sub(r"(人大常委会|人大主席团)$", "", b.name)
    return ix.named(place + "人民代表大会", "CongressBody") if place != b.name else None


def sub_organization_of(ix: EntityIndex,
                        parent_of: Callable[[Entity], Optional[Entity]] = lambda p: None) -> Iterator[Relation]:
    """Parts named after their body; streets' and towns' 人大工委 under their district's
    standing committee; a standing committee or presidium under its congress."""
    for b in ix.of_type(*_BODIES):
        parent = parent_body(b, ix) or _town_committee_parent(b, ix, parent_of) or _congress_of(b, ix)
        if parent is not None and parent is not b:
            yield Relation(b.id, "subOrganizationOf", parent.id, evidence=b.evidence[:1])


def memberships_in_text(ix: EntityIndex) -> Iterator[Relation]:
    """"六龙村人大代表韦永冠", "全国人大常委会委员长赵乐际": a body, a role, a name; and
    the names listed after it in the same clause ("主任季晓春，副主任王占芬、戴淦")."""
    raw = ix.doc.source.raw
    for article in ix.doc.articles:
        items = ix.in_article.get(article.article_id, [])
        current: Optional[tuple[Entity, str, int]] = None       # body, role, end of the last name
        for (e1, ev1), (e2, ev2) in zip(items, items[1:]):
            if e2.type != "Person":
                current = None
                continue
            gap = plain(raw[ev1.end or 0:ev2.start or 0])
            posts = _posts(e1, gap, ix) or _next_in_list(e1, gap, current)
            current = (*posts[-1], ev2.end or 0) if posts else None
            for body, role in posts:
                yield Relation(e2.id, "memberOf", body.id, role=role,
                               evidence=sentence_evidence(article, ix.sentence_of(article, ev2.start)))


def _posts(body: Entity, gap: str, ix: EntityIndex) -> list[tuple[Entity, str]]:
    """A body, then its role word, then the name: "县人大常委会副主任" + 张三. After a
    body's party group, two posts: "县人大常委会党组书记、主任" + 张三 is the party
    group's 书记 and the committee's 主任."""
    if body.type not in _BODIES or len(gap) > 14 or _CLAUSE.search(gap):
        return []
    m = _PERSON_IN_BODY.search(gap)
    if m is None:
        return []
    first, _, rest = gap.partition("、")
    parent = parent_body(body, ix) if rest else None
    lead = _PERSON_IN_BODY.search(first)
    if parent is not None and lead is not None:
        return [(body, lead.group("role")), (parent, m.group("role"))]
    return [(body, m.group("role"))]


def _next_in_list(prev: Entity, gap: str, current: Optional[tuple[Entity, str, int]]
                  ) -> list[tuple[Entity, str]]:
    """The next name of a list of posts in one body: ",副主任" + name, or "、" + name."""
    if current is None or prev.type != "Person" or not gap:
        return []
    m = _NEXT_IN_LIST.match(gap)
    return [(current[0], m.group("role") or current[1])] if m else []
