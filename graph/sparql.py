"""SPARQL over a build's graph with Oxigraph or rdflib: its query store (the output
directory, or graph.oxigraph/ in it), or an exported graph.ttl / graph.nt.

A store (export/query_store.py) is opened read-only where it lies, in milliseconds:
nothing is parsed. A .ttl or .nt file is loaded into memory first, as before. Oxigraph
is the fast default; rdflib is the pure-Python reference (given a store, it parses the
store's triples as N-Triples).

Both engines hand back results as `Term`s — kind, lexical value, language, datatype —
under one literal convention (a plain string has no datatype; other lexical forms as
rdflib normalises them), so the table, CSV and JSON output — and the tests comparing
the two engines — never depend on which one ran. The formats are written straight
from those terms: an Oxigraph result never becomes rdflib objects (that cost up to
five times the query), and rdflib is not even imported unless it is the engine, the
result is a graph (CONSTRUCT, DESCRIBE) or TSV is asked for. `QueryResult.rows` and
`.triples` still give rdflib terms, made when first read.

The dataset is the one loaded graph, as the default graph; there are no named
graphs. Both engines answer alike:

- `FROM` and `FROM NAMED` are refused with a SparqlError ("FROM … is not
  supported"): renda-kg never fetches a graph, and answering from an empty
  default graph (Oxigraph's reading) or from the loaded graph regardless (rdflib's)
  would both be silently wrong for a user who meant another graph. The endpoint
  refuses the protocol's `default-graph-uri` / `named-graph-uri` the same way.
- `SERVICE` is refused the same way: no query ever reaches the network.
- `GRAPH ?g { … }` matches nothing (rdflib used to raise an error instead).

`query(text, max_rows=N)` raises ResultTooLarge when a result has more than N rows
(SELECT) or triples (CONSTRUCT/DESCRIBE) rather than collect them all. Time and
memory limits need a separate process: see query_limits.py, which `renda-kg query`
and `renda-kg serve` use. `serialize_result` writes results in the SPARQL 1.1
Protocol's media types for the endpoint (JSON, XML, CSV, TSV; Turtle, N-Triples,
RDF/XML, JSON-LD).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from json.encoder import encode_basestring as _json_string     # what json.dumps(ensure_ascii=False) uses
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

import pyoxigraph as ox

from .export.query_store import STORE_NAME, QueryStoreError, find_store, open_store, read_manifest

if TYPE_CHECKING:                     # rdflib is imported where it is used: it takes 0.25 s
    import rdflib
    from rdflib.term import Node

__all__ = ["ENGINES", "OUTPUT_FORMATS", "GraphSource", "QueryResult", "ResultTooLarge", "SparqlError",
           "SparqlGraph", "Term", "check_graph_file", "format_result", "graph_source", "load_rdflib_graph",
           "negotiate", "open_graph", "query_prefixes", "read_query", "serialize_result"]

ENGINES = ("oxigraph", "rdflib")
OUTPUT_FORMATS = ("table", "csv", "json")
QUERY_SUFFIXES = (".rq", ".sparql")
_GRAPH_FORMATS = {".ttl": ("turtle", ox.RdfFormat.TURTLE), ".nt": ("nt", ox.RdfFormat.N_TRIPLES)}
_PREFIX = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)
_XSD = "http://www.w3.org/2001/XMLSchema#"


class SparqlError(ValueError):
    """A graph, a store or a query that cannot be used; the message is one line for the user."""


class ResultTooLarge(SparqlError):
    """A result with more rows (or triples) than the caller's max_rows."""

    def __init__(self, max_rows: int) -> None:
        super().__init__(f"result too large: more than {max_rows} rows")
        self.max_rows = max_rows


#: SERVICE would make either engine call a remote endpoint, and FROM / FROM NAMED name
#: graphs that renda-kg would have to fetch: it never touches the network at run time,
#: so a query with either is refused before it runs. Both keywords are matched outside
#: strings, IRIs and comments, and not as part of a prefixed name (ex:from), a variable
#: (?from), a blank node (_:from) or a language tag (@from).
_STRINGS_AND_IRIS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')
_KEYWORD = r"(?<![\w?$:.@-]){}(?![\w:.-])"
_SERVICE = re.compile(_KEYWORD.format("SERVICE"), re.IGNORECASE)
_FROM = re.compile(_KEYWORD.format("FROM"), re.IGNORECASE)
SERVICE_REFUSED = "SERVICE is not allowed: renda-kg answers from the local graph only"
FROM_REFUSED = ("FROM and FROM NAMED are not supported: renda-kg answers from the one loaded graph "
                "(its default graph); remove the FROM clause")


