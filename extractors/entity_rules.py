"""Rule extractor: pure functions from an article's sentences to entity mentions.

The rules follow the language of congress reporting rather than lists of names:
institutional heads (人大常委会, 代表联络站, 管委会 …) with the place prefixes a
gazetteer recognised, quoted names with the suffix that says what they are
("一乡一品"特色品牌体系), titles in 《》 classified by their last word, bare law names
in the patterns where they are reliable, industries in front of 产业, and person
names next to titles. Places themselves come from the gazetteer (as `PlaceSpan`s
handed in by the caller); abbreviated bodies ("市人大常委会") come out with an
``abbrev`` level for the context resolver to complete.
"""
from __future__ import annotations

import contextlib
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional, Sequence


# ---------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class PlaceSpan:
    """A place the gazetteer found in a sentence: offsets into the sentence text."""

    start: int
    end: int
    surface: str          # as printed: "临沂", "齐溪", "山东省"
    name: str             # official full name: "临沂市", "齐溪镇"
    level: str            # province, city, county, town, village
    node_id: Optional[str] = None
    adcode: Optional[str] = None
    parents: tuple[str, ...] = ()   # official names of the ancestors, nearest first


@dataclass(frozen=True)
class Mention:
    """One candidate entity occurrence; offsets index ``Sentence.text``.

    ``abbrev`` marks an abbreviated institutional mention ("市人大常委会" → "市",
    bare "人代会" → "") that only the article's context can complete; ``weak``
    aliases are abbreviations that must never be used to merge two entities.
    """

    type: str
    name: str
    start: int
    end: int
    surface: str
    aliases: tuple[str, ...] = ()
    kind: Optional[str] = None            # CongressBody/LiaisonStation/Programme kind, Place level
    extractor: str = "rule"
    abbrev: Optional[str] = None
    tail: str = ""                        # for abbreviations: the institutional part ("人大常委会")
    weak: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    article: int = -1                     # index of the article (-1: preamble)
    sentence: int = -1                    # index of the sentence in its article


TYPE_ORDER = ("Article", "Person", "Place", "CongressBody", "LiaisonStation", "Organization",
              "Programme", "Document", "Media", "Industry")

# ---------------------------------------------------------------------------
# Character classes and small helpers

_HAN = "\u4e00-\u9fff"
_OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_QUOTE_CHARS = set("“”‘’「」『』\"'")
#: Characters that end a name when walking left or right through running text.
_STOP = set("的地得和与及或、,,。;;::!?!?()()《》“”‘’「」『』\"' 在对把将被由从向为以于是了着等并其就至")
_LEVEL_CHARS = {"省": "province", "市": "city", "县": "county", "区": "county", "州": "city"}
_COORD = set("、和与及")
_NUMERALS = set("一二两三四五六七八九十百千万0123456789")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def clean(s: str) -> str:
    """A name as the graph stores it: no white space."""
    return "".join(s.split())


def _left_han(text: str, end: int, max_len: int, stop: set[str] = _STOP) -> int:
    """Start of the run of name characters that ends at ``end``."""
    i = end
    while i > 0 and end - i < max_len and is_han(text[i - 1]) and text[i - 1] not in stop:
        i -= 1
    return i


@lru_cache(maxsize=1)
def _jieba():
    """jieba with its POS table loaded once; quiet, because it logs to stderr."""
    with contextlib.redirect_stderr(io.StringIO()):
        import jieba
        import jieba.posseg
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    return jieba, jieba.posseg.dt.word_tag_tab


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """jieba words of a text as (start, end, word, POS tag); '?' for unknown words."""
    jieba, tags = _jieba()
    out, pos = [], 0
    for w in jieba.lcut(text, HMM=False):
        out.append((pos, pos + len(w), w, tags.get(w, "?")))
        pos += len(w)
    return tuple(out)


def word_frequency(word: str) -> tuple[int, str]:
    """jieba's dictionary count and POS tag of a word ((0, '?') when unknown)."""
    jieba, tags = _jieba()
    return jieba.dt.FREQ.get(word) or 0, tags.get(word, "?")


#: How often jieba's dictionary must list a word for it to be a word first, a name second.
COMMON_WORD_FREQ = 200


def is_common_word(word: str, name_tags: tuple[str, ...] = ("ns",)) -> bool:
    """A frequent dictionary word whose tag is none of ``name_tags`` ("复兴", "地方", "自治"):
    such a word is read as the word, not as a place or a person."""
    freq, tag = word_frequency(word)
    return freq >= COMMON_WORD_FREQ and tag not in name_tags


#: POS tags of words that cannot begin or be part of a name (verbs, prepositions,
#: conjunctions, particles, pronouns, adverbs, numerals, measure words, locatives).
_NON_NAME_TAGS = ("v", "p", "c", "u", "r", "d", "m", "q", "f", "t", "y", "e", "o", "z", "x")
#: Nouns that describe rather than name (a "代表小组" of "部分" deputies …).
_GENERIC_NOUNS = {"部分", "全市", "全县", "全区", "全省", "各级", "有关", "相关", "全国", "基层", "本地",
                  "各地", "当地", "地方", "重点", "各类", "一批", "单位", "部门", "工作", "活动",
                  "市级", "县级", "省级", "乡级", "镇级", "村级", "区级", "国家级", "乡镇", "镇街"}


def _name_start(text: str, start: int, end: int, max_words: int = 3) -> int:
    """Trim a left-walked run to the words that can belong to a name.

    Walks jieba's words leftwards from ``end`` and stops at the first verb,
    preposition, particle or generic noun, or after ``max_words`` words."""
    words = [t for t in tokens(text) if t[0] >= start and t[1] <= end]
    keep = end
    taken = 0
    for s, e, w, tag in reversed(words):
        if tag.startswith(_NON_NAME_TAGS) and tag not in ("vn",) or w in _GENERIC_NOUNS:
            break
        keep = s
        taken += 1
        if taken >= max_words:
            break
    return keep


# ---------------------------------------------------------------------------
# Places in front of institutional words


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
_TEXT_PLACE_SUFFIX = {"街道": "town", "镇": "town", "乡": "town", "县": "county", "区": "county",
                      "旗": "county", "市": "city"}


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
        for suffix, level in _TEXT_PLACE_SUFFIX.items():
            if not text.endswith(suffix, 0, h0):
                continue
            s_end = h0 - len(suffix)
            for stem_len in (2, 3):
                st = s_end - stem_len
                if st < 0:
                    continue
                stem = text[st:s_end]
                if not all(is_han(c) and c not in _STOP for c in stem) or stem[-1] in _LEVEL_CHARS \
                        or stem[0] in "各全本该每":
                    continue
                before_ok = st == 0 or not is_han(text[st - 1]) or text[st - 1] in _STOP \
                    or any(p.end == st for p in places)
                if not before_ok or not _starts_word(text, st):
                    continue
                first = next((t for t in tokens(text) if t[0] == st), None)
                if first is None or first[3].startswith(_NON_NAME_TAGS) or first[2] in _GENERIC_NOUNS:
                    continue
                if is_common_word(stem):
                    continue                    # "自治区党委": a word, not a place name
                prev = next((p for p in places if p.end == st), None)
                lv = level
                if suffix == "市" and prev is not None and prev.level == "city":
                    lv = "county"
                parents = ((prev.name,) + prev.parents) if prev is not None else ()
                out.append(PlaceSpan(st, h0, text[st:h0], text[st:h0], lv, None, None, parents))
                break
            break
    return out


