"""Quoted names: programmes, branded stations, media and documents, classified by the
word after the quote ("…"工作法), the list they stand in ("A""B"等活动), or the verb
before them ("推行"…"")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..lexicons import alternation
from ..records import Mention, PlaceSpan
from .lexicon import (DOCUMENT_SUFFIXES, LAUNCH_VERBS, MEDIA_SUFFIXES, MODIFIER_STOP_CHARS, NAME_LAUNCH_VERBS,
                      NUMERALS, PROGRAMME_SUFFIXES, STATION_ABBREV_CHARS, STATION_SUFFIXES)
from .places import place_chain
from .registry import SentenceContext, rule_family
from .text_helpers import Quote, clean, uniq

__all__ = ["quoted_names"]

#: Words that must not occur in the words between a quote and its suffix: the
#: suffix then belongs to a later phrase ("…"全链条持续推动代表工作机制").
_MOD_VERBS = re.compile(r"推动|持续|促进|加强|实现|确保|进一步|开展|形成|推进|这个|这一|作为")
#: A generic venue in quotes ("人大代表之家"建设, "人大代表联络站"平台) is no programme.
_VENUE_CORE = re.compile(r"(?:之家|联络站|工作站|联络点|联系点|工作室|活动室)$")
#: A quoted policy clause ("健全…的议事制度") is a quotation, not a programme's name.
_CLAUSE_START = ("健全", "完善", "加强", "推进", "推动", "深化", "坚持", "建立")
#: "…"的为民办实事模式: a model named by the quote before 的 and a few words.
_OF_MODEL = re.compile(r"的(?P<mod>[\u4e00-\u9fff]{0,8}?)(?P<suffix>模式|机制|工作法)")
#: Verbs that launch a named piece of work: 推进"…"工作.
_WORK_VERBS = ("开展", "推进", "推行", "深化", "实施")
_SUFFIX_RE = re.compile(
    r"(?P<mod>[\u4e00-\u9fffA-Za-z ]{0,14}?)(?P<suffix>" + alternation(s for s, _ in PROGRAMME_SUFFIXES) + ")")
_PROG_KIND = dict(PROGRAMME_SUFFIXES)


@rule_family("quoted_names")
def quoted_names(ctx: SentenceContext) -> list[Mention]:
    """Classify quoted strings by the word after them, their list, or the verb before."""
    text, places, qs = ctx.text, ctx.places, ctx.quotes
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
        if group_kind is None and len(group) > 1:
            group_kind = _run_category(text, [qs[k] for k in group])
        first = qs[group[0]]
        floor = max((q.end for q in qs if q.end <= first.start), default=0)
        for pos, k in enumerate(group):
            q = qs[k]
            m = _classify_quote(text, q, places, group, pos, qs, floor, group_kind, tail, ctx.heading)
            if m is not None:
                out.append(m)
    return out


def _suffix_after(text: str, pos: int) -> Optional[tuple[str, str, int]]:
    """(modifier, suffix word, end) of a programme word that directly follows ``pos``."""
    m = _SUFFIX_RE.match(text, pos)
    if not m:
        return None
    mod = m.group("mod")
    if any(c in MODIFIER_STOP_CHARS for c in mod) or _MOD_VERBS.search(mod):
        return None
    if m.group("suffix") == "制" and (mod or text[pos - 2:pos - 1] != "制"):
        return None                            # "四步法" fine; a bare 制 only in "…制" lists
    return mod, m.group("suffix"), m.end()


def _kind_of_core(core: str) -> Optional[str]:
    """The programme kind a quoted name's own last word gives ("…工作法"), if any.

    The words before it must be a name of two characters or more ("小平台" is none), and a
    clause ("健全…的议事制度") is none; 行动 names a campaign only in a long quote."""
    if "的" in core and core.startswith(_CLAUSE_START):
        return None
    for s, kind in sorted(PROGRAMME_SUFFIXES, key=lambda p: -len(p[0])):
        if core.endswith(s) and len(core) >= len(s) + 2 and s not in ("制", "应用", "网络") \
                and (s != "行动" or len(core) >= 4):
            return kind
    return None


def _is_emphasis(core: str) -> bool:
    """Quotes around ordinary words: one or two characters, "…性", venue abbreviations."""
    c = clean(core)
    if len(c) < 2 or len(c) > 30:
        return True
    if c.endswith(("性", "化")) and len(c) <= 4:
        return True
    return set(c) <= STATION_ABBREV_CHARS


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


@dataclass(frozen=True)
class _Site:
    """One quote and what surrounds it, as the classifiers read it."""

    text: str
    q: Quote
    core: str                                  # the quoted words without white space
    pre: str                                   # a place or office printed right before it
    aliases: tuple[str, ...]                   # pre + core, when there is a pre
    group_kind: Optional[tuple[str, Optional[str]]]   # what the words after its list call the items
    tail: str                                  # the words after its list, up to punctuation
    single: bool                               # alone, not in a list

    @property
    def span(self) -> str:
        return self.text[self.q.start:self.q.end]

    def mention(self, typ: str, kind: Optional[str] = None, extra: int = 0) -> Mention:
        """The quote (and ``extra`` characters after it) as a mention named by its core."""
        end = self.q.end + extra
        return Mention(typ, self.core, self.q.start, end, self.text[self.q.start:end],
                       aliases=uniq(self.aliases), kind=kind)


def _classify_quote(text: str, q: Quote, places: Sequence[PlaceSpan], group: list[int], pos: int,
                    qs: Sequence[Quote], floor: int, group_kind: Optional[tuple[str, Optional[str]]],
                    tail: str, heading: bool) -> Optional[Mention]:
    core = clean(q.core)
    if _is_emphasis(q.core) and not _is_formula(q.core):
        return None
    pre = _item_prefix(text, q, places, floor if pos == 0 else qs[group[pos - 1]].end)
    site = _Site(text, q, core, pre, (pre + core,) if pre else (), group_kind, tail, len(group) == 1)
    if _VENUE_CORE.search(core) and not text.startswith(("工作室", "议事厅"), q.end):
        return _by_word_after(site)             # a venue in quotes is a station or nothing
    found = _by_word_after(site) or _by_programme_word(site, heading)
    if found is not None or heading:
        return found
    return _by_form(site) or _by_verb_around(site)


def _by_word_after(site: _Site) -> Optional[Mention]:
    """Media, documents and branded stations by the word after the quote or its list."""
    text, q, core, aliases, group_kind = site.text, site.q, site.core, site.aliases, site.group_kind
    media = next((w for w in MEDIA_SUFFIXES if text.startswith(w, q.end)), None)
    if media:
        return Mention("Media", core, q.start, q.end + len(media), text[q.start:q.end + len(media)],
                       aliases=uniq([core + media, *aliases]))
    if group_kind and group_kind[0] == "Media":
        return site.mention("Media")
    doc = next((w for w in DOCUMENT_SUFFIXES if text.startswith(w, q.end)), None)
    if doc:
        return Mention("Document", core + doc, q.start, q.end + len(doc), text[q.start:q.end + len(doc)])
    station = next((w for w in STATION_SUFFIXES if text.startswith(w, q.end)), None)
    if station or (group_kind and group_kind[0] == "LiaisonStation"):
        names = list(aliases)
        if station in ("工作室", "议事厅"):
            names = [*names, core + station, (site.pre + core + station) if site.pre else ""]
        return Mention("LiaisonStation", core, q.start, q.end, site.span,
                       aliases=uniq(a for a in names if a), kind="liaison_station")
    return None


def _by_programme_word(site: _Site, heading: bool) -> Optional[Mention]:
    """Programmes by their own suffix word ("…"工作法) or their list's category."""
    text, q, core, aliases = site.text, site.q, site.core, site.aliases
    own = _suffix_after(text, q.end)
    if own and not (heading and own[1] == "制"):
        mod, suffix, end = own
        return Mention("Programme", core, q.start, end, text[q.start:end],
                       aliases=uniq([core + mod + suffix, *aliases, *(a + mod + suffix for a in aliases)]),
                       kind=_PROG_KIND[suffix])
    if site.group_kind and site.group_kind[0] == "Programme":
        return site.mention("Programme", site.group_kind[1])
    return _by_words_around(site)


