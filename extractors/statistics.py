"""Quantities the pages report ("697个人大代表联络站", "收集社情民意3014条") as observations.

A count is data about an entity, not an entity: each `Quantity` the text reports has
a value, a unit (the measure word), what is counted, a year when the sentence gives
one, and its evidence. Attached to the body the sentence names before the number,
else to the article's main body, it becomes an `Observation` of that entity's id
(`attach_observations`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from .lexicons import words
from .rules.text_helpers import tokens
from ..ontology.types import OBSERVATION_OWNERS
from .records import (Article, Entity, Evidence, NormalisedText, Observation, SegmentedDocument,
                      sentence_span_to_raw)
from .relation_rules import EntityIndex, main_body

#: Measure words that count things congress reporting counts.
UNITS = "个条次件人名家场项处所期批篇份户"
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# number + unit + the thing counted ("697个人大代表联络站")
_COUNT_BEFORE = re.compile(
    rf"(?P<value>\d+(?:\.\d+)?)(?P<approx>余|多)?(?P<unit>[{UNITS}])(?P<measure>[\u4e00-\u9fff]{{2,10}}?)"
    r"(?=[,,、。;;和及与的]|$)")
# verb + thing + number + unit ("收集社情民意3014条", "召开协商议事会13次")
_COUNT_AFTER = re.compile(
    rf"(?P<verb>收集|收到|办理|提出|开展|召开|组织|走访|解决|化解|接待|联系|培训|建成|设立|形成|提交|督办|推动)"
    rf"(?P<measure>[^\W\d_和与及的]{{2,10}}?)(?P<value>\d+(?:\.\d+)?)(?P<approx>余|多)?(?P<unit>[{UNITS}])")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


@dataclass(frozen=True)
class Quantity:
    """A count as read, before it is attached to an entity; the evidence's offsets
    are those of the quantity in the original file."""

    measure: str
    value: int | float
    unit: str
    year: Optional[int]
    approximate: bool
    evidence: Evidence

    def of(self, entity: Entity) -> Observation:
        """The observation of ``entity`` this count is."""
        return Observation(entity.id, self.measure, self.value, self.unit, self.year, self.approximate,
                           self.evidence)


def observations_in(article: Article, norm: NormalisedText) -> Iterator[Quantity]:
    """Every quantity in an article's body sentences."""
    for s in article.sentences:
        if s.kind != "body":
            continue
        year_match = _YEAR.search(s.text)
        year = int(year_match.group(1)) if year_match else None
        seen: set[tuple[int, int]] = set()
        for pattern in (_COUNT_BEFORE, _COUNT_AFTER):
            for m in pattern.finditer(s.text):
                span = m.span("value")
                if span in seen or (m.re is _COUNT_BEFORE and _is_year_or_date(s.text, m)):
                    continue
                seen.add(span)
                measure = m.group("measure")
                if m.re is _COUNT_BEFORE:
                    measure = _noun_head(measure)
                if not measure:
                    continue
                stop = m.end() if m.re is _COUNT_AFTER else m.start("measure") + len(measure)
                start, end = sentence_span_to_raw(norm, s, m.start(), stop)
                value = float(m.group("value"))
                yield Quantity(measure, int(value) if value.is_integer() else value, m.group("unit"), year,
                               bool(m.group("approx")), Evidence(article.article_id, s.text, start, end, "rule"))


#: Verbs that follow what is counted ("7名人大代表联系园区", "30名代表参与调研"); jieba's
#: tags call several of them nouns, so they are listed.
_VERBS_AFTER_COUNT = words("verbs_after_count")


def _noun_head(measure: str) -> str:
    """What a number counts ends before the verb that follows it: "7名人大代表联系园区"
    counts 人大代表."""
    out = ""
    for _, _, word, tag in tokens(measure):
        if out and (word in _VERBS_AFTER_COUNT or tag in ("p", "c", "u", "v")):
            break
        out += word
    return out if len(out) >= 2 else ""


def _is_year_or_date(text: str, m: re.Match) -> bool:
    return text[m.end("value"):m.end("value") + 1] in "年月日号" or m.group("unit") == "名" and not m.group("measure")


def extract_observations(doc: SegmentedDocument) -> list[Quantity]:
    """All counts of a document, in order of appearance."""
    out: list[Quantity] = []
    for article in doc.articles:
        out.extend(observations_in(article, doc.normalised))
    return out


# ---------------------------------------------------------------------------
# Owners: which entity an observation describes

#: A liaison station ending at most this many characters before a count is an item of
#: the list the number counts, not the body reporting it: in "…园区企业界人大代表联络站等4个
#: 品牌站点" the station is one of the four. Twelve characters reach back over 等 and a
#: short qualifier to the list's last item; earlier items of a long list are not caught.
LIST_ITEM_REACH = 12


def attach_observations(doc: SegmentedDocument, entities: Sequence[Entity]) -> list[Observation]:
    """Each count as an observation of the entity it describes: the last reporting
    body named before the number in its sentence (deputy groups and the counted list's
    own items excepted), else the article's main body. One with neither is dropped:
    there is nothing it would describe."""
    ix = EntityIndex(doc, entities)
    out = []
    for q in extract_observations(doc):
        article, start = q.evidence.article or "", q.evidence.start or 0
        owner = None
        for e, ev in ix.in_article.get(article, []):
            if (ev.start or 0) >= start:
                break
            listed = e.type == "LiaisonStation" and (ev.end or 0) >= start - LIST_ITEM_REACH
            if ev.sentence == q.evidence.sentence and e.type in OBSERVATION_OWNERS \
                    and e.kind != "deputy_group" and not listed:
                owner = e
        owner = owner or main_body(ix, ix.articles[article])
        if owner is not None:
            out.append(q.of(owner))
    return out