def refuse_remote(text: str) -> None:
    """Raise SparqlError for a query with a SERVICE or FROM clause (outside strings, IRIs, comments)."""
    code = _STRINGS_AND_IRIS.sub(" ", text)
    if _SERVICE.search(code):
        raise SparqlError(SERVICE_REFUSED)
    if _FROM.search(code):
        raise SparqlError(FROM_REFUSED)


def _refuse_service_in_rdflib(ctx, part):
    """rdflib custom eval: refuse SERVICE patterns; GRAPH on a plain Graph matches nothing.

    rdflib raises "requires a dataset" for GRAPH over a single Graph; Oxigraph, whose store
    has no named graphs either, gives no rows. The loaded file has no named graphs, so no
    rows is the answer. Only parts that would otherwise fail are changed."""
    if part.name == "ServiceGraphPattern":
        raise SparqlError(SERVICE_REFUSED)
    if part.name == "Graph" and getattr(ctx, "_dataset", True) is None:
        return iter(())
    raise NotImplementedError      # everything else: rdflib's own evaluation


def keep_rdflib_offline() -> None:
    """Stop rdflib from fetching FROM/FROM NAMED graphs or calling SERVICE endpoints."""
    import rdflib.plugins.sparql as rdflib_sparql
    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    rdflib_sparql.CUSTOM_EVALS["renda_kg_offline"] = _refuse_service_in_rdflib


def _one_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


# --- result terms ------------------------------------------------------------------

class Term(NamedTuple):
    """One RDF term of a result, whichever engine made it: what every result format needs."""

    kind: str                      # "uri", "bnode" or "literal"
    value: str                     # the IRI, the blank node's id, or the lexical form
    lang: str | None = None        # a literal's language tag
    datatype: str | None = None    # a literal's datatype IRI; None for plain and language-tagged


#: Lexical forms that rdflib keeps as they are (its normalisation is the identity on
#: them), so they need no rdflib Literal to be written as rdflib would write them.
_KEPT_AS_IS = {_XSD + "integer": re.compile(r"0|-?[1-9][0-9]*"),
               _XSD + "decimal": re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+|0|-?[1-9][0-9]*"),
               _XSD + "boolean": re.compile(r"true|false"),
               _XSD + "gYear": re.compile(r"[1-9][0-9]{3}")}


def _lexical(value: str, datatype: str) -> str:
    """A typed literal's lexical form as rdflib normalises it ("007"^^xsd:integer is "7",
    "1.5E0"^^xsd:double "1.5"): the engines then print the same, whichever ran."""
    kept = _KEPT_AS_IS.get(datatype)
    if kept is not None and kept.fullmatch(value):
        return value
    from rdflib import Literal, URIRef
    return str(Literal(value, datatype=URIRef(datatype)))


def _term_from_oxigraph(term: object) -> Term:
    kind = type(term)
    if kind is ox.NamedNode:
        return Term("uri", term.value)
    if kind is ox.BlankNode:
        return Term("bnode", term.value)
    if kind is ox.Literal:
        if term.language:
            return Term("literal", term.value, term.language)
        datatype = term.datatype.value
        if datatype == _XSD + "string":
            return Term("literal", term.value)
        return Term("literal", _lexical(term.value, datatype), None, datatype)
    raise SparqlError(f"unsupported result term (RDF-star triple?): {term}")


def _memoised(make):
    """`make` for one result, each distinct term converted once (None stays None): results
    repeat their terms, and a dictionary look-up costs less than a conversion."""
    memo: dict = {}

    def convert(term):
        if term is None:
            return None
        try:
            return memo[term]
        except KeyError:
            converted = memo[term] = make(term)
            return converted
    return convert


def _oxigraph_terms():
    """_term_from_oxigraph for one query's result (reading a term's strings out of
    Oxigraph costs more than a look-up)."""
    return _memoised(_term_from_oxigraph)


def _term_from_rdflib(term: Node | None) -> Term | None:
    from rdflib import BNode, Literal, URIRef
    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("uri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        if term.language:
            return Term("literal", str(term), term.language)
        datatype = term.datatype
        # xsd:string literals without their datatype, as rdflib parses them from files.
        return Term("literal", str(term), None, None if datatype is None or str(datatype) == _XSD + "string"
                    else str(datatype))
    raise SparqlError(f"unsupported result term: {term!r}")


def _rdflib_terms():
    """Term → rdflib term, with a memo for one result."""
    from rdflib import BNode, Literal, URIRef

    def make(term: Term) -> Node:
        if term.kind == "uri":
            return URIRef(term.value)
        if term.kind == "bnode":
            return BNode(term.value)
        if term.lang:
            return Literal(term.value, lang=term.lang)
        # The lexical form as it is: Oxigraph's terms are normalised already, and rdflib's
        # own results are not always (its SPARQL keeps "007"^^xsd:integer).
        return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else None, normalize=False)

    return _memoised(make)


@dataclass(frozen=True)
class QueryResult:
    """SELECT rows, an ASK answer or CONSTRUCT/DESCRIBE triples, as Terms.

    Equal results of the two engines compare equal. `rows` and `triples` are the same
    as rdflib terms (URIRef, BNode, Literal; None for an unbound variable)."""

    variables: tuple[str, ...] = ()
    term_rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    term_triples: tuple[tuple[Term, Term, Term], ...] | None = None

    @property
    def kind(self) -> str:
        if self.boolean is not None:
            return "ask"
        return "graph" if self.term_triples is not None else "select"

    @cached_property
    def rows(self) -> tuple[tuple[Node | None, ...], ...]:
        convert = _rdflib_terms()
        return tuple(tuple(map(convert, row)) for row in self.term_rows)

    @cached_property
    def triples(self) -> tuple[tuple[Node, Node, Node], ...] | None:
        if self.term_triples is None:
            return None
        convert = _rdflib_terms()
        return tuple(tuple(map(convert, triple)) for triple in self.term_triples)


class SparqlGraph(Protocol):
    def query(self, text: str, max_rows: int | None = None) -> QueryResult: ...

    def __len__(self) -> int: ...


def _capped(items, max_rows: int | None) -> tuple:
    """The items as a tuple, or ResultTooLarge as soon as there are more than max_rows."""
    if not max_rows:
        return tuple(items)
    taken = tuple(islice(items, max_rows + 1))
    if len(taken) > max_rows:
        raise ResultTooLarge(max_rows)
    return taken


# --- the engines --------------------------------------------------------------------

class _RdflibGraph:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def __len__(self) -> int:
        return len(self.graph)

    def query(self, text: str, max_rows: int | None = None) -> QueryResult:
        from rdflib.plugins.sparql import prepareQuery
        refuse_remote(text)
        keep_rdflib_offline()
        try:
            # rdflib raises pyparsing errors, and a bare Exception for an unknown prefix.
            prepared = prepareQuery(text)
        except Exception as err:
            raise SparqlError(f"bad query: {_one_line(err)}") from None
        try:
            # Results are evaluated lazily: errors (a bad regex, SERVICE) surface here.
            result = self.graph.query(prepared)
            if result.type == "ASK":
                return QueryResult(boolean=bool(result.askAnswer))
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                return QueryResult(term_triples=_capped(
                    (tuple(map(_term_from_rdflib, triple)) for triple in result), max_rows))
            variables = tuple(str(v) for v in result.vars or ())
            return QueryResult(variables, _capped(
                (tuple(_term_from_rdflib(row[v]) for v in variables) for row in result), max_rows))
        except (SparqlError, MemoryError):
            raise
        except Exception as err:
            raise SparqlError(f"query failed: {_one_line(err)}") from None


class _OxigraphGraph:
    def __init__(self, store: ox.Store, triples: int | None = None) -> None:
        self.store = store
        self.triples = triples         # a store's manifest knows; counting walks every triple

    def __len__(self) -> int:
        return len(self.store) if self.triples is None else self.triples

    def query(self, text: str, max_rows: int | None = None) -> QueryResult:
        refuse_remote(text)
        try:
            result = self.store.query(text)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult(boolean=bool(result))
            convert = _oxigraph_terms()
            if isinstance(result, ox.QueryTriples):
                return QueryResult(term_triples=_capped(
                    ((convert(t.subject), convert(t.predicate), convert(t.object)) for t in result), max_rows))
            variables = tuple(v.value for v in result.variables)
            # A solution iterates its values in the order of the variables.
            return QueryResult(variables, _capped((tuple(map(convert, s)) for s in result), max_rows))
        except SyntaxError as err:
            raise SparqlError(f"bad query: {_one_line(err)}") from None
        except (OSError, RuntimeError) as err:   # evaluation errors: an unreachable SERVICE, a damaged store
            raise SparqlError(f"query failed: {_one_line(err)}") from None