#: Suffixes of localities below a named place, with their level.
_LOCALITY_SUFFIX = re.compile(r"(?P<stem>[\u4e00-\u9fff]{2,4}?)(?P<suffix>社区|片区|村|屯|街道|镇|乡|新区|区|县)")
#: Administrative levels, highest first.
LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "town": 3, "village": 4}
_SUFFIX_LEVEL = {"社区": "village", "片区": "village", "村": "village", "屯": "village", "街道": "town",
                 "镇": "town", "乡": "town", "新区": "county", "区": "county", "县": "county"}


def localities_after(text: str, places: Sequence[PlaceSpan]) -> list[PlaceSpan]:
    """Localities the tree lacks, printed right after a place above them
    ("云城街道金山社区", "宝鸡市凤翔区", "龙布村弄屯"): their level comes from the suffix.

    The stem must be a name: no function word, no verb at its start, not a
    frequent dictionary word ("云城街道各村" and "开化县农村" give nothing)."""
    out: list[PlaceSpan] = []
    taken = {(p.start, p.end) for p in places}
    for p in places:
        m = _LOCALITY_SUFFIX.match(text, p.end)
        if not m:
            continue
        level = _SUFFIX_LEVEL[m.group("suffix")]
        if LEVEL_RANK[level] <= LEVEL_RANK.get(p.level, 4):
            continue
        stem = m.group("stem")
        if any(c in _STOP or c in _NUMERALS for c in stem) or stem[0] in "各全本该每等" \
                or any(q.start < m.end() and q.end > p.end for q in places) or (p.end, m.end()) in taken:
            continue
        words = [t for t in tokens(text) if p.end <= t[0] < m.end()]
        if not words or words[0][0] != p.end or words[0][3].startswith(_NON_NAME_TAGS) \
                or stem in _GENERIC_NOUNS or is_common_word(stem, ("ns", "nr", "nz")):  # 金山, 向阳 are names too
            continue
        if m.end() < len(text) and not any(t[1] == m.end() for t in tokens(text)):
            continue                            # the suffix begins a longer word ("村民", "区域")
        parents = (p.name,) + p.parents
        out.append(PlaceSpan(p.end, m.end(), m.group(), m.group(), level, None, None, parents))
    return out


def _ellipsis(text: str, at: int) -> bool:
    """True for the second member of "省、市人大常委会": a level word cut off from its head."""
    return at >= 2 and text[at - 1] in _COORD and text[at - 2] in _LEVEL_CHARS


@dataclass(frozen=True)
class _Prefix:
    """What stands before an institutional word: real places or an abbreviation."""

    start: int
    chain: tuple[PlaceSpan, ...] = ()
    abbrev: Optional[str] = None


def _prefix(text: str, places: Sequence[PlaceSpan], at: int, allow_abbrev: bool = True) -> Optional[_Prefix]:
    chain = place_chain(places, at)
    if chain:
        return _Prefix(chain[0].start, tuple(chain))
    if at >= 1 and text[at - 1] in _LEVEL_CHARS and allow_abbrev:
        before = text[at - 2] if at >= 2 else ""
        if before in ("全", "本", "各", "该", "乡", "省", "市", "县", "区") or _ellipsis(text, at - 1):
            return None
        if before and is_han(before) and any(p.end == at - 1 for p in places):
            return None
        return _Prefix(at - 1, (), text[at - 1])
    return None


def _place_names(chain: Sequence[PlaceSpan]) -> tuple[str, str, str]:
    """(lowest official name, chain as printed, lowest as printed)."""
    low = chain[-1]
    return low.name, "".join(p.surface for p in chain), low.surface


# ---------------------------------------------------------------------------
# CongressBody (and the parts of a body that are Organizations)

_BODY_HEAD = re.compile(
    r"人大常委会(?P<part>代表工委|法工委|办公室|党组|研究室|代表工作委员会|法制工作委员会)?"
    r"|人民代表大会(?!制度)|人代会|人大主席团|人大工委|人大工作联络中心"
    r"|人大(?![常代工主机干系制宣网专通履监委])")
_CONGRESS_KIND = {"人大常委会": "standing_committee", "人民代表大会": "congress", "人代会": "congress",
                  "人大主席团": "presidium", "人大工委": "working_committee",
                  "人大工作联络中心": "working_committee"}
_WORKING_PARTS = ("代表工委", "法工委", "代表工作委员会", "法制工作委员会")


