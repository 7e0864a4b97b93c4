"""The graph as RDF in the renda ontology (ontology/renda.ttl): Turtle and N-Triples.

Every node becomes an IRI derived from its node id, so adding documents never
renames a resource. Every edge is a direct triple and also a
renda:RelationAssertion (an rdf:Statement) carrying its evidence, so one SPARQL
query returns the sentence, file and offsets behind any statement. Evidence,
assertions and observations get IRIs hashed from their content rather than blank
nodes, and the files are written in a fixed order: a re-run writes identical bytes.

Any text can be a name. IRIs are built from letters, digits and the few marks an IRI
path holds as they are; everything else, down to spaces, quotes, ``<>{}|^`\\``,
controls and lone surrogates, is percent-encoded (distinct ids stay distinct).
Literals keep their text: N-Triples and Turtle escape ``"``, ``\\``, line breaks, the
other controls, DEL and U+FFFE/U+FFFF as ``\\n``, ``\\u001B`` …; only a lone surrogate,
which UTF-8 cannot hold, becomes U+FFFD (safe_text.encodable).
"""
from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
import shutil
import tempfile
import unicodedata
import weakref
from decimal import Decimal
from pathlib import Path
from typing import IO

import networkx as nx
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG

from ...ontology import NAMESPACE
from ..output_files import atomic_writer
from .safe_text import encodable

__all__ = ["BASE_ENV", "DEFAULT_BASE", "RENDA", "base_iri", "graph_to_rdf", "node_iri",
           "write_ntriples", "write_turtle"]

RENDA = Namespace(NAMESPACE)
DEFAULT_BASE = "https://renda-kg.example/id/"
#: Environment variable that overrides DEFAULT_BASE when no base is passed.
BASE_ENV = "RENDA_KG_BASE_IRI"

# Path segments of the resources that are not graph nodes.
_OTHER_SEGMENTS = ("assertion", "evidence", "observation", "role")

# ASCII kept as it is in an IRI path besides letters and digits (RFC 3987 ipchar:
# unreserved marks, sub-delims, ':' and '@'; and '/', since gazetteer ids nest).
_KEEP = frozenset("-._~!$&'()*+,;=:@/")


def base_iri(base: str | None = None) -> str:
    """The base for resource IRIs: the argument, else $RENDA_KG_BASE_IRI, else the default."""
    base = base or os.environ.get(BASE_ENV) or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"


def _iri_char(ch: str, keep: frozenset[str] = _KEEP) -> str:
    if ch.isascii():
        return ch if ch.isalnum() or ch in keep else f"%{ord(ch):02X}"
    # Letters, digits and punctuation of other scripts are valid IRI characters;
    # spaces, controls, private-use, unassigned code points and the specials block
    # (U+FFF0–FFFF, where OCR's U+FFFD lives) are not (RFC 3987 ucschar).
    if unicodedata.category(ch)[0] in "LNPS" and not 0xFFF0 <= ord(ch) <= 0xFFFF:
        return ch
    # A lone surrogate has no UTF-8 form; its surrogatepass bytes keep ids distinct.
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))


def _iri_path(text: str, keep: frozenset[str] = _KEEP) -> str:
    return "".join(_iri_char(ch, keep) for ch in text)


def node_iri(node_id: str, base: str | None = None) -> URIRef:
    """`place:371300` → <base>place/371300: the id's type prefix becomes the first path
    segment (a '/' in it is encoded, so distinct ids never share an IRI)."""
    prefix, colon, local = node_id.partition(":")
    path = _iri_path(prefix, _KEEP - {"/"}) + (f"/{_iri_path(local)}" if colon else "")
    return URIRef(base_iri(base) + path)


