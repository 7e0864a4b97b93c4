"""Organizations: party committees, governments and departments after a place (or a
level word standing for the article's place), national bodies, named groups and venues."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..records import Mention, PlaceSpan
from .lexicon import DEPARTMENT_SUFFIXES, GENERIC_GROUPS, LEVEL_CHARS, NOT_BUREAU, OFFICIAL_SUFFIXES
from .places import Prefix, is_ellipsis, place_chain, place_names, place_prefix
from .registry import SentenceContext, rule_family
from .text_helpers import clean, is_han, starts_word, tokens, uniq

__all__ = ["organizations", "party_committees", "departments"]

_DEPARTMENT = re.compile("|".join(DEPARTMENT_SUFFIXES))
_NATIONAL_ORGS = re.compile(r"中共中央政治局|党中央|中共中央(?!政治局)|国务院|全国政协|最高人民法院|最高人民检察院")
_GROUP_ORG = re.compile(
    r"(?:成立|组建|设立|建立)(?P<name>[\u4e00-\u9fff]{2,14}?(?:工作领导小组|领导小组|智库))")
_PRACTICE_STATION = re.compile(r"全过程人民民主[\u4e00-\u9fff]{0,8}?实践(?:工作)?站")
_VENUE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2})(?P<suffix>书屋|书院)")


@rule_family("organizations")
def organizations(ctx: SentenceContext) -> list[Mention]:
    """Party committees, governments, departments, courts, named groups and venues."""
    text, places = ctx.text, ctx.places
    out = party_committees(text, places) + departments(text, places)
    for m in _NATIONAL_ORGS.finditer(text):
        out.append(Mention("Organization", m.group(), m.start(), m.end(), m.group()))
    for m in _GROUP_ORG.finditer(text):
        name = m.group("name")
        if name in GENERIC_GROUPS or name.startswith(("专项", "工作")):
            continue
        out.append(Mention("Organization", name, m.start("name"), m.end("name"), name))
    for m in _PRACTICE_STATION.finditer(text):
        out.append(Mention("Organization", m.group(), m.start(), m.end(), m.group()))
    for m in _VENUE.finditer(text):
        s = m.start()
        if s > 0 and text[s - 1] not in "、与和及,":
            continue
        out.append(Mention("Organization", m.group(), s, m.end(), m.group()))
    return out


def _abbrev_ok(text: str, j: int) -> bool:
    """May the level word at ``j`` ("县" in "县委") stand for the article's own place?"""
    if j >= 1 and text[j - 1] in "全本各该乡镇":
        return False
    if is_ellipsis(text, j):
        return False
    if j == 0 or not is_han(text[j - 1]):
        return True
    # after a Han character only when a verb, preposition or conjunction ends there
    # ("向县委汇报", "落实县委部署"), never inside a name ("经开区", "该县")
    prev = [t for t in tokens(text) if t[1] == j]
    if not prev or not starts_word(text, j):
        return False
    word, tag = prev[0][2], prev[0][3]
    return not (tag in ("n", "nr", "ns", "nt", "nz", "ng", "zg", "?", "j") or len(word) == 1 and tag not in ("p", "c"))


# ---------------------------------------------------------------------------
# Party committees


