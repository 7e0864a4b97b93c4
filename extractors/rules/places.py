"""Places in front of institutional words, and places the gazetteer lacks.

The gazetteer hands in `PlaceSpan`s; the families read them through `place_chain`
("山东省临沂市" printed back to back) and `place_prefix` (real places, or a level
word such as 市 that abbreviates the article's own place). `text_places` and
`localities_after` add places the text itself names by their suffix; the entity
extractor calls them before the families run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Collection, Iterable, Mapping, Optional, Sequence

from ..lexicons import alternation, mapping, words
from ..place_gazetteer import PlaceGazetteer
from ..records import LEVEL_RANK, PlaceSpan
from .lexicon import (COORDINATORS, GENERIC_NOUNS, LEVEL_CHARS, LOCALITY_SUFFIX_LEVELS, NON_NAME_TAGS, NUMERALS,
                      STOP_CHARS, TEXT_PLACE_SUFFIXES, TITLES_BEFORE)
from .text_helpers import is_common_word, is_han, starts_word, tokens, word_frequency

__all__ = ["place_chain", "text_places", "localities_after", "running_localities", "named_zones", "is_ellipsis", "Prefix",
           "place_prefix", "place_names", "full_villages", "short_villages"]


def place_chain(places: Sequence[PlaceSpan], end: int) -> list[PlaceSpan]:
    """The places printed back to back that end exactly at ``end`` ("山东省临沂市")."""
    by_end: dict[int, PlaceSpan] = {}
    for p in places:
        if p.end not in by_end or p.end - p.start > by_end[p.end].end - by_end[p.end].start:
            by_end[p.end] = p
    chain: list[PlaceSpan] = []
    pos = end
    while pos in by_end:
        p = by_end[pos]
        chain.insert(0, p)
        pos = p.start
    return chain


#: Institutional words in front of which the text itself names a place the
#: gazetteer may not know ("褚河街道人大工委", "潍坊市昌乐市人大常委会").
_TEXT_PLACE_HEAD = re.compile(r"人大常委会|人民代表大会|人大工委|人大主席团|人大(?![代常])|党委|人民政府|政府"
                              r"|(?:人大)?代表(?:中心)?联络站")


def text_places(text: str, places: Sequence[PlaceSpan]) -> list[PlaceSpan]:
    """Places the text gives by their suffix right before an institutional word.

    Used only where the gazetteer has nothing ending there. The stem must start a
    word after a boundary (punctuation, sentence start or a known place), so
    "提交市人大常委会" never yields a place "提交市"."""
    out: list[PlaceSpan] = []
    for h in _TEXT_PLACE_HEAD.finditer(text):
        h0 = h.start()
        if place_chain(places, h0):
            continue
        for suffix, level in TEXT_PLACE_SUFFIXES.items():
            if not text.endswith(suffix, 0, h0):
                continue
            found = _text_place(text, places, h0, suffix, level)
            if found is not None:
                out.append(found)
            break
    return out


def _text_place(text: str, places: Sequence[PlaceSpan], h0: int, suffix: str, level: str) -> Optional[PlaceSpan]:
    """The place of a two- or three-character stem + ``suffix`` ending at ``h0``, if it is one."""
    s_end = h0 - len(suffix)
    for stem_len in (2, 3):
        st = s_end - stem_len
        if st < 0 or not _stem_ok(text, places, st, s_end):
            continue
        prev = next((p for p in places if p.end == st), None)
        lv = level
        if suffix == "市" and prev is not None and prev.level == "city":
            lv = "county"
        elif suffix == "区" and text[s_end - 1] == "片":
            lv = "village"                      # "柳沟片区": an area of villages, no district
        parents = ((prev.name,) + prev.parents) if prev is not None else ()
        return PlaceSpan(st, h0, text[st:h0], text[st:h0], lv, None, None, parents)
    return None


def _stem_ok(text: str, places: Sequence[PlaceSpan], st: int, s_end: int) -> bool:
    """May ``text[st:s_end]`` be a place's name: Han, after a boundary, starting a noun?"""
    stem = text[st:s_end]
    if not all(is_han(c) and c not in STOP_CHARS and c not in NUMERALS for c in stem) or stem[-1] in LEVEL_CHARS \
            or stem[0] in "各全本该每":
        return False
    before_ok = st == 0 or not is_han(text[st - 1]) or text[st - 1] in STOP_CHARS \
        or any(p.end == st for p in places)
    if not before_ok or not starts_word(text, st):
        return False
    first = next((t for t in tokens(text) if t[0] == st), None)
    if first is None or first[3].startswith(NON_NAME_TAGS) or first[2] in GENERIC_NOUNS:
        return False
    if any(st < t[0] < s_end and t[3].startswith(NON_NAME_TAGS) for t in tokens(text)):
        return False                             # "形式交市政府": a verb inside, a phrase
    return not is_common_word(stem)              # "自治区党委": a word, not a place name