def _digest(*parts: object) -> str:
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(blob.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _text(value: object, lang: str | None = None) -> Literal:
    """A string literal of any text (see the module docstring)."""
    return Literal(encodable(str(value)), lang=lang)


#: A Turtle prefix name (PN_PREFIX) that is plain ASCII: a letter, then letters,
#: digits, '_' and '-'.
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class _NTriplesLines:
    """A triple sink that keeps each triple as its N-Triples line, formatted as rdflib's
    N-Triples writer formats it: the writers need lines, not an indexed in-memory store
    (building rdflib's Graph was most of the RDF export's time and memory).

    Lines are held in a set until there are `run_lines` of them; then they go to a
    temporary file as one sorted, de-duplicated run, so memory stays bounded however
    large the graph. `write_sorted` merges the runs."""

    def __init__(self, run_lines: int = 500_000) -> None:
        self.lines: set[str] = set()
        self.run_lines = run_lines
        self._runs: list[tempfile._TemporaryFileWrapper] = []
        self._terms: dict[object, str] = {}     # N-Triples form of each term seen (most repeat)

    def _term(self, term: object) -> str:
        text = self._terms[term] = _nt_object(term)
        if len(self._terms) > 200_000:
            self._terms.clear()
        return text

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        terms = self._terms
        line = f"{terms.get(s) or self._term(s)} {terms.get(p) or self._term(p)} {terms.get(o) or self._term(o)} ."
        self.lines.add(line)
        if len(self.lines) >= self.run_lines:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile(prefix="renda-kg-nt-")  # noqa: SIM115 — closed in write_sorted
        run.write(_sorted_ntriples(self.lines))
        run.seek(0)
        self._runs.append(run)
        self.lines = set()

    def write_sorted(self, out: IO[bytes]) -> None:
        """Every line once, in byte order: with no blank nodes this is canonical N-Triples."""
        if not self._runs:
            out.write(_sorted_ntriples(self.lines))
            return
        if self.lines:
            self._spill()
        previous = None
        for line in heapq.merge(*self._runs):
            if line != previous:
                out.write(line)
                previous = line
        for run in self._runs:
            run.close()
        self._runs = []


def _nt_object(term: object) -> str:
    if not isinstance(term, Literal):
        return term.n3()
    text = '"%s"' % str(term).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


class _RdfBuilder:
    """Adds one networkx graph to a triple sink (an rdflib Graph unless another is given);
    each `add_*` handles one kind of thing."""

    def __init__(self, base: str, graph: nx.MultiDiGraph, sink: object | None = None) -> None:
        self.base = base
        self._iris: dict[str, URIRef] = {}
        self._texts: dict[tuple[object, str | None], Literal] = {}
        self.rdf = Graph()
        self.sink = sink if sink is not None else self.rdf
        self.rdf.bind("renda", RENDA)
        # One prefix per node-id type (place:371300 stays place:371300 in Turtle).
        taken = {prefix for prefix, _ in self.rdf.namespaces()}
        segments = {n.partition(":")[0] for n in graph.nodes} | set(_OTHER_SEGMENTS)
        for prefix in sorted(segments - taken):
            if _PREFIX.fullmatch(prefix):
                self.rdf.bind(prefix, Namespace(f"{base}{prefix}/"))

    def iri(self, node_id: str) -> URIRef:
        known = self._iris.get(node_id)
        if known is None:
            known = self._iris[node_id] = node_iri(node_id, self.base)
        return known

    def text(self, value: object, lang: str | None = None) -> Literal:
        """`_text`, remembered: file names, document ids and extractor names repeat."""
        key = (value, lang)
        known = self._texts.get(key)
        if known is None:
            known = self._texts[key] = _text(value, lang)
            if len(self._texts) > 100_000:
                self._texts.clear()
        return known

    def add_evidence(self, subject: URIRef, evidence: dict) -> None:
        ev = URIRef(f"{self.base}evidence/{_digest(evidence)}")
        add = self.sink.add
        add((subject, RENDA.evidence, ev))
        add((ev, RDF.type, RENDA.Evidence))
        add((ev, RENDA.sourceFile, self.text(evidence["file"])))
        if evidence.get("doc"):
            add((ev, RENDA.document, self.text(evidence["doc"])))
        if evidence.get("article"):
            add((ev, RENDA.inArticle, self.iri(f"article:{evidence['article']}")))
        if evidence.get("sentence") is not None:
            add((ev, RENDA.sentence, self.text(evidence["sentence"])))
        for key in ("start", "end"):
            if evidence.get(key) is not None:
                add((ev, RENDA[key], Literal(int(evidence[key]))))
        if evidence.get("extractor"):
            add((ev, RENDA.extractor, self.text(evidence["extractor"])))

    def add_node(self, node_id: str, data: dict) -> None:
        s, add = self.iri(node_id), self.sink.add
        add((s, RDF.type, RENDA[_iri_path(data["type"])]))
        add((s, DCTERMS.identifier, self.text(node_id)))
        name = self.text(data["name"], lang="zh")
        add((s, RDFS.label, name))
        add((s, SKOS.prefLabel, name))
        for alias in data.get("aliases", []):
            add((s, SKOS.altLabel, self.text(alias, lang="zh")))
        for key, prop in (("level", RENDA.level), ("kind", RENDA.kind), ("adcode", RENDA.adcode),
                          ("node_id", RENDA.gazetteerId)):
            if data.get(key) is not None:
                add((s, prop, self.text(data[key])))
        for ev in data.get("evidence", []):
            self.add_evidence(s, ev)
        for obs in data.get("observations", []):
            self.add_observation(node_id, s, obs)

    def add_observation(self, node_id: str, subject: URIRef, obs: dict) -> None:
        o, add = URIRef(f"{self.base}observation/{_digest(node_id, obs)}"), self.sink.add
        add((o, RDF.type, RENDA.Observation))
        add((o, RENDA.observationAbout, subject))
        value = Decimal(str(obs["value"]))
        add((o, RENDA.value, Literal(int(value)) if value == value.to_integral_value()
             else Literal(value, datatype=XSD.decimal)))
        if obs.get("unit"):
            add((o, RENDA.unit, self.text(obs["unit"])))
        if obs.get("measure"):
            add((o, RENDA.measure, self.text(obs["measure"], lang="zh")))
        if obs.get("year") is not None:
            add((o, RENDA.year, Literal(f"{int(obs['year']):04d}", datatype=XSD.gYear)))
        if obs.get("approximate") is not None:
            add((o, RENDA.approximate, Literal(bool(obs["approximate"]))))
        if obs.get("evidence"):
            self.add_evidence(o, obs["evidence"])

    def add_edge(self, head: str, tail: str, relation: str, data: dict) -> None:
        s, o, p, add = self.iri(head), self.iri(tail), RENDA[_iri_path(relation)], self.sink.add
        add((s, p, o))
        if relation == "authorOf":
            add((o, DCTERMS.creator, s))
        a = URIRef(f"{self.base}assertion/{_digest(head, relation, tail)}")
        add((a, RDF.type, RENDA.RelationAssertion))
        add((a, RDF.subject, s))
        add((a, RDF.predicate, p))
        add((a, RDF.object, o))
        if relation == "memberOf":
            add((a, RDF.type, ORG.Membership))
            add((a, ORG.member, s))
            add((a, ORG.organization, o))
        if data.get("role"):
            role = URIRef(f"{self.base}role/{_iri_path(data['role'])}")
            add((a, ORG.role, role))
            add((role, RDF.type, ORG.Role))
            add((role, SKOS.prefLabel, self.text(data["role"], lang="zh")))
        for ev in data.get("evidence", []):
            self.add_evidence(a, ev)


def _build(graph: nx.MultiDiGraph, base: str | None, sink: object | None = None) -> _RdfBuilder:
    builder = _RdfBuilder(base_iri(base), graph, sink)
    for node_id in sorted(graph.nodes):
        builder.add_node(node_id, graph.nodes[node_id])
    for head, tail, relation, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        builder.add_edge(head, tail, relation, data)
    return builder


def graph_to_rdf(graph: nx.MultiDiGraph, base: str | None = None) -> Graph:
    """The whole graph — nodes, edges, observations, evidence — as an rdflib Graph."""
    return _build(graph, base).rdf


#: What rdflib's N-Triples writer leaves raw inside a literal: C0 controls other than
#: LF and CR (which it escapes), DEL and the noncharacters U+FFFE/U+FFFF. The grammar
#: allows them, but a NUL or ESC byte in a text file trips line tools, so they are
#: escaped as RDF 1.2's canonical N-Triples (and Oxigraph's Turtle) write them: \b,
#: \t, \f, else \uXXXX. Only literals can hold them: IRIs are percent-encoded, terms
#: are separated by spaces, and no UTF-8 multi-byte sequence contains an ASCII byte.
_NT_ESCAPE = re.compile(rb"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\xef\xbf[\xbe\xbf]")
_NT_ECHAR = {b"\x08": b"\\b", b"\x09": b"\\t", b"\x0c": b"\\f"}


def _nt_escape(match: re.Match) -> bytes:
    raw = match.group()
    return _NT_ECHAR.get(raw) or b"\\u%04X" % ord(raw.decode("utf-8"))


def _sorted_ntriples(lines: set[str]) -> bytes:
    """Every triple as N-Triples, one a line, sorted: with no blank nodes this is canonical."""
    data = _NT_ESCAPE.sub(_nt_escape, "\n".join(lines).encode("utf-8")).split(b"\n")
    return b"".join(line + b"\n" for line in sorted(data) if line)


#: Sorted N-Triples already written for a frozen graph (a build freezes its graph
#: before the writers run), so Turtle and N-Triples share one pass over the graph.
_WRITTEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _sorted_ntriples_file(graph: nx.MultiDiGraph, base: str | None) -> tuple[Path, dict[str, str]]:
    """A temporary file holding the graph's sorted N-Triples, and the prefixes of every
    namespace bound for it (prefix → namespace). Reused while the graph is frozen."""
    key = base_iri(base)
    known = _WRITTEN.get(graph, {}).get(key) if nx.is_frozen(graph) else None
    if known is not None and known[0].exists():
        return known
    sink = _NTriplesLines()
    builder = _build(graph, base, sink)
    fd, name = tempfile.mkstemp(prefix="renda-kg-", suffix=".nt")
    with os.fdopen(fd, "wb") as fh:
        sink.write_sorted(fh)
    path = Path(name)
    prefixes = {prefix: str(ns) for prefix, ns in sorted(builder.rdf.namespace_manager.namespaces()) if prefix}
    if nx.is_frozen(graph):
        _WRITTEN.setdefault(graph, {})[key] = (path, prefixes)
        weakref.finalize(graph, path.unlink, missing_ok=True)
    else:
        _TEMPORARY.append(path)
    return path, prefixes


#: Files of graphs that were not frozen: removed after their writer used them.
_TEMPORARY: list[Path] = []


def _done_with(path: Path) -> None:
    if path in _TEMPORARY:
        _TEMPORARY.remove(path)
        path.unlink(missing_ok=True)


def _ntriples(graph: nx.MultiDiGraph, base: str | None) -> bytes:
    """The sorted N-Triples of the graph, in memory (for small graphs and tests)."""
    path, _ = _sorted_ntriples_file(graph, base)
    try:
        return path.read_bytes()
    finally:
        _done_with(path)


def _used(path: Path, namespaces: dict[str, str], block: int = 1 << 24) -> dict[str, str]:
    """The namespaces whose IRIs appear in the file, read in blocks (the file may be large)."""
    wanted = {prefix: b"<" + ns.encode("utf-8") for prefix, ns in namespaces.items()}
    found: set[str] = set()
    longest = max((len(w) for w in wanted.values()), default=0)
    tail = b""
    with open(path, "rb") as fh:
        while len(found) < len(wanted):
            chunk = fh.read(block)
            if not chunk:
                break
            window = tail + chunk
            found.update(p for p, w in wanted.items() if p not in found and w in window)
            tail = window[-longest:]
    return {p: namespaces[p] for p in namespaces if p in found}


def write_turtle(graph: nx.MultiDiGraph, path: str | Path, base: str | None = None) -> None:
    """Turtle with the ontology's prefixes, triples grouped by subject in sorted order.

    Oxigraph serialises the sorted N-Triples as it parses them (rdflib's Turtle writer
    takes ten times as long on the seeds, and holds the whole graph)."""
    import pyoxigraph as ox
    nt, namespaces = _sorted_ntriples_file(graph, base)
    try:
        triples = ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        with atomic_writer(path, "wb") as fh:
            ox.serialize(triples, fh, format=ox.RdfFormat.TURTLE, prefixes=_used(nt, namespaces))
    finally:
        _done_with(nt)


def write_ntriples(graph: nx.MultiDiGraph, path: str | Path, base: str | None = None) -> None:
    """N-Triples, one triple a line in sorted order: with no blank nodes this is canonical."""
    nt, _ = _sorted_ntriples_file(graph, base)
    try:
        with atomic_writer(path, "wb") as fh, open(nt, "rb") as src:
            shutil.copyfileobj(src, fh, 1 << 20)
    finally:
        _done_with(nt)
