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

from .entity_index import EntityIndex, Sighting, sentence_evidence
from .lexicons import alternation, words
from .records import Article, Entity, Evidence, Relation
from .text_normaliser import plain

__all__ = ["parent_body", "sub_organization_of", "memberships_in_text", "ROLE_WORDS"]

#: Whole words that make a part of the body named before them (党组, 办公室, 法工委 …).
SUB_ORGANIZATION_SUFFIXES = frozenset(words("sub_organization_suffixes") + words("congress_working_parts")
                                      + words("bodies_special_committees"))
#: Role words of a person in a body, as printed after the body's name.
ROLE_WORDS = words("role_words")
_PART_END = re.compile("(?:" + alternation(words("part_endings")) + ")$")
_BODIES = ("CongressBody", "Organization")
#: A street's or town's working committee: "X街道人大工委", "X街道人大联络工委", "人大X街道工委".
_TOWN_COMMITTEE = re.compile(r"^(?:(?P<town>.+?(?:街道|镇|乡))人大(?:联络|工作)?(?:工委|工作委员会)"
                             r"|人大(?P<town2>.+?(?:街道|镇|乡))工委)$")
_ROLE = alternation(ROLE_WORDS)
_PERSON_IN_BODY = re.compile(r"(?P<role>" + _ROLE + r")$")
_NEXT_IN_LIST = re.compile(r"^[,,、和及与]?(?:党组成员、)?(?P<role>" + _ROLE + r")?$")
_CLAUSE = re.compile(r"[,,。;;::!?!?()()的]")
_CONGRESS_PRINTED = re.compile(r"代表大会|人代会|会议")
_SHORT_PART_IN_LIST = re.compile(r"^[,,、](?P<short>[^,,、]{2,10}?)(?P<role>" + _ROLE + r")$")
#: Between names and the body of their new post: "任命张三、李四同志为".
_APPOINTED = re.compile(r"(?:同志)?(?:为|任|担任)")
_ROLE_AFTER_BODY = re.compile(r"^(?P<role>" + _ROLE + r")(?:职务|[,,。;;、]|$)")
#: Words before a role that keep the post in the body printed before ("代理院长", "常务副主任").
_POST_QUALIFIERS = frozenset(words("relations_post_qualifiers"))
#: A reading aid printed after a character in some web texts: "会(huì)", "镇(zhèn)".
_PINYIN = re.compile(r"[((][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[))]")


def _gap(raw: str, start: Optional[int], end: Optional[int]) -> str:
    """The text between two sightings as the rules read it: plain, reading aids dropped."""
    return _PINYIN.sub("", plain(raw[start or 0:end or 0]))


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
            elif n[:k].endswith("人大") and parent is None and rest.endswith(("委", "委员会")):
                # "X省人大教科文卫委员会" where the congress is not named: its standing committee
                parent = ix.named(n[:k] + "常委会", "CongressBody")
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
    while place is not None and place.level in ("town", "county", None):
        # a street's or town's working committee is sent out by its county or
        # district, never by the city above: no county body named, no parent
        body = _standing_committee_of(place, ix) if place.level != "town" else None
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
    congress = ix.named(place + "人民代表大会", "CongressBody") if place != b.name else None
    return congress if congress is not None and _printed_as_congress(congress, ix) else None


def _printed_as_congress(congress: Entity, ix: EntityIndex) -> bool:
    """The congress is printed as one somewhere ("人民代表大会", "人代会", "人大四次会议",
    "县人大及其常委会"), not only as a bare "X人大", which reports use for the standing committee's work."""
    raw = ix.doc.source.raw
    return any(_CONGRESS_PRINTED.search(plain(raw[ev.start:ev.end]))
               or plain(raw[ev.end:ev.end + 8]).startswith(("及其常委会", "和常委会", "及常委会"))
               for ev in congress.evidence if ev.start is not None and ev.end is not None)


def sub_organization_of(ix: EntityIndex,
                        parent_of: Callable[[Entity], Optional[Entity]] = lambda p: None) -> Iterator[Relation]:
    """Parts named after their body; streets' and towns' 人大工委 under their district's
    standing committee; a standing committee or presidium under its congress."""
    for b in ix.of_type(*_BODIES):
        parent = parent_body(b, ix) or _town_committee_parent(b, ix, parent_of) or _congress_of(b, ix)
        if parent is not None and parent is not b:
            yield Relation(b.id, "subOrganizationOf", parent.id, evidence=b.evidence[:1])


