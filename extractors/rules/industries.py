"""Industries and what is organised around them: the deputy groups and stations
named after an industry ("木业产业代表小组", "钧瓷、新材料5个产业代表联络站")."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..lexicons import words
from ..records import Mention, PlaceSpan
from .lexicon import GENERIC_INDUSTRY, INDUSTRY_STOP_AFTER, INDUSTRY_VERBS, NON_NAME_TAGS, QUOTE_CHARS
from .places import place_chain
from .registry import SentenceContext, rule_family
from .stations import station_kind
from .text_helpers import clean, left_han, name_start, tokens, uniq

__all__ = ["industry_bodies"]

_ORG_SUFFIX = re.compile(r"(合作社|有限公司|公司|集团|企业|协会|商会)$")
#: A deputy group's own venue: "茶产业代表小组联络站" is a station of the group.
_GROUP_VENUE = "|".join(words("venues_group_venues"))
_INDUSTRY_HEAD = re.compile(r"产业(?:人大)?代表(?P<what>小组(?P<venue>" + _GROUP_VENUE + r")?|联络站|之家|联络点)|产业")


@rule_family("industry_bodies")
def industry_bodies(ctx: SentenceContext) -> list[Mention]:
    """Industries before 产业, and the deputy groups and stations named after them."""
    text, places = ctx.text, ctx.places
    out: list[Mention] = []
    for m in _INDUSTRY_HEAD.finditer(text):
        what = m.group("what")
        after = text[m.end():m.end() + 3]
        if not what and after.startswith(INDUSTRY_STOP_AFTER):
            continue
        if what:
            items = _enumeration(text, m.start())
        else:
            s = name_start(text, left_han(text, m.start(), 8), m.start(), max_words=2)
            items = [(s, m.start())] if s < m.start() else []
        for s, e in items:
            out += _item_mentions(text, places, m, s, e, listed=len(items) > 1)
    return out


def _item_mentions(text: str, places: Sequence[PlaceSpan], m: re.Match, s: int, e: int,
                   listed: bool) -> list[Mention]:
    """The industry (or company) of one item before 产业, and the body named after it."""
    what = m.group("what")
    raw = text[s:e]
    chain = place_chain(places, e)
    place_pre = ""
    if chain and chain[0].start >= s:
        return []                              # "禹州市产业" : a place, not an industry
    inner = _last_place_inside(places, s, e)
    if inner is not None:
        place_pre = inner.surface
        raw = text[inner.end:e]
    qualifier, core = _strip_generic(clean(_unquote(raw)))
    quoted_item = raw[:1] in QUOTE_CHARS
    shortest = 1 if inner is not None or quoted_item else 2    # "盛家坝镇茶产业": a place bounds it
    if not core or core in GENERIC_INDUSTRY or len(core) < shortest or len(core) > 8 \
            or core[0].isdigit() or not quoted_item and not _noun_like(core) \
            or any(core.startswith(v) for v in INDUSTRY_VERBS):
        return []
    out: list[Mention] = []
    i_end = e if listed else m.start() + 2
    if _ORG_SUFFIX.search(core):
        out.append(Mention("Organization", core, s + len(place_pre), e, clean(raw)))
    else:
        printed = core + qualifier + "产业"
        out.append(Mention("Industry", printed, s + len(place_pre), i_end, text[s + len(place_pre):i_end],
                           aliases=uniq(a for a in (core, core + "产业") if a != printed)))
    if what:
        out += _bodies_of(text, m, s, e, core, place_pre, listed)
    return out


def _last_place_inside(places: Sequence[PlaceSpan], s: int, e: int) -> Optional[PlaceSpan]:
    """The last place that ends inside the item ``text[s:e]``: the industry's name starts
    after it ("恩施市盛家坝镇茶产业" → 茶), also when the words the item was cut to begin
    in the middle of the place's name ("坝镇茶")."""
    inside = [p for p in places if p.start < e and s < p.end < e]
    return max(inside, key=lambda p: p.end) if inside else None


def _strip_generic(core: str) -> tuple[str, str]:
    """(qualifier, core): generic words cut off the end ("不锈钢特色" → ("特色", "不锈钢"))."""
    qualifier = ""
    stripped = True
    while stripped:
        stripped = False
        for g in sorted(GENERIC_INDUSTRY, key=len, reverse=True):
            if core.endswith(g) and len(core) > len(g):
                qualifier, core = g + qualifier, core[: -len(g)]
                stripped = True
                break
    return qualifier, core


def _bodies_of(text: str, m: re.Match, s: int, e: int, core: str, place_pre: str, listed: bool) -> list[Mention]:
    """The deputy group or station named after an industry; for a group's own venue
    ("茶产业代表小组联络站") the group and the station both."""
    what, venue = m.group("what"), m.group("venue")
    heads = [(m.end(), False)]
    if what.startswith("小组"):
        heads = [(m.end() - len(venue or ""), True)] + ([(m.end(), False)] if venue else [])
    out = []
    for head_end, is_group in heads:
        full = core + text[m.start():head_end]
        name = place_pre + full
        aliases = (full,) if place_pre else ()
        b_end = e if listed else head_end
        if is_group:
            out.append(Mention("CongressBody", clean(name), s, b_end, text[s:b_end], aliases=aliases,
                               kind="deputy_group"))
        else:
            out.append(Mention("LiaisonStation", clean(name), s, b_end, text[s:b_end], aliases=aliases,
                               kind=station_kind(what)))
    return out


def _enumeration(text: str, end: int) -> list[tuple[int, int]]:
    """Items of "钧瓷、"三粉"、闵杏合作社、中医药、新材料5个" that end at ``end``."""
    j = end
    m = re.search(r"(等)?[0-9一二两三四五六七八九十]*个?$", text[:j])
    counted = bool(m and m.group() and not m.group(1) and m.group() != "")
    if m and m.group():
        j = m.start()
    items: list[tuple[int, int]] = []
    while True:
        item = _item_before(text, j)
        if item is None:
            break
        items.insert(0, item)
        k = item[0]
        if k > 0 and text[k - 1] == "、":
            j = k - 1
            continue
        break
    if counted and len(items) == 1:
        return []                          # "市级11个产业代表小组": a qualifier, not a list
    return items


def _item_before(text: str, k: int) -> Optional[tuple[int, int]]:
    """The list item ending at ``k``: a short quote, or the name words before it."""
    if k > 0 and text[k - 1] in "”\"'’":
        q = max(text.rfind(c, 0, k - 1) for c in "“\"'‘")
        if q < 0 or k - 1 - q > 12:
            return None
        return q, k
    s = left_han(text, k, 8)
    if s == k:
        return None
    s = name_start(text, s, k, max_words=3)
    if s == k:
        return None
    return s, k


def _unquote(s: str) -> str:
    return "".join(ch for ch in s if ch not in QUOTE_CHARS)


def _noun_like(word: str) -> bool:
    """No verb or function word at either end of the word (jieba's reading of it alone)."""
    toks = tokens(word)
    return not (toks[0][3].startswith(NON_NAME_TAGS) and toks[0][3] != "vn"
                or toks[-1][3].startswith(NON_NAME_TAGS) and toks[-1][3] != "vn")
