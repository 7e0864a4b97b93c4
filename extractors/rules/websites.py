"""Media named without quotes: congress websites ("中国人大网站", "宁陕人大网"), the outlet of
a web article's 来源/转自 field or WeChat header, and outlets in datelines and credits
("湖北日报讯", "河南法制报记者 林栋")."""
from __future__ import annotations

import re
from typing import Optional

from ..article_segmenter import OUTLET_DATE, WECHAT, credit_line, lead_credit_line
from ..lexicons import words
from ..records import Mention
from .places import place_chain
from .registry import SentenceContext, rule_family

__all__ = ["websites", "outlet_name"]

_WEBSITE = re.compile(r"(?P<name>(?:中国|[\u4e00-\u9fff]{2,4})人大网)(?P<site>站)?")
_MEDIA_END = tuple(sorted(words("credits_media_endings"), key=len, reverse=True))
_NOT_MEDIA = frozenset(words("credits_not_media"))
#: A field naming where the text comes from: "来源:海盐人大", "稿源:湖北日报", "转自人民网".
_SOURCE = re.compile(
    r"(?:(?:信息|稿件|文章|新闻)?来源|稿源|发布(?=\s*[::])|(?:转自|转载自|原载|原载于)(?=[::\s]?[\u4e00-\u9fff]))"
    r"\s*[::]?\s*"
    r"(?P<v>(?:(?!作者|编辑|责任编辑|责编|发布(?:时间|日期|于)|时间|日期|阅读|浏览|点击|审核)[\u4e00-\u9fff·A-Za-z]"
    r"|-(?=[\u4e00-\u9fff]))+)")
#: A dateline opening a paragraph: "湖北日报讯", "湖南日报·新湖南客户端10月2日讯", "(宁夏人大网讯)".
_DATELINE = re.compile(r"^[((]?(?P<o>[\u4e00-\u9fff·]{2,30}?)(?:(?:19|20)\d{2}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:讯|电|消息)")
#: A link back to the publishing site: "返回安乡新闻网首页".
_BACK_TO = re.compile(r"返回(?P<o>[\u4e00-\u9fff·]{2,16}?)(?:首页|主页)")
_NAME_ONLY = re.compile(r"[\u4e00-\u9fff·]+")
_ACCOUNT_TAIL = re.compile(r"(?:官方)?(?:微信公众号|公众号|微信|微博|抖音号)$")


def outlet_name(value: str) -> Optional[str]:
    """The medium a source field, dateline or credit prints, or None: the name must end as
    an outlet does (日报, 网, 客户端, 人大, 月刊 …) after at least two characters of its own,
    and not be a generic word (本报, 客户端, 微信公众号)."""
    name = _ACCOUNT_TAIL.sub("", re.sub(r"(?:全媒体|融媒体)$", "", value.strip()))
    end = next((e for e in _MEDIA_END if name.endswith(e)), None)
    if end is None or len(name) - len(end) < 2 or name in _NOT_MEDIA or len(name) > 16:
        return None
    return name


def _media(text: str, name: str, start: int) -> Mention:
    return Mention("Media", name, start, start + len(name), text[start:start + len(name)])


def _outlets(text: str, value: str, start: int) -> list[Mention]:
    """The outlets of "湖南日报·新湖南客户端" (one or several joined by ·, - or 、) at ``start``."""
    out = []
    for m in re.finditer(r"[^·\-、]+", value):
        name = outlet_name(m.group())
        if name is not None and text.startswith(name, start + m.start()):
            out.append(_media(text, name, start + m.start()))
    return out


def _source_media(ctx: SentenceContext) -> list[Mention]:
    """Outlets in source fields (any sentence), WeChat headers and credit lines (publication
    lines), and datelines and credits a paragraph opens with."""
    text = ctx.text
    out = []
    for m in _SOURCE.finditer(text):
        out += _outlets(text, m.group("v"), m.start("v"))
    for m in _BACK_TO.finditer(text):
        out += _outlets(text, m.group("o"), m.start("o"))
    if ctx.kind == "meta":
        if _NAME_ONLY.fullmatch(text) and outlet_name(text) == text:   # only the publisher's name ("时刻新闻")
            out.append(_media(text, text, 0))
        if (w := WECHAT.match(text)) and (w.group("tag") or w.group("time")):
            who = w.group("who").split()[-1]
            out += _outlets(text, who, w.start("who") + w.group("who").rfind(who))
        if (line := credit_line(text)) and line[0]:
            out += _outlets(text, line[0], text.find(line[0]))
        if od := OUTLET_DATE.fullmatch(text.strip()):            # "哈尔滨日报  2018-07-31 15:58:24"
            lead = len(text) - len(text.lstrip())
            out += _outlets(text, od.group("outlet"), lead + od.start("outlet"))
    elif ctx.kind == "body":
        if m := _DATELINE.match(text):     # "记者苏强摄黑龙江日报11月13日讯": after the photo credit
            cut = max((k.end() for k in re.finditer(r"摄|记者|通讯员", m.group("o"))), default=0)
            out += _outlets(text, m.group("o")[cut:], m.start("o") + cut)
        if (lead := lead_credit_line(text)) and lead[0]:
            out += _outlets(text, lead[0], lead[1])
    return out


@rule_family("websites")
def websites(ctx: SentenceContext) -> list[Mention]:
    """Congress websites ("中国人大网站", "宁陕人大网") and the outlets of sources and credits."""
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
    return out + _source_media(ctx)
