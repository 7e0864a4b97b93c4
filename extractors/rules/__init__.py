"""Rule families: pure functions from one sentence to entity mentions.

The rules follow the language of congress reporting rather than lists of names:
institutional heads (人大常委会, 代表联络站, 管委会 …) with the place prefixes a
gazetteer recognised, quoted names with the suffix that says what they are
("一乡一品"特色品牌体系), titles in 《》 classified by their last word, bare law names
in the patterns where they are reliable, industries in front of 产业, and person
names next to titles. Places themselves come from the gazetteer (as `PlaceSpan`s
handed in by the caller); abbreviated bodies ("市人大常委会") come out with an
``abbrev`` level for the context resolver to complete.

One module per family, each registered by name with ``@rule_family`` and taking a
`SentenceContext`; `sentence_mentions` runs them in `DEFAULT_ORDER` (or the order a
caller passes). The word lists are in `lexicon`, the shared text helpers in
`text_helpers`, the place helpers in `places`.

Adding a family::

    # extractors/rules/my_family.py
    @rule_family("my_family")
    def my_family(ctx: SentenceContext) -> list[Mention]: ...

then list the module in `registry.FAMILY_MODULES` and the name in an order.
"""
from .registry import (DEFAULT_ORDER, FAMILY_MODULES, RuleFamily, SentenceContext, family, family_names, rule_family,
                       sentence_mentions)

__all__ = ["DEFAULT_ORDER", "FAMILY_MODULES", "RuleFamily", "SentenceContext", "family", "family_names",
           "rule_family", "sentence_mentions"]