def congress_bodies(text: str, places: Sequence[PlaceSpan], quoted: Sequence[tuple[int, int]] = (),
                    titles_at: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """People's congress bodies with their place prefix, national bodies, abbreviations."""
    out: list[Mention] = []
    for m in _BODY_HEAD.finditer(text):
        h0, h1 = m.start(), m.end()
        head = m.group()
        part = m.group("part")
        base = head[: -len(part)] if part else head
        # national bodies
        if text[max(0, h0 - 2):h0] == "全国":
            s = h0 - 2
            if base == "人大常委会":
                out.append(Mention("CongressBody", "全国人大常委会", s, h0 + len(base), "全国人大常委会",
                                   kind="standing_committee"))
            elif base in ("人民代表大会", "人代会", "人大"):
                surface = text[s:h0 + len(base)]
                out.append(Mention("CongressBody", "全国人民代表大会", s, h0 + len(base), surface,
                                   aliases=("全国人大", surface), kind="congress"))
            continue
        inside_quote = any(q0 <= h0 and h1 <= q1 for q0, q1 in quoted)
        if base == "人大" and any(a <= h0 < b for a, b in titles_at):
            continue                               # "《陕西人大调研材料》" is a journal
        pre = _prefix(text, places, h0, allow_abbrev=base != "人大" or not inside_quote)
        if pre is None:
            if base == "人代会" and text[max(0, h0 - 1):h0] not in ("省", "市", "县", "区"):
                out.append(Mention("CongressBody", "人代会", h0, h1, "人代会", kind="congress",
                                   abbrev="", tail="人民代表大会"))
            elif base == "人大工作联络中心" and re.search(r"(设立|成立|建立)$", text[:h0]):
                out.append(Mention("CongressBody", base, h0, h1, base, kind="working_committee"))
            continue
        surface = text[pre.start:h1]
        if base == "人大" and inside_quote and any(q0 == pre.start and q1 == h1 for q0, q1 in quoted):
            continue                               # a quoted "姜堰人大" is a brand or an account
        if pre.abbrev is not None:
            kind = _CONGRESS_KIND.get(base)
            if base == "人大":
                if pre.abbrev == "省" or text[h1:h1 + 2] not in ("及其", "和常", "与常") and pre.abbrev != "县":
                    continue                           # "市人大" alone is too vague
                kind = "congress"
            tail = {"人大": "人民代表大会", "人代会": "人民代表大会"}.get(base, base)
            out.append(Mention("CongressBody", pre.abbrev + base, pre.start, h0 + len(base),
                               text[pre.start:h0 + len(base)], kind=kind, abbrev=pre.abbrev, tail=tail))
            if part:
                out.append(_part_mention(part, pre.abbrev + base, pre.start, h1, surface, abbrev=pre.abbrev))
            continue
        low, printed, low_printed = _place_names(pre.chain)
        level = pre.chain[-1].level
        if base == "人大":
            if level in ("town", "village"):
                # a town's congress works through its presidium between sessions
                name, kind = low + "人大", "presidium"
                aliases = (surface, low_printed + "人大", low + "人大主席团")
            else:
                name, kind = low + "人民代表大会", "congress"
                aliases = (surface, low + "人大", low_printed + "人大")
        elif base == "人代会":
            name, kind = low + "人民代表大会", "congress"
            aliases = (surface, low + "人代会")
        else:
            name, kind = low + base, _CONGRESS_KIND[base]
            aliases = (printed + base, low_printed + base)
            if base == "人大主席团":
                aliases += (low + "人大",)
        body_surface = text[pre.start:h0 + len(base)]
        out.append(Mention("CongressBody", name, pre.start, h0 + len(base), body_surface,
                           aliases=_uniq(a for a in aliases if a != name), kind=kind))
        if part:
            out.append(_part_mention(part, name, pre.start, h1, surface,
                                     aliases=(printed + base + part, low_printed + base + part)))
    return out


def _part_mention(part: str, parent: str, start: int, end: int, surface: str,
                  aliases: Iterable[str] = (), abbrev: Optional[str] = None) -> Mention:
    """A part of a standing committee: a working committee, or its office / party group."""
    name = parent + part
    if part in _WORKING_PARTS:
        typ, kind = "CongressBody", "working_committee"
    else:
        typ, kind = "Organization", None
    return Mention(typ, name, start, end, surface, aliases=_uniq(a for a in aliases if a != name),
                   kind=kind, abbrev=abbrev, tail=name[1:] if abbrev else "")


# ---------------------------------------------------------------------------
# Industries and what is organised around them (deputy groups, stations)

#: Words that qualify 产业 generically: "重点产业", "特色产业" alone name no industry.
GENERIC_INDUSTRY = {"主导", "特色", "重点", "优势", "核心", "传统", "支柱", "新兴", "战略性新兴", "战略性",
                    "未来", "绿色", "农村", "乡村", "相关", "各类", "新", "现代", "全市", "全县", "当地",
                    "本地", "地方", "区域", "农业", "工业", "实体", "县域", "富民", "主要", "差异化",
                    "新型", "高新技术", "战略", "朝阳", "其他", "该"}
#: Words jieba tags as nouns that are verbs in front of 产业 ("助力乡村产业发展").
_INDUSTRY_VERBS = {"助力", "推动", "带动", "促进", "发展", "振兴", "服务", "支持", "扶持", "引领", "壮大", "培育"}
_ORG_SUFFIX = re.compile(r"(合作社|有限公司|公司|集团|企业|协会|商会)$")
_INDUSTRY_HEAD = re.compile(r"产业(?:人大)?代表(?P<what>小组|联络站|之家|联络点)|产业")
_INDUSTRY_STOP_AFTER = ("链", "集群", "园", "CEO", "专班", "小组", "条件", "实际", "工人", "项目", "基础",
                        "结构", "升级", "转型", "融合", "体系", "政策")


def _enumeration(text: str, end: int) -> list[tuple[int, int]]:
    """Items of "钧瓷、"三粉"、闵杏合作社、中医药、新材料5个" that end at ``end``."""
    j = end
    m = re.search(r"(等)?[0-9一二两三四五六七八九十]*个?$", text[:j])
    counted = bool(m and m.group() and not m.group(1) and m.group() != "")
    if m and m.group():
        j = m.start()
    items: list[tuple[int, int]] = []
    while True:
        k = j
        if k > 0 and text[k - 1] in "”\"'’":
            q = max(text.rfind(c, 0, k - 1) for c in "“\"'‘")
            if q < 0 or k - 1 - q > 12:
                break
            items.insert(0, (q, k))
            k = q
        else:
            s = _left_han(text, k, 8)
            if s == k:
                break
            s = _name_start(text, s, k, max_words=3)
            if s == k:
                break
            items.insert(0, (s, k))
            k = s
        if k > 0 and text[k - 1] == "、":
            j = k - 1
            continue
        break
    if counted and len(items) == 1:
        return []                          # "市级11个产业代表小组": a qualifier, not a list
    return items


def _unquote(s: str) -> str:
    return "".join(ch for ch in s if ch not in _QUOTE_CHARS)


def _noun_like(word: str) -> bool:
    """No verb or function word at either end of the word (jieba's reading of it alone)."""
    toks = tokens(word)
    return not (toks[0][3].startswith(_NON_NAME_TAGS) and toks[0][3] != "vn"
                or toks[-1][3].startswith(_NON_NAME_TAGS) and toks[-1][3] != "vn")


def industry_bodies(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """Industries before 产业, and the deputy groups and stations named after them."""
    out: list[Mention] = []
    for m in _INDUSTRY_HEAD.finditer(text):
        what = m.group("what")
        after = text[m.end():m.end() + 3]
        if not what and after.startswith(_INDUSTRY_STOP_AFTER):
            continue
        if what:
            items = _enumeration(text, m.start())
        else:
            s = _name_start(text, _left_han(text, m.start(), 8), m.start(), max_words=2)
            items = [(s, m.start())] if s < m.start() else []
        for s, e in items:
            raw = text[s:e]
            chain = place_chain(places, e)
            place_pre = ""
            if chain and chain[0].start >= s:
                continue                       # "禹州市产业" : a place, not an industry
            inner = [p for p in places if p.start == s and p.end < e]
            if inner:
                place_pre = text[s:inner[0].end]
                raw = text[inner[0].end:e]
            core = clean(_unquote(raw))
            qualifier = ""
            stripped = True
            while stripped:
                stripped = False
                for g in sorted(GENERIC_INDUSTRY, key=len, reverse=True):
                    if core.endswith(g) and len(core) > len(g):
                        qualifier, core = g + qualifier, core[: -len(g)]
                        stripped = True
                        break
            quoted_item = raw[:1] in _QUOTE_CHARS
            if not core or core in GENERIC_INDUSTRY or len(core) < 2 or len(core) > 8 \
                    or core[0].isdigit() or not quoted_item and not _noun_like(core) \
                    or any(core.startswith(v) for v in _INDUSTRY_VERBS):
                continue
            listed = len(items) > 1
            i_end = e if listed else m.start() + 2
            if _ORG_SUFFIX.search(core):
                out.append(Mention("Organization", core, s + len(place_pre), e, clean(raw)))
            else:
                printed = core + qualifier + "产业"
                out.append(Mention("Industry", printed, s + len(place_pre), i_end, text[s + len(place_pre):i_end],
                                   aliases=_uniq(a for a in (core, core + "产业") if a != printed)))
            if what:
                full = core + text[m.start():m.end()]
                name = place_pre + full
                aliases = (full,) if place_pre else ()
                b_end = e if listed else m.end()
                if what == "小组":
                    out.append(Mention("CongressBody", clean(name), s, b_end, text[s:b_end],
                                       aliases=aliases, kind="deputy_group"))
                else:
                    out.append(Mention("LiaisonStation", clean(name), s, b_end, text[s:b_end],
                                       aliases=aliases, kind=_station_kind(what)))
    return out


# ---------------------------------------------------------------------------
# Liaison stations

_STATION_HEAD = re.compile(
    r"(?:人大)?代表(?:中心)?(?:联络站|之家|联络点|工作站)|基层立法(?:联系点|联络站|联络点)")


def _station_kind(word: str) -> str:
    if "立法" in word:
        return "legislative_contact_point"
    if word.endswith("之家"):
        return "deputies_home"
    if word.endswith(("联络点", "联系点")):
        return "contact_point"
    return "liaison_station"


#: Stations named after the deputies they gather: "教育系统人大代表联络站",
#: "园区企业界人大代表联络站", "涉侨工作人大代表联络站", "农文旅行业人大代表联络站".
_SECTOR = re.compile(r"(?<![\u4e00-\u9fff的])[\u4e00-\u9fff]{1,6}?(系统|界|行业|领域|工作|战线)(?=(人大)?代表)")
_BUILD_VERB = re.compile(r"(?:打造|建立|设立|建成|建设|成立)了?$")


def liaison_stations(text: str, places: Sequence[PlaceSpan], titles_at: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Stations named after a real place ("河口街道人大代表中心联络站"), also when the
    place and the station word are split by a build verb ("在金山社区打造基层立法联络站")."""
    out = []
    for m in _STATION_HEAD.finditer(text):
        if any(a <= m.start() < b for a, b in titles_at):
            continue                            # "《高县人大代表联络站考核评定办法》" names a class
        chain = place_chain(places, m.start())
        sector = None if chain else next((x for x in _SECTOR.finditer(text, max(0, m.start() - 12))
                                          if x.end() == m.start()), None)
        if sector and not m.group().startswith("基层立法"):
            s0 = sector.start()
            prefix = place_chain(places, s0)
            if prefix:
                s0 = prefix[0].start
            out.append(Mention("LiaisonStation", clean(text[s0:m.end()]), s0, m.end(), text[s0:m.end()],
                               aliases=_uniq([sector.group() + m.group()] if prefix else []),
                               kind=_station_kind(m.group())))
            continue
        if not chain:
            verb = _BUILD_VERB.search(text, 0, m.start())
            if verb and m.group().startswith("基层立法"):
                chain = place_chain(places, verb.start())
                if chain and text[chain[0].start - 1:chain[0].start] == "在":
                    printed = "".join(p.surface for p in chain)
                    name = printed + m.group()
                    out.append(Mention("LiaisonStation", clean(name), chain[0].start, m.end(),
                                       text[chain[0].start:m.end()],
                                       aliases=_uniq(a for a in (chain[-1].surface + m.group(),) if a != name),
                                       kind=_station_kind(m.group())))
            continue
        surface = text[chain[0].start:m.end()]
        low = chain[-1]
        official = "".join(p.name for p in chain) + m.group()
        out.append(Mention("LiaisonStation", clean(surface), chain[0].start, m.end(), surface,
                           aliases=_uniq(a for a in (official, low.name + m.group()) if a != clean(surface)),
                           kind=_station_kind(m.group())))
    return out


# ---------------------------------------------------------------------------
# Organizations

#: Offices whose name is a place (or an abbreviated level word) + a function word.
DEPARTMENT_SUFFIXES = ("人民政府", "政府", "人民法院", "人民检察院", "法院", "检察院", "管委会", "管理委员会",
                       "融媒体中心", "办事处", "司法所", "派出所", "局")
#: Short forms whose official name the canonical form uses ("县检察院" → 定远县人民检察院).
_OFFICIAL = {"检察院": "人民检察院", "法院": "人民法院", "人民政府": "政府"}
_DEPARTMENT = re.compile("|".join(DEPARTMENT_SUFFIXES))
_NATIONAL_ORGS = re.compile(r"中共中央政治局|党中央|中共中央(?!政治局)|国务院|全国政协|最高人民法院|最高人民检察院")
_GROUP_ORG = re.compile(
    r"(?:成立|组建|设立|建立)(?P<name>[\u4e00-\u9fff]{2,14}?(?:工作领导小组|领导小组|智库))")
_PRACTICE_STATION = re.compile(r"全过程人民民主[\u4e00-\u9fff]{0,8}?实践(?:工作)?站")
_VENUE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2})(?P<suffix>书屋|书院)")
_GENERIC_GROUP = {"专项工作领导小组", "工作领导小组", "领导小组", "专业智库"}
#: Words ending in 局 that are no bureau.
_NOT_BUREAU = ("格局", "布局", "大局", "全局", "结局", "当局", "开局", "破局", "变局", "新局", "时局", "残局", "骗局",
               "僵局", "终局", "定局", "总局", "棋局", "出局", "入局", "大格局")


def _starts_word(text: str, i: int) -> bool:
    """True when a jieba word starts at ``i`` (so text[i] is not the tail of a longer word)."""
    return any(s == i for s, _, _, _ in tokens(text))


def _abbrev_ok(text: str, j: int) -> bool:
    """May the level word at ``j`` ("县" in "县委") stand for the article's own place?"""
    if j >= 1 and text[j - 1] in "全本各该乡镇":
        return False
    if _ellipsis(text, j):
        return False
    if j == 0 or not is_han(text[j - 1]):
        return True
    # after a Han character only when a verb, preposition or conjunction ends there
    # ("向县委汇报", "落实县委部署"), never inside a name ("经开区", "该县")
    prev = [t for t in tokens(text) if t[1] == j]
    if not prev or not _starts_word(text, j):
        return False
    word, tag = prev[0][2], prev[0][3]
    return not (tag in ("n", "nr", "ns", "nt", "nz", "ng", "zg", "?", "j") or len(word) == 1 and tag not in ("p", "c"))


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
        chain = place_chain(places, i)
        if chain:
            low = chain[-1]
            surface = text[chain[0].start:i + 1]
            name = low.name + "委"
            out.append(Mention("Organization", name, chain[0].start, i + 1, surface,
                               aliases=_uniq(a for a in (surface, low.surface + "委") if a != name)))
            continue
        j = i - 1
        if text[j] not in _LEVEL_CHARS:
            continue
        chain = place_chain(places, j)
        if chain and chain[-1].name.endswith(text[j]):              # 高县县委
            low = chain[-1]
            surface = text[chain[0].start:i + 1]
            out.append(Mention("Organization", low.name + "委", chain[0].start, i + 1, surface,
                               aliases=(surface,), weak=(text[j:i + 1],)))
            continue
        if chain or not _abbrev_ok(text, j):
            continue
        out.append(Mention("Organization", text[j:i + 1], j, i + 1, text[j:i + 1], abbrev=text[j], tail="委"))
    return out


def departments(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """Governments, bureaus, courts, procuratorates, administrative committees, media centres."""
    out = []
    for m in _DEPARTMENT.finditer(text):
        suffix = m.group()
        if suffix in ("政府", "法院", "检察院") and text[max(0, m.start() - 2):m.start()] in ("人民",):
            continue                            # the longer suffix matches at its own start
        if suffix == "局":
            if text[max(0, m.start() - 1):m.end()] in _NOT_BUREAU or text[max(0, m.start() - 2):m.end()] in _NOT_BUREAU:
                continue
        official = _OFFICIAL.get(suffix, suffix)
        found: list[tuple[_Prefix, str]] = []
        for start in range(m.start(), max(-1, m.start() - 11), -1):
            mid = text[start:m.start()]
            if mid and _bad_mid(mid):
                break
            if suffix == "局" and not 1 <= len(mid) <= 4:
                continue
            pre = _prefix(text, places, start)
            if pre is None:
                continue
            if pre.abbrev is not None and not _abbrev_ok(text, pre.start):
                continue
            found.append((pre, mid))
            if pre.chain:
                break
        # a place named in full wins over a level word inside the name ("定远经开区…管委会")
        found.sort(key=lambda f: not f[0].chain)
        for pre, mid in found[:1]:
            surface = text[pre.start:m.end()]
            if pre.chain:
                low, printed, low_printed = _place_names(pre.chain)
                if not mid and suffix in ("政府", "人民政府") and pre.chain[-1].level in ("town", "village"):
                    break
                name = clean(low + mid + official)
                out.append(Mention("Organization", name, pre.start, m.end(), surface,
                                   aliases=_uniq(a for a in (surface, printed + mid + suffix,
                                                             low_printed + mid + suffix) if clean(a) != name)))
            else:
                out.append(Mention("Organization", clean(surface), pre.start, m.end(), surface,
                                   abbrev=pre.abbrev, tail=clean(mid + official)))
    return out


def organizations(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """Party committees, governments, departments, courts, named groups and venues."""
    out = party_committees(text, places) + departments(text, places)
    for m in _NATIONAL_ORGS.finditer(text):
        out.append(Mention("Organization", m.group(), m.start(), m.end(), m.group()))
    for m in _GROUP_ORG.finditer(text):
        name = m.group("name")
        if name in _GENERIC_GROUP or name.startswith(("专项", "工作")):
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


def _bad_mid(mid: str) -> bool:
    """Words between a place and a department suffix that show it is no department name."""
    return bool(re.search(r"[的和与及、,,。;:\s“”\"]|人大|代表|常委|政府|全县|全市|开展|推动|工作|对|在|召开", mid))


# ---------------------------------------------------------------------------
# Persons

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阎练"
    "尉木遇过亓妥揭相蔚计但晋宿昝茹邸郗訾顿宓厍丰乌习"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "呼延", "万俟")
#: Titles printed after a name ("习近平总书记") or before it ("委员长赵乐际", "人大代表韦永冠").
TITLES_AFTER = ("总书记", "委员长", "副委员长", "总理", "副总理", "同志")
TITLES_BEFORE = ("总书记", "委员长", "副委员长", "主任", "副主任", "书记", "人大代表", "代表", "委员", "局长",
                 "县长", "市长", "镇长", "乡长", "站长", "主席", "组长", "记者", "通讯员", "院长", "检察长")
_NAME_TAGS = ("nr", "nrfg", "nrt", "?")


def looks_like_name(s: str) -> bool:
    """2–3 Han characters starting with a surname (or a compound surname + 1–2)."""
    if not all(is_han(c) for c in s):
        return False
    if s[:2] in COMPOUND_SURNAMES:
        return 3 <= len(s) <= 4
    return 2 <= len(s) <= 3 and s[0] in SURNAMES


def persons(text: str) -> list[Mention]:
    """Names next to titles, validated by the surname list and jieba's tags."""
    out = []
    toks = tokens(text)
    for k, (s, e, w, tag) in enumerate(toks):
        if w in TITLES_AFTER and k > 0:
            ps, pe, pw, ptag = toks[k - 1]
            if ptag in _NAME_TAGS and looks_like_name(pw):
                out.append(Mention("Person", pw, ps, pe, pw))
        if w in TITLES_BEFORE and k + 1 < len(toks):
            ns, ne, nw, ntag = toks[k + 1]
            if ntag in ("nr", "nrfg", "nrt") and looks_like_name(nw):
                out.append(Mention("Person", nw, ns, ne, nw))
                continue
            # an unknown name comes out of jieba as single characters: "韦/永/冠/说"
            run = []
            for t in toks[k + 1:k + 4]:
                if len(t[2]) != 1 or not is_han(t[2]) or t[3][:1] in ("v", "p", "u", "c", "d", "r", "f", "m", "q"):
                    break
                run.append(t)
            after = toks[k + 1 + len(run)] if k + 1 + len(run) < len(toks) else None
            name = "".join(t[2] for t in run)
            if len(run) >= 2 and looks_like_name(name) and (
                    after is None or not is_han(after[2][0]) or after[3][:1] in ("v", "p", "u", "c", "d")):
                out.append(Mention("Person", name, run[0][0], run[-1][1], name))
    return out


# ---------------------------------------------------------------------------
# Quotes: programmes, branded stations, media, and titles in 《》


@dataclass(frozen=True)
class Quote:
    start: int        # position of the opening mark
    end: int          # position after the closing mark
    core: str         # text between the marks

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1


def quotes(text: str) -> list[Quote]:
    """Top-level quoted strings; ASCII quotes pair up in order, curly ones nest."""
    out: list[Quote] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        close: Optional[str] = None
        if ch in _OPENERS:
            close = _OPENERS[ch]
        elif ch in "\"'":
            close = ch
        if close is None:
            i += 1
            continue
        depth, j = 0, i + 1
        while j < n:
            c = text[j]
            if c == close and depth == 0:
                break
            if ch in _OPENERS and c == ch:
                depth += 1
            elif ch in _OPENERS and c == close:
                depth -= 1
            if c in "。" or j - i > 40:
                j = n
                break
            j += 1
        if j >= n:
            i += 1
            continue
        out.append(Quote(i, j + 1, text[i + 1:j]))
        i = j + 1
    return out


#: Words that say what a quoted name is, with the Programme kind they give.
PROGRAMME_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("工作法", "working_method"), ("步法", "working_method"), ("模式", "model"), ("机制", "mechanism"),
    ("制度", "system"), ("体系", "system"), ("网络", "system"), ("品牌", "brand"), ("主题活动", "activity"),
    ("实践活动", "activity"), ("系列活动", "activity"), ("活动", "activity"), ("大讨论", "campaign"),
    ("行动", "activity"), ("工程", "project"), ("应用场景", "digital_platform"), ("小程序", "digital_platform"),
    ("应用", "digital_platform"), ("App", "digital_platform"), ("APP", "digital_platform"),
    ("平台", "platform"), ("讲堂", "activity"), ("座谈会", "activity"), ("论坛", "activity"),
    ("监督周", "activity"), ("就业圈", "project"), ("字诀", "working_method"), ("制", "system"),
)
#: Words that must not occur in the words between a quote and its suffix: the
#: suffix then belongs to a later phrase ("…"全链条持续推动代表工作机制").
_MOD_VERBS = re.compile(r"推动|持续|促进|加强|实现|确保|进一步|开展|形成|推进")
MEDIA_SUFFIXES = ("微信公众号", "公众号", "小视频", "视频号", "专栏", "栏目", "网站", "客户端", "抖音号", "报刊",
                  "杂志", "频道", "节目")
DOCUMENT_SUFFIXES = ("规划", "纲要")
STATION_SUFFIXES = ("工作室", "联络站点", "站点", "联络站", "代表之家", "议事厅")
_SUFFIX_RE = re.compile(
    r"(?P<mod>[\u4e00-\u9fffA-Za-z ]{0,14}?)(?P<suffix>" + "|".join(
        re.escape(s) for s, _ in sorted(PROGRAMME_SUFFIXES, key=lambda p: -len(p[0]))) + ")")
_MOD_STOP = set("的和与及在是为把将对从到等了着并且或")
#: Verbs that launch, run or spread a named initiative.
LAUNCH_VERBS = ("开展", "组织", "举办", "推行", "实施", "打造", "创新", "建立", "探索", "推出", "推广",
                "创设", "打牢", "通过", "坚持", "深化", "启动", "发起", "落实", "以")
#: Verbs before a quoted name of any shape (not only numbered ones) that launch it.
NAME_LAUNCH_VERBS = ("推广", "推行", "实行", "推广建设", "创设", "推出", "举办")
_PROG_KIND = dict(PROGRAMME_SUFFIXES)
_STATION_ABBREV = set("家室站点")


def _suffix_after(text: str, pos: int) -> Optional[tuple[str, str, int]]:
    """(modifier, suffix word, end) of a programme word that directly follows ``pos``."""
    m = _SUFFIX_RE.match(text, pos)
    if not m:
        return None
    mod = m.group("mod")
    if any(c in _MOD_STOP for c in mod) or _MOD_VERBS.search(mod):
        return None
    if m.group("suffix") == "制" and (mod or not text[pos - 2:pos - 1] == "制"):
        return None                            # "四步法" fine; a bare 制 only in "…制" lists
    return mod, m.group("suffix"), m.end()


def _kind_of_core(core: str) -> Optional[str]:
    for s, kind in sorted(PROGRAMME_SUFFIXES, key=lambda p: -len(p[0])):
        if core.endswith(s) and len(core) > len(s) and s not in ("制", "应用", "行动", "网络"):
            return kind
    return None


def _is_emphasis(core: str) -> bool:
    """Quotes around ordinary words: one or two characters, "…性", venue abbreviations."""
    c = clean(core)
    if len(c) < 2 or len(c) > 30:
        return True
    if c.endswith(("性", "化")) and len(c) <= 4:
        return True
    if set(c) <= _STATION_ABBREV:
        return True
    return False


def _is_formula(core: str) -> bool:
    """"1+5+N", "人大代表+", "1234": numbered or '+'-joined schemes."""
    c = clean(core)
    return "+" in c or bool(re.fullmatch(r"[0-9]{3,5}", c))


def _enum_groups(text: str, qs: Sequence[Quote]) -> list[list[int]]:
    """Indices of quotes that form a list ("A""B"、"C"、X的"D" …)."""
    groups: list[list[int]] = []
    for k, q in enumerate(qs):
        if groups:
            prev = qs[groups[-1][-1]]
            gap = text[prev.end:q.start]
            if gap == "" or re.fullmatch(r"[、和与及][\u4e00-\u9fff]{0,5}?的?", gap):
                groups[-1].append(k)
                continue
        groups.append([k])
    return groups


def _item_prefix(text: str, q: Quote, places: Sequence[PlaceSpan], floor: int) -> str:
    """A place, "代表", or an abbreviated office printed right before a quote."""
    chain = place_chain(places, q.start)
    if chain and chain[0].start >= floor:
        pre = text[chain[0].start:q.start]
        return pre
    m = re.search(r"(?:人大代表|代表|(?:[县市区镇乡])(?:检察院|法院|[\u4e00-\u9fff]{1,3}局))$", text[floor:q.start])
    if m:
        return m.group()
    if text.endswith("人大", floor, q.start):
        chain = place_chain(places, q.start - 2)
        if chain and chain[0].start >= floor:
            return text[chain[0].start:q.start]
    return ""


def quoted_names(text: str, places: Sequence[PlaceSpan], heading: bool = False) -> list[Mention]:
    """Classify quoted strings by the word after them, their list, or the verb before."""
    qs = quotes(text)
    out: list[Mention] = []
    for group in _enum_groups(text, qs):
        last = qs[group[-1]]
        tail_end = len(text)
        nxt = [q.start for q in qs if q.start >= last.end]
        stop = re.search(r"[,,。;;:!?、]", text[last.end:])
        if stop:
            tail_end = last.end + stop.start()
        if nxt:
            tail_end = min(tail_end, nxt[0])
        tail = text[last.end:tail_end]
        group_kind = _group_category(tail) if len(group) > 1 or tail.startswith("等") else None
        first = qs[group[0]]
        floor = max((q.end for q in qs if q.end <= first.start), default=0)
        for pos, k in enumerate(group):
            q = qs[k]
            m = _classify_quote(text, q, places, group, pos, qs, floor, group_kind, tail, heading)
            if m is not None:
                out.append(m)
    return out


def _classify_quote(text: str, q: Quote, places: Sequence[PlaceSpan], group: list[int], pos: int,
                    qs: Sequence[Quote], floor: int, group_kind: Optional[tuple[str, Optional[str]]],
                    tail: str, heading: bool) -> Optional[Mention]:
    core = clean(q.core)
    if _is_emphasis(q.core) and not _is_formula(q.core):
        return None
    pre = _item_prefix(text, q, places, floor if pos == 0 else qs[group[pos - 1]].end)
    aliases: list[str] = [pre + core] if pre else []
    span = text[q.start:q.end]
    media = next((w for w in MEDIA_SUFFIXES if text.startswith(w, q.end)), None)
    if media:
        return Mention("Media", core, q.start, q.end + len(media), text[q.start:q.end + len(media)],
                       aliases=_uniq([core + media, *aliases]))
    if group_kind and group_kind[0] == "Media":
        return Mention("Media", core, q.start, q.end, span, aliases=_uniq(aliases))
    doc = next((w for w in DOCUMENT_SUFFIXES if text.startswith(w, q.end)), None)
    if doc:
        return Mention("Document", core + doc, q.start, q.end + len(doc), text[q.start:q.end + len(doc)])
    station = next((w for w in STATION_SUFFIXES if text.startswith(w, q.end)), None)
    if station or (group_kind and group_kind[0] == "LiaisonStation"):
        if station in ("工作室", "议事厅"):
            aliases = [*aliases, core + station, (pre + core + station) if pre else ""]
        return Mention("LiaisonStation", core, q.start, q.end, span,
                       aliases=_uniq(a for a in aliases if a), kind="liaison_station")
    own = _suffix_after(text, q.end)
    if own and not (heading and own[1] == "制"):
        mod, suffix, end = own
        return Mention("Programme", core, q.start, end, text[q.start:end],
                       aliases=_uniq([core + mod + suffix, *aliases, *(a + mod + suffix for a in aliases)]),
                       kind=_PROG_KIND[suffix])
    if group_kind and group_kind[0] == "Programme":
        return Mention("Programme", core, q.start, q.end, span, aliases=_uniq(aliases), kind=group_kind[1])
    if heading:
        return None
    kind = _kind_of_core(core)
    if kind:
        return Mention("Programme", core, q.start, q.end, span, aliases=_uniq(aliases), kind=kind)
    before = text[max(0, q.start - 4):q.start]
    after = text[q.end:q.end + 2]
    single = len(group) == 1
    if _is_formula(q.core) and not tail.startswith("的"):
        return Mention("Programme", core, q.start, q.end, span, aliases=_uniq(aliases), kind="mechanism")
    if single and before.endswith(LAUNCH_VERBS) and core[0] in _NUMERALS and not after.startswith("的") \
            and len(core) <= 6:
        return Mention("Programme", core, q.start, q.end, span, aliases=_uniq(aliases), kind="mechanism")
    if single and "、" not in core and 3 <= len(core) <= 16:
        if before.endswith(NAME_LAUNCH_VERBS) and len(core) <= 8:
            return Mention("Programme", core, q.start, q.end, span, aliases=_uniq(aliases), kind="mechanism")
        if after == "建设" and re.search(r"推进$", before):
            return Mention("Programme", core, q.start, q.end, span, aliases=_uniq(aliases), kind="project")
        if after == "形式" and re.search(r"(通过|以)$", before):
            return Mention("Programme", core, q.start, q.end + 2, text[q.start:q.end + 2],
                           aliases=_uniq(aliases), kind="working_method")
    return None


def _group_category(tail: str) -> Optional[tuple[str, Optional[str]]]:
    """What the words after a list of quotes ("等活动", "等10个代表联络站点") call its items.

    The category word must follow closely: "等覆盖广泛、立体高效的宣传体系" is a
    description, not a category."""
    t = tail[:16]
    if "的" in t:
        t = t[:t.index("的")]
    if re.search(r"(站点|联络站|代表之家|联络点)", t):
        return ("LiaisonStation", "liaison_station")
    if re.search(r"媒体|公众号|小视频|报刊", t):
        return ("Media", None)
    for s, kind in sorted(PROGRAMME_SUFFIXES, key=lambda p: -len(p[0])):
        if s in ("制", "网络", "行动", "应用", "字诀") or s not in t:
            continue
        if t.startswith("等") and t.find(s) <= 9 or t.find(s) <= 6:
            return ("Programme", kind)
    return None


_TITLE = re.compile(r"《(?P<t>[^《》]{1,60})》")
DOCUMENT_ENDINGS = re.compile(
    r"(法|法典|条例|办法|意见|方案|规定|规划|决定|决议|计划|细则|规则|纲要|通知|章程|准则|制度|指引|清单)"
    r"(?:[((](?:试行|草案|修订|暂行)[))])?$")
MEDIA_ENDINGS = re.compile(r"(报|日报|晚报|周报|新闻|网|杂志|期刊|通讯|电视台|电台|栏目|频道|月刊|周刊|旬刊|画报|之声)$")
_MEDIA_AFTER = ("电视栏目", "栏目", "报刊", "杂志", "报纸", "公众号", "微信公众号", "刊物", "节目", "频道", "专栏")


#: Titles in 《》 that name documents by their form: proposals and reports ("关于…的建议"),
#: handbooks and books ("…怎样写议案和建议", "…读本", "…手册", "…汇编").
_BOOK_OR_PROPOSAL = re.compile(r"^关于.{2,40}的(建议|议案|报告|请示|函)$|(怎样|如何).{2,20}$|(读本|手册|汇编|指南|问答|教程|文集|选编)$")


def titles(text: str, mastheads: Sequence[str] = ()) -> list[Mention]:
    """Names in 《》: documents and media by their last word or the words around them."""
    out = []
    ms = list(_TITLE.finditer(text))
    runs: list[list[re.Match]] = []
    for m in ms:
        if runs and runs[-1][-1].end() == m.start() or runs and text[runs[-1][-1].end():m.start()] in ("、", "和", "及", "与"):
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        after = text[run[-1].end():run[-1].end() + 12]
        before = text[max(0, run[0].start() - 3):run[0].start()]
        media_ctx = (after.startswith(_MEDIA_AFTER) or re.match(r"^(等)?[\u4e00-\u9fff]{0,4}媒体", after)
                     or before.endswith("在") and re.match(r"^(上)?(发表|刊登|刊发|播出|开设|刊载)", after))
        for m in run:
            t = clean(m.group("t"))
            if DOCUMENT_ENDINGS.search(t) and not media_ctx:
                base = re.sub(r"[((](?:试行|草案|修订|暂行)[))]$", "", t)
                out.append(Mention("Document", t, m.start(), m.end(), m.group(),
                                   aliases=(base,) if base != t else ()))
            elif MEDIA_ENDINGS.search(t) or media_ctx or t in mastheads:
                if len(t) > 12 or any(c in t for c in "“”\"!?,,"):
                    continue                        # an article's title, not a medium
                out.append(Mention("Media", t, m.start(), m.end(), m.group()))
            elif _BOOK_OR_PROPOSAL.search(t) and not any(c in t for c in "!?"):
                out.append(Mention("Document", t, m.start(), m.end(), m.group()))
    return out


# ---------------------------------------------------------------------------
# Documents without 《》 and unquoted programmes

_NATIONAL_DOCUMENTS = re.compile(r"宪法(?!宣誓)|民法典|中央八项规定|中华人民共和国[\u4e00-\u9fff]{2,14}?法(?![律规院官治])")
_LAW_LIST = re.compile(
    r"(?P<items>(?:[\u4e00-\u9fff]{2,14}?(?:法|法典|条例)、)+[\u4e00-\u9fff]{2,14}?(?:法|法典|条例))等(?:法律|法规|法律法规)")
_LAW_BEFORE_CHECK = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,10}?法)执法检查")
_LAW_AMENDED = re.compile(r"(?:修改|修订|修正|施行|颁布)的(?P<name>[\u4e00-\u9fff]{2,10}?法)(?![律规院官治])")
_RULES_AS_FILES = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{4,16}?(?:实施办法|办法|实施细则|细则|条例))等(?:文件|制度|规定)")
_NOT_LAW = {"方法", "办法", "做法", "立法", "执法", "司法", "依法", "合法", "违法", "守法", "普法", "学法", "说法",
            "想法", "看法", "手法", "用法", "算法", "书法", "语法", "工作法", "宪法"}


