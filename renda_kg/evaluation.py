"""Score extracted entities and relations against gold annotations (SCHEMA.md, Scoring).

Both sides use the same document shape — ``{"doc", "entities": [{"type", "name",
"aliases"}], "relations": [{"head", "relation", "tail"}]}`` — gold as one JSON file
per document, predictions as the JSON Lines that ``renda-kg extract`` writes.
Any other key ("evidence", "observations", "kind", "level", "role", …) is ignored.

Scoring, per document and then summed (micro) over the gold documents:

* names are compared after NFKC, traditional → simplified (OpenCC t2s) and the
  removal of white space and quotes (“”"'‘’「」『』《》〈〉), so OCR and typesetting
  variants of one name are one name;
* an entity matches when the types are equal and one of its names (canonical name
  or alias) equals one of the other's; *relaxed* scoring also lets one name
  contain the other;
* a relation matches when the relation types are equal and both ends match
  (relaxed: match relaxedly). Each end is resolved on its own side — gold head
  to a gold entity, predicted head to a predicted entity — and the two entities
  must match; an end naming no entity of its side is kept as a bare name and
  compared, whatever the type, with the other side's names and aliases;
* matching is one-to-one and greedy, exact names first, then aliases, then
  (relaxed only) containment, in file order, so duplicates count as false
  positives and results do not depend on anything but the inputs.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, TypeVar

__all__ = [
    "AnnotatedDocument", "AnnotatedEntity", "AnnotatedRelation", "Counts", "DocumentScore", "NameNormaliser",
    "Report", "Scores", "Table", "format_report", "load_gold", "load_predictions",
    "parse_document", "report_to_json", "score",
]

# ---------------------------------------------------------------------------
# Input records


@dataclass(frozen=True)
class AnnotatedEntity:
    """One annotated or predicted entity; only what scoring looks at is kept. (Not the
    pipeline's `records.Entity`: gold has no ids or evidence, and ends are compared by name.)"""
    type: str
    name: str
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.type} {self.name}"


@dataclass(frozen=True)
class AnnotatedRelation:
    """A typed edge between two entities of the same document, named by their names (which
    may name no entity of the document: the scorer compares such an end as a bare name)."""
    head: str
    relation: str
    tail: str

    def __str__(self) -> str:
        return f"{self.head} -{self.relation}-> {self.tail}"


@dataclass(frozen=True)
class AnnotatedDocument:
    """The entities and relations of one document, gold or predicted."""
    doc: str
    entities: tuple[AnnotatedEntity, ...] = ()
    relations: tuple[AnnotatedRelation, ...] = ()


def _string(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, got {type(value).__name__}")
    return value


def _list(record: Mapping[str, Any], key: str) -> list:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f'"{key}" must be a list, got {type(value).__name__}')
    return value


