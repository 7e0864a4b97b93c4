"""Names in 《》: documents and media by their last word or the words around them."""
from __future__ import annotations

import re

from ..lexicons import words
from ..records import Mention
from .lexicon import MEDIA_AFTER_TITLE
from .registry import SentenceContext, rule_family
from .text_helpers import TITLE, clean

__all__ = ["titles", "DOCUMENT_ENDINGS", "MEDIA_ENDINGS"]

DOCUMENT_ENDINGS = re.compile(
    r"(法|法典|条例|办法|意见|方案|规定|规划|决定|决议|计划|细则|规则|纲要|通知|章程|准则|制度|指引|清单)"
    r"(?:[((](?:试行|草案|修订|暂行)[))])?$")
MEDIA_ENDINGS = re.compile(r"(报|日报|晚报|周报|新闻|网|杂志|期刊|通讯|电视台|电台|栏目|频道|月刊|周刊|旬刊|画报|之声)$")
#: Titles in 《》 that name documents by their form: proposals and reports ("关于…的建议"),
#: handbooks and books ("…怎样写议案和建议", "…读本", "…手册", "…汇编").
#: Words after a periodical's 《name》 on a masthead line ("《怀柔人大》数字报", "《XX》电子版").
_MASTHEAD_WORDS = words("credits_masthead_words")
_BOOK_OR_PROPOSAL = re.compile(r"^关于.{2,40}的(建议|议案|报告|请示|函)$|(怎样|如何).{2,20}$|(读本|手册|汇编|指南|问答|教程|文集|选编)$")


@rule_family("titles")
def titles(ctx: SentenceContext) -> list[Mention]:
    """Names in 《》: documents and media by their last word or the words around them."""
    text = ctx.text
    out = []
    for run in _runs(text):
        after = text[run[-1].end():run[-1].end() + 12]
        before = text[max(0, run[0].start() - 3):run[0].start()]
        media_ctx = (after.startswith(MEDIA_AFTER_TITLE + _MASTHEAD_WORDS) or re.match(r"^(等)?[\u4e00-\u9fff]{0,4}媒体", after)
                     or before.endswith("在") and re.match(r"^(上)?(发表|刊登|刊发|播出|开设|刊载)", after))
        for m in run:
            t = clean(m.group("t"))
            if DOCUMENT_ENDINGS.search(t) and not media_ctx:
                base = re.sub(r"[((](?:试行|草案|修订|暂行)[))]$", "", t)
                out.append(Mention("Document", t, m.start(), m.end(), m.group(),
                                   aliases=(base,) if base != t else ()))
            elif MEDIA_ENDINGS.search(t) or media_ctx or t in ctx.mastheads:
                if len(t) > 12 or any(c in t for c in "“”\"!?,,"):
                    continue                        # an article's title, not a medium
                out.append(Mention("Media", t, m.start(), m.end(), m.group()))
            elif _BOOK_OR_PROPOSAL.search(t) and not any(c in t for c in "!?"):
                out.append(Mention("Document", t, m.start(), m.end(), m.group()))
    return out


def _runs(text: str) -> list[list[re.Match]]:
    """Titles printed together ("《A》《B》", "《A》和《B》"): the words around a run speak for all."""
    runs: list[list[re.Match]] = []
    for m in TITLE.finditer(text):
        if runs and runs[-1][-1].end() == m.start() or runs and text[runs[-1][-1].end():m.start()] in ("、", "和", "及", "与"):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs
