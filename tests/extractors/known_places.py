"""Places handed to the rules the way the gazetteer hands them over, from a small table,
so rule and resolver tests pin their own module and not the gazetteer's behaviour."""
from __future__ import annotations

import re

from renda_kg.extractors.records import PlaceSpan

#: surface → (official name, level, parents nearest first)
Known = dict[str, tuple[str, str, tuple[str, ...]]]


def place_spans(known: Known, text: str) -> list[PlaceSpan]:
    """Longest known surfaces first, without overlaps, in text order."""
    spans: list[PlaceSpan] = []
    taken: set[int] = set()
    for surface in sorted(known, key=len, reverse=True):
        for m in re.finditer(re.escape(surface), text):
            if taken.intersection(range(m.start(), m.end())):
                continue
            name, level, parents = known[surface]
            spans.append(PlaceSpan(m.start(), m.end(), surface, name, level, parents=parents))
            taken.update(range(m.start(), m.end()))
    return sorted(spans, key=lambda p: p.start)
