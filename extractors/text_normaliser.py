"""Turn raw OCR text into clean text while remembering where every character came from.

Every transformation works on (character, raw position) pairs, so the offset map
(`NormalisedText.raw_index`) survives dropped lines, removed spaces, NFKC
expansions and character repairs: later stages report offsets into the original
file by looking them up, never by re-searching the text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from .lexicons import alternation, words
from .records import NormalisedText

# ---------------------------------------------------------------------------
# Character classes

_CJK_PUNCT = set("“”‘’、。,;:!?()《》〈〉「」『』【】…—·■□,;:!?()\"'")


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F
            or 0xF900 <= o <= 0xFAFF)


def _is_cjkish(ch: str) -> bool:
    """Characters between which an OCR line-break space is never meaningful."""
    return is_han(ch) or ch in _CJK_PUNCT or 0xFF00 <= ord(ch) <= 0xFFEF or 0x3000 < ord(ch) <= 0x303F


# CJK radicals that OCR returns instead of the ideograph they look like. Kangxi
# radicals (U+2F00–2FDF) are covered by NFKC; the supplement block is not.
LOOKALIKES = str.maketrans({
    "⻄": "西", "⻓": "长", "⻔": "门", "⻋": "车", "⻢": "马", "⻅": "见", "⻛": "风",
    "⻜": "飞", "⻩": "黄", "⻬": "齐", "⻰": "龙", "⻚": "页", "⻉": "贝",
    "⻆": "角", "⻝": "食", "⻥": "鱼", "⻦": "鸟", "⻨": "麦", "⻮": "齿", "⻳": "龟",
    "⺠": "民", "⻑": "長", "⺟": "母", "⻤": "鬼", "⻘": "青", "⻣": "骨", "⾔": "言",
})


def fold_lookalikes(text: str) -> str:
    """Replace radical look-alikes by their ideographs; the length never changes."""
    return text.translate(LOOKALIKES)


# ---------------------------------------------------------------------------
# Page furniture: whole lines that belong to the page, not to any article.

#: Mastheads of the congress press seen as running heads. A line within one
#: character of one of these (OCR turns 報 into 新) is a running head.
MASTHEADS = words("mastheads")
#: Column labels printed in the margin of a page.
COLUMN_LABELS = words("column_labels")
#: Editor credits: newspaper 责编 lines and the 编辑/审核 sign-off of web and WeChat posts.
#: They are kept (the persons they name are Person entities); the segmenter reads them
#: as credit lines, never as a headline or a paragraph.
EDITOR_LINE = re.compile(r"^(责编|责任编辑|编辑|美编|校对|版式|本版编辑|本版责编|审核人?|初审|复审|终审|审签|监制|排版)\s*[::]")
#: A credit or publication line ("来源:朱琳 陈莹莹 2025-12-02", "责编:李伟 胡明兵", a date
#: first: "2019-12-14 10:19 来源:湛江日报 作者:记者林小军 李亚强"): the spaces in it
#: separate names and fields, so they are kept.
_CREDIT_LABEL = re.compile(
    r"^[【\[|丨]?\s*(?:(?:19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*)?(?:来源|信息来源|稿件来源|稿源|本文来源|消息来源|作者|记者|通讯员|文|撰稿|供稿|整理|摄影|图"
    r"|发布时间|发布日期|时间|日期|责编|责任编辑|编辑|美编|校对|审核人?|审校|初审|复审|终审|监制)\s*[::]")
#: Names in brackets closing an article's text ("…借鉴。(朱琳 陈莹莹)", "(人代工委 罗娜)"):
#: the space between two names is real.
_TRAILING_CREDIT = re.compile(r"[((](?P<inner>[\u4e00-\u9fff·]{2,8}(?:\s+[\u4e00-\u9fff·]{2,4}){1,4})[))]\s*$")
_ROLES = words("credits_author_roles") + words("credits_other_roles")
#: Credits in brackets anywhere in a line, opening with a role ("(作者:李文娟 田晶)",
#: "(见习记者 王宇琦 通讯员 麦斯雅 姚思倚)"): the spaces between their names are real.
_BRACKET_CREDIT = re.compile(
    r"[((](?P<inner>(?:(?:" + alternation(w for w in _ROLES if len(w) > 1)
    + r")\s*[::/]?|(?:" + "|".join(re.escape(w) for w in _ROLES if len(w) == 1) + r")\s*[::/])"
    r"\s*[\u4e00-\u9fff·]{1,4}(?:\s+[\u4e00-\u9fff·::/]{1,8}){1,8})[))]")
#: Two-character credit labels, which pages print spaced out ("编 辑:", "责 编:", "一 审:", "记 者:").
_LABELS = frozenset(w for w in words("credits_author_roles") + words("credits_other_roles") + ("来源", "作者", "日期")
                    if len(w) == 2)
_SPACED_LABEL = re.compile(r"^[【\[]?(?P<a>[\u4e00-\u9fff])(?P<gap> +)(?P<b>[\u4e00-\u9fff])\s*[::]")
#: A pinyin reading a site prints after a character ("民生实(shí)事", "乡(xiāng)镇(zhèn)"):
#: ruby text, not part of the words, so it is dropped (its raw offsets stay inside a mention).
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
_PINYIN_LABEL = re.compile(r"^[A-Z][A-Z ]{4,}$")
_PAGE_NUMBER = re.compile(r"^(第?\s*\d{1,3}\s*版?|-\s*\d{1,3}\s*-)$")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")


def _near(line: str, word: str) -> bool:
    """Equal, or equal but for one substituted character (OCR slips in mastheads)."""
    return len(line) == len(word) and sum(a != b for a, b in zip(line, word)) <= 1


def is_furniture(line: str) -> bool:
    """True for running heads, column labels and page numbers (editor credits are kept:
    the segmenter reads them as credit lines)."""
    # NFKC first: web pages print full-width colons and digits ("编辑：杨柳", "第１２版")
    s = "".join(unicodedata.normalize("NFKC", to_simplified(line)).split())
    if not s:
        return False
    if _PINYIN_LABEL.match(line.strip()) or _PAGE_NUMBER.match(s):
        return True
    return s in COLUMN_LABELS or any(_near(s, m) for m in MASTHEADS if len(m) >= 4)


# ---------------------------------------------------------------------------
# OCR slips in institutional words. Same-length replacements only, each one a
# confusion seen in scanned congress newspapers; contexts where the "slip" is a
# real word are excluded by look-arounds. Nothing is guessed beyond this table.

OCR_REPAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"人大[党常][悉委]会"), "人大常委会"),   # 人大党委会 / 人大党悉会 / 人大常悉会
    (re.compile(r"(?<![资高艰精幽纵])深人(?![士物])"), "深入"),  # 资深人士 stays
    (re.compile(r"代表联络姑"), "代表联络站"),
    (re.compile(r"人民代表人会"), "人民代表大会"),
)


# ---------------------------------------------------------------------------
# Traditional → simplified, NFKC


@lru_cache(maxsize=1)
def _opencc():
    import opencc  # imported lazily: loading dictionaries costs ~50 ms
    return opencc.OpenCC("t2s")


_SURROGATE = re.compile("[\ud800-\udfff]")


def to_simplified(text: str) -> str:
    """OpenCC traditional → simplified (the converter is loaded once).

    OpenCC takes UTF-8, which cannot hold a lone surrogate (text made in Python, not
    read from a file): each becomes U+FFFD first, one for one, so offsets stay."""
    return _opencc().convert(_SURROGATE.sub("\ufffd", text))


def plain(text: str) -> str:
    """Raw text as the normalised text spells it: NFKC, look-alikes folded,
    simplified characters, no white space (for reading short raw windows)."""
    return to_simplified(fold_lookalikes(unicodedata.normalize("NFKC", "".join(text.split()))))


def _simplify(chars: list[str]) -> list[str]:
    """OpenCC t2s, kept 1:1 per character so offsets stay aligned."""
    joined = "".join(chars)
    converted = to_simplified(joined)
    if len(converted) == len(joined):
        return list(converted)
    return [to_simplified(c) if len(to_simplified(c)) == 1 else c for c in chars]


def _nfkc(ch: str) -> str:
    """NFKC where safe: compatibility forms, full-width ASCII, Kangxi radicals.

    Curly quotes and CJK punctuation are left alone (NFKC does not touch them);
    the ideographic space becomes a plain space and is then handled like OCR spaces.
    """
    if unicodedata.combining(ch):
        return ch
    return unicodedata.normalize("NFKC", ch)


# ---------------------------------------------------------------------------
# Lines

_SENTENCE_END = set("。!?;:,、!?;:,")


def looks_like_heading(line: str) -> bool:
    """Short line without closing punctuation: a headline, section heading or label.

    Headlines separate their parts with spaces; a short line with several commas
    is a paragraph fragment cut by a column break."""
    s = line.strip()
    return (0 < len(s) <= 40 and s[-1] not in _SENTENCE_END and "。" not in s
            and sum(s.count(p) for p in ",,、") <= 1)


#: Words that OCR line breaks cut in two; a space inside one of them is never real.
_UNBREAKABLE = words("unbreakable_words")


def _spans_word(before: str, after: str) -> bool:
    """True when an unbreakable word runs across the boundary between the two texts."""
    for w in _UNBREAKABLE:
        for k in range(1, len(w)):
            if before.endswith(w[:k]) and after.startswith(w[k:]):
                return True
    return False


def _drop_space(before: str, after: str, heading: str | None) -> bool:
    """Decide whether a run of spaces between `before` and `after` is an OCR artefact."""
    left, right = before[-1], after[0]
    if not (_is_cjkish(left) or _is_cjkish(right)):
        return False                                # Latin words, numbers with units
    if heading is not None:
        # Headline parts are separated by real spaces, unless the space cuts an
        # institutional word in two or the line is a parenthesised note.
        return heading.startswith(("(", "(")) or _spans_word(before, after)
    if _is_cjkish(left) and _is_cjkish(right):
        return True
    # "教授22 人", "召开 13次"; but "Python 3 进行" keeps its space
    if left.isdigit():
        token = re.search(r"[0-9.]+$", before)
        return token is not None and token.start() > 0 and _is_cjkish(before[token.start() - 1])
    if right.isdigit():
        token = re.match(r"[0-9.]+", after)
        return token is not None and token.end() < len(after) and _is_cjkish(after[token.end()])
    return False


def _credit_spaces(text: str) -> range | frozenset[int]:
    """Positions of ``text`` where a space separates names, so it is kept: all of a short
    credit or publication line ("来源:朱琳 陈莹莹 2025-12-02", "责编:李伟 胡明兵 喻寒松"),
    and the names in brackets that close a paragraph ("…借鉴。(朱琳 陈莹莹)")."""
    if len(text) <= 100 and "。" not in text and _CREDIT_LABEL.match(text):
        return range(len(text))
    kept = [range(m.start("inner"), m.end("inner")) for m in _BRACKET_CREDIT.finditer(text)]
    if m := _TRAILING_CREDIT.search(text):
        kept.append(range(m.start("inner"), m.end("inner")))
    return frozenset(i for r in kept for i in r)


#: `_nfkc` of each character seen, looked up rather than recomputed for every character;
#: the same as a `str.translate` table, and the characters whose NFKC is not one character.
_NFKC_OF: dict[str, str] = {}
_NFKC_TABLE: dict[int, str] = {}
_NFKC_UNEVEN: set[str] = set()
#: A run of spaces in a line (white space is a plain space by then).
_SPACES = re.compile(" +")
#: One white space character (what `str.isspace` says is one).
_WHITE = re.compile(r"\s")


def _nfkc_line(pairs: list[tuple[str, int]]) -> tuple[str, list[int]]:
    """`_nfkc` of each character of a line, with the raw position of each output character
    (a character NFKC makes several keeps its position in each): one `str.translate`
    unless a character of the line changes length."""
    line = "".join([c for c, _ in pairs])
    for ch in set(line).difference(_NFKC_OF):
        out = _nfkc(ch)
        _NFKC_TABLE[ord(ch)] = out
        if len(out) != 1:
            _NFKC_UNEVEN.add(ch)
        _NFKC_OF[ch] = out          # last: a character known here is in the table too (threads)
    if _NFKC_UNEVEN.isdisjoint(line):
        return line.translate(_NFKC_TABLE), [p for _, p in pairs]
    chars: list[str] = []
    positions: list[int] = []
    for ch, pos in pairs:
        out = _NFKC_OF[ch]
        chars.append(out)
        positions.extend([pos] * len(out))
    return "".join(chars), positions


def _normalise_line(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Repair one line: NFKC, look-alikes, t2s, OCR spaces, OCR slips, pinyin glosses."""
    text, positions = _nfkc_line(pairs)
    # look-alikes and t2s change one character to one, so the whole line changes at once
    text = _WHITE.sub(" ", "".join(_simplify(list(fold_lookalikes(text)))))
    expanded = list(zip(text, positions))
    # trim, then decide each inner run of spaces
    while expanded and expanded[0][0] == " ":
        expanded.pop(0)
    while expanded and expanded[-1][0] == " ":
        expanded.pop()
    expanded = _join_spaced_label(expanded)
    text = "".join(c for c, _ in expanded)
    heading = text if looks_like_heading(text) else None
    real = _credit_spaces(text)
    kept: list[tuple[str, int]] = []
    i = 0
    for run in _SPACES.finditer(text):              # the characters between runs are kept as they are
        kept += expanded[i:run.start()]
        j = run.end()
        before = "".join(c for c, _ in kept[-6:])
        after = "".join(c for c, _ in expanded[j:j + 6] if c != " ")
        if run.start() in real or not _drop_space(before, after, heading):
            kept.append(expanded[run.start()])      # one space, wherever the run was longer
        i = j
    kept += expanded[i:]
    return _repair(kept)