def _by_words_around(site: _Site) -> Optional[Mention]:
    """A single quote before "的…模式" ("一站三点"的模式), or launched as a piece of work
    ("全面推进"混合编组、多级联动"工作")."""
    text, q = site.text, site.q
    if not site.single:
        return None
    of = _OF_MODEL.match(text, q.end)
    if of:
        return site.mention("Programme", _PROG_KIND[of.group("suffix")])
    if text.startswith("工作", q.end) and text[q.start - 2:q.start] in _WORK_VERBS \
            and text[q.end + 2:q.end + 3] not in ("室", "站", "者", "人", "员", "队", "组"):
        return site.mention("Programme", "activity")
    return None


def _by_form(site: _Site) -> Optional[Mention]:
    """Programmes by their own shape: a suffix word inside the quote, a formula, a number."""
    core, q, text = site.core, site.q, site.text
    kind = _kind_of_core(core)
    if kind:
        return site.mention("Programme", kind)
    before = text[max(0, q.start - 4):q.start]
    after = text[q.end:q.end + 2]
    if _is_formula(q.core) and not site.tail.startswith("的"):
        return site.mention("Programme", "mechanism")
    if site.single and before.endswith(LAUNCH_VERBS) and core[0] in NUMERALS and not after.startswith("的") \
            and len(core) <= 6:
        return site.mention("Programme", "mechanism")
    return None


def _by_verb_around(site: _Site) -> Optional[Mention]:
    """A single quoted name launched by a verb before it, or built / used as a form after it."""
    core, q, text = site.core, site.q, site.text
    if not (site.single and "、" not in core and 3 <= len(core) <= 16):
        return None
    before = text[max(0, q.start - 4):q.start]
    after = text[q.end:q.end + 2]
    if before.endswith(NAME_LAUNCH_VERBS) and len(core) <= 8:
        return site.mention("Programme", "mechanism")
    if after == "建设" and re.search(r"推进$", before):
        return site.mention("Programme", "project")
    if after == "形式" and re.search(r"(通过|以)$", before):
        return site.mention("Programme", "working_method", extra=2)
    return None


def _run_category(text: str, run: Sequence[Quote]) -> Optional[tuple[str, Optional[str]]]:
    """Quotes printed back to back ("亮身份""解民忧"行动) share the programme word after the
    last one: what it makes of the last, it makes of each."""
    if any(text[a.end:b.start] for a, b in zip(run, run[1:])):
        return None
    own = _suffix_after(text, run[-1].end)
    if own is None or own[0] or own[1] == "制":
        return None
    return ("Programme", _PROG_KIND[own[1]])


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
