"""People's congress bodies (and the parts of a body that are Organizations).

A body is an institutional word (人大常委会, 人民代表大会, 人大主席团 …) with the
places printed before it; 全国 makes it national, and a bare level word ("市人大常委会")
makes an abbreviation for the context resolver to complete.
"""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple, Optional, Sequence

from ..lexicons import alternation, words
from ..records import Mention, PlaceSpan
from .lexicon import CONGRESS_KINDS, STOP_CHARS, WORKING_PARTS
from .places import Prefix, place_chain, place_names, place_prefix
from .registry import SentenceContext, rule_family
from .text_helpers import clean, starts_word, uniq

__all__ = ["congress_bodies", "congress_bodies_in"]

#: Offices of a standing committee that are Organizations (办公室, 办公厅, 党组, 研究室).
OFFICES = words("bodies_committee_offices")
#: Committees printed right after 人大: special committees and cut working committees.
SPECIAL_COMMITTEES = words("bodies_special_committees")


_BODY_HEAD = re.compile(
    rf"人大常委会(?P<part>{alternation(WORKING_PARTS + OFFICES)})?"
    rf"|人大(?P<cpart>{alternation(SPECIAL_COMMITTEES)})"
    r"|人民代表大会常务委员会|人民代表大会(?!制度)|人代会|人大主席团|人大联络工委|人大工委|人大工作联络中心"
    r"|人大(?=主席(?!团)|副主席)|人大(?![常代工主机干系制宣网专通履监委])")
#: "人大大龙街道工委": a street's or town's working committee with 人大 printed first.
#: A congress's term printed between its place and its word: "吉林省十二届人大常委会",
#: "安庆市第十八届人民代表大会", "市十九届人大三次会议"; the name drops it.
_TERM = re.compile(r"第?[一二三四五六七八九十]{1,3}届$")
#: Words printed in full, named by the short form ("人民代表大会常务委员会" → 人大常委会).
_LONG_FORMS = {"人大常委会": "人大常委会", "人民代表大会常务委员会": "人大常委会"}
_REVERSED_WORKING_COMMITTEE = re.compile(r"人大(?P<place>[\u4e00-\u9fff]{2,5}?(?:街道|镇|乡))(?:联络)?工委")
#: Deputy groups a congress forms by place or number: "市人大代表大渡口联系组",
#: "重庆市第六届人大代表丰都联系组", "合肥市人大代表巢湖市第二代表小组", "保太镇人大代表第一小组".
_DEPUTY_GROUP = re.compile(
    r"(?P<term>第?[一二三四五六七八九十]+届)?人大代表(?P<mid>[\u4e00-\u9fff]{0,6}?)"
    r"(?P<group>联系组|(?:第[一二三四五六七八九十\d]+)(?:代表)?小组)(?!工作|长|成员)")


@rule_family("congress_bodies")
def congress_bodies(ctx: SentenceContext) -> list[Mention]:
    """People's congress bodies with their place prefix, national bodies, abbreviations."""
    return congress_bodies_in(ctx.text, ctx.places, ctx.quoted, ctx.titles_at)