def laws(text: str) -> list[Mention]:
    """Laws named without 《》 where the pattern is reliable."""
    out = []
    for m in _NATIONAL_DOCUMENTS.finditer(text):
        out.append(Mention("Document", m.group(), m.start(), m.end(), m.group()))
    for m in _LAW_LIST.finditer(text):
        pos = m.start("items")
        for item in m.group("items").split("、"):
            s = pos
            start = _name_start(text, s, s + len(item), max_words=4) if pos == m.start("items") else s
            name = text[start:s + len(item)]
            if name not in _NOT_LAW and len(name) >= 2:
                out.append(Mention("Document", name, start, s + len(item), name))
            pos += len(item) + 1
    for pat in (_LAW_BEFORE_CHECK, _LAW_AMENDED):
        for m in pat.finditer(text):
            e = m.end("name")
            s = _left_han(text, e, 10)
            s = max(s, m.start("name"))
            if pat is _LAW_AMENDED:
                s = m.start("name")
            name = text[s:e]
            if pat is _LAW_BEFORE_CHECK:
                name = re.sub(r"^(开展|围绕|就|对|组织|进行|持续|深入|认真)+", "", name)
                s = e - len(name)
            if name not in _NOT_LAW and len(name) >= 3:
                out.append(Mention("Document", name, s, e, name))
    for m in _RULES_AS_FILES.finditer(text):
        s = _name_start(text, m.start("name"), m.end("name"), max_words=4)
        name = text[s:m.end("name")]
        if len(name) >= 4:
            out.append(Mention("Document", name, s, m.end("name"), name))
    return out


