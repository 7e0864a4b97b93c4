"""Persons: names next to titles ("习近平总书记", "人大代表韦永冠"), checked against
the surname list and jieba's tags."""
from __future__ import annotations

from typing import Optional

from ..records import Mention
from .lexicon import COMPOUND_SURNAMES, NAME_TAGS, SURNAMES, TITLES_AFTER, TITLES_BEFORE
from .registry import SentenceContext, rule_family
from .text_helpers import is_han, tokens

__all__ = ["persons", "looks_like_name"]


def looks_like_name(s: str) -> bool:
    """2–3 Han characters starting with a surname (or a compound surname + 1–2)."""
    if not all(is_han(c) for c in s):
        return False
    if s[:2] in COMPOUND_SURNAMES:
        return 3 <= len(s) <= 4
    return 2 <= len(s) <= 3 and s[0] in SURNAMES


@rule_family("persons")
def persons(ctx: SentenceContext) -> list[Mention]:
    """Names next to titles, validated by the surname list and jieba's tags."""
    out = []
    toks = tokens(ctx.text)
    for k, (_, _, w, _) in enumerate(toks):
        if w in TITLES_AFTER and k > 0:
            ps, pe, pw, ptag = toks[k - 1]
            if ptag in NAME_TAGS and looks_like_name(pw):
                out.append(Mention("Person", pw, ps, pe, pw))
        if w in TITLES_BEFORE and k + 1 < len(toks):
            ns, ne, nw, ntag = toks[k + 1]
            if ntag in ("nr", "nrfg", "nrt") and looks_like_name(nw):
                out.append(Mention("Person", nw, ns, ne, nw))
                continue
            name = _unknown_name_after(toks, k)
            if name is not None:
                out.append(name)
    return out


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