def parse_document(record: Any) -> AnnotatedDocument:
    """Check one decoded JSON document and keep only the scored fields.

    Raises ValueError naming the offending field, so a broken file fails loudly
    instead of silently scoring as empty.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    doc = _string(record.get("doc"), '"doc"')
    entities = []
    for i, e in enumerate(_list(record, "entities")):
        where = f"entities[{i}]"
        if not isinstance(e, dict):
            raise ValueError(f"{where} must be an object")
        aliases = e.get("aliases") or []
        if not isinstance(aliases, list):
            raise ValueError(f'{where}: "aliases" must be a list')
        entities.append(AnnotatedEntity(_string(e.get("type"), f'{where}: "type"'),
                                        _string(e.get("name"), f'{where}: "name"'),
                                        tuple(_string(a, f'{where}: alias') for a in aliases)))
    relations = []
    for i, r in enumerate(_list(record, "relations")):
        where = f"relations[{i}]"
        if not isinstance(r, dict):
            raise ValueError(f"{where} must be an object")
        relations.append(AnnotatedRelation(*(_string(r.get(k), f'{where}: "{k}"')
                                             for k in ("head", "relation", "tail"))))
    return AnnotatedDocument(doc, tuple(entities), tuple(relations))


def load_predictions(path: str | Path) -> dict[str, AnnotatedDocument]:
    """Read `renda-kg extract` output: one JSON document per line, blank lines skipped.

    Raises FileNotFoundError when the file is missing and ValueError("line N: …")
    for a line that is not a valid document or repeats a document id (two lines
    for one document would make the score depend on which one wins).
    """
    docs: dict[str, AnnotatedDocument] = {}
    with open(path, encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"line {number}: not valid JSON ({err.msg}, column {err.colno})") from None
            try:
                doc = parse_document(record)
            except ValueError as err:
                raise ValueError(f"line {number}: {err}") from None
            if doc.doc in docs:
                raise ValueError(f"line {number}: document {doc.doc!r} appears twice")
            docs[doc.doc] = doc
    return docs


def load_gold(directory: str | Path) -> dict[str, AnnotatedDocument]:
    """Read every ``*.json`` file of a directory (sorted by name), one document each.

    A file without a "doc" key is named after its file stem. Raises ValueError
    naming the file when one is malformed or two files claim the same document.
    """
    docs: dict[str, AnnotatedDocument] = {}
    for path in sorted(Path(directory).glob("*.json")):
        try:
            record = json.loads(path.read_text("utf-8-sig"))
            if isinstance(record, dict) and "doc" not in record:
                record = {**record, "doc": path.stem}
            doc = parse_document(record)
        except ValueError as err:  # JSONDecodeError is a ValueError
            raise ValueError(f"{path}: {err}") from None
        if doc.doc in docs:
            raise ValueError(f"{path}: document {doc.doc!r} appears in two gold files")
        docs[doc.doc] = doc
    return docs


# ---------------------------------------------------------------------------
# Report


@dataclass(frozen=True)
class Counts:
    """True positives against predicted and gold totals; P/R/F1 are 0 when undefined."""
    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        # the harmonic mean of P and R, written so that it is 0 rather than 0/0
        return 2 * self.tp / (self.pred + self.gold) if self.tp else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.pred + other.pred, self.gold + other.gold)


@dataclass(frozen=True)
class Scores:
    """Strict and relaxed counts of one slice (they share gold and predicted totals)."""
    strict: Counts = Counts()
    relaxed: Counts = Counts()

    @property
    def gold(self) -> int:
        return self.strict.gold

    @property
    def pred(self) -> int:
        return self.strict.pred

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.strict + other.strict, self.relaxed + other.relaxed)


@dataclass(frozen=True)
class Table:
    """Overall scores and scores per entity or relation type, types sorted by name."""
    overall: Scores = Scores()
    by_type: tuple[tuple[str, Scores], ...] = ()

    def get(self, type_: str) -> Scores:
        """Scores of one type; all zeros for a type seen on neither side."""
        return dict(self.by_type).get(type_, Scores())


@dataclass(frozen=True)
class DocumentScore:
    """One gold document: its scores and its strict misses and false positives."""
    doc: str
    predicted: bool
    entities: Scores
    relations: Scores
    missed_entities: tuple[AnnotatedEntity, ...] = ()
    false_entities: tuple[AnnotatedEntity, ...] = ()
    missed_relations: tuple[AnnotatedRelation, ...] = ()
    false_relations: tuple[AnnotatedRelation, ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything `renda-kg eval` prints; `ignored` are predicted documents not in gold."""
    entities: Table
    relations: Table
    documents: tuple[DocumentScore, ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        """Gold documents without a prediction line (all their items are misses)."""
        return tuple(d.doc for d in self.documents if not d.predicted)


# ---------------------------------------------------------------------------
# Names

_DROPPED = "“”\"'‘’「」『』《》〈〉"
_DROP_TABLE = {ord(c): None for c in _DROPPED}


class NameNormaliser:
    """NFKC → traditional-to-simplified → no white space, no quotes or title marks.

    An object rather than a module-level cache so that scoring keeps no global
    state; `score` makes one per call unless handed one.
    """

    def __init__(self) -> None:
        import opencc  # imported here: loading the dictionaries is not free
        self._t2s = opencc.OpenCC("t2s")
        self._seen: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        done = self._seen.get(name)
        if done is None:
            text = self._t2s.convert(unicodedata.normalize("NFKC", name))
            done = "".join(text.translate(_DROP_TABLE).split())
            self._seen[name] = done
        return done


# Match levels, best first; strict scoring stops at ALIAS, relaxed at CONTAINED.
EXACT, ALIAS, CONTAINED = 0, 1, 2


@dataclass(frozen=True)
class _Names:
    """An entity's normalised names; `type` None for a bare relation end (see _Side.end)."""
    type: Optional[str]
    name: str
    names: frozenset[str] = field(default_factory=frozenset)


def _names(entity: AnnotatedEntity, norm: NameNormaliser) -> _Names:
    all_names = frozenset(n for n in map(norm, (entity.name, *entity.aliases)) if n)
    return _Names(entity.type, norm(entity.name), all_names)


def _level(a: _Names, b: _Names, relaxed: bool) -> Optional[int]:
    """How well two name sets match, or None. Empty names never match anything."""
    if a.type is not None and b.type is not None and a.type != b.type:
        return None
    if a.name and a.name == b.name:
        return EXACT
    if a.names & b.names:
        return ALIAS
    if relaxed and any(x in y or y in x for x in a.names for y in b.names):
        return CONTAINED
    return None


class _Side:
    """One side's entities of one document, with name → entity lookup for relation ends."""

    def __init__(self, doc: AnnotatedDocument, norm: NameNormaliser) -> None:
        self.norm = norm
        self.entities = [_names(e, norm) for e in doc.entities]
        self._by_name: dict[str, _Names] = {}
        self._by_alias: dict[str, _Names] = {}
        for e in self.entities:
            self._by_name.setdefault(e.name, e)
            for n in e.names:
                self._by_alias.setdefault(n, e)

    def end(self, name: str) -> _Names:
        """The entity a relation end names — canonical names before aliases, first wins.

        When no entity of this side carries the name, the end stays a bare,
        untyped name: `_level` then compares it with the other side's entity
        names and aliases whatever that entity's type (and with a bare name as a
        plain string), so a relation is not lost only because its end entity was
        not listed.
        """
        n = self.norm(name)
        found = self._by_name.get(n) or self._by_alias.get(n)
        return found if found is not None else _Names(None, n, frozenset({n} if n else ()))


T = TypeVar("T")
U = TypeVar("U")


def _assign(gold: Sequence[T], pred: Sequence[U], key_g: Callable[[T], str],
            key_p: Callable[[U], str], level: Callable[[T, U], Optional[int]],
            worst: int) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, predicted index).

    Stage by stage — exact names, then aliases, then containment up to `worst` —
    each unpaired gold item, in order, takes the first unpaired predicted item of
    the same key that matches at that stage or better. Deterministic, and a
    better kind of match is never displaced by a weaker one.
    """
    by_key: dict[str, list[int]] = {}
    for j, p in enumerate(pred):
        by_key.setdefault(key_p(p), []).append(j)
    candidates: list[list[tuple[int, int]]] = []
    for g in gold:
        row = []
        for j in by_key.get(key_g(g), ()):
            lv = level(g, pred[j])
            if lv is not None and lv <= worst:
                row.append((j, lv))
        candidates.append(row)
    used_g, used_p, pairs = [False] * len(gold), [False] * len(pred), []
    for stage in range(worst + 1):
        for i, row in enumerate(candidates):
            if used_g[i]:
                continue
            for j, lv in row:
                if lv <= stage and not used_p[j]:
                    used_g[i] = used_p[j] = True
                    pairs.append((i, j))
                    break
    return pairs


def _tally(gold_types: Iterable[str], pred_types: Iterable[str],
           matched_types: Iterable[str]) -> dict[str, Counts]:
    out: dict[str, list[int]] = {}
    for slot, types in ((1, pred_types), (2, gold_types), (0, matched_types)):
        for t in types:
            out.setdefault(t, [0, 0, 0])[slot] += 1
    return {t: Counts(*c) for t, c in out.items()}


@dataclass(frozen=True)
class _Outcome:
    """One document, one item kind: counts by type and strict leftovers."""
    strict: dict[str, Counts]
    relaxed: dict[str, Counts]
    missed: tuple
    false: tuple


def _score_items(gold: Sequence[T], pred: Sequence[U], type_of: Callable[[Any], str],
                 level: Callable[[T, U, bool], Optional[int]], gold_items: Sequence,
                 pred_items: Sequence) -> _Outcome:
    results = {}
    strict_pairs: list[tuple[int, int]] = []
    for relaxed in (False, True):
        pairs = _assign(gold, pred, type_of, type_of,
                        lambda g, p, relaxed=relaxed: level(g, p, relaxed), CONTAINED if relaxed else ALIAS)
        if not relaxed:
            strict_pairs = pairs
        results[relaxed] = _tally(map(type_of, gold), map(type_of, pred),
                                  (type_of(gold[i]) for i, _ in pairs))
    hit_g = {i for i, _ in strict_pairs}
    hit_p = {j for _, j in strict_pairs}
    return _Outcome(results[False], results[True],
                    tuple(x for i, x in enumerate(gold_items) if i not in hit_g),
                    tuple(x for j, x in enumerate(pred_items) if j not in hit_p))


def _score_document(gold: AnnotatedDocument, pred: AnnotatedDocument,
                    norm: NameNormaliser) -> tuple[_Outcome, _Outcome]:
    gs, ps = _Side(gold, norm), _Side(pred, norm)
    entities = _score_items(gs.entities, ps.entities, lambda e: e.type, _level,
                            gold.entities, pred.entities)

    def ends(side: _Side, rels: Sequence[AnnotatedRelation]) -> list[tuple[str, _Names, _Names]]:
        return [(r.relation, side.end(r.head), side.end(r.tail)) for r in rels]

    def rel_level(g: tuple, p: tuple, relaxed: bool) -> Optional[int]:
        head, tail = _level(g[1], p[1], relaxed), _level(g[2], p[2], relaxed)
        return None if head is None or tail is None else max(head, tail)

    relations = _score_items(ends(gs, gold.relations), ends(ps, pred.relations),
                             lambda r: r[0], rel_level, gold.relations, pred.relations)
    return entities, relations


def _table(per_doc: Iterable[tuple[dict[str, Counts], dict[str, Counts]]]) -> Table:
    strict: dict[str, Counts] = {}
    relaxed: dict[str, Counts] = {}
    for s, r in per_doc:
        for t, c in s.items():
            strict[t] = strict.get(t, Counts()) + c
        for t, c in r.items():
            relaxed[t] = relaxed.get(t, Counts()) + c
    by_type = tuple((t, Scores(strict[t], relaxed.get(t, Counts()))) for t in sorted(strict))
    overall = sum((s for _, s in by_type), Scores())
    return Table(overall, by_type)


def _overall(outcome: _Outcome) -> Scores:
    return Scores(sum(outcome.strict.values(), Counts()), sum(outcome.relaxed.values(), Counts()))


def score(predictions: Mapping[str, AnnotatedDocument], gold: Mapping[str, AnnotatedDocument],
          normaliser: Optional[NameNormaliser] = None) -> Report:
    """Score predictions against gold: only gold documents count, in gold's order.

    A gold document without a prediction scores as an empty prediction (every
    gold item a miss); predicted documents absent from gold are ignored and
    listed in `Report.ignored`.
    """
    norm = normaliser or NameNormaliser()
    documents, ent_outcomes, rel_outcomes = [], [], []
    for doc_id, g in gold.items():
        p = predictions.get(doc_id)
        ents, rels = _score_document(g, p or AnnotatedDocument(doc_id), norm)
        ent_outcomes.append(ents)
        rel_outcomes.append(rels)
        documents.append(DocumentScore(doc_id, p is not None, _overall(ents), _overall(rels),
                                       ents.missed, ents.false, rels.missed, rels.false))
    return Report(_table((o.strict, o.relaxed) for o in ent_outcomes),
                  _table((o.strict, o.relaxed) for o in rel_outcomes),
                  tuple(documents), tuple(d for d in predictions if d not in gold))


# ---------------------------------------------------------------------------
# Output


def _counts_json(c: Counts) -> dict[str, Any]:
    return {"tp": c.tp, "precision": round(c.precision, 4), "recall": round(c.recall, 4),
            "f1": round(c.f1, 4)}


def _scores_json(s: Scores) -> dict[str, Any]:
    return {"gold": s.gold, "pred": s.pred, "strict": _counts_json(s.strict),
            "relaxed": _counts_json(s.relaxed)}


def _table_json(t: Table) -> dict[str, Any]:
    return {"overall": _scores_json(t.overall),
            "by_type": {name: _scores_json(s) for name, s in t.by_type}}


def report_to_json(report: Report) -> dict[str, Any]:
    """Plain dicts, lists, ints and floats (4 decimals) in a fixed key order, for diffs."""
    return {
        "documents": {"gold": len(report.documents),
                      "predicted": sum(d.predicted for d in report.documents),
                      "missing": list(report.missing),
                      "ignored": len(report.ignored)},
        "entities": _table_json(report.entities),
        "relations": _table_json(report.relations),
        "per_document": [
            {"doc": d.doc, "predicted": d.predicted,
             "entities": _scores_json(d.entities), "relations": _scores_json(d.relations),
             "errors": {"missed_entities": [str(e) for e in d.missed_entities],
                        "false_entities": [str(e) for e in d.false_entities],
                        "missed_relations": [str(r) for r in d.missed_relations],
                        "false_relations": [str(r) for r in d.false_relations]}}
            for d in report.documents],
    }


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, left: bool) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text


def _grid(rows: list[list[str]], groups: Sequence[tuple[str, int, int]] = ()) -> list[str]:
    """Align columns (the first to the left, the rest to the right), two spaces apart.

    `groups` are (label, first column, last column) headings centred over a span,
    printed as an extra line above the rows.
    """
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(c, w, i == 0) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in rows]
    if groups:
        starts = [sum(widths[:i]) + 2 * i for i in range(len(widths))]
        head = ""
        for label, first, last in groups:
            span = starts[last] + widths[last] - starts[first]
            at = starts[first] + max(0, (span - _width(label)) // 2)
            head += " " * max(1 if head else 0, at - len(head)) + label
        lines.insert(0, head)
    return lines


def _prf(c: Counts) -> list[str]:
    return [f"{c.precision:.4f}", f"{c.recall:.4f}", f"{c.f1:.4f}"]


def _block(title: str, table: Table) -> list[str]:
    rows = [[title, "gold", "pred", "P", "R", "F1", "P", "R", "F1"]]
    for label, s in (("overall", table.overall), *table.by_type):
        rows.append([label, str(s.gold), str(s.pred), *_prf(s.strict), *_prf(s.relaxed)])
    return _grid(rows, [("strict", 3, 5), ("relaxed", 6, 8)])


def _documents_block(report: Report) -> list[str]:
    rows = [["document", "gold", "pred", "F1", "F1~", "gold", "pred", "F1", "F1~"]]
    for d in report.documents:
        rows.append([d.doc, str(d.entities.gold), str(d.entities.pred),
                     f"{d.entities.strict.f1:.4f}", f"{d.entities.relaxed.f1:.4f}",
                     str(d.relations.gold), str(d.relations.pred),
                     f"{d.relations.strict.f1:.4f}", f"{d.relations.relaxed.f1:.4f}"])
    lines = _grid(rows, [("entities", 1, 4), ("relations", 5, 8)])
    for i, d in enumerate(report.documents, 2):
        if not d.predicted:
            lines[i] += "  (no prediction)"
    return lines + ["F1 strict, F1~ relaxed"]


def format_report(report: Report, errors: bool = False) -> str:
    """The text report: entity and relation tables, per-document F1, optional error lists."""
    n_gold = len(report.documents)
    summary = f"{n_gold} gold document(s), {n_gold - len(report.missing)} with predictions"
    if report.missing:
        summary += f"; no prediction for {len(report.missing)}: {', '.join(report.missing)}"
    if report.ignored:
        summary += f"; {len(report.ignored)} predicted document(s) not in gold, ignored"
    parts = [summary, "", *_block("entities", report.entities), "",
             *_block("relations", report.relations), "", *_documents_block(report)]
    if errors:
        parts += ["", "errors (strict)"]
        if not any(d.missed_entities or d.false_entities or d.missed_relations
                   or d.false_relations for d in report.documents):
            parts.append("  none")
        for d in report.documents:
            lists = (("missed entities", d.missed_entities), ("false entities", d.false_entities),
                     ("missed relations", d.missed_relations),
                     ("false relations", d.false_relations))
            if not any(items for _, items in lists):
                continue
            parts.append(f"== {d.doc}")
            for title, items in lists:
                if items:
                    parts.append(f"  {title} ({len(items)}):")
                    parts.extend(f"    {x}" for x in items)
    return "\n".join(parts)
