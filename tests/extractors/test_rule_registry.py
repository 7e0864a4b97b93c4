"""The rule-family registry: one signature, found by name, run in a configurable order."""
from __future__ import annotations

import pytest

from renda_kg.extractors.records import Mention
from renda_kg.extractors.rules import (DEFAULT_ORDER, FAMILY_MODULES, SentenceContext, family, family_names,
                                       rule_family, sentence_mentions)
from renda_kg.extractors.rules import registry

TEXT = "习近平总书记强调,山东省临沂市人大常委会制定《人大代表履职管理办法》,开展\"双招双引\"\"我来提建议\"等活动"


def test_every_module_registers_its_families_and_the_default_order_names_them_all():
    assert set(family_names()) == set(DEFAULT_ORDER)
    assert len(DEFAULT_ORDER) == len(set(DEFAULT_ORDER)) == 10
    assert {family(n).__module__.rsplit(".", 1)[-1] for n in DEFAULT_ORDER} == set(FAMILY_MODULES)


def test_sentence_mentions_is_the_families_in_order():
    ctx = SentenceContext.of(TEXT, ())
    by_family = [m for name in DEFAULT_ORDER for m in family(name)(ctx)]
    assert sentence_mentions(TEXT, ()) == by_family
    assert {m.type for m in by_family} >= {"Person", "Document", "Programme"}


def test_an_order_picks_and_orders_the_families():
    got = sentence_mentions(TEXT, (), order=("titles", "persons"))
    assert [(m.type, m.name) for m in got] == [("Document", "人大代表履职管理办法"), ("Person", "习近平")]
    assert sentence_mentions(TEXT, (), order=()) == []


def test_an_unknown_family_is_named_in_the_error():
    with pytest.raises(KeyError, match="no rule family 'nope'"):
        sentence_mentions(TEXT, (), order=("persons", "nope"))


def test_the_context_finds_quotes_and_titles_once():
    ctx = SentenceContext.of("开展\"双招双引\"活动,制定《办法》", (), kind="heading")
    assert [q.core for q in ctx.quotes] == ["双招双引"]
    assert ctx.quoted == ((3, 7),) and ctx.titles_at == ((13, 17),)
    assert ctx.heading and not SentenceContext("x").heading


def test_a_new_family_registers_by_name_and_a_clash_is_refused():
    @rule_family("test_only_family")
    def test_only_family(ctx: SentenceContext) -> list[Mention]:
        return [Mention("Person", "x", 0, 1, "x")]

    try:
        assert sentence_mentions("x", (), order=("test_only_family",))[0].name == "x"
        with pytest.raises(ValueError, match="already registered"):
            rule_family("persons")(test_only_family)
    finally:
        registry._FAMILIES.pop("test_only_family", None)
