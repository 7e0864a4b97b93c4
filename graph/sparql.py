"""SPARQL over an exported graph file (graph.ttl or graph.nt) with Oxigraph or rdflib.

Oxigraph is the fast default; rdflib is the pure-Python reference. Both hand back
rows of rdflib terms under one literal convention (a plain string has no
datatype), so the table, CSV and JSON output — and the tests comparing the two
engines — never depend on which one ran.

The dataset is the one loaded file, as the default graph; there are no named
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
from itertools import islice
from xml.sax.saxutils import escape, quoteattr
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
import rdflib
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.term import Node

__all__ = ["ENGINES", "OUTPUT_FORMATS", "QueryResult", "ResultTooLarge", "SparqlError", "SparqlGraph",
           "check_graph_file", "format_result", "load_rdflib_graph", "negotiate", "open_graph",
           "query_prefixes", "read_query", "serialize_result"]

ENGINES = ("oxigraph", "rdflib")
OUTPUT_FORMATS = ("table", "csv", "json")
QUERY_SUFFIXES = (".rq", ".sparql")
_GRAPH_FORMATS = {".ttl": ("turtle", ox.RdfFormat.TURTLE), ".nt": ("nt", ox.RdfFormat.N_TRIPLES)}
_PREFIX = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)


class SparqlError(ValueError):
    """A graph file or a query that cannot be used; the message is one line for the user."""


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


@dataclass(frozen=True)
class QueryResult:
    """SELECT rows, an ASK answer or CONSTRUCT/DESCRIBE triples, as rdflib terms."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Node, Node, Node], ...] | None = None

    @property
    def kind(self) -> str:
        if self.boolean is not None:
            return "ask"
        return "graph" if self.triples is not None else "select"


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


def _plain(term: Node | None) -> Node | None:
    """xsd:string literals without their datatype, as rdflib parses them from files."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


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
                return QueryResult(triples=_capped(
                    (tuple(_plain(t) for t in triple) for triple in result), max_rows))
            variables = tuple(str(v) for v in result.vars or ())
            return QueryResult(variables, _capped(
                (tuple(_plain(row[v]) for v in variables) for row in result), max_rows))
        except (SparqlError, MemoryError):
            raise
        except Exception as err:
            raise SparqlError(f"query failed: {_one_line(err)}") from None


def _from_oxigraph(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return _plain(Literal(term.value, datatype=URIRef(term.datatype.value)))
    raise SparqlError(f"unsupported result term (RDF-star triple?): {term}")


def _converter():
    """_from_oxigraph with a memo for one query's result: results repeat their terms, and
    making an rdflib Literal costs far more than a dictionary look-up."""
    memo: dict = {}

    def convert(term):
        if term is None:
            return None
        try:
            return memo[term]
        except KeyError:
            converted = memo[term] = _from_oxigraph(term)
            return converted
        except TypeError:                       # unhashable (an RDF-star triple): no memo
            return _from_oxigraph(term)
    return convert


class _OxigraphGraph:
    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def __len__(self) -> int:
        return len(self.store)

    def query(self, text: str, max_rows: int | None = None) -> QueryResult:
        refuse_remote(text)
        try:
            result = self.store.query(text)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult(boolean=bool(result))
            convert = _converter()
            if isinstance(result, ox.QueryTriples):
                return QueryResult(triples=_capped(
                    ((convert(t.subject), convert(t.predicate), convert(t.object)) for t in result), max_rows))
            variables = tuple(v.value for v in result.variables)
            # A solution iterates its values in the order of the variables.
            return QueryResult(variables, _capped((tuple(map(convert, s)) for s in result), max_rows))
        except SyntaxError as err:
            raise SparqlError(f"bad query: {_one_line(err)}") from None
        except OSError as err:   # evaluation errors, e.g. an unreachable SERVICE
            raise SparqlError(f"query failed: {_one_line(err)}") from None


def check_graph_file(path: str | Path) -> None:
    """SparqlError unless PATH is an existing .ttl or .nt file (checked before loading it)."""
    _graph_format(path)


def _graph_format(path: str | Path) -> tuple[str, ox.RdfFormat]:
    path = Path(path)
    if path.suffix not in _GRAPH_FORMATS:
        raise SparqlError(f"{path}: expected a .ttl or .nt file (renda-kg build --format ttl,nt)")
    if not path.is_file():
        raise SparqlError(f"no such graph file: {path}")
    return _GRAPH_FORMATS[path.suffix]


def load_rdflib_graph(path: str | Path) -> rdflib.Graph:
    """Parse graph.ttl or graph.nt into an in-memory rdflib Graph."""
    rdflib_format, _ = _graph_format(path)
    try:
        return rdflib.Graph().parse(str(path), format=rdflib_format)
    except (SyntaxError, ParserError, UnicodeDecodeError) as err:
        raise SparqlError(f"{path}: not valid {rdflib_format}: {_one_line(err)}") from None


def open_graph(path: str | Path, engine: str = "oxigraph") -> SparqlGraph:
    """Load a graph file into an in-memory store of the chosen engine."""
    if engine not in ENGINES:
        raise SparqlError(f"unknown engine {engine}; choose from {', '.join(ENGINES)}")
    if engine == "rdflib":
        return _RdflibGraph(load_rdflib_graph(path))
    _, ox_format = _graph_format(path)
    store = ox.Store()
    try:
        store.load(path=str(path), format=ox_format)
    except (SyntaxError, ValueError) as err:
        raise SparqlError(f"{path}: not valid RDF: {_one_line(err)}") from None
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

def _short(term: Node | None, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, iri in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if iri and term.startswith(iri) and len(term) > len(iri):
                return f"{prefix}:{term[len(iri):]}"
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(result: QueryResult, prefixes: dict[str, str]) -> str:
    cells = [[_short(t, prefixes) for t in row] for row in result.rows]
    widths = [max([_width(v)] + [_width(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(result.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: lexical values, empty cells for unbound variables."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow("" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row)
    return out.getvalue()


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        data: dict = {"head": {}, "boolean": result.boolean}
    else:
        data = {"head": {"vars": list(result.variables)},
                "results": {"bindings": [{v: _json_term(t) for v, t in zip(result.variables, row)
                                          if t is not None} for row in result.rows]}}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _ntriples(triples: tuple[tuple[Node, Node, Node], ...]) -> str:
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


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n']
    if result.kind == "ask":
        out.append(f"<head/>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out)
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>\n")
    out.append("<results>\n")
    for row in result.rows:
        out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                         for v, t in zip(result.variables, row) if t is not None)
                   + "</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out)


def _tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results: terms in Turtle syntax, empty cells for unbound variables."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3().replace("\t", "\\t") for t in row))
    return "\n".join(lines) + "\n"


def _json_compact(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    return json.dumps({"head": {"vars": list(result.variables)},
                       "results": {"bindings": [{v: _json_term(t) for v, t in zip(result.variables, row)
                                                 if t is not None} for row in result.rows]}},
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