# --- what to open ---------------------------------------------------------------------

@dataclass(frozen=True)
class GraphSource:
    """What a GRAPH argument names: a query store folder, or a .ttl / .nt file."""

    path: Path
    is_store: bool


def graph_source(path: str | Path) -> GraphSource:
    """The store or file PATH names, checked before anything is loaded; SparqlError if none.

    A directory is a store itself or holds one (graph.oxigraph/, as a build's output
    directory does); a file must be .ttl or .nt."""
    path = Path(path)
    if path.is_dir():
        store = find_store(path)
        if store is None:
            raise SparqlError(f"{path}: no query store ({STORE_NAME}/) in this directory; write one with "
                              f"`renda-kg build` (a default format), or give graph.ttl or graph.nt")
        try:
            read_manifest(store)
        except QueryStoreError as err:
            raise SparqlError(str(err)) from None
        return GraphSource(store, True)
    if path.suffix in _GRAPH_FORMATS:
        if not path.is_file():
            raise SparqlError(f"no such graph file: {path}")
        return GraphSource(path, False)
    if not path.exists() and path.suffix in ("", Path(STORE_NAME).suffix):
        raise SparqlError(f"no such graph file or directory: {path}")
    raise SparqlError(f"{path}: expected a .ttl or .nt file or the output directory of `renda-kg build`")


def check_graph_file(path: str | Path) -> GraphSource:
    """SparqlError unless PATH names a store or a .ttl / .nt file (see graph_source)."""
    return graph_source(path)


def _open_store(path: Path):
    try:
        return open_store(path)
    except QueryStoreError as err:
        raise SparqlError(str(err)) from None


def load_rdflib_graph(path: str | Path) -> rdflib.Graph:
    """Parse graph.ttl or graph.nt, or a store's triples, into an in-memory rdflib Graph."""
    import rdflib
    from rdflib.exceptions import ParserError
    source = graph_source(path)
    if source.is_store:
        store, _ = _open_store(source.path)
        try:
            data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        except (OSError, RuntimeError) as err:
            raise SparqlError(f"{source.path}: cannot read the query store: {_one_line(err)}") from None
        return rdflib.Graph().parse(data=data, format="nt")
    rdflib_format, _ = _GRAPH_FORMATS[source.path.suffix]
    try:
        return rdflib.Graph().parse(str(source.path), format=rdflib_format)
    except (SyntaxError, ParserError, UnicodeDecodeError) as err:
        raise SparqlError(f"{source.path}: not valid {rdflib_format}: {_one_line(err)}") from None


def open_graph(path: str | Path, engine: str = "oxigraph") -> SparqlGraph:
    """Open a store read-only, or load a graph file into an in-memory store, for the engine."""
    if engine not in ENGINES:
        raise SparqlError(f"unknown engine {engine}; choose from {', '.join(ENGINES)}")
    if engine == "rdflib":
        return _RdflibGraph(load_rdflib_graph(path))
    source = graph_source(path)
    if source.is_store:
        store, info = _open_store(source.path)
        return _OxigraphGraph(store, info.triples)
    _, ox_format = _GRAPH_FORMATS[source.path.suffix]
    store = ox.Store()
    try:
        store.load(path=str(source.path), format=ox_format)
    except (SyntaxError, ValueError) as err:
        raise SparqlError(f"{source.path}: not valid RDF: {_one_line(err)}") from None
    return _OxigraphGraph(store)


def read_query(arg: str) -> str:
    """QUERY is a file when it names one (or ends in .rq / .sparql), else the query text."""
    if arg.endswith(QUERY_SUFFIXES) or os.path.isfile(arg):
        try:
            return Path(arg).read_text("utf-8")
        except FileNotFoundError:
            raise SparqlError(f"no such query file: {arg}") from None
        except (OSError, UnicodeDecodeError) as err:
            raise SparqlError(f"cannot read query file {arg}: {_one_line(err)}") from None
    return arg


def query_prefixes(text: str) -> dict[str, str]:
    """The PREFIX declarations of a query, used to shorten IRIs in table output."""
    return {prefix: iri for prefix, iri in _PREFIX.findall(text)}


# --- rendering -------------------------------------------------------------------

