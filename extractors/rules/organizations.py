"""Organizations: party committees, governments and departments after a place (or a
level word standing for the article's place), national bodies, named groups and venues."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..lexicons import mapping, words
from ..records import Mention, PlaceSpan
from .lexicon import DEPARTMENT_SUFFIXES, GENERIC_GROUPS, LEVEL_CHARS, NOT_BUREAU, OFFICIAL_SUFFIXES, STOP_CHARS
from .places import Prefix, is_ellipsis, place_chain, place_names, place_prefix
from .registry import SentenceContext, rule_family
from .text_helpers import clean, is_han, starts_word, tokens, uniq

__all__ = ["organizations", "party_committees", "departments", "named_offices", "printed_names",
           "grassroots_party_committees", "town_offices"]

_DEPARTMENT = re.compile("|".join(DEPARTMENT_SUFFIXES))
_NATIONAL_ORGS = re.compile(r"中共中央政治局|党中央|中共中央(?!政治局)|国务院|全国政协|最高人民法院|最高人民检察院")
_GROUP_ORG = re.compile(
    r"(?:成立|组建|设立|建立)(?P<name>[\u4e00-\u9fff]{2,14}?(?:工作领导小组|领导小组|智库))")
_PRACTICE_STATION = re.compile(r"全过程人民民主[\u4e00-\u9fff]{0,8}?实践(?:工作)?站")
_VENUE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2})(?P<suffix>书屋|书院)")
#: Offices, public services and grass-roots bodies after a place, with the fewest
#: characters of name each needs between the place and the suffix.
NAMED_SUFFIXES = mapping("bodies_named_suffixes")
_NAMED = re.compile("|".join(NAMED_SUFFIXES))
_PRINTED = re.compile("|".join(words("bodies_printed_suffixes")))
_NOT_NAMED = words("bodies_not_named")
#: Characters a name between a place and a suffix never holds: quantifiers and
#: determiners make it a class of bodies ("平邑县各中学", "全县27所小学").
_NAMED_MID_STOP = set("各每等个所家些几多全本该其")
#: First characters after an abbreviated level word that make it a level, not a place
#: ("县级医院", "市直学校", "县乡医院", "市区中心医院").
_LEVEL_NOT_PLACE = set("级直属内域里城乡镇村区市县省")
#: Level words of localities: right after a place printed short they make another place.
_LOCALITY_WORDS = ("街道", "社区", "镇", "乡", "村", "区", "县", "市")


@rule_family("organizations")
def organizations(ctx: SentenceContext) -> list[Mention]:
    """Party committees, governments, departments, courts, named groups and venues."""
    text, places = ctx.text, ctx.places
    out = party_committees(text, places) + departments(text, places) + named_offices(text, places)
    out += printed_names(text, places, ctx.titles_at) + grassroots_party_committees(text, places)
    out += town_offices(text, places)
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
    if j == 0 or not is_han(text[j - 1]) or text[j - 1] in "和与及":
        return True                                # jieba reads "检察院和县监察委员会" as 和县
    # after a Han character only when a verb, preposition or conjunction ends there
    # ("向县委汇报", "落实县委部署"), never inside a name ("经开区", "该县")
    prev = [t for t in tokens(text) if t[1] == j]
    if not prev or not starts_word(text, j):
        return False
    word, tag = prev[0][2], prev[0][3]
    if word == "了":                               # "听取了县卫健委的报告": the verb's object follows
        return True
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


#: A town's party committee or government with the level word standing for the article's
#: town: "镇党委书记", "向街道党工委汇报", "镇政府提交的…" (named as printed, like "区政府").
_TOWN_OFFICE = re.compile(r"(?P<level>街道|镇|乡)(?P<word>党工委|党委|人民政府|政府|办事处)(?![员会])")


def town_offices(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """"镇党委", "镇政府", "街道党工委" with no place before them, for the context resolver
    (which names them after the article's one town); "乡镇党委", "各镇政府" are no names,
    nor "镇政府所在地" (a place)."""
    out = []
    for m in _TOWN_OFFICE.finditer(text):
        j, word = m.start(), m.group("word")
        if not (j == 0 or not is_han(text[j - 1]) or _abbrev_ok(text, j)) or place_chain(places, j):
            continue
        if text.startswith(("所在", "驻地"), m.end()) or word == "办事处" and m.group("level") != "街道":
            continue
        out.append(Mention("Organization", m.group(), j, m.end(), m.group(), abbrev=m.group("level"),
                           tail=word))
    return out


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
    if suffix == "局" and text[m.start() - 1:m.start()] in ("局", "副") and text.startswith("长", m.end()):
        return True                             # "教育局局长", "公安局副局长": a title
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
        pre = place_prefix(text, places, start) or _region_prefix(text, start)
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
    if not mid and suffix == "政府" and (pre.chain[-1].level == "village" or text.startswith(("所在", "驻地"), m.end())):
        return None                               # "X镇政府所在地" is a place; "X镇政府" the body
    name = clean(low + mid + official)
    return Mention("Organization", name, pre.start, m.end(), surface,
                   aliases=uniq(a for a in (surface, printed + mid + suffix, low_printed + mid + suffix)
                                if clean(a) != name))


def _bad_mid(mid: str) -> bool:
    """Words between a place and a department suffix that show it is no department name."""
    return bool(re.search(r"[的和与及、,,。;:\s“”\"0-9]|人大|代表|常委|政府|全县|全市|开展|推动|工作|对|在|召开", mid))


def _region_prefix(text: str, start: int) -> Optional[Prefix]:
    """"自治区人民检察院": 自治区 stands for the article's region as 省 stands for its province."""
    j = start - 3
    if j >= 0 and text[j:start] == "自治区" and (j == 0 or not is_han(text[j - 1]) or _abbrev_ok(text, j)):
        return Prefix(j, (), "自治区")
    return None


# ---------------------------------------------------------------------------
# Commissions, public services and grass-roots bodies named after their place


def named_offices(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """县卫生健康委员会, 县发改委, 平邑县总工会, 县人民医院, 平邑县第一中学, 向阳社区居委会:
    the department rule's place and name, with the suffixes of bodies_named_suffixes."""
    out = []
    for m in _NAMED.finditer(text):
        if not _ends_word(text, m.start(), m.end()) or any(text.endswith(w, 0, m.end()) for w in _NOT_NAMED):
            continue
        least = int(NAMED_SUFFIXES[m.group()])
        found = [(pre, mid) for pre, mid in _department_prefixes(text, places, m)
                 if len(mid) >= least and _named_mid_ok(pre, mid)]
        found.sort(key=lambda f: not f[0].chain)
        for pre, mid in found[:1]:
            mention = _department(text, m, pre, mid)
            if mention is not None:
                out.append(mention)
    return out + _village_committees(text, places)


def _ends_word(text: str, start: int, end: int) -> bool:
    """May the suffix at ``start:end`` end a name? Not where jieba reads its last character
    into the next word ("集团委托": 团委) or the whole suffix into a longer one ("中学生");
    a slip that merges two words ("律师事务所律师") still ends it."""
    if end >= len(text) or not is_han(text[end]):
        return True
    return not any(t[0] < end < t[1] and t[0] in (start, end - 1) for t in tokens(text))


def _named_mid_ok(pre: Prefix, mid: str) -> bool:
    """A name, not a class of bodies ("各中学") nor a level ("县级医院" after an abbreviation)."""
    if any(c in _NAMED_MID_STOP or not is_han(c) for c in mid):
        return False
    if pre.chain:
        # "洛阳街道居委会": a level word after the place says the gazetteer read another place
        low, _, low_printed = place_names(pre.chain)
        return low == low_printed or not mid.startswith(_LOCALITY_WORDS)
    return not mid or mid[0] not in _LEVEL_NOT_PLACE


def _village_committees(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """"新水坑村委会": the village's own 村 begins its committee's word, so the department
    walk, which wants the place to end before the suffix, never sees it."""
    out = []
    for m in re.finditer(r"村(?:委会|民委员会)", text):
        chain = place_chain(places, m.start() + 1)
        if chain and chain[-1].level == "village" and _ends_word(text, m.start(), m.end()):
            low = chain[-1]
            surface = text[chain[0].start:m.end()]
            name = clean(low.name + text[m.start() + 1:m.end()])
            out.append(Mention("Organization", name, chain[0].start, m.end(), surface,
                               aliases=uniq(a for a in (clean(surface),) if a != name)))
    return out


# ---------------------------------------------------------------------------
# Companies, co-operatives and law firms: names as printed


def printed_names(text: str, places: Sequence[PlaceSpan],
                  titles_at: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """临沂鲁南制药有限公司, 平邑县金丰种植专业合作社, 山东泰和律师事务所: a place, a name of
    two or more characters and the suffix, all as printed (a registered name is never
    respelt with the place's official name)."""
    out = []
    for m in _PRINTED.finditer(text):
        if not _ends_word(text, m.start(), m.end()) or any(a <= m.start() < b for a, b in titles_at):
            continue
        for start in range(m.start() - 2, max(-1, m.start() - 15), -1):
            mid = text[start:m.start()]
            if not _printed_mid_ok(mid):
                break
            chain = place_chain(places, start)
            if chain:
                s = chain[0].start
                out.append(Mention("Organization", clean(text[s:m.end()]), s, m.end(), text[s:m.end()]))
                break
    return out


def _printed_mid_ok(mid: str) -> bool:
    """A registered name's own words: Han, no function word but a 和 inside ("泰和"),
    none of the words that show a phrase (_bad_mid without its single characters)."""
    if not all(is_han(c) and (c not in STOP_CHARS or c == "和" and i > 0) for i, c in enumerate(mid)):
        return False
    return not _bad_mid(mid.replace("和", "")) and not any(c in _NAMED_MID_STOP for c in mid)


# ---------------------------------------------------------------------------
# Party committees of towns, streets and zones


def grassroots_party_committees(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """保太镇党委, 河西街道党工委: a town's or village's party committee, and the party
    working committee of a street or zone, after the place (the level words of
    party_committees cover counties and above)."""
    out = []
    for m in re.finditer(r"党工委|党委(?![员会])", text):
        chain = place_chain(places, m.start())
        if not chain or m.group() == "党委" and chain[-1].level not in ("town", "village"):
            continue
        low, printed, low_printed = place_names(chain)
        name = low + m.group()
        out.append(Mention("Organization", name, chain[0].start, m.end(), text[chain[0].start:m.end()],
                           aliases=uniq(a for a in (printed + m.group(), low_printed + m.group()) if a != name)))
    return out
