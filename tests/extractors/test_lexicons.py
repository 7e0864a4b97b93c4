"""The lexicons are data: every file is well formed, documented and read by the code,
and an entry added to one changes what the rules find."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from renda_kg.extractors import lexicons
from renda_kg.extractors.lexicons import LexiconError, mapping, words
from renda_kg.extractors.pipeline import extract_document
from renda_kg.extractors.records import SourceDocument

LEXICON_DIR = Path(lexicons.__file__).parent
SOURCE_DIR = Path(__file__).resolve().parents[2] / "extractors"
LEVELS = {"province", "city", "county", "town", "village"}
CONGRESS_KINDS = {"standing_committee", "congress", "presidium", "working_committee", "deputy_group"}


@pytest.mark.parametrize("name", lexicons.names())
def test_every_lexicon_has_a_header_and_entries(name):
    lines = (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 20, f"{name}.txt needs a header saying what belongs in it"
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    assert entries, f"{name}.txt is empty"
    keys = [line.split()[0] for line in entries]
    assert len(keys) == len(set(keys)), f"{name}.txt lists a word twice"


@pytest.mark.parametrize("name", lexicons.names())
def test_every_lexicon_is_read_by_the_code(name):
    source = "\n".join(p.read_text(encoding="utf-8") for p in SOURCE_DIR.rglob("*.py"))
    assert re.search(rf"""(words|mapping)\(["']{name}["']\)""", source), f"nothing reads {name}.txt"


def test_values_are_the_schema_vocabulary():
    assert set(mapping("place_suffixes").values()) <= LEVELS
    assert set(mapping("locality_suffixes").values()) <= LEVELS
    assert set(mapping("congress_kinds").values()) <= CONGRESS_KINDS


def test_a_word_list_read_as_a_mapping_is_refused():
    with pytest.raises(LexiconError, match="expected a word and a value"):
        mapping("creation_verbs")
    with pytest.raises(LexiconError, match="no lexicon named"):
        words("no_such_lexicon")


def _names(text: str, entity_type: str) -> set[str]:
    _, result = extract_document(SourceDocument("t", "t.txt", text, "utf-8"), ("rules",))
    return {e.name for e in result.entities if e.type == entity_type}


@pytest.mark.parametrize("suffix", [w for w in words("department_suffixes") if len(w) > 1])
def test_each_department_suffix_makes_an_organization(suffix):
    official = mapping("official_suffixes").get(suffix, suffix)
    assert f"定远县{official}" in _names(f"定远县人大常委会组织代表视察定远县{suffix}的工作。", "Organization")
