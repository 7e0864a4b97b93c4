"""Deputies' liaison stations named after a place or after the deputies they gather."""
from __future__ import annotations

import re

from ..records import Mention
from .places import place_chain
from .registry import SentenceContext, rule_family
from .text_helpers import clean, uniq

__all__ = ["liaison_stations", "station_kind"]

_STATION_HEAD = re.compile(
    r"(?:人大)?代表(?:中心)?(?:联络站|之家|联络点|工作站)|基层立法(?:联系点|联络站|联络点)")
#: Stations named after the deputies they gather: "教育系统人大代表联络站",
#: "园区企业界人大代表联络站", "涉侨工作人大代表联络站", "农文旅行业人大代表联络站".
_SECTOR = re.compile(r"(?<![\u4e00-\u9fff的])[\u4e00-\u9fff]{1,6}?(系统|界|行业|领域|工作|战线)(?=(人大)?代表)")
_BUILD_VERB = re.compile(r"(?:打造|建立|设立|建成|建设|成立)了?$")


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
    """Stations named after a real place ("河口街道人大代表中心联络站"), also when the
    place and the station word are split by a build verb ("在金山社区打造基层立法联络站")."""
    text, places = ctx.text, ctx.places
    out = []
    for m in _STATION_HEAD.finditer(text):
        if any(a <= m.start() < b for a, b in ctx.titles_at):
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
                               aliases=uniq([sector.group() + m.group()] if prefix else []),
                               kind=station_kind(m.group())))
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
                                       aliases=uniq(a for a in (chain[-1].surface + m.group(),) if a != name),
                                       kind=station_kind(m.group())))
            continue
        surface = text[chain[0].start:m.end()]
        low = chain[-1]
        official = "".join(p.name for p in chain) + m.group()
        out.append(Mention("LiaisonStation", clean(surface), chain[0].start, m.end(), surface,
                           aliases=uniq(a for a in (official, low.name + m.group()) if a != clean(surface)),
                           kind=station_kind(m.group())))
    return out
