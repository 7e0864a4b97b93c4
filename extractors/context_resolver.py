"""Complete abbreviated mentions from the article they occur in.

Congress reporting names its own body in full once ("山东省临沂市人大常委会…") and
then writes "市人大常委会", "市委", "县融媒体中心", "人代会". This module finds the
article's main place chain (province → city → county) from the author's position,
the reporting body, the first full body name and the author's province, and
turns each abbreviation into the named entity ("市人大常委会" → 临沂市人大常委会,
alias 市人大常委会). What it cannot resolve it drops: a bare "市委" is no entity.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Optional, Sequence

from .records import Mention, PlaceSpan
from .rules.congress import congress_bodies_in as congress_bodies


@dataclass(frozen=True)
class ArticleContext:
    """The places an article is about, highest level first; each is an official name."""

    province: Optional[str] = None
    city: Optional[str] = None
    county: Optional[str] = None
    #: the article's own level when a lower one was only filled in from the places it
    #: names most ("区人大常委会" then has its 区, a bare "人大常委会" keeps its body)
    own: Optional[str] = None
    #: the one town (镇, 乡, 街道) the article is about, for "镇人大", "街道党工委"
    town: Optional[str] = field(default=None, compare=False)

    @property
    def main(self) -> Optional[str]:
        """The lowest level the article's own body sits at."""
        return self.own or self.county or self.city or self.province

    def place_for(self, level_char: str) -> Optional[str]:
        """The place an abbreviation's level word refers to, spelt as the abbreviation needs.

        "县委" in an article about 昌乐市 (a county-level city) is 昌乐县委: the level
        word wins over the official suffix, the stem stays."""
        if level_char == "":
            return self.main
        if level_char in _TOWN_LEVELS:
            return self.town if self.town and self.town.endswith(level_char) else None
        if level_char == "省":
            return self.province if self.province and self.province.endswith("省") else None
        if level_char == "自治区":
            return self.province if self.province and self.province.endswith("自治区") else None
        if level_char == "市":
            if self.county and self.county.endswith("市"):
                return self.county
            return self.city
        if level_char == "州":
            return self.city if self.city and self.city.endswith("州") else None
        if level_char in ("县", "区"):
            if not self.county:
                return None
            if self.county.endswith(level_char):
                return self.county
            if level_char == "县" and self.county.endswith("市"):
                return self.county[:-1] + "县"
            return None
        return None


#: Level words of towns an abbreviation may use ("镇人大主席", "街道党工委").
_TOWN_LEVELS = ("镇", "乡", "街道")

PlaceFinder = Callable[[str], Sequence[PlaceSpan]]


def _chain_context(chain: Sequence[PlaceSpan]) -> ArticleContext:
    ctx: dict[str, str] = {}
    for p in chain:
        if p.level in ("province", "city", "county"):
            ctx.setdefault(p.level, p.name)
    return ArticleContext(ctx.get("province"), ctx.get("city"), ctx.get("county"))


def _body_places(text: str, places: Sequence[PlaceSpan]) -> list[list[PlaceSpan]]:
    """Place chains in front of the congress bodies named in full in a text."""
    chains = []
    for m in congress_bodies(text, places):
        if m.abbrev is None and m.type == "CongressBody" and m.kind in ("standing_committee", "congress"):
            chain = [p for p in places if m.start <= p.start and p.end <= m.end]
            if chain and all(p.level in ("province", "city", "county") for p in chain):
                chains.append(chain)
    return chains


def _province_of(chain: Sequence[PlaceSpan]) -> Optional[str]:
    for p in chain:
        if p.level == "province":
            return p.name
        for parent in p.parents:
            if parent.endswith(("省", "自治区")) or parent in ("北京市", "天津市", "上海市", "重庆市"):
                return parent
    return None


def article_context(article, find_places: PlaceFinder,
                    province_of_author: Callable[[str], Optional[str]] = lambda s: None) -> ArticleContext:
    """Work out the article's main places.

    Candidates, strongest first: the author's position, the reporting body, and
    the full body names of the first sentences. A candidate in another province
    than the author's byline gives is skipped (an interleaved column can put a
    neighbour's position under a byline)."""
    author_prov = next((province_of_author(a.province) for a in article.authors if a.province), None)
    candidates: list[list[PlaceSpan]] = []
    pc = _PlaceCounts(article, find_places)
    for text in (article.author_position, article.reporting_body):
        if text:
            candidates += _body_places(text, find_places(text)) or []
    candidates += _source_places(article.source, find_places, pc)
    heads: list[list[PlaceSpan]] = []
    for s in article.sentences:
        found = _body_places(s.text, find_places(s.text))
        if s.kind in ("headline", "subheadline"):
            heads += found                         # the last resort: a headline may name a guest
        else:
            candidates += found
    candidates += heads
    best: Optional[ArticleContext] = None
    for chain in candidates:
        prov = _province_of(chain)
        if author_prov and prov and prov != author_prov:
            continue
        ctx = _chain_context(chain)
        if best is None:
            best = ctx
            if ctx.province is None:
                best = replace(ctx, province=prov or author_prov)
            continue
        if best.main and best.main == ctx.main:
            # a fuller chain for the same place fills the missing levels
            best = ArticleContext(best.province or ctx.province, best.city or ctx.city,
                                  best.county or ctx.county)
    best = _by_frequency(best, pc)
    if best is None:
        return ArticleContext(province=author_prov, town=pc.town(None))
    if best.province is None:
        best = replace(best, province=author_prov)
    return replace(best, town=pc.town(best))