def memberships_in_text(ix: EntityIndex) -> Iterator[Relation]:
    """"六龙村人大代表韦永冠", "全国人大常委会委员长赵乐际": a body, a role, a name; the
    names listed after it in the same clause ("主任季晓春，副主任王占芬、戴淦"); a post in
    another body printed before ("市委组织部副部长、市人大选工委主任吕良涛"); and names
    printed before their post ("任命徐加晔、付阳同志为射阳县人民政府副县长")."""
    raw = ix.doc.source.raw
    for article in ix.texts():
        items = ix.in_article.get(article.article_id, [])
        before = _preceding(items)
        chain: dict[int, tuple[Entity, str]] = {}       # person's index → the list's body and role
        for k, (e, ev) in enumerate(items):
            j = before[k]
            if e.type != "Person" or j is None:
                continue
            prev, prev_ev = items[j]
            gap = _gap(raw, prev_ev.end, ev.start)
            posts, tail = _posts(prev, gap, ix)
            if posts:
                posts += _earlier_post(items, before, j, raw, ix)
            elif j in chain and prev.type == "Person":
                posts, tail = _next_in_list(gap, chain[j], ix)
            if tail is not None:
                chain[k] = tail
            for body, role in posts:
                yield Relation(e.id, "memberOf", body.id, role=role,
                               evidence=sentence_evidence(article, ix.sentence_of(article, ev.start)))
        yield from _named_before_post(ix, article, items, before)


def _preceding(items: list[Sighting]) -> list[Optional[int]]:
    """For each sighting, the index of the one printed just before it: the sighting that
    ends nearest before it starts, the longest of those. A place nested in a body's name
    ("黄浦区" in "黄浦区人大常委会党组") is thus not taken for what precedes the name."""
    out: list[Optional[int]] = []
    for k, (_, ev) in enumerate(items):
        start = ev.start or 0
        best: Optional[int] = None
        for i in range(max(0, k - 40), k):
            end_i = items[i][1].end or 0
            if end_i > start:
                continue
            if best is None or _longer_ending_later(items[i][1], items[best][1]):
                best = i
        out.append(best)
    return out


def _longer_ending_later(a: Evidence, b: Evidence) -> bool:
    """Ends later, or ends at the same place and starts earlier (is the longer name)."""
    return ((a.end or 0), -(a.start or 0)) > ((b.end or 0), -(b.start or 0))


def _posts(body: Entity, gap: str, ix: EntityIndex) -> tuple[list[tuple[Entity, str]], Optional[tuple[Entity, str]]]:
    """A body, then its role word, then the name: "县人大常委会副主任" + 张三. Posts joined
    by 、 are the same person's: after a body's party group the second is in the body
    ("县人大常委会党组书记、主任"), after a party committee a government post is in its
    government ("县委常委、副县长"), and one printed with a part's short name is in that
    part ("区委副书记、人大常委会主任"). Returns the posts and the post a list continues."""
    if body.type not in _BODIES or len(gap) > 14 or _CLAUSE.search(gap):
        return [], None
    segments = gap.split("、")
    matches = [_PERSON_IN_BODY.search(seg) for seg in segments]
    if matches[-1] is None:
        return [], None
    if any(m is None for m in matches):
        return [(body, matches[-1].group("role"))], (body, matches[-1].group("role"))
    posts: list[tuple[Entity, str]] = []
    for i, (seg, m) in enumerate(zip(segments, matches)):
        role, prefix = m.group("role"), seg[:m.start()]
        if i and _GOVERNMENT_POST.match(seg):
            role, prefix = seg, ""
        target = _post_body(body, prefix, role, i, ix)
        if target is None:
            return posts, None
        posts.append((target, role))
    return posts, posts[-1]


def _post_body(body: Entity, prefix: str, role: str, i: int, ix: EntityIndex) -> Optional[Entity]:
    """The body of the i-th post printed after ``body`` (see `_posts`)."""
    if i == 0:
        if not prefix or prefix in _POST_QUALIFIERS:
            return body
        # "市委督查室副主任": a post in a part the document does not name is not in the body
        return _resolve_short(prefix, body, ix)
    if prefix:
        return _resolve_short(prefix, body, ix)
    government = _government_of(body, role, ix)
    if government is not None:
        return government
    return parent_body(body, ix) or body


