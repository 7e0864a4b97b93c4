"""The rule families by name, and the one call that runs them on a sentence.

A family is a pure function ``family(ctx: SentenceContext) -> list[Mention]``,
registered with ``@rule_family("name")``. `sentence_mentions` runs the families in
an order given by name (`DEFAULT_ORDER` unless a caller or a config says otherwise),
as spaCy runs the components a config lists. The family modules are imported on
the first lookup, so importing the registry stays cheap and never forms a cycle.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Collection, Sequence

from ..records import Mention, PlaceSpan
from .text_helpers import Quote, quotes, title_spans

__all__ = ["SentenceContext", "RuleFamily", "rule_family", "family", "family_names", "DEFAULT_ORDER",
           "FAMILY_MODULES", "sentence_mentions"]


@dataclass(frozen=True)
class SentenceContext:
    """Everything a family may read about one sentence; offsets index ``text``.

    Build it with `SentenceContext.of`, which finds the quotes and 《》 titles once
    for all families. Constructed directly, ``quotes`` and ``titles_at`` default to
    none: a family then treats nothing as quoted or titled."""

    text: str
    places: tuple[PlaceSpan, ...] = ()       # the gazetteer's places (and those the text names)
    kind: str = "body"                       # the sentence's kind: body, headline, subheadline, heading
    mastheads: Collection[str] = ()          # names of periodicals known to be media
    quotes: tuple[Quote, ...] = ()           # top-level quoted strings
    titles_at: tuple[tuple[int, int], ...] = ()   # spans of the 《》 titles, marks included

    @classmethod
    def of(cls, text: str, places: Sequence[PlaceSpan] = (), kind: str = "body",
           mastheads: Collection[str] = ()) -> "SentenceContext":
        return cls(text, tuple(places), kind, mastheads, tuple(quotes(text)), tuple(title_spans(text)))

    @property
    def quoted(self) -> tuple[tuple[int, int], ...]:
        """Spans inside the quotation marks."""
        return tuple(q.inner for q in self.quotes)

    @property
    def heading(self) -> bool:
        """Headlines and headings: short, so a quote there names less by its context."""
        return self.kind != "body"


RuleFamily = Callable[[SentenceContext], list[Mention]]

_FAMILIES: dict[str, RuleFamily] = {}

#: The modules that register the families, imported on the first lookup.
FAMILY_MODULES = ("congress", "industries", "stations", "organizations", "persons", "quoted", "titles", "laws",
                  "programmes", "websites")

#: The order the families run in; mentions come out family by family in this order.
DEFAULT_ORDER: tuple[str, ...] = ("congress_bodies", "industry_bodies", "liaison_stations", "organizations",
                                  "persons", "quoted_names", "titles", "laws", "unquoted_programmes", "websites")


def rule_family(name: str) -> Callable[[RuleFamily], RuleFamily]:
    """Register the decorated function as the family ``name``.

    A second, different function under a name already taken is an error;
    re-importing the same module re-registers its own function."""
    def register(fn: RuleFamily) -> RuleFamily:
        old = _FAMILIES.get(name)
        if old is not None and (old.__module__, old.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(f"rule family {name!r} is already registered by {old.__module__}.{old.__qualname__}")
        _FAMILIES[name] = fn
        return fn
    return register


_loaded = False


def _load_families() -> None:
    global _loaded
    if not _loaded:
        for module in FAMILY_MODULES:
            importlib.import_module(f"{__package__}.{module}")
        _loaded = True


def family(name: str) -> RuleFamily:
    """The family registered as ``name``."""
    _load_families()
    try:
        return _FAMILIES[name]
    except KeyError:
        raise KeyError(f"no rule family {name!r}; registered: {', '.join(sorted(_FAMILIES))}") from None


def family_names() -> tuple[str, ...]:
    """Every registered family, in the order of registration."""
    _load_families()
    return tuple(_FAMILIES)


def sentence_mentions(text: str, places: Sequence[PlaceSpan], kind: str = "body",
                      mastheads: Collection[str] = (), order: Sequence[str] = DEFAULT_ORDER) -> list[Mention]:
    """Every family of ``order`` on one sentence, in that order; offsets index ``text``."""
    ctx = SentenceContext.of(text, places, kind, mastheads)
    out: list[Mention] = []
    for name in order:
        out += family(name)(ctx)
    return out