#: Suffixes of localities below a named place, with their level.
_LOCALITY_SUFFIX = re.compile(r"(?P<stem>[\u4e00-\u9fff]{2,4}?)(?P<suffix>社区|片区|村|屯|街道|镇|乡|新区|区|县)")


def localities_after(text: str, places: Sequence[PlaceSpan]) -> list[PlaceSpan]:
    """Localities the tree lacks, printed right after a place above them
    ("云城街道金山社区", "宝鸡市凤翔区", "龙布村弄屯"), and those listed after a
    locality with the same suffix ("九口堰村、张畈村和龚店村"): their level comes from
    the suffix, their parent is the place above the first of the list.

    The stem must be a name: no function word, no verb at its start, not a
    frequent dictionary word ("云城街道各村" and "开化县农村" give nothing). A
    locality gets an id below its parent's (`PlaceGazetteer.child_id`), so the
    tree leads from it to its parent, as from the places the tree has."""
    out: list[PlaceSpan] = []
    taken = {(p.start, p.end) for p in places}
    for p in places:
        m = _LOCALITY_SUFFIX.match(text, p.end)
        if not m or (p.end, m.end()) in taken:
            continue
        level = LOCALITY_SUFFIX_LEVELS[m.group("suffix")]
        if LEVEL_RANK[level] > LEVEL_RANK.get(p.level, 4) and _is_locality(text, places, p.end, m):
            out.append(_below(p, m, level))
    return out + _listed_after(text, places, out)


def _is_locality(text: str, places: Sequence[PlaceSpan], start: int, m: re.Match,
                 stop: Collection[str] = STOP_CHARS) -> bool:
    """Does the match at ``start`` name a locality (a name stem + its suffix)?"""
    stem = m.group("stem")
    if any(c in stop or c in NUMERALS for c in stem) or stem[0] in "各全本该每等" \
            or any(q.start < m.end() and q.end > start for q in places):
        return False
    words = [t for t in tokens(text) if start <= t[0] < m.end()]
    if not words or words[0][0] != start or words[0][3].startswith(NON_NAME_TAGS) \
            or stem in GENERIC_NOUNS or is_common_word(stem, ("ns", "nr", "nz")):  # 金山, 向阳 are names too
        return False
    return m.end() >= len(text) or any(t[1] == m.end() for t in tokens(text))  # not "村民", "区域"


def _below(parent: PlaceSpan, m: re.Match, level: str, parent_id: Optional[str] = None,
           parents: Optional[tuple[str, ...]] = None) -> PlaceSpan:
    """The locality of match ``m`` below ``parent`` (or below the given parent id and names)."""
    pid = parent.node_id if parent_id is None else parent_id
    node_id = PlaceGazetteer.child_id(pid, m.group()) if pid else None
    names = (parent.name,) + parent.parents if parents is None else parents
    return PlaceSpan(m.start(), m.end(), m.group(), m.group(), level, node_id, None, names)


def _listed_after(text: str, places: Sequence[PlaceSpan], found: Sequence[PlaceSpan]) -> list[PlaceSpan]:
    """Localities listed after a town or village with a suffix of its level: "A村、B村和C村",
    "A村、B社区" (villages and residents' communities are listed together, as are 镇, 乡 and 街道)."""
    out: list[PlaceSpan] = []
    known = sorted([*places, *found], key=lambda p: p.start)
    for first in known:
        if first.level not in ("town", "village") or not first.parents:
            continue
        suffix = next((x for x in _LOCAL_SUFFIXES if first.surface.endswith(x)), None)
        if suffix is None:
            continue
        parent_id = first.node_id.rpartition("/")[0] if first.node_id and "/" in first.node_id else None
        pos = first.end
        while True:
            sep = _COORDINATOR.match(text, pos)
            m = _LOCALITY_SUFFIX.match(text, sep.end()) if sep else None
            if m is None or LOCALITY_SUFFIX_LEVELS[m.group("suffix")] != first.level \
                    or any(q.start == m.start() for q in known) \
                    or not _is_locality(text, [*known, *out], m.start(), m, _LIST_STOP):
                break
            out.append(_below(first, m, first.level, parent_id, first.parents))
            pos = m.end()
    return out


