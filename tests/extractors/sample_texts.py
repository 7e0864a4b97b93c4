"""Running the extractor on a made-up text and reading its result by names, as the
recall tests do: one helper instead of a copy in every test file."""
from __future__ import annotations

from typing import Sequence

from renda_kg.extractors.pipeline import extract_document
from renda_kg.extractors.records import DocumentResult, Relation, SourceDocument


def extract_text(text: str, extractors: Sequence[str] = ("rules",), doc_id: str = "t") -> DocumentResult:
    """The whole pipeline on ``text`` as the file ``<doc_id>.txt``."""
    return extract_document(SourceDocument(doc_id, f"{doc_id}.txt", text, "utf-8"), tuple(extractors))[1]


def names_of(result: DocumentResult, type_: str) -> set[str]:
    """Canonical names of the result's entities of one type."""
    return {e.name for e in result.entities if e.type == type_}


def relations_by_name(result: DocumentResult) -> dict[tuple[str, str, str], Relation]:
    """(head name, relation, tail name) → relation."""
    names = result.names()
    return {(names[r.head], r.relation, names[r.tail]): r for r in result.relations}


def pairs(result: DocumentResult, relation: str) -> set[tuple[str, str]]:
    """(head name, tail name) of one relation."""
    return {(h, t) for h, r, t in relations_by_name(result) if r == relation}


def entities_and_relations(text: str, extractors: Sequence[str] = ("rules",)):
    """(type, name) → entity, and the (head, relation, tail) names, of a one-article text."""
    result = extract_text(text, extractors)
    return {(e.type, e.name): e for e in result.entities}, set(relations_by_name(result))