def party_committees(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """临沂市委, 高县县委, and abbreviations (县委, 市委) for the resolver."""
    out = []
    for m in re.finditer(r"(?<![\u4e00-\u9fff])(?P<level>自治区|省|市|县|区)党委(?![员会])", text):
        if _abbrev_ok(text, m.start()) or m.start() == 0 or not is_han(text[m.start() - 1]):
            out.append(Mention("Organization", m.group(), m.start(), m.end(), m.group(),
                               abbrev=m.group("level"), tail="党委"))
    for m in re.finditer(r"委(?![员会托屈婉])", text):
        i = m.start()
        if i == 0 or text[i - 1] in "常党纪":
            continue
        found = _committee(text, places, i)
        if found is not None:
            out.append(found)
    return out


def _committee(text: str, places: Sequence[PlaceSpan], i: int) -> Optional[Mention]:
    """The party committee whose 委 is at ``i``: after a place, or after a level word."""
    chain = place_chain(places, i)
    if chain:
        low = chain[-1]
        surface = text[chain[0].start:i + 1]
        name = low.name + "委"
        return Mention("Organization", name, chain[0].start, i + 1, surface,
                       aliases=uniq(a for a in (surface, low.surface + "委") if a != name))
    j = i - 1
    if text[j] not in LEVEL_CHARS:
        return None
    chain = place_chain(places, j)
    if chain and chain[-1].name.endswith(text[j]):              # 高县县委
        low = chain[-1]
        surface = text[chain[0].start:i + 1]
        return Mention("Organization", low.name + "委", chain[0].start, i + 1, surface,
                       aliases=(surface,), weak=(text[j:i + 1],))
    if chain or not _abbrev_ok(text, j):
        return None
    return Mention("Organization", text[j:i + 1], j, i + 1, text[j:i + 1], abbrev=text[j], tail="委")


# ---------------------------------------------------------------------------
# Governments, bureaus, courts, procuratorates, committees, media centres


def departments(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """Governments, bureaus, courts, procuratorates, administrative committees, media centres."""
    out = []
    for m in _DEPARTMENT.finditer(text):
        if _not_a_department(text, m):
            continue
        found = _department_prefixes(text, places, m)
        # a place named in full wins over a level word inside the name ("定远经开区…管委会")
        found.sort(key=lambda f: not f[0].chain)
        for pre, mid in found[:1]:
            mention = _department(text, m, pre, mid)
            if mention is not None:
                out.append(mention)
    return out


def _not_a_department(text: str, m: re.Match) -> bool:
    """A shorter suffix inside a longer one (人民|政府), or a 局 that is no bureau (格局)."""
    suffix = m.group()
    if suffix in ("政府", "法院", "检察院") and text[max(0, m.start() - 2):m.start()] in ("人民",):
        return True                             # the longer suffix matches at its own start
    return suffix == "局" and (text[max(0, m.start() - 1):m.end()] in NOT_BUREAU
                               or text[max(0, m.start() - 2):m.end()] in NOT_BUREAU)


def _department_prefixes(text: str, places: Sequence[PlaceSpan], m: re.Match) -> list[tuple[Prefix, str]]:
    """(prefix, words between it and the suffix) for each start up to ten characters back;
    walking left stops at the first real place or at words no name holds."""
    suffix = m.group()
    found: list[tuple[Prefix, str]] = []
    for start in range(m.start(), max(-1, m.start() - 11), -1):
        mid = text[start:m.start()]
        if mid and _bad_mid(mid):
            break
        if suffix == "局" and not 1 <= len(mid) <= 4:
            continue
        pre = place_prefix(text, places, start)
        if pre is None:
            continue
        if pre.abbrev is not None and not _abbrev_ok(text, pre.start):
            continue
        found.append((pre, mid))
        if pre.chain:
            break
    return found


def _department(text: str, m: re.Match, pre: Prefix, mid: str) -> Optional[Mention]:
    """The department of ``pre`` + ``mid`` + the suffix; None for a town's bare 政府."""
    suffix = m.group()
    official = OFFICIAL_SUFFIXES.get(suffix, suffix)
    surface = text[pre.start:m.end()]
    if not pre.chain:
        return Mention("Organization", clean(surface), pre.start, m.end(), surface,
                       abbrev=pre.abbrev, tail=clean(mid + official))
    low, printed, low_printed = place_names(pre.chain)
    if low != low_printed and (low_printed + mid).startswith(low):
        mid = (low_printed + mid)[len(low):]      # "定远" + "县政府": the place's own level word
    if not mid and suffix in ("政府", "人民政府") and pre.chain[-1].level in ("town", "village"):
        return None
    name = clean(low + mid + official)
    return Mention("Organization", name, pre.start, m.end(), surface,
                   aliases=uniq(a for a in (surface, printed + mid + suffix, low_printed + mid + suffix)
                                if clean(a) != name))


def _bad_mid(mid: str) -> bool:
    """Words between a place and a department suffix that show it is no department name."""
    return bool(re.search(r"[的和与及、,,。;:\s“”\"]|人大|代表|常委|政府|全县|全市|开展|推动|工作|对|在|召开", mid))