_VOTING_SYSTEM = re.compile(r"(?P<gov>政府)?民生实事项目人大代表票决制")
_UNQUOTED_MODEL = re.compile(r"(?:推行|深化|探索|推广|创新|构建|打造)(?P<name>[\u4e00-\u9fff]{3,10}?)模式")
_UNQUOTED_SERIES = re.compile(r"(?:开展|举办|组织)(?P<name>[\u4e00-\u9fff]{4,12}?)系列活动")
_GENERIC_MODEL = {"工作", "发展", "管理", "服务", "运行", "治理", "合作", "经营"}


def unquoted_programmes(text: str) -> list[Mention]:
    """Named systems written without quotes: 票决制, "推行一季一主题模式", "…系列活动"."""
    out = []
    for m in _VOTING_SYSTEM.finditer(text):
        name = "民生实事项目人大代表票决制"
        out.append(Mention("Programme", name, m.start(), m.end(), m.group(),
                           aliases=(m.group(),) if m.group() != name else (), kind="system"))
    for m in _UNQUOTED_MODEL.finditer(text):
        name = m.group("name")
        if name in _GENERIC_MODEL or any(c in _MOD_STOP for c in name) or name.endswith(_GENERIC_MODEL_END):
            continue
        out.append(Mention("Programme", name, m.start("name"), m.end(), m.group()[len(m.group()) - len(name) - 2:],
                           aliases=(name + "模式",), kind="model"))
    for m in _UNQUOTED_SERIES.finditer(text):
        name = m.group("name")
        if any(c in _MOD_STOP for c in name):
            continue
        out.append(Mention("Programme", name, m.start("name"), m.end(), name + "系列活动",
                           aliases=(name + "系列活动",), kind="activity"))
    return out