#: Suffixes of a listed locality, longest first; the words that join list items.
_LOCAL_SUFFIXES = sorted(LOCALITY_SUFFIX_LEVELS, key=len, reverse=True)
_COORDINATOR = re.compile(r"、|以及|和|及|与")
#: Characters no listed locality's stem holds. Fewer than STOP_CHARS: a list item
#: starts right after its coordinator, and 向阳, 在田, 将军 are stems of names too.
_LIST_STOP = set("的地得和与及或、,,。;;::!?!?()()《》“”‘’「」『』\"' 等了着")


#: Villages and communities a text names in running text, away from a place above them.
_RUNNING_LEVELS = mapping("venues_running_localities")
_RUNNING = re.compile(r"(?P<stem>[\u4e00-\u9fff]{2,4}?)(?P<suffix>"
                      + alternation(_RUNNING_LEVELS) + ")")


def running_localities(text: str, places: Sequence[PlaceSpan]) -> list[PlaceSpan]:
    """Villages and communities named in running text by their suffix ("对南塘村开设",
    "在湄湘社区和文昌社区建设"), where no place is printed right before them.

    The stem is a name: it starts a word right after a function word, a verb,
    punctuation or the sentence start (never inside a longer word), holds no level
    word, and neither it nor the whole is a frequent word ("新农村", "和谐社区",
    "我们村"). The parent is the last town named before it in the sentence, if any:
    "金川镇决定在湄湘社区…" puts the community in that town."""
    out: list[PlaceSpan] = []
    if _RUNNING.search(text) is None:            # no suffix after a stem anywhere: no word to try
        return out
    toks = tokens(text)
    ends = {t[1] for t in toks}
    for k, (st, *_rest) in enumerate(toks):
        m = _RUNNING.match(text, st)
        if m is None or m.end() not in ends or any(q.start < m.end() and m.start() < q.end for q in places) \
                or any(q.end == m.start() for q in places) or not _running_stem(text, toks, k, m):
            continue
        town = next((q for q in reversed(places) if q.end <= m.start() and q.level == "town"), None)
        level = _RUNNING_LEVELS[m.group("suffix")]
        out.append(_below(town, m, level) if town is not None and town.node_id
                   else PlaceSpan(m.start(), m.end(), m.group(), m.group(), level, None, None, ()))
    return out


def _running_stem(text: str, toks, k: int, m: re.Match) -> bool:
    """Is the stem of ``m`` (starting token ``k``) a name after a word boundary?"""
    stem = m.group("stem")
    if any(c in STOP_CHARS or c in NUMERALS or c in LEVEL_CHARS or c in "乡镇个" for c in stem) \
            or stem[0] in "各全本该每等这此" or stem in GENERIC_NOUNS or text.endswith(TITLES_BEFORE, 0, m.start()):
        return False                             # "主任洛桑江村": a person's name
    if k > 0 and not (toks[k - 1][3].startswith(NON_NAME_TAGS) and toks[k - 1][3] not in ("m", "vn")
                      or not is_han(toks[k - 1][2][-1]) or toks[k - 1][2][-1] in STOP_CHARS):
        return False
    inside = [t for t in toks if m.start() <= t[0] < m.end()]
    if any(len(t[2]) > 1 and t[3].startswith(NON_NAME_TAGS) for t in inside):
        return False                             # one-character tags say little: 湄 of 湄湘
    words_in_stem = [t for t in inside if t[1] <= m.start("suffix") and len(t[2]) > 1]
    if any(t[3].startswith("a") or is_common_word(t[2], ("ns", "nr", "nz")) for t in words_in_stem):
        return False                             # "试点示范村", "健康进社区": words, not a name
    if len(stem) >= 3 and words_in_stem and words_in_stem[0][2] == stem \
            and word_frequency(stem)[1] not in ("ns", "nr", "nz", "nt", "?"):
        return False                             # "便民服务社区": a noun describes it
    tail = inside[-1][2]                         # the word that ends with the suffix: "农村" of "新农村"
    if len(tail) > len(m.group("suffix")) and is_common_word(tail, ("ns",)):
        return False
    return not is_common_word(stem, ("ns", "nr", "nz")) and not is_common_word(m.group(), ("ns",))