def _shortener(prefixes: dict[str, str]):
    """Term → its table cell: IRIs as prefix:name under the query's longest matching prefix."""
    ordered = sorted(((p, iri) for p, iri in prefixes.items() if iri), key=lambda kv: -len(kv[1]))

    def short(term: Term | None) -> str:
        if term is None:
            return ""
        if term.kind == "uri":
            value = term.value
            for prefix, iri in ordered:
                if value.startswith(iri) and len(value) > len(iri):
                    return f"{prefix}:{value[len(iri):]}"
            return f"<{value}>"
        if term.kind == "bnode":
            return f"_:{term.value}"
        return term.value
    return short


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(result: QueryResult, prefixes: dict[str, str]) -> str:
    short, cells = _shortener(prefixes), {}       # term → (cell text, its width), once per term

    def cell(term: Term | None) -> tuple[str, int]:
        try:
            return cells[term]
        except KeyError:
            text = short(term)
            made = cells[term] = (text, _width(text))
            return made
    rows = [[cell(t) for t in row] for row in result.term_rows]
    heads = [(v, _width(v)) for v in result.variables]
    widths = [max([w] + [r[i][1] for r in rows]) for i, (_, w) in enumerate(heads)]

    def line(row) -> str:
        return "  ".join(text + " " * (width - w) for (text, w), width in zip(row, widths)).rstrip()
    lines = [line(heads), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in rows]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if term.kind == "bnode" else term.value


def _csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: lexical values, empty cells for unbound variables."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(result.variables)
    writer.writerows(map(_csv_cell, row) for row in result.term_rows)
    return out.getvalue()


def _json_term(term: Term) -> dict:
    out = {"type": term.kind, "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


def _json_bindings(result: QueryResult) -> list[dict]:
    """The bindings as dicts; one dict per distinct term, shared by the rows that repeat it."""
    memo: dict = {}

    def term_dict(term: Term) -> dict:
        try:
            return memo[term]
        except KeyError:
            made = memo[term] = _json_term(term)
            return made
    variables = result.variables
    return [{v: term_dict(t) for v, t in zip(variables, row) if t is not None} for row in result.term_rows]


def _json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON, laid out as json.dumps(indent=1, ensure_ascii=False)
    lays it out, but each term's block is written once (json.dumps with indent runs in
    pure Python: the slowest part of a large result)."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}, ensure_ascii=False, indent=1) + "\n"
    skeleton = json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": []}},
                          ensure_ascii=False, indent=1)
    if not result.term_rows:
        return skeleton + "\n"
    keys = [f"    {_json_string(v)}: " for v in result.variables]
    memo: dict = {}

    def block(term: Term) -> str:
        try:
            return memo[term]
        except KeyError:
            made = f'{{\n     "type": "{term.kind}",\n     "value": {_json_string(term.value)}'
            if term.lang:
                made += f',\n     "xml:lang": {_json_string(term.lang)}'
            elif term.datatype:
                made += f',\n     "datatype": {_json_string(term.datatype)}'
            made = memo[term] = made + "\n    }"
            return made
    bindings = []
    for row in result.term_rows:
        bound = [key + block(t) for key, t in zip(keys, row) if t is not None]
        bindings.append("   {\n" + ",\n".join(bound) + "\n   }" if bound else "   {}")
    head, tail = skeleton.rsplit("[]", 1)
    return head + "[\n" + ",\n".join(bindings) + "\n  ]" + tail + "\n"


def _ntriples(triples: tuple[tuple[Node, Node, Node], ...]) -> str:
    import rdflib
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return "".join(line + "\n" for line in sorted(lines) if line)


def format_result(result: QueryResult, fmt: str = "table", prefixes: dict[str, str] | None = None) -> str:
    """SELECT and ASK results as an aligned table, SPARQL CSV or SPARQL JSON;
    CONSTRUCT and DESCRIBE results as sorted N-Triples whatever the format."""
    if fmt not in OUTPUT_FORMATS:
        raise SparqlError(f"unknown output format {fmt}; choose from {', '.join(OUTPUT_FORMATS)}")
    if result.kind == "graph":
        return _ntriples(result.triples or ())
    if fmt == "json":
        return _json(result)
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    return _csv(result) if fmt == "csv" else _table(result, prefixes or {})


# --- the SPARQL 1.1 Protocol's media types (the endpoint) --------------------------

