"""Media named without quotes: congress websites ("中国人大网站", "宁陕人大网")."""
from __future__ import annotations

import re

from ..records import Mention
from .places import place_chain
from .registry import SentenceContext, rule_family

__all__ = ["websites"]

_WEBSITE = re.compile(r"(?P<name>(?:中国|[\u4e00-\u9fff]{2,4})人大网)(?P<site>站)?")


@rule_family("websites")
def websites(ctx: SentenceContext) -> list[Mention]:
    """Congress websites: "中国人大网站", "宁陕人大网"."""
    text, places = ctx.text, ctx.places
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