#: Village suffixes dropped when a text names a village short; what may follow the short form.
_VILLAGE_ENDS = ("社区", "嘎查", "村")
_AFTER_SHORT = re.compile(r"片区|(?:人大)?代表(?:联络|活动|之家|工作|小组)")


def full_villages(texts: Iterable[Sequence[PlaceSpan]]) -> dict[str, PlaceSpan]:
    """The villages and communities a document names in full ("张畈村"), by their stem
    ("张畈"); a stem two different villages share is left out."""
    out: dict[str, Optional[PlaceSpan]] = {}
    for spans in texts:
        for p in spans:
            end = next((x for x in _VILLAGE_ENDS if p.level == "village" and p.surface == p.name
                        and p.name.endswith(x)), None)
            stem = p.name[:-len(end)] if end else ""
            if len(stem) < 2 or is_common_word(stem, ("ns", "nr", "nz")):
                continue
            if stem in out and (out[stem] is None or out[stem].name != p.name or out[stem].parents != p.parents):
                out[stem] = None
            else:
                out.setdefault(stem, p)
    return {k: v for k, v in out.items() if v is not None}


def short_villages(text: str, places: Sequence[PlaceSpan], villages: Mapping[str, PlaceSpan]) -> list[PlaceSpan]:
    """A village the document names in full, printed short before a 片区 or a deputies'
    venue or group: "张畈片区" (the area around 张畈村, a village-level place in the same
    town), "埕头人大代表活动室" (the station of 埕头村). The short form starts a word and
    is no part of a place already read."""
    out: list[PlaceSpan] = []
    starts: Optional[set[int]] = None       # jieba's word starts, read only when a stem is printed short
    for stem, village in villages.items():
        at = text.find(stem)
        while at >= 0:
            end = at + len(stem)
            after = _AFTER_SHORT.match(text, end)
            stop = after.end() if after and after.group() == "片区" else end
            if after and starts is None:
                starts = {t[0] for t in tokens(text)} | {0}
            if after and at in starts and not any(q.start < stop and at < q.end and not at <= q.start < q.end <= stop
                                                  for q in places):
                if after.group() == "片区":
                    out.append(_area_of(village, text, at, after.end()))
                else:
                    out.append(replace(village, start=at, end=end, surface=stem))
            at = text.find(stem, end)
    return out


def _area_of(village: PlaceSpan, text: str, start: int, end: int) -> PlaceSpan:
    """The 片区 named after ``village``, printed at ``start:end``: a place beside it, under its parent."""
    pid = village.node_id.rpartition("/")[0] if village.node_id and "/" in village.node_id else None
    name = text[start:end]
    return PlaceSpan(start, end, name, name, "village", PlaceGazetteer.child_id(pid, name) if pid else None,
                     None, village.parents)


#: Zone words, longest first; a zone's own name between a place and the word is short.
_ZONE = re.compile(alternation(words("venues_zone_suffixes")))
_ZONE_STEM_MAX = 8
_ZONE_ENDS = tuple(words("venues_zone_suffixes"))


def named_zones(text: str, places: Sequence[PlaceSpan]) -> list[PlaceSpan]:
    """Development zones, parks and scenic areas the text names, which the tree lacks.

    After a place ("尧都区高新技术产业开发区", "吉县壶口景区", "怀柔科学城", and
    "…开发区大阳高端装备制造产业园" below a zone just found) the place is the
    name and the parent, and a zone word of three characters or more may follow it
    directly; without one the stem must be a name of two or three characters on its
    own ("信南园区"), never a word ("铸造园区", "工业园区", "该园区")."""
    out: list[PlaceSpan] = []
    for m in _ZONE.finditer(text):
        found = _prefixed_zone(text, [*places, *out], m) or _bare_zone(text, places, m)
        if found is not None and not any(p.start < found.end and found.start < p.end and
                                         not (found.start <= p.start and p.end <= found.end) for p in places):
            out.append(found)
    return out


def _prefixed_zone(text: str, places: Sequence[PlaceSpan], m: re.Match) -> Optional[PlaceSpan]:
    """The zone of ``m`` after a place printed at most a short run of characters before it."""
    for st in range(m.start(), max(-1, m.start() - _ZONE_STEM_MAX - 1), -1):
        chain = place_chain(places, st)
        if not chain:
            if not _zone_char(text[st - 1] if st else ""):
                return None
            continue
        stem = text[st:m.start()]
        if not stem and len(m.group()) < 3 or stem and not starts_word(text, st):
            return None
        return _zone_below(text, chain, st, m.end())
    return None