#: Media types a client may ask for → (format, the media type answered), in the order
#: wildcards pick them; the first of each table is the default.
RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": ("json", "application/sparql-results+json"),
    "application/json": ("json", "application/sparql-results+json"),
    "text/json": ("json", "application/sparql-results+json"),
    "application/sparql-results+xml": ("xml", "application/sparql-results+xml"),
    "application/xml": ("xml", "application/sparql-results+xml"),
    "text/xml": ("xml", "application/sparql-results+xml"),
    "text/csv": ("csv", "text/csv"),
    "text/tab-separated-values": ("tsv", "text/tab-separated-values"),
}
GRAPH_MEDIA_TYPES = {
    "text/turtle": ("turtle", "text/turtle"),
    "application/turtle": ("turtle", "text/turtle"),
    "application/x-turtle": ("turtle", "text/turtle"),
    "application/n-triples": ("nt", "application/n-triples"),
    "text/plain": ("nt", "application/n-triples"),
    "application/rdf+xml": ("xml", "application/rdf+xml"),
    "application/xml": ("xml", "application/rdf+xml"),
    "text/xml": ("xml", "application/rdf+xml"),
    "application/ld+json": ("json-ld", "application/ld+json"),
    "application/json": ("json-ld", "application/ld+json"),
}
#: The `format` / `output` request parameter some clients send instead of Accept.
FORMAT_PARAMETER = {
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "n-triples": "application/n-triples",
    "rdfxml": "application/rdf+xml", "json-ld": "application/ld+json", "jsonld": "application/ld+json",
}


def _accepted(accept: str) -> list[str]:
    """Media ranges of an Accept header, most preferred first (q=0 dropped)."""
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, position, media.lower()))
    return [media for _, _, media in sorted(ranges)]


def negotiate(accept: str, offers: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(format, media type) for an Accept header among `offers`; the first offer when
    nothing acceptable is offered (lenient, as most SPARQL endpoints are)."""
    for media in _accepted(accept or "*/*"):
        if media in offers:
            return offers[media]
        if media.endswith("/*"):
            major = media[:-1]
            for offered, answer in offers.items():
                if media == "*/*" or offered.startswith(major):
                    return answer
    return next(iter(offers.values()))


def _xml_term(term: Term) -> str:
    from xml.sax.saxutils import escape, quoteattr
    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.lang:
        return f"<literal xml:lang={quoteattr(term.lang)}>{escape(term.value)}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(term.datatype)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import quoteattr
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n']
    if result.kind == "ask":
        out.append(f"<head/>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out)
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>\n")
    out.append("<results>\n")
    names = [f"<binding name={quoteattr(v)}>" for v in result.variables]
    memo: dict = {}
    for row in result.term_rows:
        cells = []
        for name, term in zip(names, row):
            if term is not None:
                if term not in memo:
                    memo[term] = _xml_term(term)
                cells.append(name + memo[term] + "</binding>")
        out.append("<result>" + "".join(cells) + "</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out)


def _tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results: terms in Turtle syntax (rdflib's), empty cells for unbound variables."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3().replace("\t", "\\t") for t in row))
    return "\n".join(lines) + "\n"


def _json_compact(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    return json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": _json_bindings(result)}},
                      ensure_ascii=False, separators=(",", ":"))


def serialize_result(result: QueryResult, accept: str = "",
                     prefixes: dict[str, str] | None = None) -> tuple[bytes, str]:
    """The result in the media type the Accept header prefers: SPARQL JSON (default),
    XML, CSV or TSV for SELECT and ASK (CSV and TSV for SELECT only); Turtle (default),
    N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE. Returns (body, media type)."""
    if result.kind == "graph":
        fmt, media_type = negotiate(accept, GRAPH_MEDIA_TYPES)
        if fmt == "nt":
            return _ntriples(result.triples or ()).encode("utf-8"), media_type
        import rdflib
        graph = rdflib.Graph()
        for prefix, iri in (prefixes or {}).items():
            graph.bind(prefix, iri, override=True, replace=True)
        for triple in result.triples or ():
            graph.add(triple)
        return graph.serialize(format=fmt, encoding="utf-8"), media_type
    offers = RESULT_MEDIA_TYPES
    if result.kind == "ask":
        offers = {m: answer for m, answer in offers.items() if answer[0] in ("json", "xml")}
    fmt, media_type = negotiate(accept, offers)
    writer = {"json": _json_compact, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt]
    return writer(result).encode("utf-8"), media_type
