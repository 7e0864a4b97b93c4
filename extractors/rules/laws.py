"""Laws and rules named without 《》, in the patterns where that is reliable: national
laws by name, lists ending in 等法律法规, "…法执法检查", "新修改的…法", "…办法等文件"."""
from __future__ import annotations

import re

from ..records import Mention
from .lexicon import NOT_LAW
from .registry import SentenceContext, rule_family
from .text_helpers import left_han, name_start

__all__ = ["laws"]

_NATIONAL_DOCUMENTS = re.compile(r"宪法(?!宣誓)|民法典|中央八项规定|中华人民共和国[\u4e00-\u9fff]{2,14}?法(?![律规院官治])")
_LAW_LIST = re.compile(
    r"(?P<items>(?:[\u4e00-\u9fff]{2,14}?(?:法|法典|条例)、)+[\u4e00-\u9fff]{2,14}?(?:法|法典|条例))等(?:法律|法规|法律法规)")
_LAW_BEFORE_CHECK = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,10}?法)执法检查")
_LAW_AMENDED = re.compile(r"(?:修改|修订|修正|施行|颁布)的(?P<name>[\u4e00-\u9fff]{2,10}?法)(?![律规院官治])")
_RULES_AS_FILES = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{4,16}?(?:实施办法|办法|实施细则|细则|条例))等(?:文件|制度|规定)")


@rule_family("laws")
def laws(ctx: SentenceContext) -> list[Mention]:
    """Laws named without 《》 where the pattern is reliable."""
    text = ctx.text
    out = []
    for m in _NATIONAL_DOCUMENTS.finditer(text):
        out.append(Mention("Document", m.group(), m.start(), m.end(), m.group()))
    for m in _LAW_LIST.finditer(text):
        out += _listed_laws(text, m)
    for pat in (_LAW_BEFORE_CHECK, _LAW_AMENDED):
        for m in pat.finditer(text):
            e = m.end("name")
            s = left_han(text, e, 10)
            s = max(s, m.start("name"))
            if pat is _LAW_AMENDED:
                s = m.start("name")
            name = text[s:e]
            if pat is _LAW_BEFORE_CHECK:
                name = re.sub(r"^(开展|围绕|就|对|组织|进行|持续|深入|认真)+", "", name)
                s = e - len(name)
            if name not in NOT_LAW and len(name) >= 3:
                out.append(Mention("Document", name, s, e, name))
    for m in _RULES_AS_FILES.finditer(text):
        s = name_start(text, m.start("name"), m.end("name"), max_words=4)
        name = text[s:m.end("name")]
        if len(name) >= 4:
            out.append(Mention("Document", name, s, m.end("name"), name))
    return out


def _listed_laws(text: str, m: re.Match) -> list[Mention]:
    """The items of "民法典、公司法、数据安全法等法律法规"; the first one trimmed to its name."""
    out = []
    pos = m.start("items")
    for item in m.group("items").split("、"):
        s = pos
        start = name_start(text, s, s + len(item), max_words=4) if pos == m.start("items") else s
        name = text[start:s + len(item)]
        if name not in NOT_LAW and len(name) >= 2:
            out.append(Mention("Document", name, start, s + len(item), name))
        pos += len(item) + 1
    return out