def _zone_below(text: str, chain: Sequence[PlaceSpan], stem: int, end: int) -> PlaceSpan:
    """The zone ending at ``end`` named from ``chain`` on, as printed: the whole chain ("吉县壶口景区"),
    or what follows a zone in it, which is its parent ("…开发区大阳高端装备制造产业园")."""
    zones = [k for k, p in enumerate(chain) if p.name.endswith(_ZONE_ENDS)]
    parent = chain[zones[-1]] if zones else chain[-1]
    start = chain[0].start if not zones else chain[zones[-1] + 1].start if zones[-1] + 1 < len(chain) else stem
    name = text[start:end]
    node_id = PlaceGazetteer.child_id(parent.node_id, name) if parent.node_id else None
    return PlaceSpan(start, end, name, name, LEVELS_BELOW.get(parent.level, "village"),
                     node_id, None, (parent.name,) + parent.parents)


def _zone_char(c: str) -> bool:
    """May ``c`` be part of a zone's own name between its place and its zone word?"""
    return is_han(c) and c not in STOP_CHARS and c not in NUMERALS


def _bare_zone(text: str, places: Sequence[PlaceSpan], m: re.Match) -> Optional[PlaceSpan]:
    """"信南园区": a two- or three-character name stem alone before the zone word (a
    longer run is a phrase: "合理布局景区")."""
    for n in (2, 3):
        st = m.start() - n
        if st < 0:
            return None
        before = text[st - 1] if st else ""
        if _zone_char(before) and not any(p.end == st for p in places):
            continue
        stem = text[st:m.start()]
        if not all(_zone_char(c) for c in stem) or stem[0] in "各全本该每这此" or not starts_word(text, st):
            return None
        if any(p.start < m.start() and st < p.end for p in places) or not _name_stem(text, st, m.start()):
            return None
        return PlaceSpan(st, m.end(), text[st:m.end()], text[st:m.end()], "village", None, None, ())
    return None


def _name_stem(text: str, st: int, end: int) -> bool:
    """Is ``text[st:end]`` a name, not words ("铸造园区", "合理布局景区")? Every word of two
    characters or more in it is a name to jieba or a rare one; one-character pieces are
    a name jieba lacks ("涝洰河")."""
    stem = text[st:end]
    if stem in GENERIC_NOUNS or is_common_word(stem, ("ns", "nr", "nz")):
        return False
    inside = [t for t in tokens(text) if st <= t[0] < end]
    return all(len(w) == 1 or w not in GENERIC_NOUNS and not tag.startswith(NON_NAME_TAGS + ("a",))
               and not is_common_word(w, ("ns", "nr", "nz")) for _, _, w, tag in inside)


#: The level of a place the text names below one of a level.
LEVELS_BELOW = {"province": "city", "city": "county", "county": "town", "town": "village"}


def is_ellipsis(text: str, at: int) -> bool:
    """True for the second member of "省、市人大常委会": a level word cut off from its head."""
    return at >= 2 and text[at - 1] in COORDINATORS and text[at - 2] in LEVEL_CHARS


@dataclass(frozen=True)
class Prefix:
    """What stands before an institutional word: real places or an abbreviation."""

    start: int
    chain: tuple[PlaceSpan, ...] = ()
    abbrev: Optional[str] = None


def place_prefix(text: str, places: Sequence[PlaceSpan], at: int, allow_abbrev: bool = True) -> Optional[Prefix]:
    """The places printed right before ``at``, else the level word there that abbreviates
    the article's own place ("市人大常委会"), else None."""
    chain = place_chain(places, at)
    if chain:
        return Prefix(chain[0].start, tuple(chain))
    if at >= 1 and text[at - 1] in LEVEL_CHARS and allow_abbrev:
        before = text[at - 2] if at >= 2 else ""
        if before in ("全", "本", "各", "该", "乡", "省", "市", "县", "区") or is_ellipsis(text, at - 1):
            return None
        if before and is_han(before) and any(p.end == at - 1 for p in places):
            return None
        return Prefix(at - 1, (), text[at - 1])
    return None


def place_names(chain: Sequence[PlaceSpan]) -> tuple[str, str, str]:
    """(lowest official name, chain as printed, lowest as printed)."""
    low = chain[-1]
    return low.name, "".join(p.surface for p in chain), low.surface
