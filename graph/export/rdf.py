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

__all__ = ["BASE_ENV", "DEFAULT_BASE", "NON_NODE_SEGMENTS", "RENDA", "base_iri", "graph_to_rdf", "node_iri",
           "write_ntriples", "write_turtle"]

RENDA = Namespace(NAMESPACE)
DEFAULT_BASE = "https://renda-kg.example/id/"
#: Environment variable that overrides DEFAULT_BASE when no base is passed.
BASE_ENV = "RENDA_KG_BASE_IRI"

#: Path segments of the resources that are not graph nodes (the query page links the rest).
NON_NODE_SEGMENTS = ("assertion", "evidence", "observation", "role")

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
    """A triple sink for terms already in N-Triples form (`_NTriplesTerms`): the writers
    need lines, not an indexed in-memory store (building rdflib's Graph was most of the
    RDF export's time and memory).

    Lines are held in a set until there are `run_lines` of them; then they go to a
    temporary file as one sorted, de-duplicated run, so memory stays bounded however
    large the graph. `write_sorted` merges the runs."""

    def __init__(self, run_lines: int = 500_000) -> None:
        self.lines: set[str] = set()
        self.run_lines = run_lines
        self._runs: list[tempfile._TemporaryFileWrapper] = []

    def add(self, triple: tuple[str, str, str]) -> None:
        self.lines.add("%s %s %s ." % triple)
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
    """A term as rdflib's N-Triples writer writes it."""
    if not isinstance(term, Literal):
        return term.n3()
    return _nt_literal(str(term), term.language, term.datatype)


def _nt_literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    quoted = '"%s"' % text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    if lang:
        return f"{quoted}@{lang}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted


class _RdflibTerms:
    """Terms as rdflib objects, for `graph_to_rdf` (and the SHACL and round-trip tests)."""

    iri = URIRef

    @staticmethod
    def text(value: object, lang: str | None = None) -> Literal:
        return _text(value, lang)

    @staticmethod
    def literal(value: object, datatype: URIRef | None = None) -> Literal:
        return Literal(value, datatype=datatype)


class _NTriplesTerms:
    """The same terms as their N-Triples text, made without rdflib objects (five times
    faster; `test_ntriples_lines_are_what_rdflibs_writer_would_write` holds them equal)."""

    @staticmethod
    def iri(text: str) -> str:
        return f"<{text}>"

    @staticmethod
    def text(value: object, lang: str | None = None) -> str:
        quoted = _nt_literal(encodable(str(value)), lang)
        # isprintable() is False for every character _NT_ESCAPE matches: the
        # regex only runs on the few texts that may need it
        return quoted if quoted.isprintable() else _NT_ESCAPE.sub(_nt_escape, quoted)

    @staticmethod
    def literal(value: object, datatype: URIRef | None = None) -> str:
        if type(value) is int and datatype is None:
            return f'"{value}"^^<{XSD.integer}>'
        return _nt_object(Literal(value, datatype=datatype))


#: The vocabulary the builder writes, by the name it uses.
_VOCABULARY = {
    "type": RDF.type, "subject": RDF.subject, "predicate": RDF.predicate, "object": RDF.object,
    "label": RDFS.label, "prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel,
    "identifier": DCTERMS.identifier, "creator": DCTERMS.creator,
    "Membership": ORG.Membership, "member": ORG.member, "organization": ORG.organization,
    "role": ORG.role, "Role": ORG.Role,
    **{name: RENDA[name] for name in (
        "evidence", "Evidence", "sourceFile", "document", "inArticle", "sentence", "start", "end",
        "extractor", "level", "kind", "adcode", "gazetteerId", "Observation", "observationAbout",
        "value", "unit", "measure", "year", "approximate", "RelationAssertion")},
}


