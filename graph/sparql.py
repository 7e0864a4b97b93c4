"""SPARQL over an exported graph file (graph.ttl or graph.nt) with Oxigraph or rdflib.

Oxigraph is the fast default; rdflib is the pure-Python reference. Both hand back
rows of rdflib terms under one literal convention (a plain string has no
datatype), so the table, CSV and JSON output — and the tests comparing the two
engines — never depend on which one ran.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
import rdflib
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.term import Node

__all__ = ["ENGINES", "OUTPUT_FORMATS", "QueryResult", "SparqlError", "SparqlGraph", "format_result",
           "load_rdflib_graph", "open_graph", "query_prefixes", "read_query"]

ENGINES = ("oxigraph", "rdflib")
OUTPUT_FORMATS = ("table", "csv", "json")
QUERY_SUFFIXES = (".rq", ".sparql")
_GRAPH_FORMATS = {".ttl": ("turtle", ox.RdfFormat.TURTLE), ".nt": ("nt", ox.RdfFormat.N_TRIPLES)}
_PREFIX = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)


class SparqlError(ValueError):
    """A graph file or a query that cannot be used; the message is one line for the user."""


#: SERVICE would make either engine call a remote endpoint: renda-kg never touches the
#: network at run time, so a query that asks for one is refused before it runs.
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_STRINGS_AND_IRIS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')


def refuse_remote(text: str) -> None:
    """Raise SparqlError for a query with a SERVICE clause (outside strings, IRIs, comments)."""
    if _SERVICE.search(_STRINGS_AND_IRIS.sub(" ", text)):
        raise SparqlError("SERVICE is not allowed: renda-kg answers from the local graph only")


def _refuse_service_in_rdflib(ctx, part):
    """rdflib custom eval: refuse SERVICE patterns (the endpoint parses queries itself)."""
    if part.name == "ServiceGraphPattern":
        raise SparqlError("SERVICE is not allowed: renda-kg answers from the local graph only")
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
    def query(self, text: str) -> QueryResult: ...


def _plain(term: Node | None) -> Node | None:
    """xsd:string literals without their datatype, as rdflib parses them from files."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


class _RdflibGraph:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def query(self, text: str) -> QueryResult:
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
                return QueryResult(triples=tuple(tuple(_plain(t) for t in triple) for triple in result))
            variables = tuple(str(v) for v in result.vars or ())
            return QueryResult(variables, tuple(tuple(_plain(row[v]) for v in variables) for row in result))
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


class _OxigraphGraph:
    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(self, text: str) -> QueryResult:
        refuse_remote(text)
        try:
            result = self.store.query(text)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult(boolean=bool(result))
            if isinstance(result, ox.QueryTriples):
                return QueryResult(triples=tuple(
                    (_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
                    for t in result))
            variables = tuple(v.value for v in result.variables)
            return QueryResult(variables, tuple(tuple(_from_oxigraph(s[v]) for v in variables) for s in result))
        except SyntaxError as err:
            raise SparqlError(f"bad query: {_one_line(err)}") from None
        except OSError as err:   # evaluation errors, e.g. an unreachable SERVICE
            raise SparqlError(f"query failed: {_one_line(err)}") from None


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
