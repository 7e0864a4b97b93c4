"""Deputies' liaison stations named after a place or after the deputies they gather."""
from __future__ import annotations

import re
from typing import Optional

from ..lexicons import words
from ..records import Mention
from .places import place_chain
from .registry import SentenceContext, rule_family
from .text_helpers import clean, uniq

__all__ = ["liaison_stations", "station_kind"]

#: The station words after (人大)代表 (联络站, 之家, 联络工作站 …), longest first.
_STATION_WORDS = sorted(words("venues_station_words"), key=len, reverse=True)
_STATION_HEAD = re.compile(
    r"(?:人大)?代表(?:" + "|".join(_STATION_WORDS) + r")|(?:基层)?立法(?:联系点|联络站|联络点)")
#: Stations named after the deputies they gather: "教育系统人大代表联络站",
#: "园区企业界人大代表联络站", "涉侨工作人大代表联络站", "农文旅行业人大代表联络站".
_SECTOR = re.compile(r"(?<![\u4e00-\u9fff的])[\u4e00-\u9fff]{1,6}?(系统|界|行业|领域|工作|战线)(?=(人大)?代表)")
#: "在金山社区打造基层立法联络站", "在横渠村里建成“人大代表之家”": a place, a build verb, the station.
_BUILD_VERB = re.compile(r"(?:里|内)?(?:" + "|".join(words("venues_build_verbs")) + r")了?[“\"]?$")
#: A count after the station word makes it a class: "建成人大代表联络站56个".
_COUNT_AFTER = re.compile(r"[”\"]?[0-9一二两三四五六七八九十百]")


def station_kind(word: str) -> str:
    """The LiaisonStation kind its institutional word gives."""
    if "立法" in word:
        return "legislative_contact_point"
    if word.endswith("之家"):
        return "deputies_home"
    if word.endswith(("联络点", "联系点")):
        return "contact_point"
    return "liaison_station"


@rule_family("liaison_stations")
def liaison_stations(ctx: SentenceContext) -> list[Mention]:
    """Stations named after a real place ("河口街道人大代表中心联络站", "白沙镇“人大代表之家”"),
    also when the place and the station word are split by a build verb ("在金山社区打造基层立法联络站")."""
    text, places = ctx.text, ctx.places
    out = []
    for m in _STATION_HEAD.finditer(text):
        if any(a <= m.start() < b for a, b in ctx.titles_at):
            continue                            # "《高县人大代表联络站考核评定办法》" names a class
        at = _opening_quote(text, m, places)
        chain = place_chain(places, at)
        sector = None if chain else next((x for x in _SECTOR.finditer(text, max(0, m.start() - 12))
                                          if x.end() == m.start()), None)
        if not chain and m.group().startswith("立法"):
            continue                            # "通过立法联系点": without 基层 only after its place
        if sector and not m.group().startswith("基层立法"):
            out.append(_sector_station(text, places, m, sector))
        elif chain:
            out.append(_place_station(text, chain, m, at))
        else:
            found = _built_station(text, places, m)
            if found is not None:
                out.append(found)
    return out


def _opening_quote(text: str, m: re.Match, places) -> int:
    """Where the station's name starts: before the quote of "白沙镇“人大代表之家”".

    Only after a town or village: "武进“人大代表之家”" is the county's kind of
    station, a class, where a town's is its one station."""
    if m.start() > 0 and text[m.start() - 1] in "“\"" and text[m.end():m.end() + 1] in ("”", "\""):
        chain = place_chain(places, m.start() - 1)
        if chain and chain[-1].level in ("town", "village"):
            return m.start() - 1
    return m.start()


def _sector_station(text: str, places, m: re.Match, sector: re.Match) -> Mention:
    """"教育系统人大代表联络站": named after the deputies it gathers, with a place before that if any."""
    s0 = sector.start()
    prefix = place_chain(places, s0)
    if prefix:
        s0 = prefix[0].start
    return Mention("LiaisonStation", clean(text[s0:m.end()]), s0, m.end(), text[s0:m.end()],
                   aliases=uniq([sector.group() + m.group()] if prefix else []), kind=station_kind(m.group()))


def _place_station(text: str, chain, m: re.Match, at: int) -> Mention:
    """The places printed right before the station word (quotes of a quoted word dropped)."""
    printed = "".join(p.surface for p in chain)
    name = clean(printed + m.group())
    official = "".join(p.name for p in chain) + m.group()
    end = m.end() + (1 if at < m.start() else 0)
    return Mention("LiaisonStation", name, chain[0].start, end, text[chain[0].start:end],
                   aliases=uniq(a for a in (official, chain[-1].name + m.group()) if a != name),
                   kind=station_kind(m.group()))


def _built_station(text: str, places, m: re.Match) -> Optional[Mention]:
    """"在横渠村建成“人大代表之家”": the station a town or village built for itself.

    Only "在" + a town or village (or a 基层立法联系点 anywhere): a county that "builds
    liaison stations" builds many, and a count after the word ("建成人大代表联络站56个")
    makes it a class, not one station."""
    verb = _BUILD_VERB.search(text, 0, m.start())
    if verb is None or _COUNT_AFTER.match(text, m.end()):
        return None
    chain = place_chain(places, verb.start())
    if not chain or text[chain[0].start - 1:chain[0].start] != "在":
        return None
    if chain[-1].level not in ("town", "village") and not m.group().startswith("基层立法"):
        return None
    name = "".join(p.surface for p in chain) + m.group()
    return Mention("LiaisonStation", clean(name), chain[0].start, m.end(), text[chain[0].start:m.end()],
                   aliases=uniq(a for a in (chain[-1].surface + m.group(),) if a != name),
                   kind=station_kind(m.group()))
