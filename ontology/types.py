"""The one registry of entity and relation types (SCHEMA.md's), read by the rules,
the relation rules, the assembler, the viewer and the exporters.

Adding an entity type starts here: its order (SCHEMA.md's table order, which is
the viewer legend's order too), colour, labels, and the relations it may take part
in. `renda.ttl` and `shapes.ttl` must agree with this module; a test checks both.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EntityType", "RelationType", "ENTITY_TYPES", "RELATION_TYPES", "NAVIGATION_RELATIONS",
           "NAVIGATION_NAMES", "GRAPH_RELATIONS", "TYPE_ORDER", "entity_type", "relation_type", "OBSERVATION_OWNERS"]


@dataclass(frozen=True)
class EntityType:
    name: str
    zh: str
    en: str
    colour: str                    # Tableau 10: distinct on screen, in print, for colour blindness
    owns_statistics: bool = False  # may a count ("697个联络站") be attached to it


@dataclass(frozen=True)
class RelationType:
    name: str
    zh: str
    en: str
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    #: A link the graph adds so it can be walked (mentions), not one an extractor
    #: finds: never in the JSON Lines, never scored.
    navigation: bool = False

    def allows(self, head_type: str | None, tail_type: str | None) -> bool:
        """May an edge of this relation join these two types (SCHEMA.md, the SHACL shapes)?"""
        return head_type in self.heads and tail_type in self.tails


#: SCHEMA.md's entity types, in the order its table lists them.
ENTITY_TYPES: tuple[EntityType, ...] = (
    EntityType("Place", "地点", "Place", "#4E79A7"),
    EntityType("CongressBody", "人大机构", "People's congress body", "#E15759", owns_statistics=True),
    EntityType("LiaisonStation", "代表联络站", "Deputies' liaison station", "#F28E2B", owns_statistics=True),
    EntityType("Programme", "工作品牌", "Programme", "#76B7B2"),
    EntityType("Organization", "组织机构", "Organization", "#59A14F", owns_statistics=True),
    EntityType("Person", "人物", "Person", "#EDC948"),
    EntityType("Document", "文件", "Document", "#B07AA1"),
    EntityType("Media", "媒体", "Media", "#FF9DA7"),
    EntityType("Industry", "产业", "Industry", "#9C755F"),
    EntityType("Article", "文章", "Article", "#BAB0AC"),
)

_BODIES = ("CongressBody", "Organization")

#: SCHEMA.md's seven relations (head → tail).
RELATION_TYPES: tuple[RelationType, ...] = (
    RelationType("locatedIn", "位于", "located in",
                 ("Place", "CongressBody", "LiaisonStation", "Organization"), ("Place",)),
    RelationType("createdBy", "创建者", "created by",
                 ("LiaisonStation", "Programme", "Document", "CongressBody", "Organization"), _BODIES),
    RelationType("subOrganizationOf", "隶属于", "sub-organization of", _BODIES, _BODIES),
    RelationType("focusesOn", "聚焦产业", "focuses on",
                 ("LiaisonStation", "CongressBody", "Programme"), ("Industry",)),
    RelationType("authorOf", "撰写", "author of", ("Person",), ("Article",)),
    RelationType("about", "报道对象", "about", ("Article",), _BODIES),
    RelationType("memberOf", "成员", "member of", ("Person",), _BODIES),
)

#: Links the assembler adds for navigation, kept apart from the seven so nothing that
#: iterates SCHEMA.md's relations (scorer, JSON Lines, stats) meets them by accident.
#: An Article links each entity it names, with the first evidence of it there.
NAVIGATION_RELATIONS: tuple[RelationType, ...] = (
    RelationType("mentions", "提及", "mentions", ("Article",),
                 tuple(t.name for t in ENTITY_TYPES if t.name != "Article"), navigation=True),
)

#: Their names (an edge's key and ``relation``), in the registry's order.
NAVIGATION_NAMES: tuple[str, ...] = tuple(r.name for r in NAVIGATION_RELATIONS)

#: Every relation a graph edge may carry: what the RDF export, SHACL shapes and
#: ontology must know.
GRAPH_RELATIONS: tuple[RelationType, ...] = RELATION_TYPES + NAVIGATION_RELATIONS

#: The order entities are listed in per document (the extractor's output order):
#: articles first, then the things they name. Kept as it has always been, so the
#: JSON Lines output does not move.
TYPE_ORDER: tuple[str, ...] = ("Article", "Person", "Place", "CongressBody", "LiaisonStation",
                               "Organization", "Programme", "Document", "Media", "Industry")

OBSERVATION_OWNERS: frozenset[str] = frozenset(t.name for t in ENTITY_TYPES if t.owns_statistics)

_BY_NAME = {t.name: t for t in ENTITY_TYPES}
_RELATIONS = {r.name: r for r in GRAPH_RELATIONS}


def entity_type(name: str) -> EntityType:
    """The registered type of that name; KeyError for an unknown one."""
    return _BY_NAME[name]


def relation_type(name: str) -> RelationType:
    """Any graph relation's entry, the seven or a navigation one; KeyError for an unknown one."""
    return _RELATIONS[name]


assert set(TYPE_ORDER) == set(_BY_NAME), "TYPE_ORDER lists every registered type once"
