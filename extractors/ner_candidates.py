"""Statistical NER spans turned into entity mentions only where the language agrees.

The tagger (LAC by default) proposes Person/Place/Organization spans; it
over-merges ("多维度人大代表"), tags slogans as names ("连心桥", "月月") and types
every congress body as an organisation. A proposal becomes a mention only when:

- Person: 2–3 Han characters after a surname (compound surnames 3–4), not a
  frequent dictionary word, with person context next to it — a title before it
  ("代表", "主任", "村党支部书记"), a title or speech verb after it ("同志", "表示",
  "介绍"), or a list whose previous item is such a name, or a "、" list of two or more
  such names (a roll of names needs no title);
- Organization: ends in an organisation suffix (公司, 合作社, 学校, 医院 …) and is
  not a congress body (those are the rules' job);
- Place: never — the gazetteer links places; a tagger's place has no tree node.

Rule mentions always win: a proposal overlapping one is dropped.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from .lexicons import words
from .records import Mention
from .rules.lexicon import COMPOUND_SURNAMES, SURNAMES, TITLES_AFTER, TITLES_BEFORE
from .rules.persons import looks_like_name
from .rules.text_helpers import is_common_word
from .ner_tagger import NerSpan, lac_tag

Tagger = Callable[[Sequence[str]], list[list[NerSpan]]]

#: Words after a name that show it is a person: titles, speech and action verbs.
PERSON_AFTER = TITLES_AFTER + words("person_after_name")
#: Titles printed before a name, also as the end of a longer title ("村党支部书记").
PERSON_BEFORE = TITLES_BEFORE + words("person_before_name")
#: Last words of organisation names (institutional heads are the rules' business).
ORG_SUFFIXES = words("organization_suffixes")
_NOT_ORG = re.compile(r"人大|代表|常委|政府|[的和与及、,,。;:“”\"\s]")


def _has_person_context(text: str, span: NerSpan, previous_person_end: int | None) -> bool:
    before = text[max(0, span.start - 8):span.start]
    after = text[span.end:span.end + 4]
    if before.endswith(PERSON_BEFORE) or after.startswith(PERSON_AFTER):
        return True
    # "代表张明、李华": the item after a person in a list
    return (previous_person_end is not None and text[previous_person_end:span.start] in ("、", "和", "与")
            and _name_ends(text, span.end))


def _person(text: str, span: NerSpan, previous_person_end: int | None) -> bool:
    return (looks_like_name(span.text) and not is_common_word(span.text, ("nr", "nrt", "nrfg"))
            and _has_person_context(text, span, previous_person_end))


def _organization(span: NerSpan) -> bool:
    return (4 <= len(span.text) <= 24 and span.text.endswith(ORG_SUFFIXES)
            and not _NOT_ORG.search(span.text))


def _listed_names(text: str, spans: Sequence[NerSpan]) -> set[NerSpan]:
    """Persons the tagger finds in a run of names joined by "、" ("决定接受王伟、张树彬、
    张维华辞去…", "市领导朱厚伦、谢豪斌、罗琼玖陪同"): each item a name-like span next
    to another, so they vouch for each other without a title."""
    people = sorted((s for s in spans if s.type == "Person" and looks_like_name(s.text)
                     and not is_common_word(s.text, ("nr", "nrt", "nrfg"))), key=lambda s: s.start)
    out: set[NerSpan] = set()
    for a, b in zip(people, people[1:]):
        if text[a.end:b.start] == "、" and _name_ends(text, b.end):
            out.update((a, b))
    return out


def _name_ends(text: str, end: int) -> bool:
    """The tagger's span is the whole name, not a name cut short by one character that
    a list mark follows ("曹莉键、" tagged 曹莉, "廖述新," tagged 廖述)."""
    return not (end + 1 < len(text) and "\u4e00" <= text[end] <= "\u9fff" and text[end + 1] in "、,,。;;")


def sentence_candidates(text: str, spans: Sequence[NerSpan], taken: Sequence[tuple[int, int]]) -> list[Mention]:
    """Validated mentions of one sentence; ``taken`` are the rule mentions' spans."""
    out: list[Mention] = []
    previous_person_end: int | None = None
    listed = _listed_names(text, spans)
    for sp in sorted(spans, key=lambda s: s.start):
        if any(a < sp.end and sp.start < b for a, b in taken):
            if sp.type == "Person":
                previous_person_end = sp.end     # a rule person still anchors a list
            continue
        if sp.type == "Person" and (sp in listed or _person(text, sp, previous_person_end)):
            out.append(Mention("Person", sp.text, sp.start, sp.end, sp.text, extractor="ner"))
            previous_person_end = sp.end
        elif sp.type == "Organization" and _organization(sp):
            out.append(Mention("Organization", sp.text, sp.start, sp.end, sp.text, extractor="ner"))
    return out


#: Every accepted candidate stands next to one of these words (a rule person, which
#: anchors a list, has its title too), so a sentence with none of them is not tagged:
#: the same mentions for about half the tagger's time.
_CONTEXT_WORDS = tuple(dict.fromkeys(PERSON_BEFORE + PERSON_AFTER + ORG_SUFFIXES))


def may_hold_candidates(text: str) -> bool:
    return any(w in text for w in _CONTEXT_WORDS)


#: Marks before a list item that a person's context may vouch for ("、和与", `_has_person_context`).
_LIST_MARKS = ("、", "和", "与")
#: First characters of a name: the surnames, single and compound.
_NAME_FIRST = frozenset(SURNAMES) | {s[0] for s in COMPOUND_SURNAMES}


def _name_like(text: str, start: int, end: int) -> bool:
    """The text-only tests a Person span must pass (`_person`, `_listed_names`)."""
    return (start >= 0 and end <= len(text) and looks_like_name(text[start:end])
            and not is_common_word(text[start:end], ("nr", "nrt", "nrfg")))


def may_accept(text: str, taken: Sequence[tuple[int, int]]) -> bool:
    """Could any span the tagger proposes here become a mention? True when some substring
    passes the tests `sentence_candidates` makes on the text alone: a free (no rule
    mention over it) name-like span with a title or speech verb next to it, after a
    list mark that a rule person may precede, or next to another name across "、"; or
    a free organisation suffix whose last four characters hold no congress word or
    mark. Every accepted span passes one of these (the first person accepted in a
    sentence cannot lean on an earlier accepted one), so a sentence that fails
    yields no mention whatever the tagger says, and need not be tagged: on the corpus
    this skips two in three of the sentences `may_hold_candidates` lets through."""
    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    for w in ORG_SUFFIXES:
        i = text.find(w)
        while i >= 0:
            end = i + len(w)
            if end >= 4 and free(end - 4, end) and not _NOT_ORG.search(text, end - 4, end):
                return True
            i = text.find(w, i + 1)
    after_rule = min((a for a, _ in taken), default=len(text))
    for s, ch in enumerate(text):
        if ch not in _NAME_FIRST or ch not in SURNAMES and not text.startswith(COMPOUND_SURNAMES, s):
            continue
        # the cheap tests of the context first, the name's own (jieba's dictionary) last
        titled = text.endswith(PERSON_BEFORE, 0, s)
        after_listed_rule = s > after_rule + 1 and text[s - 1] in _LIST_MARKS
        listed_after = s > 0 and text[s - 1] == "、"
        for e in (s + 2, s + 3, s + 4):
            vouched = (titled or text.startswith(PERSON_AFTER, e)
                       or after_listed_rule and e <= len(text) and _name_ends(text, e))
            listed_before = text.startswith("、", e)
            if not (vouched or listed_after or listed_before) or not _name_like(text, s, e) or not free(s, e):
                continue
            if (vouched or listed_after and any(_name_like(text, s - 1 - n, s - 1) for n in (2, 3, 4))
                    or listed_before and any(_name_like(text, e + 1, e + 1 + n) for n in (2, 3, 4))):
                return True
    return False


def ner_mentions(texts: Sequence[str], taken: Sequence[Sequence[tuple[int, int]]],
                 tagger: Tagger = lac_tag) -> list[list[Mention]]:
    """Tag the sentences that can hold a candidate, in one batch; validate the spans."""
    todo = [k for k, t in enumerate(texts) if may_hold_candidates(t) and may_accept(t, taken[k])]
    out: list[list[Mention]] = [[] for _ in texts]
    for k, spans in zip(todo, tagger([texts[k] for k in todo])):
        out[k] = sentence_candidates(texts[k], spans, taken[k])
    return out
