"""China's five-level administrative tree (jionlp's china_location) with fast matching.

Provinces, cities and counties carry adcodes; towns and villages hang below
their county. Names are matched with one Aho-Corasick automaton (pyahocorasick):
official names and the short forms jionlp lists (山东, 临沂, 开化) at the three
upper levels, and town names with an administrative suffix. Town short forms
("齐溪" for 齐溪镇) and village names are far too ambiguous to look for
everywhere, so `short_forms_in` looks for them only under the counties a
document already names (its anchors).

The built tree is kept in the start-up cache (`startup_cache`) as plain data, so a
process loads it instead of parsing jionlp's file again.

Node identifiers are stable and readable: the adcode for a province, city or
county; ``<county adcode>/<town>`` and ``<county adcode>/<town>/<village>`` below.
Municipalities (北京市 …) and "省直辖行政区划" have no city level in the tree: their
counties hang straight below the province. Cities without counties (东莞, 中山, 儋州,
嘉峪关) list their towns under a pseudo-county "市直辖行政区划" that shares the city's
adcode: those towns hang straight below the city, so no node is its own parent.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

from .text_normaliser import fold_lookalikes

__all__ = ["PlaceNode", "PlaceMatch", "PlaceGazetteer", "LEVELS"]

LEVELS = ("province", "city", "county", "town", "village")
#: Suffixes that make a town-level name a town by its form.
TOWN_SUFFIXES = ("街道办事处", "街道", "民族乡", "民族苏木", "苏木", "镇", "乡")
#: Pseudo-cities of the source data that are no real level of the tree.
_NO_CITY = ("省直辖行政区划", "省直辖县级行政区划", "自治区直辖县级行政区划")
#: Pseudo-counties of cities whose towns sit directly below the city.
_NO_COUNTY = ("市直辖行政区划",)


@dataclass(frozen=True)
class PlaceNode:
    node_id: str
    name: str
    level: str
    parent_id: Optional[str] = None
    adcode: Optional[str] = None


@dataclass(frozen=True)
class PlaceMatch:
    """A name found in a text: offsets into it, and every node the name can denote."""

    start: int
    end: int
    surface: str
    candidates: tuple[PlaceNode, ...]


#: Joins the village names of a town in one string (no name holds a line break).
_VILLAGE_SEP = "\n"


class _Villages:
    """Village names by town id, one joined string per town, split when a town is asked
    for: two thirds of a million strings would cost more to load than all the rest."""

    def __init__(self, joined: dict[str, str]):
        self.joined = joined

    def get(self, town_id: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        names = self.joined.get(town_id)
        return default if names is None else tuple(names.split(_VILLAGE_SEP))

    def items(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        for town_id in self.joined:
            yield town_id, self.get(town_id)


def town_stem(name: str) -> str:
    """齐溪镇 → 齐溪, 河西街道 → 河西; '' when nothing of two characters is left."""
    for s in TOWN_SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return ""


class PlaceGazetteer:
    """The tree, its name index and the matchers."""

    def __init__(self, nodes: Iterable[PlaceNode]):
        import ahocorasick
        self._nodes: dict[str, PlaceNode] = {}
        self._children: dict[str, list[str]] = {}
        for n in nodes:
            self._nodes[n.node_id] = n
            if n.parent_id is not None:
                self._children.setdefault(n.parent_id, []).append(n.node_id)
        self._aliases: dict[str, tuple[str, ...]] = {}
        self._names: dict[str, list[str]] = {}
        self._automaton = ahocorasick.Automaton()
        # villages (two thirds of a million) stay names until asked for
        self._villages = _Villages({})
        # printed forms of a node other than its name and short forms: name -> {node id: renamed?}
        self._printed: dict[str, dict[str, bool]] = {}
        # `local_names` per anchor and per town, filled as documents ask
        self._towns_cache: dict[str, tuple[str, ...]] = {}
        self._town_names_cache: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {}

    # -- construction -----------------------------------------------------

    def _index(self, name: str, node_id: str) -> None:
        ids = self._names.setdefault(name, [])
        if node_id not in ids:
            ids.append(node_id)

    def _finish(self) -> "PlaceGazetteer":
        for name, ids in self._names.items():
            self._automaton.add_word(name, (name, tuple(ids)))
        self._automaton.make_automaton()
        return self

    def _matches(self, automaton, text: str, lookup) -> list[PlaceMatch]:
        out = []
        for end, (name, ids) in automaton.iter(fold_lookalikes(text)):
            start = end - len(name) + 1
            out.append(PlaceMatch(start, end + 1, text[start:end + 1], tuple(lookup(i) for i in ids)))
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> "PlaceGazetteer":
        """Parse jionlp's tab-indented china_location.txt."""
        tree = _TreeReader()
        for raw in lines:
            tree.read(raw)
        gaz = cls(tree.nodes)
        gaz._villages = _Villages({k: _VILLAGE_SEP.join(v) for k, v in tree.villages.items()})
        for n in tree.nodes:
            if n.level in ("province", "city", "county") or (n.level == "town" and town_stem(n.name)):
                gaz._index(n.name, n.node_id)
        for alias, node_id in tree.aliases:
            node = gaz._nodes[node_id]
            if len(alias) >= 2 and alias != node.name:
                gaz._index(alias, node_id)
        for node in tree.nodes:
            for printed, renamed in _printed_forms(node, tree.aliases_of.get(node.node_id, ())):
                gaz._printed.setdefault(printed, {})[node.node_id] = renamed
                gaz._index(printed, node.node_id)
        return gaz._finish()

    @classmethod
    def default(cls) -> "PlaceGazetteer":
        """The tree shipped with jionlp, loaded once per process (from the start-up cache)."""
        return _default()

    def state(self) -> tuple:
        """The built tree as plain data (tuples, strings, dicts and the automaton), for
        the start-up cache: no class of this module is pickled, so an entry stays
        readable whatever name the module is imported under."""
        nodes = [(n.node_id, n.name, n.level, n.parent_id, n.adcode) for n in self._nodes.values()]
        return (nodes, self._children, self._villages.joined, self._names, self._printed, self._automaton)

    @classmethod
    def from_state(cls, state: tuple) -> "PlaceGazetteer":
        """The tree `state` describes, equal to the one it was taken from (children lists
        included: a node id the source lists twice is its parent's child twice)."""
        nodes, children, villages, names, printed, automaton = state
        gaz = cls(())
        gaz._nodes = {n[0]: PlaceNode(*n) for n in nodes}
        gaz._children, gaz._villages, gaz._names, gaz._printed, gaz._automaton = (
            children, _Villages(villages), names, printed, automaton)
        return gaz

    # -- the tree ---------------------------------------------------------

    def node(self, node_id: str) -> PlaceNode:
        """The node of an id; KeyError for an unknown one."""
        found = self._nodes.get(node_id)
        if found is not None:
            return found
        town_id, _, village = node_id.rpartition("/")
        if village and village in self._villages.get(town_id, ()):
            return PlaceNode(node_id, village, "village", town_id)
        return self._unlisted(node_id)

    def _unlisted(self, node_id: str) -> PlaceNode:
        """A place the tree lacks, named by the text below a place it has (`child_id`):
        one level below its parent, so the walk up the tree reaches the parent's
        ancestors. KeyError when the parent is unknown too."""
        parent_id, _, name = node_id.rpartition("/")
        if not parent_id or not name:
            raise KeyError(node_id)
        parent = self.node(parent_id)
        level = LEVELS[min(LEVELS.index(parent.level) + 1, len(LEVELS) - 1)]
        return PlaceNode(node_id, name, level, parent.node_id)

    @staticmethod
    def child_id(parent_id: str, name: str) -> str:
        """The id of a place the tree lacks below ``parent_id`` ("云城街道" → its 金山社区),
        in the tree's own readable form, so the same place gets the same id everywhere."""
        return f"{parent_id}/{name}"

    def nodes(self, levels: Sequence[str] = LEVELS) -> Iterator[PlaceNode]:
        """Nodes of the given levels (villages are built on the fly)."""
        for n in self._nodes.values():
            if n.level in levels:
                yield n
        if "village" in levels:
            for town_id, names in self._villages.items():
                for v in names:
                    yield PlaceNode(f"{town_id}/{v}", v, "village", town_id)

    def ancestors(self, node_id: str) -> list[PlaceNode]:
        """Parents of a node, nearest first; KeyError for an unknown id.

        Cycle-safe: a walk stops at a node already seen or a parent that is not in the
        tree, so a damaged source file can never make it loop."""
        out: list[PlaceNode] = []
        seen = {node_id}
        node = self.node(node_id)
        while node.parent_id is not None and node.parent_id not in seen:
            parent = self._nodes.get(node.parent_id) or self._village_or_unlisted(node.parent_id)
            if parent is None:
                break
            seen.add(parent.node_id)
            out.append(parent)
            node = parent
        return out

    def _village_or_unlisted(self, node_id: str) -> Optional[PlaceNode]:
        """A parent outside the indexed levels: a village, or a place the text added."""
        if "/" not in node_id:
            return None
        try:
            return self.node(node_id)
        except KeyError:
            return None

    def children(self, node_id: str) -> list[PlaceNode]:
        kids = [self._nodes[c] for c in self._children.get(node_id, ())]
        return kids + [PlaceNode(f"{node_id}/{v}", v, "village", node_id)
                       for v in self._villages.get(node_id, ())]

    def by_name(self, name: str) -> list[PlaceNode]:
        return [self._nodes[i] for i in self._names.get(name, ())]

    # -- matching ---------------------------------------------------------

    def find(self, text: str) -> list[PlaceMatch]:
        """Every indexed name in the text, overlapping matches included.

        A town printed under a name the tree files otherwise (Beijing's 雁栖镇 for the
        tree's 雁栖地区) is named as printed, like a renamed town (`short_forms_in`)."""
        out = self._matches(self._automaton, text, self._nodes.__getitem__)
        return [replace(m, candidates=tuple(self._as_printed(c, fold_lookalikes(m.surface)) for c in m.candidates))
                if fold_lookalikes(m.surface) in self._printed else m for m in out]

    def _as_printed(self, node: PlaceNode, printed: str) -> PlaceNode:
        return replace(node, name=printed) if self._printed.get(printed, {}).get(node.node_id) else node

    def is_full_form(self, printed: str, node: PlaceNode) -> bool:
        """Is ``printed`` the node's name, or a form as full as it (with its level word)?

        "张家川县" for 张家川回族自治县 drops only the people's name: the county's level
        word is printed, so it is no bare short form like "张家川"."""
        return printed == node.name or node.node_id in self._printed.get(printed, {})

    def short_forms_in(self, text: str, anchors: Sequence[str]) -> list[PlaceMatch]:
        """Town short forms and village names below the anchored counties and towns.

        A town printed with another town suffix than the tree's ("盛家坝镇" for the
        tree's 盛家坝乡, "褚河街道" for 褚河镇: made a town or a subdistrict since) is
        matched whole, so no stray 镇 is left for other rules to read as part of a
        name (unless the text prints the tree's name too: then the other is something
        else, "洛阳镇……洛阳街道居委会"), and is named as printed: the tree's name is out of date, and the bodies
        named after the town ("褚河街道人大工委") must keep the printed name too. The
        node id still leads to the tree's entry."""
        automaton = _local_automaton(self, tuple(sorted(set(anchors))))
        if automaton is None:
            return []
        out = []
        folded = fold_lookalikes(text)
        for m in self._matches(automaton, text, self.node):
            printed = fold_lookalikes(m.surface)
            if any(_renamed_town(c, printed) for c in m.candidates):
                if any(c.name in folded for c in m.candidates):
                    continue            # "洛阳镇……洛阳街道居委会": the town is there by its own name
                m = replace(m, candidates=tuple(replace(c, name=printed) if _renamed_town(c, printed) else c
                                                for c in m.candidates))
            out.append(m)
        return out

    def local_names(self, anchors: Sequence[str]) -> dict[str, list[str]]:
        """Names to look for below the anchors: town stems, whole towns, villages."""
        names: dict[str, list[str]] = {}
        towns = [t for a in anchors for t in self._towns_below(a)]
        for t in towns:
            for name, node_id in self._town_names(t)[0]:
                ids = names.setdefault(name, [])
                if node_id not in ids:
                    ids.append(node_id)
        for t in towns:                  # other suffixes last: never over a real name
            for variant in self._town_names(t)[1]:
                names.setdefault(variant, [t])
        return names

    def _towns_below(self, anchor: str) -> tuple[str, ...]:
        """Ids of the towns an anchor stands for (itself, or the towns right below a
        county or a city), kept per anchor: document after document names the same counties."""
        found = self._towns_cache.get(anchor)
        if found is None:
            node = self._nodes.get(anchor)
            if node is None or node.level not in ("city", "county", "town"):
                found = ()
            elif node.level == "town":
                found = (node.node_id,)
            else:       # a city counts here only when its towns sit directly below it (东莞市)
                found = tuple(c.node_id for c in self.children(anchor) if c.level == "town")
            self._towns_cache[anchor] = found
        return found

    def _town_names(self, town_id: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
        """A town's local names in the order `local_names` adds them ((name, node id) of
        the town, its stem and its villages of three characters or more), and its names
        under the other town suffixes; kept per town, so no village node is made again."""
        found = self._town_names_cache.get(town_id)
        if found is None:
            town = self._nodes[town_id]
            pairs = [(town.name, town_id)]
            stem = town_stem(town.name)
            if stem:
                pairs.append((stem, town_id))
            # `children` without making its nodes: those in the tree, then the villages
            pairs += [(c.name, c.node_id) for c in map(self._nodes.__getitem__, self._children.get(town_id, ()))
                      if len(c.name) >= 3]
            pairs += [(v, self.child_id(town_id, v)) for v in self._villages.get(town_id, ()) if len(v) >= 3]
            found = self._town_names_cache[town_id] = (tuple(pairs), tuple(_suffix_variants(town.name)))
        return found


def _printed_forms(node: PlaceNode, aliases: Sequence[str]) -> list[tuple[str, bool]]:
    """Forms in which a text prints a node in full though the tree does not list them,
    each with whether the printed form becomes the name (True) or stays an alias.

    An autonomous county or banner printed with its level word but without its
    peoples ("张家川县" for 张家川回族自治县, "X旗" for X蒙古族自治旗): the official
    name stays. A Beijing area office (the tree's "雁栖地区") is the town printed
    "雁栖镇": the printed name wins, as for a town whose suffix changed."""
    if node.level == "county" and node.name.endswith(("自治县", "自治旗")):
        return [(a + node.name[-1], False) for a in aliases if 2 <= len(a) < len(node.name) - 3]
    if node.level == "town" and node.name.endswith("地区"):
        stem = node.name[:-2]
        if 2 <= len(stem) <= 3 and not stem.endswith(_NOT_AREA_STEM):
            return [(stem + "镇", True), (node.name, False)]
    return []


#: Ends of the stem of a tree entry "X地区" that is no area office but a farm, forest
#: or subdistrict filed under that word.
_NOT_AREA_STEM = ("场", "所", "区", "道", "园", "镇")


class _TreeReader:
    """Reads the tab-indented tree line by line, keeping the open branch.

    Depth 0 is a province, 1 a city, 2 a county, 3 a town, 4 a village. Pseudo levels
    are folded away: a municipality's "city" is the province itself, and a city
    without counties lists its towns under a pseudo-county that is the city itself."""

    def __init__(self) -> None:
        self.nodes: list[PlaceNode] = []
        self.aliases: list[tuple[str, str]] = []
        self.aliases_of: dict[str, list[str]] = {}
        self.villages: dict[str, list[str]] = {}
        self.province = self.city = self.county = self.town = None

    def read(self, raw: str) -> None:
        if raw.startswith("\t\t\t\t"):                 # villages: most lines, kept cheap
            if self.town is not None:
                self.villages.setdefault(self.town.node_id, []).append(raw.strip())
            return
        line = raw.rstrip("\r\n")
        if not line.strip():
            return
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth == 3 and self.county is not None:
            self.town = self._add(f"{self.county.node_id}/{parts[0]}", parts[0], "town", self.county)
        elif len(parts) == 3 and depth < 3:
            (self._province, self._city, self._county)[depth](*parts)

    def _add(self, node_id: str, name: str, level: str, parent: PlaceNode | None,
             adcode: str | None = None, aliases: str = "") -> PlaceNode:
        node = PlaceNode(node_id, name, level, parent.node_id if parent else None, adcode)
        self.nodes.append(node)
        self.aliases += [(a, node_id) for a in aliases.split("/") if aliases]
        if aliases:
            self.aliases_of[node_id] = aliases.split("/")
        return node

    def _province(self, name: str, adcode: str, aliases: str) -> None:
        self.province = self._add(adcode, name, "province", None, adcode, aliases)
        self.city = self.county = self.town = None

    def _city(self, name: str, adcode: str, aliases: str) -> None:
        if self.province is None:
            return
        self.county = self.town = None
        p = self.province
        if name == p.name or name in _NO_CITY or adcode == p.adcode:
            self.city = p                                   # municipality: no city level
        else:
            self.city = self._add(adcode, name, "city", p, adcode, aliases)

    def _county(self, name: str, adcode: str, aliases: str) -> None:
        if self.city is None:
            return
        if name in _NO_COUNTY or adcode == self.city.adcode:
            self.county = self.city                         # towns directly under the city
        else:
            self.county = self._add(adcode, name, "county", self.city, adcode, aliases)


#: Town suffixes a town may have changed between since the tree was made (乡 → 镇, 镇 → 街道).
_RENAMED_SUFFIXES = ("街道", "镇", "乡")


def _suffix_variants(name: str) -> list[str]:
    """The town's name with each other suffix: 盛家坝乡 → 盛家坝街道, 盛家坝镇."""
    stem = town_stem(name)
    if not stem or not name.endswith(_RENAMED_SUFFIXES):
        return []
    return [stem + s for s in _RENAMED_SUFFIXES if stem + s != name]


def _renamed_town(node: PlaceNode, printed: str) -> bool:
    """Is ``printed`` the town ``node`` under another town suffix?"""
    return node.level == "town" and printed != node.name and printed in _suffix_variants(node.name)


@lru_cache(maxsize=64)
def _local_automaton(gaz: PlaceGazetteer, anchors: tuple[str, ...]):
    import ahocorasick
    names = gaz.local_names(anchors)
    if not names:
        return None
    automaton = ahocorasick.Automaton()
    for name, ids in names.items():
        automaton.add_word(name, (name, tuple(ids)))
    automaton.make_automaton()
    return automaton


def _jionlp_location_file() -> Path:
    """Path of jionlp's zipped tree, found without importing jionlp (its import costs seconds)."""
    import importlib.util
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jionlp is not installed: pip install 'jionlp>=1.5.20,<1.6'")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "china_location.zip"


def _build_default(path: Path) -> PlaceGazetteer:
    with zipfile.ZipFile(path) as zf, zf.open("china_location.txt") as fh:
        return PlaceGazetteer.from_lines(fh.read().decode("utf-8").splitlines())


def _default_state() -> tuple[Any, ...]:
    """The default tree's state, built from jionlp's file once and then read from the
    start-up cache; the key covers that file and this module's code."""
    from .startup_cache import load_or_build
    path = _jionlp_location_file()
    return load_or_build("place_gazetteer", [path, Path(__file__)], lambda: _build_default(path).state())


@lru_cache(maxsize=1)
def _default() -> PlaceGazetteer:
    return PlaceGazetteer.from_state(_default_state())