class _RdfBuilder:
    """Adds one networkx graph to a triple sink (an rdflib Graph unless another is given),
    with terms from `terms` (rdflib's, or N-Triples text for `_NTriplesLines`); each
    `add_*` handles one kind of thing."""

    def __init__(self, base: str, graph: nx.MultiDiGraph, sink: object | None = None,
                 terms: object = _RdflibTerms) -> None:
        self.base = base
        self.terms = terms
        self.v = {name: terms.iri(str(uri)) for name, uri in _VOCABULARY.items()}
        self._iris: dict[str, object] = {}
        self._texts: dict[tuple[object, str | None], object] = {}
        self._renda: dict[str, object] = {}
        self._evidence_done: set[object] = set()
        self.rdf = Graph()
        self.sink = sink if sink is not None else self.rdf
        self.rdf.bind("renda", RENDA)
        # One prefix per node-id type (place:371300 stays place:371300 in Turtle).
        taken = {prefix for prefix, _ in self.rdf.namespaces()}
        segments = {n.partition(":")[0] for n in graph.nodes} | set(NON_NODE_SEGMENTS)
        for prefix in sorted(segments - taken):
            if _PREFIX.fullmatch(prefix):
                self.rdf.bind(prefix, Namespace(f"{base}{prefix}/"))

    def iri(self, node_id: str) -> object:
        known = self._iris.get(node_id)
        if known is None:
            known = self._iris[node_id] = self.terms.iri(str(node_iri(node_id, self.base)))
        return known

    def renda(self, name: str) -> object:
        """A class or property of the ontology named by data (a type, a relation)."""
        known = self._renda.get(name)
        if known is None:
            known = self._renda[name] = self.terms.iri(str(RENDA[_iri_path(name)]))
        return known

    def text(self, value: object, lang: str | None = None) -> object:
        """A text literal, remembered: file names, document ids and extractor names repeat."""
        key = (value, lang)
        known = self._texts.get(key)
        if known is None:
            known = self._texts[key] = self.terms.text(value, lang)
            if len(self._texts) > 100_000:
                self._texts.clear()
        return known

    def add_evidence(self, subject: object, evidence: dict) -> None:
        v, add = self.v, self.sink.add
        ev = self.terms.iri(f"{self.base}evidence/{_digest(evidence)}")
        add((subject, v["evidence"], ev))
        if ev in self._evidence_done:       # a sentence behind a node and its edges: described once
            return
        self._evidence_done.add(ev)
        add((ev, v["type"], v["Evidence"]))
        add((ev, v["sourceFile"], self.text(evidence["file"])))
        if evidence.get("doc"):
            add((ev, v["document"], self.text(evidence["doc"])))
        if evidence.get("article"):
            add((ev, v["inArticle"], self.iri(f"article:{evidence['article']}")))
        if evidence.get("sentence") is not None:
            add((ev, v["sentence"], self.text(evidence["sentence"])))
        for key in ("start", "end"):
            if evidence.get(key) is not None:
                add((ev, v[key], self.terms.literal(int(evidence[key]))))
        if evidence.get("extractor"):
            add((ev, v["extractor"], self.text(evidence["extractor"])))

    def add_node(self, node_id: str, data: dict) -> None:
        v, s, add = self.v, self.iri(node_id), self.sink.add
        add((s, v["type"], self.renda(data["type"])))
        add((s, v["identifier"], self.text(node_id)))
        name = self.text(data["name"], lang="zh")
        add((s, v["label"], name))
        add((s, v["prefLabel"], name))
        for alias in data.get("aliases", []):
            add((s, v["altLabel"], self.text(alias, lang="zh")))
        for key, prop in (("level", "level"), ("kind", "kind"), ("adcode", "adcode"), ("node_id", "gazetteerId")):
            if data.get(key) is not None:
                add((s, v[prop], self.text(data[key])))
        for ev in data.get("evidence", []):
            self.add_evidence(s, ev)
        for obs in data.get("observations", []):
            self.add_observation(node_id, s, obs)

    def add_observation(self, node_id: str, subject: object, obs: dict) -> None:
        v, add, lit = self.v, self.sink.add, self.terms.literal
        o = self.terms.iri(f"{self.base}observation/{_digest(node_id, obs)}")
        add((o, v["type"], v["Observation"]))
        add((o, v["observationAbout"], subject))
        value = Decimal(str(obs["value"]))
        add((o, v["value"], lit(int(value)) if value == value.to_integral_value()
             else lit(value, datatype=XSD.decimal)))
        if obs.get("unit"):
            add((o, v["unit"], self.text(obs["unit"])))
        if obs.get("measure"):
            add((o, v["measure"], self.text(obs["measure"], lang="zh")))
        if obs.get("year") is not None:
            add((o, v["year"], lit(f"{int(obs['year']):04d}", datatype=XSD.gYear)))
        if obs.get("approximate") is not None:
            add((o, v["approximate"], lit(bool(obs["approximate"]))))
        if obs.get("evidence"):
            self.add_evidence(o, obs["evidence"])

    def add_edge(self, head: str, tail: str, relation: str, data: dict) -> None:
        v, add = self.v, self.sink.add
        s, o, p = self.iri(head), self.iri(tail), self.renda(relation)
        add((s, p, o))
        if relation == "authorOf":
            add((o, v["creator"], s))
        a = self.terms.iri(f"{self.base}assertion/{_digest(head, relation, tail)}")
        add((a, v["type"], v["RelationAssertion"]))
        add((a, v["subject"], s))
        add((a, v["predicate"], p))
        add((a, v["object"], o))
        if relation == "memberOf":
            add((a, v["type"], v["Membership"]))
            add((a, v["member"], s))
            add((a, v["organization"], o))
        if data.get("role"):
            role = self.terms.iri(f"{self.base}role/{_iri_path(data['role'])}")
            add((a, v["role"], role))
            add((role, v["type"], v["Role"]))
            add((role, v["prefLabel"], self.text(data["role"], lang="zh")))
        for ev in data.get("evidence", []):
            self.add_evidence(a, ev)


def _build(graph: nx.MultiDiGraph, base: str | None, sink: object | None = None) -> _RdfBuilder:
    """Add the graph's triples to `sink` (N-Triples text for a `_NTriplesLines`,
    rdflib terms otherwise), nodes then edges in sorted order."""
    terms = _NTriplesTerms if isinstance(sink, _NTriplesLines) else _RdflibTerms
    builder = _RdfBuilder(base_iri(base), graph, sink, terms)
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
#: \t, \f, else \uXXXX. Only literals can hold them (IRIs are percent-encoded).
_NT_ESCAPE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_NT_ECHAR = {"\x08": "\\b", "\x09": "\\t", "\x0c": "\\f"}


def _nt_escape(match: re.Match) -> str:
    """Applied to each literal as it is made (`_NTriplesTerms.text`): a fraction of the
    time of one pass over the whole file."""
    ch = match.group()
    return _NT_ECHAR.get(ch) or "\\u%04X" % ord(ch)


def _sorted_ntriples(lines: set[str]) -> bytes:
    """Every line once, sorted by bytes: with no blank nodes this is canonical N-Triples."""
    data = "\n".join(lines).encode("utf-8").split(b"\n")
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