_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def _source_places(source: Optional[str], find_places: PlaceFinder, pc: "_PlaceCounts") -> list[list[PlaceSpan]]:
    """Bodies of a "来源" line: a site may repost another area's news, so its body counts
    only when the article itself names that place."""
    if not source:
        return []
    return [c for c in _body_places(source, find_places(source)) if c[-1].name in pc.counts]


class _PlaceCounts:
    """How often an article names each city- and county-level place, in order of first
    mention, with each place's level and ancestors: a web article often names its own
    county in every paragraph and never prints its body in full."""

    def __init__(self, article, find_places: PlaceFinder):
        self.counts: Counter = Counter()
        self.towns: Counter = Counter()
        self.info: dict[str, tuple[str, tuple[str, ...]]] = {}
        for s in article.sentences:
            for p in find_places(s.text):
                if p.level in ("city", "county"):
                    self.counts[p.name] += 1
                    self.info.setdefault(p.name, (p.level, p.parents))
                elif p.level == "town":
                    self.towns[p.name] += 1
                    self.info.setdefault(p.name, (p.level, p.parents))

    def town(self, ctx: Optional["ArticleContext"]) -> Optional[str]:
        """The town the article is about: the only one it names, or the one it names at
        least twice and more often than any other; never a town outside the article's
        county or city."""
        ranked = self.towns.most_common()
        if not ranked:
            return None
        name, count = ranked[0]
        if len(ranked) > 1 and (count < 2 or ranked[1][1] >= count):
            return None
        own = ctx.county or ctx.city if ctx else None
        if own and self.info[name][1] and own not in self.info[name][1]:
            return None
        return name

    def top(self, level: str) -> tuple[Optional[str], int, int]:
        """The most named place of ``level`` (first mentioned among equals), its count and
        how many places of that level the article names."""
        named = [(n, k) for n, k in self.counts.items() if self.info[n][0] == level]
        if not named:
            return None, 0, 0
        name, count = max(named, key=lambda nk: nk[1])   # max keeps the first of equals
        return name, count, len(named)

    def context(self, name: str) -> ArticleContext:
        """The context a place and its ancestors give."""
        level, parents = self.info[name]
        prov = next((q for q in parents if q.endswith(("省", "自治区")) or q in _MUNICIPALITIES), None)
        if level == "city":
            return ArticleContext(prov, name, None)
        city = next((q for q in parents if q != prov), None)
        return ArticleContext(prov, city, name)


def _by_frequency(best: Optional[ArticleContext], pc: _PlaceCounts) -> Optional[ArticleContext]:
    """Mend the context with the places the article names most.

    No body named in full: the county named twice or more (or the only county named),
    else the city named twice or more. A body of a visiting delegation named in full
    ("酒泉市肃北…县人大常委会副主任…一行来张家川县") gives way to a place named at least
    three times as often. A missing lower level is filled from a child named often
    (a city's article about one of its districts), keeping the article's own level."""
    county, c_count, c_distinct = pc.top("county")
    city, t_count, _ = pc.top("city")
    if best is None:
        if county and (c_count >= 2 or c_distinct == 1):
            return pc.context(county)
        return pc.context(city) if city and t_count >= 2 else None
    for name, count in ((county, c_count), (city, t_count)):
        if name is None or count < 3 or name in (best.province, best.city, best.county):
            continue
        found = pc.context(name)
        if best.main in (found.province, found.city):
            return _filled(best, found)
        if best.main in pc.counts and pc.counts[best.main] * 3 <= count:
            return found
    return best


def _filled(best: ArticleContext, found: ArticleContext) -> ArticleContext:
    """``best`` with the levels it lacks taken from ``found``, one of its own places."""
    return ArticleContext(best.province or found.province, best.city or found.city,
                          best.county or found.county, own=best.main)


_LEVEL_OF_CHAR = {"市": "city", "州": "city", "县": "county", "区": "county", "镇": "town", "乡": "town",
                  "街道": "town"}


def _named_before(m: Mention, mentions: Sequence[Mention]) -> Optional[str]:
    """The place of the abbreviation's level printed last before it in the same sentence:
    "三门峡市委组织部副部长、市人大选工委主任" — this 市 is 三门峡市, whatever the article's
    own city is."""
    level = _LEVEL_OF_CHAR.get(m.abbrev or "")
    if level is None:
        return None
    before = [p for p in mentions if p.type == "Place" and p.kind == level and p.sentence == m.sentence
              and p.article == m.article and p.end <= m.start and p.name.endswith(m.abbrev or "")]
    return max(before, key=lambda p: p.end).name if before else None


def resolve(mentions: Sequence[Mention], ctx: ArticleContext) -> list[Mention]:
    """Complete abbreviated mentions; drop the ones the context cannot complete."""
    out = []
    for m in mentions:
        if m.abbrev is None:
            out.append(m)
            continue
        place = _named_before(m, mentions) or ctx.place_for(m.abbrev)
        if not place:
            continue
        name = place + m.tail
        aliases = tuple(a for a in (*m.aliases,) if a != name)
        weak = tuple(dict.fromkeys((*m.weak, m.surface.replace(" ", ""))))
        extra: tuple[str, ...] = ()
        if m.tail == "人民代表大会" and m.abbrev:
            extra = (place + "人大",)
        elif m.abbrev in _TOWN_LEVELS and m.tail in ("人大", "人大主席团"):
            extra = (place + ("人大主席团" if m.tail == "人大" else "人大"),)   # one body, two names
        out.append(replace(m, name=name, aliases=tuple(dict.fromkeys(aliases + extra)), weak=weak,
                           abbrev=None, extractor="context"))
    return out
