"""Persons: names next to titles ("习近平总书记", "人大代表韦永冠"), checked against
the surname list and jieba's tags."""
from __future__ import annotations

import re
from typing import Optional

from ..article_segmenter import Credit, credit_items, credit_line, lead_credits, name_line
from ..lexicons import alternation, words
from ..records import Mention, PlaceSpan
from .lexicon import COMPOUND_SURNAMES, NAME_TAGS, SURNAMES, TITLES_AFTER, TITLES_BEFORE
from .registry import SentenceContext, rule_family
from .text_helpers import is_common_word, is_han, tokens

__all__ = ["persons", "credited_persons", "listed_persons", "looks_like_name"]

#: Posts a name follows (村党支部书记张三, 董事长李四, 副主任王明、李强), longest first.
_POSTS = re.compile(alternation(words("credits_posts_before_name")))
#: Words that end a name read from characters ("张文华介绍", "李强出席").
_AFTER_NAME = tuple(words("credits_words_after_name"))
_NAME_END = set(",,。、;;::!!??))”\"' ")


def looks_like_name(s: str) -> bool:
    """2–3 Han characters starting with a surname (or a compound surname + 1–2); two
    characters that make a frequent word ("代表", "洪水", "铁路") are the word."""
    if not all(is_han(c) for c in s):
        return False
    if s[:2] in COMPOUND_SURNAMES:
        return 3 <= len(s) <= 4
    return 2 <= len(s) <= 3 and s[0] in SURNAMES and not (len(s) == 2 and is_common_word(s, _NAME_TAGS))


_NAME_TAGS = ("nr", "nrfg", "nrt")
#: Any title word, to skip the texts that print none.
_TITLE_WORD = re.compile("|".join(map(re.escape, TITLES_AFTER + TITLES_BEFORE)))


@rule_family("persons")
def persons(ctx: SentenceContext) -> list[Mention]:
    """Names next to titles, validated by the surname list and jieba's tags; names in credits."""
    out = credited_persons(ctx) + listed_persons(ctx)
    # jieba only where a title is printed: a word of a text without one is no title
    toks = tokens(ctx.text) if _TITLE_WORD.search(ctx.text) else ()
    for k, (_, _, w, _) in enumerate(toks):
        if w in TITLES_AFTER and k > 0:
            ps, pe, pw, ptag = toks[k - 1]
            if ptag in NAME_TAGS and looks_like_name(pw):
                ps = _split_surname(toks, k - 1, ps)
                out.append(Mention("Person", ctx.text[ps:pe], ps, pe, ctx.text[ps:pe]))
        if w in TITLES_BEFORE and k + 1 < len(toks):
            ns, ne, nw, ntag = toks[k + 1]
            if ntag in ("nr", "nrfg", "nrt") and looks_like_name(nw):
                ne = _whole_name_end(ctx, ns, ne)
                out.append(Mention("Person", ctx.text[ns:ne], ns, ne, ctx.text[ns:ne]))
                continue
            name = _unknown_name_after(toks, k)
            if name is not None:
                out.append(name)
    return _longest(out)


def _whole_name_end(ctx: SentenceContext, start: int, end: int) -> int:
    """Where a two-character name the tagger cut from a title's next characters really
    ends: jieba reads "局长罗国献等" as 罗国/献, "副主任王福松到" as 王福/松到; three
    characters that a mark or a name-ending word closes are the name."""
    if end - start == 2 and (j := _name_at(ctx.text, start, ctx.places)) is not None and j > end:
        return j
    return end


def _longest(found: list[Mention]) -> list[Mention]:
    """Drop a name that lies inside a longer one found by another reading ("荀凤" of
    "副主任荀凤栖主持", where jieba tags 栖 a verb): one person, one name."""
    return [m for m in found if not any(o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start
                                        for o in found)]


def _split_surname(toks: tuple[tuple[int, int, str, str], ...], k: int, start: int) -> int:
    """Where a name before a title starts: jieba cuts "张卫星同志" as 张/卫星/同志 (卫星 a
    name of its own), so a lone surname character before a two-character name joins it."""
    if k == 0 or len(toks[k][2]) != 2:
        return start
    s, _, w, tag = toks[k - 1]
    if len(w) == 1 and w in SURNAMES and tag[:1] not in _NOT_NAME_TAGS:
        return s
    return start


#: Tags of a one-character word that is no surname in front of a name (向, 在, 和, 为 …).
_NOT_NAME_TAGS = ("v", "p", "c", "u", "d", "r", "m", "f")


def credited_persons(ctx: SentenceContext) -> list[Mention]:
    """Names in credits: every name of a credit or publication line ("通讯员 张红芳 付慧玲",
    "编辑:杨柳", "责任编辑:汪江 黄镜潼") and of the credits a paragraph opens with
    ("本报讯(记者 江忱菊)…"). The segmenter makes the authors among them authorOf the
    article; editors, reviewers and photographers are persons only."""
    if ctx.kind == "meta":
        line = credit_line(ctx.text)
        credits = (line[1] if line else credit_items(ctx.text) or name_line(ctx.text)) + _source_names(ctx)
    elif ctx.kind == "body":
        credits = lead_credits(ctx.text) + _inline_credits(ctx.text)
    else:
        credits = []
    return [Mention("Person", c.name, c.start, c.end, ctx.text[c.start:c.end]) for c in credits]


