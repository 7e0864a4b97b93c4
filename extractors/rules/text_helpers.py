"""Small text helpers every rule family shares: Han characters, jieba's words and
their frequencies, walking left to a name's start, quotes and 《》 titles.

jieba is loaded once, quietly, on first use; ``tokens`` memoises its words per text
because several families read the same sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from math import log
from typing import Any, Callable, Iterable, Optional

from .lexicon import COMMON_WORD_FREQ, GENERIC_NOUNS, NON_NAME_TAGS, QUOTE_PAIRS, STOP_CHARS

__all__ = ["is_han", "clean", "uniq", "left_han", "tokens", "jieba_words", "word_frequency", "is_common_word", "name_start",
           "starts_word", "Quote", "quotes", "TITLE", "title_spans"]


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def clean(s: str) -> str:
    """A name as the graph stores it: no white space."""
    return "".join(s.split())


def uniq(items: Iterable[str]) -> tuple[str, ...]:
    """Cleaned, non-empty strings in their first order, each once (for aliases)."""
    seen: dict[str, None] = {}
    for it in items:
        c = clean(it)
        if c and c not in seen:
            seen[c] = None
    return tuple(seen)


def left_han(text: str, end: int, max_len: int, stop: set[str] = STOP_CHARS) -> int:
    """Start of the run of name characters that ends at ``end``."""
    i = end
    while i > 0 and end - i < max_len and is_han(text[i - 1]) and text[i - 1] not in stop:
        i -= 1
    return i


# ---------------------------------------------------------------------------
# jieba


@lru_cache(maxsize=1)
def _jieba():
    """jieba with its POS table loaded once, both from the start-up cache (compiling
    them from jieba's dictionary takes seconds); quiet, because jieba logs to stderr."""
    from ..startup_cache import default_jieba
    return default_jieba()


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """jieba words of a text as (start, end, word, POS tag); '?' for unknown words."""
    jieba, tags = _jieba()
    out, pos = [], 0
    for w in jieba_words(jieba, text):
        out.append((pos, pos + len(w), w, tags.get(w, "?")))
        pos += len(w)
    return tuple(out)


def jieba_words(jieba: Any, text: str) -> list[str]:
    """``jieba.lcut(text, HMM=False)``, the same words, computed without jieba's
    generators, its DAG dict and its ``max`` over a generator per character."""
    dt = jieba.dt
    dt.check_initialized()
    get, logtotal = dt.FREQ.get, log(dt.total)
    han, skip = jieba.re_han_default, jieba.re_skip_default
    out: list[str] = []
    for blk in han.split(text):
        if not blk:
            continue
        if han.match(blk):
            _words_of_block(blk, get, logtotal, jieba.re_eng, out)
        else:
            for x in skip.split(blk):
                if skip.match(x):
                    out.append(x)
                else:
                    out.extend(x)
    return out


def _words_of_block(sentence: str, get: Callable, logtotal: float, eng: re.Pattern, out: list[str]) -> None:
    """One run of Han, Latin and digit characters: jieba's best path through its words
    (``Tokenizer.get_DAG`` and ``calc`` in one backward pass); single Latin letters and
    digits on that path are joined into one word, as jieba joins them."""
    n = len(sentence)
    # jieba's route: the best log probability from a position on, and the end of its first word
    value: list[float] = [0] * (n + 1)
    last = [0] * (n + 1)
    for idx in range(n - 1, -1, -1):
        best_v, best_x = 0.0, -1
        i, frag = idx, sentence[idx]
        while i < n:
            f = get(frag)
            if f is None:
                break
            if f:
                v = log(f) - logtotal + value[i + 1]
                if best_x < 0 or v >= best_v:      # max((v, x)): a tie goes to the longer word
                    best_v, best_x = v, i
            i += 1
            frag = sentence[idx:i + 1]
        if best_x < 0:
            best_v, best_x = log(get(sentence[idx]) or 1) - logtotal + value[idx + 1], idx
        value[idx], last[idx] = best_v, best_x
    x, buf = 0, ""
    while x < n:
        y = last[x] + 1
        word = sentence[x:y]
        if y - x == 1 and eng.match(word):
            buf += word
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        out.append(buf)


def word_frequency(word: str) -> tuple[int, str]:
    """jieba's dictionary count and POS tag of a word ((0, '?') when unknown)."""
    jieba, tags = _jieba()
    return jieba.dt.FREQ.get(word) or 0, tags.get(word, "?")


def is_common_word(word: str, name_tags: tuple[str, ...] = ("ns",)) -> bool:
    """A frequent dictionary word whose tag is none of ``name_tags`` ("复兴", "地方", "自治"):
    such a word is read as the word, not as a place or a person."""
    freq, tag = word_frequency(word)
    return freq >= COMMON_WORD_FREQ and tag not in name_tags


def name_start(text: str, start: int, end: int, max_words: int = 3) -> int:
    """Trim a left-walked run to the words that can belong to a name.

    Walks jieba's words leftwards from ``end`` and stops at the first verb,
    preposition, particle or generic noun, or after ``max_words`` words."""
    words = [t for t in tokens(text) if t[0] >= start and t[1] <= end]
    keep = end
    for taken, (s, _, w, tag) in enumerate(reversed(words), start=1):
        if tag.startswith(NON_NAME_TAGS) and tag not in ("vn",) or w in GENERIC_NOUNS:
            break
        keep = s
        if taken >= max_words:
            break
    return keep


def starts_word(text: str, i: int) -> bool:
    """True when a jieba word starts at ``i`` (so text[i] is not the tail of a longer word)."""
    return any(s == i for s, _, _, _ in tokens(text))


# ---------------------------------------------------------------------------
# Quotes and titles


@dataclass(frozen=True)
class Quote:
    start: int        # position of the opening mark
    end: int          # position after the closing mark
    core: str         # text between the marks

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1


def quotes(text: str) -> list[Quote]:
    """Top-level quoted strings; ASCII quotes pair up in order, curly ones nest."""
    out: list[Quote] = []
    i, n = 0, len(text)
    while i < n:
        close = _closer(text[i])
        if close is None:
            i += 1
            continue
        j = _closing_mark(text, i, close)
        if j >= n:
            i += 1
            continue
        out.append(Quote(i, j + 1, text[i + 1:j]))
        i = j + 1
    return out


def _closer(ch: str) -> Optional[str]:
    """The mark that closes a quote opened by ``ch`` (None: ``ch`` opens none)."""
    if ch in QUOTE_PAIRS:
        return QUOTE_PAIRS[ch]
    if ch in "\"'":
        return ch
    return None


def _closing_mark(text: str, i: int, close: str) -> int:
    """Position of the mark closing the quote opened at ``i``; ``len(text)`` when there is
    none within 40 characters or before a full stop."""
    ch, n = text[i], len(text)
    depth, j = 0, i + 1
    while j < n:
        c = text[j]
        if c == close and depth == 0:
            break
        if ch in QUOTE_PAIRS and c == ch:
            depth += 1
        elif ch in QUOTE_PAIRS and c == close:
            depth -= 1
        if c in "。" or j - i > 40:
            return n
        j += 1
    return j


#: A name in 《》.
TITLE = re.compile(r"《(?P<t>[^《》]{1,60})》")


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the 《》 titles in a text, marks included."""
    return [m.span() for m in TITLE.finditer(text)]
