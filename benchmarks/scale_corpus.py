"""A corpus of any size made from the real articles, with places and people swapped.

    .venv/bin/python benchmarks/scale_corpus.py N FOLDER [--seed 0]

Replicating the same pages (what `bench_pipeline.py` does) keeps the number of
distinct entities flat, so a 10,000-document graph would be 100 copies of a small
one. A real archive keeps meeting new counties, towns and people. Each document
here is one real article (the seed pages `seeds/*.txt` and the unlabelled real
articles `corpus/**/*.txt`; never `tests/real/`, which holds gold) whose places
are moved to another real branch of the administrative tree (jionlp's, through
`extractors/place_gazetteer.py`) and whose people get other names:

- **Places**: every name the gazetteer finds and can pin to one node (a full
  name with its level word; a short form or town stem only below a place the
  text names in full) maps to a node of the same level under the image of its
  parent, so "山东省临沂市兰山区" stays a province, a city of it and a county of
  that city. Distinct places map to distinct places; a short form prints as the
  target's short form (临沂 → 潍坊). Names the tree cannot pin stay as printed.
- **People**: three-character names printed after a title (主任吴明哲, 委员李茂凯)
  keep their surname and take the given name of a person from another article,
  everywhere in the document.

Deterministic: document i depends only on (seed, i), so the same N and seed give
byte-identical files, and the first 1,000 documents of a 10,000 corpus are the
1,000 corpus. Sources are taken in a seeded order, each once per round.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Sequence

if TYPE_CHECKING:
    from renda_kg.extractors.place_gazetteer import PlaceGazetteer, PlaceNode

ROOT = Path(__file__).resolve().parents[1]

#: Provinces no target may be: the corpus reports on mainland congresses.
NOT_TARGETS = ("香港特别行政区", "澳门特别行政区", "台湾省")
#: Common one-character surnames (fixed here, so a lexicon edit never changes the corpus).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
#: Titles printed right before a name, longest first.
TITLES = ("常务副主任", "主任委员", "副主任", "副书记", "副主席", "秘书长", "检察长", "副县长", "副市长", "副区长",
          "人大代表", "主任", "书记", "主席", "委员", "局长", "县长", "市长", "区长", "镇长", "乡长", "部长",
          "厅长", "组长", "院长", "站长", "代表", "记者", "通讯员")
#: A title, then surname + two characters, then something that ends a name.
PERSON = re.compile(f"(?:{'|'.join(TITLES)})([{SURNAMES}][\u4e00-\u9fff]{{2}})"
                    r"(?=[,，、。;；:：\s)）]|等|同志|一行|表示|指出|强调|主持|参加|出席|介绍|到|在|率|带队|与|和)")


def source_paths(root: Path = ROOT) -> list[Path]:
    """The real articles generated documents start from: seeds and corpus/, sorted."""
    paths = sorted((root / "seeds").glob("*.txt")) + sorted((root / "corpus").rglob("*.txt"))
    return [p for p in paths if "tests" not in p.relative_to(root).parts]


@dataclass(frozen=True)
class Span:
    """A stretch of source text to print otherwise."""
    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    node_id: Optional[str]       # None: the tree cannot pin it, so it is left alone
    form: str                    # "full", "short" (alias), "stem" (town without suffix, never pinned), "village"


@dataclass(frozen=True)
class GeneratedDocument:
    name: str                    # file name
    source: str                  # path of the real article, relative to the repository
    text: str
    places: tuple[tuple[str, str], ...]      # (source node id, target node id), sorted
    persons: tuple[tuple[str, str], ...]     # (printed name, new name), in order of appearance


class ScaleCorpus:
    """Generates document i of the corpus of a seed; holds the tree and the sources."""

    def __init__(self, gazetteer: Optional[PlaceGazetteer] = None, sources: Optional[Sequence[Path]] = None,
                 root: Path = ROOT):
        if gazetteer is None:
            from renda_kg.extractors.place_gazetteer import PlaceGazetteer
            gazetteer = PlaceGazetteer.default()
        self.gaz = gazetteer
        self.root = root
        self.sources = list(sources) if sources is not None else source_paths(root)
        if not self.sources:
            raise ValueError(f"no source articles under {root}/seeds or {root}/corpus")
        # newline="" keeps each file's line endings exactly
        self.texts = [p.open(encoding="utf-8", newline="").read() for p in self.sources]

    @cached_property
    def given_names(self) -> tuple[list[str], list[str]]:
        """First and second characters of the given names of the sources' titled people,
        in order of first appearance: a new given name takes one of each, so the names
        grow with the corpus as a real archive's do."""
        firsts: dict[str, None] = {}
        seconds: dict[str, None] = {}
        for text in self.texts:
            for m in PERSON.finditer(text):
                firsts.setdefault(m.group(1)[1], None)
                seconds.setdefault(m.group(1)[2], None)
        return list(firsts), list(seconds)

    @cached_property
    def provinces(self) -> list[PlaceNode]:
        return [n for n in self.gaz.nodes(("province",)) if n.name not in NOT_TARGETS]

    # -- which source -------------------------------------------------------

    def source_index(self, index: int, seed: int) -> int:
        """Sources in a seeded order, a new order each round, each source once a round."""
        n = len(self.sources)
        order = list(range(n))
        random.Random(f"scale-corpus:{seed}:round:{index // n}").shuffle(order)
        return order[index % n]

    def document(self, index: int, seed: int = 0, width: int = 5) -> GeneratedDocument:
        k = self.source_index(index, seed)
        text, path = self.texts[k], self.sources[k]
        rng = random.Random(f"scale-corpus:{seed}:doc:{index}")
        mentions = self.place_mentions(text)
        mapping = self.map_places(sorted({m.node_id for m in mentions if m.node_id}), rng)
        spans = [Span(m.start, m.end, self.printed(m, text, mapping[m.node_id]))
                 for m in mentions if m.node_id and mapping[m.node_id] != m.node_id]
        person_spans, persons = self.person_spans(text, [(m.start, m.end) for m in mentions], rng)
        new_text = apply_spans(text, spans + person_spans)
        return GeneratedDocument(f"{index:0{width}d}_{path.stem}.txt", path.relative_to(self.root).as_posix(),
                                 new_text, tuple(sorted(mapping.items())), tuple(persons))

    # -- places -------------------------------------------------------------

    def place_mentions(self, text: str) -> list[PlaceMention]:
        """Non-overlapping place names, longest first from the left, pinned where the text allows.

        Names are looked for with spaces taken out, because OCR'd pages print "临 沂市"; a
        mention's offsets are the original text's, spaces inside included."""
        squeezed, where = _squeeze(text)
        return [PlaceMention(where[m.start], where[m.end - 1] + 1, m.node_id, m.form)
                for m in self._mentions(squeezed)]

    def _mentions(self, text: str) -> list[PlaceMention]:
        matches = self.gaz.find(text)
        pinned = self._pin_full_forms(matches)
        known = self._closure(pinned.values())
        anchors = sorted(n for n in known if self.gaz.node(n).level in ("city", "county", "town"))
        local = self.gaz.short_forms_in(text, anchors) if anchors else []
        candidates: list[PlaceMention] = []
        for m in matches:
            node = pinned.get((m.start, m.end))
            if node is not None:
                candidates.append(PlaceMention(m.start, m.end, node, "full"))
            else:
                inside = [c.node_id for c in m.candidates if c.node_id in known]
                pin = inside[0] if len(set(inside)) == 1 else None
                candidates.append(PlaceMention(m.start, m.end, pin, "short"))
        for m in local:
            ids = sorted({c.node_id for c in m.candidates})
            node = self.gaz.node(ids[0]) if len(ids) == 1 else None
            if node is None or node.level not in ("town", "village"):
                form = "short"
            elif node.level == "village":
                form = "village"
            elif m.surface in (node.name, m.candidates[0].name):
                form = "full"           # the town's name, or the name it is printed under now
            else:
                node, form = None, "stem"   # 复兴, 建设: town stems are words too often; left alone
            candidates.append(PlaceMention(m.start, m.end, node.node_id if node is not None else None, form))
        return _leftmost_longest(candidates)

    def _pin_full_forms(self, matches) -> dict[tuple[int, int], str]:
        """Full names pinned to one node: alone in the tree, or the one under a place already pinned."""
        pinned: dict[tuple[int, int], str] = {}
        for _ in range(3):                     # a pinned county can pin an ambiguous town below it
            known = self._closure(pinned.values())
            for m in matches:
                if (m.start, m.end) in pinned:
                    continue
                full = sorted({c.node_id for c in m.candidates if self.gaz.is_full_form(m.surface, c)})
                if len(full) > 1:
                    full = [n for n in full if self.gaz.node(n).parent_id in known]
                if len(full) == 1:
                    pinned[(m.start, m.end)] = full[0]
        return pinned

    def _closure(self, node_ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for n in node_ids:
            out.add(n)
            out.update(a.node_id for a in self.gaz.ancestors(n))
        return out

    def map_places(self, node_ids: Sequence[str], rng: random.Random) -> dict[str, str]:
        """Each pinned node and its ancestors → a node of the same level under the image of its parent.

        Injective: two places never become one. A branch that finds no image of the same
        shape (a municipality's districts, a province without enough cities) stays as it is."""
        known = sorted(self._closure(node_ids))
        kids: dict[Optional[str], list[str]] = {}
        for n in known:
            parent = self.gaz.node(n).parent_id
            kids.setdefault(parent if parent in known else None, []).append(n)
        mapping: dict[str, str] = {}
        used: set[str] = set()
        for root in kids.get(None, []):
            pool = [] if self.gaz.node(root).level != "province" else \
                [p.node_id for p in self.provinces if p.node_id not in used and self._fits(root, p.node_id, kids)]
            for target in rng.sample(pool, min(len(pool), 8)):
                trial: dict[str, str] = {}
                if self._assign(root, target, kids, used, trial, rng):
                    break
            else:
                trial = {n: n for n in _subtree(root, kids)}
            mapping.update(trial)
            used.update(trial.values())
        return mapping

    def _assign(self, node: str, target: str, kids, used: set[str], trial: dict[str, str],
                rng: random.Random) -> bool:
        trial[node] = target
        taken = used | set(trial.values())
        for child in kids.get(node, []):
            level = self.gaz.node(child).level
            pool = [c.node_id for c in self.gaz.children(target)
                    if c.level == level and c.node_id not in taken and self._fits(child, c.node_id, kids)]
            for pick in rng.sample(pool, min(len(pool), 3)):
                if self._assign(child, pick, kids, used, trial, rng):
                    taken = used | set(trial.values())
                    break
                for n in _subtree(child, kids):
                    trial.pop(n, None)
            else:
                return False
        return True

    def _fits(self, node: str, target: str, kids) -> bool:
        """Has ``target`` as many children of each level as ``node`` has pinned ones?"""
        need: dict[str, int] = {}
        for child in kids.get(node, []):
            level = self.gaz.node(child).level
            need[level] = need.get(level, 0) + 1
        if not need:
            return True
        have: dict[str, int] = {}
        for c in self.gaz.children(target):
            have[c.level] = have.get(c.level, 0) + 1
        return all(have.get(level, 0) >= k for level, k in need.items())

    def printed(self, mention: PlaceMention, text: str, target_id: str) -> str:
        """The target printed the way the source printed its node."""
        from renda_kg.extractors.place_gazetteer import town_stem
        target = self.gaz.node(target_id)
        if mention.form in ("full", "village"):
            return target.name
        if target.level == "town":
            return town_stem(target.name) or target.name
        return self.short_form(target) or target.name

    def short_form(self, node: PlaceNode) -> str:
        """The longest shorter name the tree indexes for the node (临沂市 → 临沂), or ''."""
        for k in range(len(node.name) - 1, 1, -1):
            prefix = node.name[:k]
            if any(c.node_id == node.node_id for c in self.gaz.by_name(prefix)):
                return prefix
        return ""

    # -- people -------------------------------------------------------------

    def person_spans(self, text: str, places: Sequence[tuple[int, int]],
                     rng: random.Random) -> tuple[list[Span], list[tuple[str, str]]]:
        """Every occurrence of each titled name, renamed; none that overlaps a place name."""
        names = list(dict.fromkeys(m.group(1) for m in PERSON.finditer(text)))
        taken = set(names)
        firsts, seconds = self.given_names
        spans, renamed = [], []
        for name in names:
            new = name
            for _ in range(20):
                new = name[0] + rng.choice(firsts) + rng.choice(seconds)
                if new not in taken:
                    break
            if new in taken:
                continue
            taken.add(new)
            renamed.append((name, new))
            start = text.find(name)
            while start >= 0:
                end = start + len(name)
                if not any(s < end and start < e for s, e in places):
                    spans.append(Span(start, end, new))
                start = text.find(name, end)
        return spans, renamed


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The text without spaces, and the original offset of each character left."""
    where = [i for i, ch in enumerate(text) if ch not in " \u3000"]
    return "".join(text[i] for i in where), where


def _subtree(root: str, kids) -> list[str]:
    out, todo = [], [root]
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(kids.get(n, []))
    return out


def _leftmost_longest(mentions: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Non-overlapping mentions: at each start the longest; an unpinned one still blocks its span."""
    out: list[PlaceMention] = []
    end = -1
    for m in sorted(mentions, key=lambda m: (m.start, -m.end, m.node_id is None, m.node_id or "")):
        if m.start >= end:
            out.append(m)
            end = m.end
    return out


def apply_spans(text: str, spans: Sequence[Span]) -> str:
    """The text with each span replaced; spans must not overlap (later overlapping ones are dropped)."""
    parts, pos = [], 0
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if s.start < pos:
            continue
        parts += [text[pos:s.start], s.replacement]
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def write_corpus(folder: Path, n: int, seed: int = 0, corpus: Optional[ScaleCorpus] = None) -> list[Path]:
    """Write documents 0 … n-1 into ``folder`` (created; files of the same names replaced)."""
    corpus = corpus or ScaleCorpus()
    folder.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(n - 1)))
    paths = []
    for i in range(n):
        doc = corpus.document(i, seed, width)
        path = folder / doc.name
        path.write_bytes(doc.text.encode("utf-8"))
        paths.append(path)
    return paths


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, metavar="N", help="number of documents")
    ap.add_argument("folder", type=Path, metavar="FOLDER", help="where to write them")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = ap.parse_args(argv)
    if args.n < 1:
        print(f"scale_corpus: N must be 1 or more; got {args.n}", file=sys.stderr)
        return 2
    if args.folder.exists() and not args.folder.is_dir():
        print(f"scale_corpus: {args.folder} is not a directory", file=sys.stderr)
        return 2
    paths = write_corpus(args.folder, args.n, args.seed)
    print(f"scale_corpus: {len(paths)} documents in {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