#: Credits printed inside running text: a bracketed credit ("锦旗(图/郭立)", "(通讯员 王明)")
#: and a photographer's name before 摄 after a caption ("会议现场。严立政摄", "本报记者 和冠欣摄").
_BRACKETED = re.compile(r"[((](?P<c>[^()()]{3,30})[))]")
_PHOTO = re.compile(r"(?:^|(?<=[。!?!?\s])|(?<=记者))(?P<n>[\u4e00-\u9fff]{2,3})\s?摄(?![影像制])")


def _inline_credits(text: str) -> list[Credit]:
    out = [c for m in _BRACKETED.finditer(text) if (line := credit_line(m.group("c"))) and not line[0]
           for c in (Credit(k.role, k.name, k.start + m.start("c"), k.end + m.start("c")) for k in line[1])]
    return out + [Credit("摄", m.group("n"), m.start("n"), m.end("n")) for m in _PHOTO.finditer(text)
                  if looks_like_name(m.group("n"))]


#: A 来源 field that names people, not an outlet: "来源:朱琳 陈莹莹 2025-12-02", "来源:谢耘、陈粤".
_SOURCE_NAMES = re.compile(r"(?:来源|稿源)\s*[::]\s*(?P<v>[\u4e00-\u9fff·]{2,4}(?:\s*[\s、,,]\s*[\u4e00-\u9fff·]{2,4})+)"
                           r"(?![\u4e00-\u9fff])")


def _source_names(ctx: SentenceContext) -> list:
    """The persons a publication line's source field lists: two or more names, each a
    surname and one to three characters and no place; an outlet ("来源:沛县人大网") or a
    single word ("来源:官垱镇") names nobody."""
    m = _SOURCE_NAMES.search(ctx.text)
    if m is None:
        return []
    names = [(n.group(), m.start("v") + n.start()) for n in re.finditer(r"[\u4e00-\u9fff·]+", m.group("v"))]
    if not all(looks_like_name(n) and not _in_place(ctx.places, s, s + len(n)) for n, s in names):
        return []
    return [Credit("来源", n, s, s + len(n)) for n, s in names]


def _in_place(places: tuple[PlaceSpan, ...], i: int, j: int) -> bool:
    return any(p.start < j and i < p.end for p in places)


def listed_persons(ctx: SentenceContext) -> list[Mention]:
    """Names read from the characters after a post, and every name listed after it with
    "、" ("人大代表张海峰、刘红梅、陈晓东", "村党支部书记张文华介绍"): the tagger splits
    unknown names, so a name is a surname and one or two characters that a mark or a
    word like 介绍/出席 ends, and no place the gazetteer knows."""
    text, out = ctx.text, []
    for m in _POSTS.finditer(text):
        i = m.end()
        if any(s <= m.start() and i < e and e - s > 1 for s, e, _, _ in tokens(text)):   # "居民区书记", "代表团": inside a longer word
            continue
        while (j := _name_at(text, i, ctx.places)) is not None:
            out.append(Mention("Person", text[i:j], i, j, text[i:j]))
            if not text.startswith("、", j):
                break
            i = j + 1
    return out


def _name_at(text: str, i: int, places: tuple[PlaceSpan, ...]) -> Optional[int]:
    """The end of a name starting at ``i``, or None: three characters before two, unless
    a word that ends names starts at the third ("李四说", "王明等")."""
    for n in ((2, 3) if text.startswith(_AFTER_NAME, i + 2) else (3, 2)):
        j = i + n
        if j <= len(text) and looks_like_name(text[i:j]) and _ends_name(text, j) and \
                not _common_words(text[i:j]) and not any(p.start < j and i < p.end for p in places):
            return j
    return None


def _common_words(s: str) -> bool:
    """Characters after a post that are words, not a name: "代表满意", "代表和群众",
    "主任区人大" (a common word first, a conjunction first, an institution inside)."""
    toks = tokens(s)
    first = toks[0]
    return (len(first[2]) > 1 and not first[3].startswith("nr") or first[3] == "c"
            or any(len(t[2]) > 1 and t[3] in ("j", "nt") for t in toks))


def _ends_name(text: str, j: int) -> bool:
    return j >= len(text) or text[j] in _NAME_END or text.startswith(_AFTER_NAME, j)


def _unknown_name_after(toks: tuple[tuple[int, int, str, str], ...], k: int) -> Optional[Mention]:
    """An unknown name comes out of jieba as single characters: "韦/永/冠/说"."""
    run = []
    for t in toks[k + 1:k + 4]:
        if len(t[2]) != 1 or not is_han(t[2]) or t[3][:1] in ("v", "p", "u", "c", "d", "r", "f", "m", "q"):
            break
        run.append(t)
    after = toks[k + 1 + len(run)] if k + 1 + len(run) < len(toks) else None
    name = "".join(t[2] for t in run)
    if len(run) >= 2 and looks_like_name(name) and (
            after is None or not is_han(after[2][0]) or after[3][:1] in ("v", "p", "u", "c", "d")):
        return Mention("Person", name, run[0][0], run[-1][1], name)
    return None
