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
#: "研究制定州人大常委会立法协商办法和…工作规定": rules a body drafts, named after the
#: drafting verb and ending in a rule word, each followed by a list mark or the clause end.
_DRAFTED_RULES = re.compile(
    r"(?:制定|出台|印发|修订)(?:了)?(?P<items>(?:[\u4e00-\u9fff]{6,30}?(?:办法|规定|细则|规则)(?:和|、|及))*"
    r"[\u4e00-\u9fff]{6,30}?(?:办法|规定|细则|规则))(?=[,,。;;、]|$)")
#: "根据市人大常委会2025年工作要点": a body's plan for a year, the body abbreviated or full.
_YEAR_PLAN = re.compile(
    r"(?P<name>(?P<level>[省市县区州])?人大常委会(?P<year>(?:19|20)\d\d)年度?"
    r"(?:工作要点|工作计划|立法计划|监督工作计划|立法工作计划))")
#: Words that begin a drafted rule's description rather than its name.
_GENERIC_RULE_START = ("相关", "有关", "具体", "一系列", "系列", "各项", "多项", "一批", "配套", "完善")


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
    return out + drafted_rules(text) + year_plans(text)


def drafted_rules(text: str) -> list[Mention]:
    """Rules named right after a drafting verb, each of the list: a name of six or more
    characters with no generic word nor 的 ("出台…活动的相关工作办法" names none)."""
    out = []
    for m in _DRAFTED_RULES.finditer(text):
        pos = m.start("items")
        for item in re.split(r"(?<=办法|规定|细则|规则)(?:和|、|及)", m.group("items")):
            if "的" not in item and not any(w in item for w in _GENERIC_RULE_START) and item not in NOT_LAW:
                out.append(Mention("Document", item, pos, pos + len(item), item))
            pos += len(item) + 1
    return out


def year_plans(text: str) -> list[Mention]:
    """A standing committee's plan for a year; "市人大常委会…" is completed by the context."""
    out = []
    for m in _YEAR_PLAN.finditer(text):
        name, level = m.group("name"), m.group("level")
        if level is None and m.start() > 0 and "\u4e00" <= text[m.start() - 1] <= "\u9fff":
            continue                               # "XX人大常委会": the place is not printed whole
        out.append(Mention("Document", name, m.start(), m.end(), name,
                           abbrev=level, tail=name[1:] if level else ""))
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
