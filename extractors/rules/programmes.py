"""Programmes named without quotes: the voting system (票决制), other named systems
("推行代表履职积分制"), "推行…模式", "开展…系列活动"."""
from __future__ import annotations

import re

from ..lexicons import words
from ..records import Mention
from .lexicon import GENERIC_MODEL, GENERIC_MODEL_END, LAUNCH_VERBS, MODIFIER_STOP_CHARS
from .registry import SentenceContext, rule_family

__all__ = ["unquoted_programmes"]

_VOTING_SYSTEM = re.compile(r"(?P<gov>政府)?民生实事(?:项目)?(?P<who>人大代表|代表)?票决制")
_SYSTEM_VERBS = r"推行|实行|试行|施行|建立|健全|探索|推广|落实|完善|实施|创新|采取|采用|运用|坚持|创设|推出|首创"
_NAMED_SYSTEM = re.compile(r"(?:" + _SYSTEM_VERBS + r")(?P<name>[\u4e00-\u9fff]{2,10}?(?:"
                           + "|".join(words("programme_system_endings")) + r"))(?![度定])")
_UNQUOTED_MODEL = re.compile(r"(?:推行|深化|探索|推广|创新|构建|打造)(?P<name>[\u4e00-\u9fff]{3,10}?)模式")
#: "开展人大代表接访日活动", "代表联络日制度": a deputies' day, named by what the deputies
#: do on it, before 活动 or 制度.
_DEPUTIES_DAY = re.compile(r"(?P<name>(?:人大)?代表(?:接访|接待|联络|联系|活动|约见|接见)日)(?=活动|制度)")
_UNQUOTED_SERIES = re.compile(r"(?:开展|举办|组织)(?P<name>[\u4e00-\u9fff]{4,12}?)系列活动")


@rule_family("unquoted_programmes")
def unquoted_programmes(ctx: SentenceContext) -> list[Mention]:
    """Named systems written without quotes: 票决制, "推行一季一主题模式", "…系列活动"."""
    text = ctx.text
    out = []
    voting = list(_VOTING_SYSTEM.finditer(text))
    for m in voting:
        if m.group("who") is None and not m.group().startswith("民生实事项目"):
            continue                    # "民生实事票决制" alone: too short to be the system's name
        name = "民生实事项目人大代表票决制"
        out.append(Mention("Programme", name, m.start(), m.end(), m.group(),
                           aliases=(m.group(),) if m.group() != name else (), kind="system"))
    out += _named_systems(text, voting)
    for m in _UNQUOTED_MODEL.finditer(text):
        name = m.group("name")
        if name in GENERIC_MODEL or any(c in MODIFIER_STOP_CHARS for c in name) or name.endswith(GENERIC_MODEL_END) \
                or name.startswith(LAUNCH_VERBS):        # "创新举办赛事模式": a verb phrase
            continue
        out.append(Mention("Programme", name, m.start("name"), m.end(), m.group()[len(m.group()) - len(name) - 2:],
                           aliases=(name + "模式",), kind="model"))
    for m in _DEPUTIES_DAY.finditer(text):
        if text[max(0, m.start() - 1):m.start()] not in ("“", "\"", "‘"):
            out.append(Mention("Programme", m.group("name"), m.start(), m.end(), m.group(), kind="activity"))
    for m in _UNQUOTED_SERIES.finditer(text):
        name = m.group("name")
        if any(c in MODIFIER_STOP_CHARS for c in name):
            continue
        out.append(Mention("Programme", name, m.start("name"), m.end(), name + "系列活动",
                           aliases=(name + "系列活动",), kind="activity"))
    return out


def _named_systems(text: str, voting: list[re.Match]) -> list[Mention]:
    """"推行代表履职积分制": a launch verb, a name, and a practice word with 制 (the lexicon)."""
    out = []
    for m in _NAMED_SYSTEM.finditer(text):
        name = m.group("name")
        if any(c in MODIFIER_STOP_CHARS for c in name) or any(v.start() < m.end() and m.start("name") < v.end()
                                                                for v in voting):
            continue
        out.append(Mention("Programme", name, m.start("name"), m.end("name"), name, kind="system"))
    return out