_GENERIC_MODEL_END = ("工作", "发展", "管理", "服务")

# ---------------------------------------------------------------------------
# Media named without quotes


_WEBSITE = re.compile(r"(?P<name>(?:中国|[\u4e00-\u9fff]{2,4})人大网)(?P<site>站)?")


def websites(text: str, places: Sequence[PlaceSpan]) -> list[Mention]:
    """Congress websites: "中国人大网站", "宁陕人大网"."""
    out = []
    for m in _WEBSITE.finditer(text):
        name = m.group("name")
        prefix = name[:-3]
        if prefix != "中国":
            chain = place_chain(places, m.start("name") + len(prefix))
            if not chain or chain[0].start != m.start("name"):
                # trim to the place in front of 人大网
                chain = place_chain(places, m.end("name") - 3)
                if not chain:
                    continue
                name = text[chain[0].start:m.end("name")]
        start = m.end("name") - len(name)
        out.append(Mention("Media", name, start, m.end(), text[start:m.end()],
                           aliases=(name + "站",) if m.group("site") else ()))
    return out


# ---------------------------------------------------------------------------
# All rules on one sentence / one article


def sentence_mentions(text: str, places: Sequence[PlaceSpan], kind: str = "body",
                      mastheads: Sequence[str] = ()) -> list[Mention]:
    """Every rule family on one sentence; offsets index ``text``."""
    qs = quotes(text)
    quoted = [q.inner for q in qs]
    titles_at = [m.span() for m in _TITLE.finditer(text)]
    out: list[Mention] = []
    out += congress_bodies(text, places, quoted, titles_at)
    out += industry_bodies(text, places)
    out += liaison_stations(text, places, titles_at)
    out += organizations(text, places)
    out += persons(text)
    out += quoted_names(text, places, heading=kind != "body")
    out += titles(text, mastheads)
    out += laws(text)
    out += unquoted_programmes(text)
    out += websites(text, places)
    return out


def _uniq(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for it in items:
        c = clean(it)
        if c and c not in seen:
            seen[c] = None
    return tuple(seen)
