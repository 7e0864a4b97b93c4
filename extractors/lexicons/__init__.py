"""The word lists the extractors read, one data file per lexicon.

Each ``<name>.txt`` here starts with a comment header saying what belongs in it,
then holds one entry a line (``word`` or ``word value``); ``#`` starts a comment.
Adding a suffix or a verb is a one-line change to a file, not to code, and the
lexicon tests check every line of every file is used the way its header says.
"""
from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Iterable


class LexiconError(ValueError):
    """A lexicon file that cannot be read as its kind says."""


@cache
def _entries(name: str) -> tuple[tuple[str, ...], ...]:
    try:
        text = resources.files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"no lexicon named {name!r}") from None
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = tuple(line.split("#", 1)[0].split())
        if fields:
            rows.append(fields)
            if len(fields) > 2:
                raise LexiconError(f"{name}.txt line {number}: more than a word and a value: {line!r}")
    return tuple(rows)


def words(name: str) -> tuple[str, ...]:
    """The lexicon's words in file order (order matters where a longer word must win)."""
    rows = _entries(name)
    for fields in rows:
        if len(fields) != 1:
            raise LexiconError(f"{name}.txt: expected one word a line, got {' '.join(fields)!r}")
    return tuple(fields[0] for fields in rows)


def mapping(name: str) -> dict[str, str]:
    """The lexicon's ``word value`` lines as a dict, in file order."""
    rows = _entries(name)
    for fields in rows:
        if len(fields) != 2:
            raise LexiconError(f"{name}.txt: expected a word and a value, got {' '.join(fields)!r}")
    return {word: value for word, value in rows}


def alternation(items: Iterable[str]) -> str:
    """A regex alternation of the words, each escaped, longer words first: where two start
    at the same place the longer wins ("代表工作委员会" over "代表工委", "常务副主任" over "主任")."""
    return "|".join(re.escape(w) for w in sorted(set(items), key=lambda w: (-len(w), w)))


def names() -> tuple[str, ...]:
    """Every lexicon shipped with the package."""
    return tuple(sorted(entry.name[:-4] for entry in resources.files(__name__).iterdir()
                        if entry.name.endswith(".txt")))
