"""People's congress bodies (and the parts of a body that are Organizations).

A body is an institutional word (人大常委会, 人民代表大会, 人大主席团 …) with the
places printed before it; 全国 makes it national, and a bare level word ("市人大常委会")
makes an abbreviation for the context resolver to complete.
"""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple, Optional, Sequence

from ..records import Mention, PlaceSpan
from .lexicon import CONGRESS_KINDS, WORKING_PARTS
from .places import Prefix, place_names, place_prefix
from .registry import SentenceContext, rule_family
from .text_helpers import uniq

__all__ = ["congress_bodies", "congress_bodies_in"]

_BODY_HEAD = re.compile(
    r"人大常委会(?P<part>代表工委|法工委|办公室|党组|研究室|代表工作委员会|法制工作委员会)?"
    r"|人民代表大会(?!制度)|人代会|人大主席团|人大工委|人大工作联络中心"
    r"|人大(?![常代工主机干系制宣网专通履监委])")


@rule_family("congress_bodies")
def congress_bodies(ctx: SentenceContext) -> list[Mention]:
    """People's congress bodies with their place prefix, national bodies, abbreviations."""
    return congress_bodies_in(ctx.text, ctx.places, ctx.quoted, ctx.titles_at)


def congress_bodies_in(text: str, places: Sequence[PlaceSpan], quoted: Sequence[tuple[int, int]] = (),
                       titles_at: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """The family on plain arguments; the context resolver reads the bodies named in full
    with no quotes or titles known (so every 人大 counts)."""
    out: list[Mention] = []
    for m in _BODY_HEAD.finditer(text):
        part = m.group("part")
        head = _Head(m.start(), m.end(), m.group()[: -len(part)] if part else m.group(), part)
        out += _body(text, places, head, quoted, titles_at)
    return out


class _Head(NamedTuple):
    """An institutional word: ``base`` is the body's word, ``part`` a part of it (代表工委)."""

    start: int
    end: int
    base: str
    part: Optional[str]


def _body(text: str, places: Sequence[PlaceSpan], head: _Head, quoted: Sequence[tuple[int, int]],
          titles_at: Sequence[tuple[int, int]]) -> list[Mention]:
    h0, h1, base = head.start, head.end, head.base
    if text[max(0, h0 - 2):h0] == "全国":
        return _national_body(text, h0, base)
    inside_quote = any(q0 <= h0 and h1 <= q1 for q0, q1 in quoted)
    if base == "人大" and any(a <= h0 < b for a, b in titles_at):
        return []                                  # "《陕西人大调研材料》" is a journal
    pre = place_prefix(text, places, h0, allow_abbrev=base != "人大" or not inside_quote)
    if pre is None:
        return _bare_body(text, head)
    if base == "人大" and inside_quote and any(q0 == pre.start and q1 == h1 for q0, q1 in quoted):
        return []                                  # a quoted "姜堰人大" is a brand or an account
    if pre.abbrev is not None:
        return _abbreviated_body(text, pre, head)
    return _placed_body(text, pre, head)


def _national_body(text: str, h0: int, base: str) -> list[Mention]:
    s = h0 - 2
    if base == "人大常委会":
        return [Mention("CongressBody", "全国人大常委会", s, h0 + len(base), "全国人大常委会",
                        kind="standing_committee")]
    if base in ("人民代表大会", "人代会", "人大"):
        surface = text[s:h0 + len(base)]
        return [Mention("CongressBody", "全国人民代表大会", s, h0 + len(base), surface,
                        aliases=("全国人大", surface), kind="congress")]
    return []


def _bare_body(text: str, head: _Head) -> list[Mention]:
    """A body with no place before it: a bare 人代会, or a newly set up liaison centre."""
    h0, h1, base = head.start, head.end, head.base
    if base == "人代会" and text[max(0, h0 - 1):h0] not in ("省", "市", "县", "区"):
        return [Mention("CongressBody", "人代会", h0, h1, "人代会", kind="congress", abbrev="", tail="人民代表大会")]
    if base == "人大工作联络中心" and re.search(r"(设立|成立|建立)$", text[:h0]):
        return [Mention("CongressBody", base, h0, h1, base, kind="working_committee")]
    return []


def _abbreviated_body(text: str, pre: Prefix, head: _Head) -> list[Mention]:
    """"市人大常委会": the level word stands for the article's place."""
    h0, h1, base, part = head
    kind = CONGRESS_KINDS.get(base)
    if base == "人大":
        if pre.abbrev == "省" or text[h1:h1 + 2] not in ("及其", "和常", "与常") and pre.abbrev != "县":
            return []                              # "市人大" alone is too vague
        kind = "congress"
    tail = {"人大": "人民代表大会", "人代会": "人民代表大会"}.get(base, base)
    out = [Mention("CongressBody", pre.abbrev + base, pre.start, h0 + len(base),
                   text[pre.start:h0 + len(base)], kind=kind, abbrev=pre.abbrev, tail=tail)]
    if part:
        out.append(_part_mention(part, pre.abbrev + base, pre.start, h1, text[pre.start:h1], abbrev=pre.abbrev))
    return out


def _placed_body(text: str, pre: Prefix, head: _Head) -> list[Mention]:
    """A body after real places: named after the lowest, aliased by the printed chain."""
    h0, h1, base, part = head
    surface = text[pre.start:h1]
    low, printed, low_printed = place_names(pre.chain)
    name, kind, aliases = _placed_names(base, pre.chain[-1].level, surface, low, printed, low_printed)
    out = [Mention("CongressBody", name, pre.start, h0 + len(base), text[pre.start:h0 + len(base)],
                   aliases=uniq(a for a in aliases if a != name), kind=kind)]
    if part:
        out.append(_part_mention(part, name, pre.start, h1, surface,
                                 aliases=(printed + base + part, low_printed + base + part)))
    return out


def _placed_names(base: str, level: str, surface: str, low: str, printed: str,
                  low_printed: str) -> tuple[str, str, tuple[str, ...]]:
    """(name, kind, aliases) of a body named by its institutional word after a place."""
    if base == "人大":
        if level in ("town", "village"):
            # a town's congress works through its presidium between sessions
            return low + "人大", "presidium", (surface, low_printed + "人大", low + "人大主席团")
        return low + "人民代表大会", "congress", (surface, low + "人大", low_printed + "人大")
    if base == "人代会":
        return low + "人民代表大会", "congress", (surface, low + "人代会")
    aliases = (printed + base, low_printed + base)
    if base == "人大主席团":
        aliases += (low + "人大",)
    return low + base, CONGRESS_KINDS[base], aliases


def _part_mention(part: str, parent: str, start: int, end: int, surface: str,
                  aliases: Iterable[str] = (), abbrev: Optional[str] = None) -> Mention:
    """A part of a standing committee: a working committee, or its office / party group."""
    name = parent + part
    if part in WORKING_PARTS:
        typ, kind = "CongressBody", "working_committee"
    else:
        typ, kind = "Organization", None
    return Mention(typ, name, start, end, surface, aliases=uniq(a for a in aliases if a != name),
                   kind=kind, abbrev=abbrev, tail=name[1:] if abbrev else "")