def congress_bodies_in(text: str, places: Sequence[PlaceSpan], quoted: Sequence[tuple[int, int]] = (),
                       titles_at: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """The family on plain arguments; the context resolver reads the bodies named in full
    with no quotes or titles known (so every 人大 counts)."""
    out: list[Mention] = []
    for m in _BODY_HEAD.finditer(text):
        part = m.group("part") or m.group("cpart")
        term = _TERM.search(text, max(0, m.start() - 5), m.start())
        head = _Head(m.start(), m.end(), m.group()[: -len(part)] if part else m.group(), part,
                     term.start() if term else m.start())
        out += _body(text, places, head, quoted, titles_at)
    out += listed_parts(text, out)
    return out + reversed_working_committees(text, places) + deputy_groups(text, places) \
        + listed_bodies(text, places) + town_bodies(text, places) + delegations(text, places)


class _Head(NamedTuple):
    """An institutional word: ``base`` is the body's word, ``part`` a part of it (代表工委)."""

    start: int
    end: int
    base: str
    part: Optional[str]
    #: where the places before it must end: the start of a printed term, else ``start``
    at: int

    @property
    def termed(self) -> bool:
        """Is a term ("十二届") printed before the word? Then a bare 人大 is the congress."""
        return self.at != self.start


def _body(text: str, places: Sequence[PlaceSpan], head: _Head, quoted: Sequence[tuple[int, int]],
          titles_at: Sequence[tuple[int, int]]) -> list[Mention]:
    h0, h1, base = head.start, head.end, head.base
    if text[max(0, head.at - 2):head.at] == "全国":
        return _national_body(text, head.at, base, head.part, h0)
    inside_quote = any(q0 <= h0 and h1 <= q1 for q0, q1 in quoted)
    if base == "人大" and any(a <= h0 < b for a, b in titles_at):
        return []                                  # "《陕西人大调研材料》" is a journal
    pre = place_prefix(text, places, head.at, allow_abbrev=base != "人大" or not inside_quote)
    if pre is None:
        return _bare_body(text, head)
    if base == "人大" and inside_quote and any(q0 == pre.start and q1 == h1 for q0, q1 in quoted):
        return []                                  # a quoted "姜堰人大" is a brand or an account
    if pre.abbrev is not None:
        return _abbreviated_body(text, pre, head)
    return _placed_body(text, pre, head)


def _national_body(text: str, h0: int, base: str, part: Optional[str] = None,
                   word: Optional[int] = None) -> list[Mention]:
    """全国人大常委会, 全国人民代表大会, and their parts ("全国人大常委会法工委"); ``h0`` is
    where 全国 ends, ``word`` where the body's word starts (after a term, "十四届")."""
    s = h0 - 2
    h0 = h0 if word is None else word
    out = []
    if base in _LONG_FORMS:
        out.append(Mention("CongressBody", "全国人大常委会", s, h0 + len(base), "全国人大常委会",
                           kind="standing_committee"))
    elif base in ("人民代表大会", "人代会", "人大"):
        surface = text[s:h0 + len(base)]
        out.append(Mention("CongressBody", "全国人民代表大会", s, h0 + len(base), surface,
                           aliases=("全国人大", surface), kind="congress"))
    if out and part:
        short = "全国人大常委会" if base in _LONG_FORMS else "全国人大"
        out.append(_part_mention(part, short, s, h0 + len(base) + len(part), text[s:h0 + len(base) + len(part)]))
    return out


def _bare_body(text: str, head: _Head) -> list[Mention]:
    """A body with no place before it: a bare 人代会, or a newly set up liaison centre."""
    h0, h1, base = head.start, head.end, head.base
    if base == "人代会" and text[max(0, h0 - 1):h0] not in ("省", "市", "县", "区"):
        return [Mention("CongressBody", "人代会", h0, h1, "人代会", kind="congress", abbrev="", tail="人民代表大会")]
    if base == "人大工作联络中心" and re.search(r"(设立|成立|建立)$", text[:h0]):
        return [Mention("CongressBody", base, h0, h1, base, kind="working_committee")]
    return []


def _abbreviated_body(text: str, pre: Prefix, head: _Head) -> list[Mention]:
    """"市人大常委会": the level word stands for the article's place."""
    h0, h1, base, part = head[:4]
    kind = CONGRESS_KINDS.get(base)
    if base == "人大" and part:                     # "省人大教科文卫委员会": the committee alone
        return [_part_mention(part, pre.abbrev + base, pre.start, h1, text[pre.start:h1], abbrev=pre.abbrev)]
    if base == "人大" and _chair(text, h1):
        return []                                  # "县人大主席": a town's post, never a county's
    if base == "人大":
        if not head.termed and (pre.abbrev == "省" or text[h1:h1 + 2] not in ("及其", "和常", "与常")
                                and pre.abbrev != "县"):
            return []                              # "市人大" alone is too vague
        kind = "congress"
    tail = {"人大": "人民代表大会", "人代会": "人民代表大会"}.get(base, _LONG_FORMS.get(base, base))
    out = [Mention("CongressBody", pre.abbrev + base, pre.start, h0 + len(base),
                   text[pre.start:h0 + len(base)], kind=kind, abbrev=pre.abbrev, tail=tail)]
    if part:
        out.append(_part_mention(part, pre.abbrev + base, pre.start, h1, text[pre.start:h1], abbrev=pre.abbrev))
    return out


def _placed_body(text: str, pre: Prefix, head: _Head) -> list[Mention]:
    """A body after real places: named after the lowest, aliased by the printed chain."""
    h0, h1, base, part = head[:4]
    surface = text[pre.start:h1]
    low, printed, low_printed = place_names(pre.chain)
    level = "county" if head.termed else pre.chain[-1].level   # "镇十七届人大" is the congress
    if base == "人大" and _chair(text, h1) and level not in ("town", "village"):
        return []
    name, kind, aliases = _placed_names(base, level, clean(text[pre.start:h0 + len(base)]), low, printed,
                                        low_printed)
    if head.termed:
        aliases += (text[pre.start:h0 + len(base)],)
    out = [Mention("CongressBody", name, pre.start, h0 + len(base), text[pre.start:h0 + len(base)],
                   aliases=uniq(a for a in aliases if a != name), kind=kind)]
    if part and base == "人大":                   # "甘肃省人大财经委": named by the short form
        out.append(_part_mention(part, low + base, pre.start, h1, surface,
                                 aliases=(printed + base + part, low_printed + base + part,
                                          name + part)))
    elif part:
        out.append(_part_mention(part, name, pre.start, h1, surface,
                                 aliases=(printed + base + part, low_printed + base + part)))
    return out


def _placed_names(base: str, level: str, surface: str, low: str, printed: str,
                  low_printed: str) -> tuple[str, str, tuple[str, ...]]:
    """(name, kind, aliases) of a body named by its institutional word after a place."""
    if base == "人大":
        if level in ("town", "village"):
            # a town's congress works through its presidium between sessions
            return low + "人大", "presidium", (surface, low_printed + "人大", low + "人大主席团")
        return low + "人民代表大会", "congress", (surface, low + "人大", low_printed + "人大")
    if base == "人代会":
        return low + "人民代表大会", "congress", (surface, low + "人代会")
    aliases = (printed + base, low_printed + base)
    if base == "人大主席团":
        aliases += (low + "人大",)
    return low + _LONG_FORMS.get(base, base), CONGRESS_KINDS[base], aliases


def _part_mention(part: str, parent: str, start: int, end: int, surface: str,
                  aliases: Iterable[str] = (), abbrev: Optional[str] = None) -> Mention:
    """A part of a standing committee: a working committee, or its office / party group."""
    name = parent + part
    if part in WORKING_PARTS or part in SPECIAL_COMMITTEES and not parent.endswith("常委会"):
        typ, kind = "CongressBody", "working_committee"
    else:
        typ, kind = "Organization", None
    return Mention(typ, name, start, end, surface, aliases=uniq(a for a in aliases if a != name),
                   kind=kind, abbrev=abbrev, tail=name[1:] if abbrev else "")


def reversed_working_committees(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """"人大大龙街道工委": the street's 人大工委 with 人大 printed before the place; named
    the usual way round (大龙街道人大工委), the printed form kept as an alias."""
    out = []
    for m in _REVERSED_WORKING_COMMITTEE.finditer(text):
        p0, p1 = m.span("place")
        if any(c in STOP_CHARS or c in "各全本该每" for c in m.group("place")) or text.startswith("常委", p0):
            continue                               # "人大常委会及各街道工委": a phrase, no place
        chain = place_chain(places, p1)
        place = chain[-1].name if chain and chain[0].start == p0 else m.group("place")
        name = place + "人大" + m.group()[p1 - m.start():]
        out.append(Mention("CongressBody", name, m.start(), m.end(), m.group(),
                           aliases=uniq(a for a in (m.group(),) if a != name), kind="working_committee"))
    return out


def deputy_groups(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """Deputy groups a congress forms by place or number, named by the congress's place,
    人大代表, the place or number and the group word; the term ("第六届") is dropped from
    the name and kept in the printed alias."""
    out = []
    for m in _DEPUTY_GROUP.finditer(text):
        mid = m.group("mid")
        if mid and not _is_places(places, m.start("mid"), m.end("mid")) and not _liaison_area(m):
            continue
        pre = place_prefix(text, places, m.start())
        if pre is None or m.group("group") == "联系组" and not mid:
            continue
        rest = "人大代表" + mid + m.group("group")
        surface = text[pre.start:m.end()]
        if pre.abbrev is not None:
            out.append(Mention("CongressBody", pre.abbrev + rest, pre.start, m.end(), surface,
                               kind="deputy_group", abbrev=pre.abbrev, tail=rest))
            continue
        low, printed, low_printed = place_names(pre.chain)
        name = low + rest
        out.append(Mention("CongressBody", name, pre.start, m.end(), surface, kind="deputy_group",
                           aliases=uniq(a for a in (clean(surface), printed + rest, low_printed + rest)
                                        if a != name)))
    return out


def _is_places(places: Sequence[PlaceSpan], start: int, end: int) -> bool:
    """Do places printed back to back cover exactly ``start:end`` ("丰都", "巢湖市")?"""
    chain = place_chain(places, end)
    return bool(chain) and any(p.start == start for p in chain)


def _liaison_area(m: re.Match) -> bool:
    """"丰都联系组": a 联系组 is named after the area whose deputies it joins, a short name
    the gazetteer may read as no place; any two to four characters of a name will do."""
    mid = m.group("mid")
    return m.group("group") == "联系组" and 2 <= len(mid) <= 4 and mid[0] not in "各全本该每部" \
        and not any(c in STOP_CHARS for c in mid)


#: "柳南、柳石、南站等3个街道人大工委": short names in a list sharing one level word and
#: one institutional word (the count, when printed, must be the list's length).
_LISTED_BODIES = re.compile(
    r"(?P<items>(?:[\u4e00-\u9fff]{2,4}、)+[\u4e00-\u9fff]{2,4})(?:等(?P<n>[0-9一二三四五六七八九十]{1,2})个)?"
    r"(?P<level>街道|乡镇|镇|乡)(?P<base>人大工委|人大主席团)")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


def listed_bodies(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """Each member of a list of towns or streets printed by short name before one shared
    "街道人大工委" is its own body: 柳南街道人大工委, 柳石街道人大工委 … (a 乡镇 list gives no level)."""
    out: list[Mention] = []
    for m in _LISTED_BODIES.finditer(text):
        items = m.group("items").split("、")
        first = _first_item(text, m.start(), items[0])
        if first is None or m.group("level") == "乡镇" or not _count_fits(m.group("n"), len(items)):
            continue
        items[0] = first
        if any(c in STOP_CHARS or c in "各全本该每" for item in items for c in item):
            continue                               # "…等乡镇人大": a phrase, not a list of names
        pos = m.start("items") + len(m.group("items").split("、")[0]) - len(first)
        base, kind = m.group("base"), CONGRESS_KINDS[m.group("base")]
        for item in items:
            name = item + m.group("level") + base
            out.append(Mention("CongressBody", name, pos, pos + len(item), item, kind=kind))
            pos += len(item) + 1
    return out


def _first_item(text: str, start: int, item: str) -> Optional[str]:
    """The first member without the words before it ("为柳南" → 柳南): the shortest tail of
    two or more characters where a word starts."""
    for k in range(2, len(item) + 1):
        if starts_word(text, start + len(item) - k):
            return item[-k:]
    return None


def _count_fits(n: Optional[str], length: int) -> bool:
    """A printed count ("等8个", "等十二个") equals the number of members listed; no count
    fits any list."""
    if not n:
        return True
    if n.isdigit():
        return int(n) == length
    tens, ten, ones = n.rpartition("十")
    value = (_NUMERALS.get(tens, 1) * 10 if ten else 0) + _NUMERALS.get(ones, 0)
    return value == length


#: Title words after a part of a body printed alone in a list of posts.
_POST_AFTER_PART = ("主任", "副主任", "负责人")
#: The working committees, longest first (built once: a sentence is read twice, by the
#: rules and by the context resolver).
_WORKING_PART = re.compile(alternation(WORKING_PARTS))


def listed_parts(text: str, bodies: Sequence[Mention]) -> list[Mention]:
    """"顺德区人大常委会副主任赖剑辉、选联任免工委主任陈有环": in a list of posts a working
    committee printed without its body (right after 、 or ,, before 主任) is a part of
    the standing committee named last before it in the sentence."""
    out: list[Mention] = []
    committees = [b for b in bodies if b.kind == "standing_committee"]
    for m in _WORKING_PART.finditer(text):
        if m.start() == 0 or text[m.start() - 1] not in "、,," or not text.startswith(_POST_AFTER_PART, m.end()):
            continue
        before = [b for b in committees if b.end <= m.start()]
        if not before:
            continue
        body = max(before, key=lambda b: b.end)
        out.append(_part_mention(m.group(), body.name, m.start(), m.end(), m.group(), abbrev=body.abbrev))
    return out


def _chair(text: str, at: int) -> bool:
    """Does a town congress's chair's title ("主席", "副主席", not "主席团") follow ``at``?"""
    return text.startswith(("主席", "副主席"), at) and not text.startswith("主席团", at)


#: A town's body with the level word standing for the article's town: "镇人大主席李斌",
#: "街道人大工委", "乡人大主席团".
_TOWN_BODY = re.compile(r"(?P<level>街道|镇|乡)(?P<base>人大主席团|人大工委|人大(?![常代工机干系制宣网专通履监委]))")
#: Characters before a town's level word that end a word: a verb, preposition or conjunction.
_BEFORE_TOWN = set("由向在对和与及、经请为到将是了的据")


def town_bodies(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """"镇人大", "乡人大主席团", "街道人大工委" with no place before them: the article's
    town's bodies, for the context resolver ("乡镇人大", "各街道人大工委" are no names)."""
    out = []
    for m in _TOWN_BODY.finditer(text):
        j = m.start()
        if j > 0 and "\u4e00" <= text[j - 1] <= "\u9fff" and text[j - 1] not in _BEFORE_TOWN:
            continue
        if place_chain(places, j):
            continue
        base, level = m.group("base"), m.group("level")
        if base == "人大" and text.startswith("主席团", m.end()):
            continue
        kind = "working_committee" if base == "人大工委" else "presidium"
        out.append(Mention("CongressBody", m.group(), j, m.end(), m.group(), kind=kind, abbrev=level, tail=base))
    return out


def delegations(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """"甘肃代表团", "图们代表团": the deputies a place sends to a congress's session, a
    deputy group named as printed; the place's official name gives the alias. A
    delegation named by a sector ("农业代表团") or a visiting one ("考察代表团") has no place."""
    out = []
    for m in re.finditer("代表团(?![员长])", text):
        chain = place_chain(places, m.start())
        if not chain:
            continue
        surface = text[chain[0].start:m.end()]
        name = chain[-1].surface + "代表团"
        out.append(Mention("CongressBody", name, chain[0].start, m.end(), surface, kind="deputy_group",
                           aliases=uniq(a for a in (surface, chain[-1].name + "代表团") if a != name)))
    return out