def _join_spaced_label(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A credit label printed spaced out ("编 辑:沈娟", "一 审:肖 敏") loses its inner spaces."""
    m = _SPACED_LABEL.match("".join(c for c, _ in pairs))
    if m is None or m.group("a") + m.group("b") not in _LABELS:
        return pairs
    return [p for k, p in enumerate(pairs) if not m.start("gap") <= k < m.end("gap")]


def _repair(kept: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """OCR slips repaired in place; pinyin glosses ("实(shí)事") dropped."""
    text = "".join(c for c, _ in kept)
    for pattern, repl in OCR_REPAIRS:
        for m in pattern.finditer(text):
            for k, c in enumerate(repl):
                kept[m.start() + k] = (c, kept[m.start() + k][1])
    glosses = {k for m in _PINYIN_GLOSS.finditer(text) for k in range(m.start(), m.end())}
    return [p for k, p in enumerate(kept) if k not in glosses] if glosses else kept


def _raw_lines(raw: str) -> Iterable[tuple[int, str]]:
    """Yield (start offset, line without its end-of-line) for \\n, \\r\\n and \\r."""
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", raw):
        if m.start() == len(raw) and not m.group():
            break
        yield m.start(), m.group().rstrip("\r\n")


def normalise(raw: str) -> NormalisedText:
    """Clean a decoded file: one output line per kept input line, '\\n' separated."""
    out_chars: list[str] = []
    out_index: list[int] = []
    marks: set[int] = set()
    for start, line in _raw_lines(raw):
        mark = _HEADING_MARK.match(line)
        body_offset = mark.end() if mark else 0
        body = line[body_offset:]
        if is_furniture(body):
            body = ""
        pairs = [(c, start + body_offset + k) for k, c in enumerate(body)]
        cleaned = _normalise_line(pairs)
        if cleaned and mark:
            marks.add(len(out_chars))
        for c, p in cleaned:
            out_chars.append(c)
            out_index.append(p)
        out_chars.append("\n")
        out_index.append(start + len(line))         # the line end in the raw file
    end = len(raw)
    out_index.append(end)
    return NormalisedText("".join(out_chars), tuple(out_index), frozenset(marks))