def _resolve_short(short: str, base: Entity, ix: EntityIndex) -> Optional[Entity]:
    """A body printed by a short name after another body's post: a part of it
    ("选联任免工委" after 顺德区人大常委会), of the body it is part of, or a body of
    the same place ("人大常委会" after 张家川县委); else a body with that alias."""
    heads = [base.name]
    parent = parent_body(base, ix)
    if parent is not None:
        heads.append(parent.name)
    place = _place_head(base, ix)
    if place:
        heads.append(place)
    for head in heads:
        for name in (head + short, head + short[1:] if short[:1] == head[-1:] else None):
            found = _body_named(name, ix) if name else None
            if found is not None and found is not base:
                return found
    found = _body_named(short, ix) if len(short) >= 4 else None
    return found if found is not base else None


def _body_named(name: str, ix: EntityIndex) -> Optional[Entity]:
    return ix.named(name, "CongressBody") or ix.named(name, "Organization")


def _place_head(body: Entity, ix: EntityIndex) -> str:
    """The longest place name the body's name starts with ("张家川县" of 张家川县委)."""
    heads = [n for p in ix.of_type("Place") for n in p.names
             if len(n) >= 2 and body.name.startswith(n) and body.name != n]
    return max(heads, key=lambda n: (len(n), n), default="")


#: Posts of a government, by the level character their title starts with (县长, 副县长).
_GOVERNMENT_POST = re.compile(r"^(?:常务)?副?(?P<level>[省市州县区旗乡镇])长$")


def _government_of(body: Entity, role: str, ix: EntityIndex) -> Optional[Entity]:
    """"县委常委、常务副县长": a 县长's post is in the county's government, when the
    document names one government of the place the party committee is named after."""
    m = _GOVERNMENT_POST.match(role)
    place = _place_head(body, ix) if m else ""
    if not place or not place.endswith(m.group("level")):
        return None
    found = [_body_named(place + w, ix) for w in ("人民政府", "政府")]
    return next((f for f in found if f is not None), None)


def _earlier_post(items: list[Sighting], before: list[Optional[int]], j: int, raw: str,
                  ix: EntityIndex) -> list[tuple[Entity, str]]:
    """"三门峡市委组织部副部长、市人大选工委主任吕良涛": the post printed before the body
    of the name's last post, joined to it by 、, is the same person's."""
    i = before[j]
    if i is None:
        return []
    body, ev = items[i]
    gap = _gap(raw, ev.end, items[j][1].start)
    if body.type not in _BODIES or not gap.endswith("、") or len(gap) > 8:
        return []
    m = _PERSON_IN_BODY.fullmatch(gap[:-1])
    return [(body, m.group("role"))] if m else []


def _next_in_list(gap: str, current: tuple[Entity, str], ix: EntityIndex
                  ) -> tuple[list[tuple[Entity, str]], Optional[tuple[Entity, str]]]:
    """The next name of a list of posts: ",副主任" + name, "、" + name, or a part of
    the list's body by its short name ("、选联任免工委主任" + name)."""
    if not gap:
        return [], None
    m = _NEXT_IN_LIST.match(gap)
    if m:
        post = (current[0], m.group("role") or current[1])
        return [post], post
    part = _SHORT_PART_IN_LIST.match(gap)
    body = _resolve_short(part.group("short"), current[0], ix) if part else None
    if body is None:
        return [], None
    return [(body, part.group("role"))], (body, part.group("role"))


def _named_before_post(ix: EntityIndex, article: Article, items: list[Sighting],
                       before: list[Optional[int]]) -> Iterator[Relation]:
    """"任命徐加晔、付阳同志为射阳县人民政府副县长": names, then 为/任 and a body
    followed by a role word: each name of the list holds that post."""
    raw = ix.doc.source.raw
    for k, (body, ev) in enumerate(items):
        j = before[k]
        if body.type not in _BODIES or j is None or items[j][0].type != "Person":
            continue
        if _APPOINTED.fullmatch(_gap(raw, items[j][1].end, ev.start)) is None:
            continue
        after = _ROLE_AFTER_BODY.match(_gap(raw, ev.end, (ev.end or 0) + 12))
        if after is None:
            continue
        sentence = sentence_evidence(article, ix.sentence_of(article, ev.start))
        while j is not None and items[j][0].type == "Person":
            yield Relation(items[j][0].id, "memberOf", body.id, role=after.group("role"), evidence=sentence)
            i = before[j]
            gap = _gap(raw, items[i][1].end, items[j][1].start) if i is not None else ""
            j = i if gap in ("、", "同志、", "和", "同志和") else None
