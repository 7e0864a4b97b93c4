"""The pages of `renda-kg serve` besides the endpoint: the SPARQL query page at ``/``
(YASGUI, vendored in vendor/ and served from ``/static/``: no CDN, no network), and
``/node?iri=…``, one page per node with what the viewer's details panel shows.

A node page is one SPARQL query (a UNION of bounded sections: facts, relations out and
in, the evidence of those relations, the articles that mention it, its own evidence
and its observations) run through the server's worker pool, like any endpoint query, so it obeys the same time, row and
memory limits and never blocks the event loop. The graph's text is untrusted (it is
whatever the crawled pages said): templates autoescape, and both pages are served
with a Content-Security-Policy that allows no inline script and no other origin.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ...ontology import NAMESPACE
from ..export.rdf import NON_NODE_SEGMENTS, node_iri
from ..query_limits import QueryStopped
from ..sparql import SparqlError

if TYPE_CHECKING:
    from ..query_pool import WorkerPool

__all__ = ["EXAMPLES_DIR", "SECTIONS", "STATIC_FILES", "Pages", "load_examples", "section_rows"]

WEB = Path(__file__).resolve().parent
TEMPLATES = WEB / "templates"
VENDOR = WEB / "vendor"
#: `queries/` of a checkout (graph/web/../../queries); installed from a wheel, the same
#: expression names renda_kg/queries, where setup.cfg has to install the .rq files.
EXAMPLES_DIR = WEB.parents[1] / "queries"

#: What /static/ serves: a fixed list, never a path from the request.
STATIC_FILES = {
    "yasgui.min.js": (VENDOR, "text/javascript; charset=utf-8"),
    "yasgui.min.css": (VENDOR, "text/css; charset=utf-8"),
    "query-page.js": (TEMPLATES, "text/javascript; charset=utf-8"),
    "pages.css": (TEMPLATES, "text/css; charset=utf-8"),
}

# The query page runs YASGUI (its own script files only; it styles elements inline);
# a node page runs no script at all. Neither may reach another origin.
QUERY_PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                     "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
NODE_PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
                    "form-action 'self'; frame-ancestors 'none'")

#: At most this many rows per section of a node page (relations out, in, mentions,
#: evidence, the evidence of the relations out and in, observations); the page says
#: when a section was cut.
SECTION_ROWS = 1000
#: The bounded sections of node_query.
SECTIONS = ("out", "in", "mentioned", "evidence", "out-evidence", "in-evidence", "observation")

log = logging.getLogger("renda_kg.sparql")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
MENTIONS = NAMESPACE + "mentions"

# Characters SPARQL's IRIREF forbids: an IRI holding one is no node of a renda graph
# (rdf.py percent-encodes them), and must never reach a query.
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_MAX_IRI = 4096


# --- examples ------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    name: str              # the file's stem
    title: str             # the first comment line
    text: str              # the query as the file holds it


def load_examples(folder: Path | None = EXAMPLES_DIR) -> list[Example]:
    """The .rq files of `folder` in name order; none when it is missing."""
    if folder is None or not folder.is_dir():
        return []
    examples = []
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            log.warning("renda-kg: example query %s skipped: %s", path.name, err)
            continue
        examples.append(Example(path.stem, _title(text) or path.stem.replace("_", " "), text))
    return examples


def _title(text: str) -> str:
    """The first clause of the query's leading comment: up to ": " or ". "."""
    words = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#") or not line.lstrip("#").strip():
            break
        words.append(line.lstrip("#").strip())
    paragraph = " ".join(words)
    return re.split(r"[:.](?:\s|$)", paragraph, maxsplit=1)[0].strip()


# --- node pages ------------------------------------------------------------------------

def node_href(iri: str) -> str:
    return "/node?iri=" + quote(iri, safe="")


def _local(iri: str) -> str:
    """renda:locatedIn → locatedIn; any other IRI as it is."""
    return iri[len(NAMESPACE):] if iri.startswith(NAMESPACE) else iri


def section_rows(max_rows: int) -> int:
    """Rows per section under --max-rows `max_rows` (0: no limit): every section at its
    cap (+1) and a few facts must fit."""
    return SECTION_ROWS if not max_rows else max(1, min(SECTION_ROWS, max_rows // len(SECTIONS) - 2))


def node_query(iri: str, rows: int) -> str:
    """One query for a whole node page: its facts, then relations out, relations in
    (without mentions), the evidence of those relations, the articles that mention it,
    its evidence and its observations with theirs, each section ordered and cut at
    `rows` + 1 rows (the extra row says the section was cut).

    A relation's evidence is ordered like the relations (relation, neighbour's name,
    neighbour), so when it is cut, the evidence shown is that of the first relations."""
    s, limit = f"<{iri}>", rows + 1
    neighbour = f"""
        ?other <{DCTERMS}identifier> ?otherId .
        OPTIONAL {{ ?other <{SKOS}prefLabel> ?n }}
        OPTIONAL {{ ?other a ?t FILTER(STRSTARTS(STR(?t), "{NAMESPACE}")) }}"""
    evidence = f"""?ev <{NAMESPACE}sourceFile> ?file .
              OPTIONAL {{ ?ev <{NAMESPACE}inArticle> ?article OPTIONAL {{ ?article <{SKOS}prefLabel> ?headline }} }}
              OPTIONAL {{ ?ev <{NAMESPACE}sentence> ?sentence }}
              OPTIONAL {{ ?ev <{NAMESPACE}start> ?start }} OPTIONAL {{ ?ev <{NAMESPACE}end> ?end }}"""
    fields = "?file ?article ?headline ?start ?end ?sentence"

    def assertion(head: str, tail: str) -> str:
        """The edge's role and its evidence (to count), from its renda:RelationAssertion
        (two OPTIONALs: one with both nested in it takes Oxigraph five times as long)."""
        edge = f"<{RDF}subject> {head} ; <{RDF}predicate> ?relation ; <{RDF}object> {tail}"
        return (f"OPTIONAL {{ ?a {edge} ; <{ORG}role>/<{SKOS}prefLabel> ?r }} "
                f"OPTIONAL {{ ?e {edge} ; <{NAMESPACE}evidence> ?ev }}")

    def relations(section: str, head: str, tail: str, condition: str) -> str:
        return f"""{{ SELECT ("{section}" AS ?section) ?relation ?other (SAMPLE(?n) AS ?name) (SAMPLE(?t) AS ?type)
            (SAMPLE(?r) AS ?role) (COUNT(DISTINCT ?ev) AS ?evidenceCount)
     WHERE {{ {head} ?relation {tail} . FILTER({condition})
              {neighbour} {assertion(head, tail)} }}
     GROUP BY ?relation ?other ORDER BY ?relation ?name ?other LIMIT {limit} }}"""

    def relation_evidence(section: str, head: str, tail: str, condition: str) -> str:
        # The assertions first, in a sub-query: joined in one group with the evidence's
        # OPTIONALs, Oxigraph's planner starts elsewhere and takes 100 times as long.
        return f"""{{ SELECT ("{section}" AS ?section) ?relation ?other ?name {fields}
     WHERE {{ {{ SELECT ?relation ?other ?ev WHERE {{
                   ?a <{RDF}subject> {head} ; <{RDF}predicate> ?relation ; <{RDF}object> {tail} ;
                      <{NAMESPACE}evidence> ?ev . FILTER({condition}) }} }}
              ?other <{DCTERMS}identifier> ?otherId . OPTIONAL {{ ?other <{SKOS}prefLabel> ?name }}
              {evidence} }}
     ORDER BY ?relation ?name ?other ?file ?start ?end ?sentence ?article LIMIT {limit} }}"""

    out = f'STRSTARTS(STR(?relation), "{NAMESPACE}")'
    into = f'STRSTARTS(STR(?relation), "{NAMESPACE}") && ?relation != <{MENTIONS}>'
    return f"""SELECT ?section ?p ?o ?relation ?other ?name ?type ?role ?evidenceCount
                      ?observation ?measure ?value ?unit ?year ?approximate {fields} WHERE {{
  {{ BIND("fact" AS ?section)
     {s} ?p ?o
     FILTER(?p IN (<{RDF}type>, <{DCTERMS}identifier>, <{SKOS}prefLabel>, <{SKOS}altLabel>,
                   <{NAMESPACE}level>, <{NAMESPACE}kind>, <{NAMESPACE}adcode>, <{NAMESPACE}gazetteerId>)) }}
  UNION
  {relations("out", s, "?other", out)}
  UNION
  {relations("in", "?other", s, into)}
  UNION
  {relation_evidence("out-evidence", s, "?other", out)}
  UNION
  {relation_evidence("in-evidence", "?other", s, into)}
  UNION
  {{ SELECT ("mentioned" AS ?section) ?other (SAMPLE(?n) AS ?name) (SAMPLE(?t) AS ?type)
     WHERE {{ ?other <{MENTIONS}> {s} . {neighbour} }}
     GROUP BY ?other ORDER BY ?name ?other LIMIT {limit} }}
  UNION
  {{ SELECT ("evidence" AS ?section) {fields}
     WHERE {{ {s} <{NAMESPACE}evidence> ?ev . {evidence} }}
     ORDER BY ?file ?start ?end ?sentence ?article LIMIT {limit} }}
  UNION
  {{ SELECT ("observation" AS ?section) ?observation ?measure ?value ?unit ?year ?approximate {fields}
     WHERE {{ ?observation <{NAMESPACE}observationAbout> {s} ; <{NAMESPACE}value> ?value .
              OPTIONAL {{ ?observation <{NAMESPACE}measure> ?measure }}
              OPTIONAL {{ ?observation <{NAMESPACE}unit> ?unit }}
              OPTIONAL {{ ?observation <{NAMESPACE}year> ?year }}
              OPTIONAL {{ ?observation <{NAMESPACE}approximate> ?approximate }}
              OPTIONAL {{ ?observation <{NAMESPACE}evidence> ?ev . {evidence} }} }}
     ORDER BY ?measure ?year ?value ?observation ?file ?start ?end ?sentence ?article LIMIT {limit} }}
}}"""


@dataclass
class Evidence:
    file: str
    article: str
    headline: str
    start: str
    end: str
    sentence: str

    @property
    def article_href(self) -> str:
        return node_href(self.article) if self.article else ""

    def key(self) -> tuple:
        return (self.file, _sort_key(self.start), _sort_key(self.end), self.sentence, self.article)


@dataclass
class Neighbour:
    relation: str
    iri: str
    name: str
    type: str
    role: str
    evidence_count: int = 0                                           # the edge's evidence in the graph
    evidence: list[Evidence] = field(default_factory=list)            # the part of it the page shows

    @property
    def href(self) -> str:
        return node_href(self.iri)

    def key(self) -> tuple:
        return (self.relation, self.name, self.iri)


@dataclass
class EdgeEvidence:
    """One evidence of a relation in or out, before it joins its Neighbour."""
    relation: str
    name: str           # the neighbour's: relations are ordered by it
    other: str
    evidence: Evidence

    @property
    def edge(self) -> tuple[str, str, str]:
        return (self.relation, self.name, self.other)

    def key(self) -> tuple:
        return (*self.edge, self.evidence.key())


@dataclass
class Observation:
    iri: str
    measure: str
    value: str
    unit: str
    year: str
    approximate: str                                                  # "yes", "no" or "" (not said)
    evidence: Evidence | None

    def key(self) -> tuple:
        return (self.measure, self.year, _number_key(self.value), self.iri,
                self.evidence.key() if self.evidence else ())


@dataclass
class NodeView:
    iri: str
    identifier: str = ""
    name: str = ""
    type: str = ""
    aliases: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)    # (label, value)
    out: list[Neighbour] = field(default_factory=list)
    into: list[Neighbour] = field(default_factory=list)
    mentioned: list[Neighbour] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    cut: dict[str, bool] = field(default_factory=dict)                 # section → more rows exist


def _value(binding: dict, name: str) -> str:
    term = binding.get(name)
    return term["value"] if term else ""


def _sort_key(value: str) -> tuple[int, str]:
    """Numbers in numeric order, everything else after them as text."""
    return (0, f"{int(value):020d}") if value.isdigit() else (1, value)


def _number_key(value: str) -> tuple:
    """An observation's value (an integer or a decimal) in numeric order."""
    try:
        return (0, Decimal(value), value)
    except InvalidOperation:
        return (1, Decimal(0), value)


def _evidence(b: dict) -> Evidence:
    return Evidence(_value(b, "file"), _value(b, "article"), _value(b, "headline"),
                    _value(b, "start"), _value(b, "end"), _value(b, "sentence"))


_APPROXIMATE = {"true": "yes", "1": "yes", "false": "no", "0": "no"}


def _item(section: str, b: dict) -> Evidence | EdgeEvidence | Observation | Neighbour:
    """One row of a bounded section of node_query as what the page shows."""
    if section == "evidence":
        return _evidence(b)
    if section in ("out-evidence", "in-evidence"):
        return EdgeEvidence(_local(_value(b, "relation")), _value(b, "name"), _value(b, "other"), _evidence(b))
    if section == "observation":
        approximate = _value(b, "approximate")
        return Observation(_value(b, "observation"), _value(b, "measure"), _value(b, "value"), _value(b, "unit"),
                           _value(b, "year"), _APPROXIMATE.get(approximate, approximate),
                           _evidence(b) if _value(b, "file") else None)
    count = _value(b, "evidenceCount")
    return Neighbour(_local(_value(b, "relation")) if section != "mentioned" else "mentions",
                     _value(b, "other"), _value(b, "name"), _local(_value(b, "type")), _value(b, "role"),
                     int(count) if count.isdigit() else 0)


def _facts(view: NodeView, facts: list[tuple[str, str]]) -> None:
    """Identifier, name, type, aliases and attributes from the (property, value) facts."""
    attributes: dict[str, str] = {}
    types = []
    for p, o in facts:
        if p == RDF + "type":
            types.append(_local(o))
        elif p == DCTERMS + "identifier":
            view.identifier = o
        elif p == SKOS + "prefLabel":
            view.name = o
        elif p == SKOS + "altLabel":
            view.aliases.append(o)
        else:
            attributes[_local(p)] = o
    view.type = ", ".join(sorted(t for t in types if t))
    view.aliases.sort()
    view.attributes = [(label, attributes[key]) for key, label in
                       (("adcode", "adcode"), ("level", "level"), ("kind", "kind"), ("gazetteerId", "gazetteer id"))
                       if attributes.get(key)]


def node_view(iri: str, results: dict, rows: int) -> NodeView | None:
    """The page's content from the SPARQL JSON results of node_query; None if the IRI
    is no node of this graph (nodes, unlike evidence or assertions, have an identifier)."""
    view = NodeView(iri)
    facts = []
    sections: dict[str, list] = {section: [] for section in SECTIONS}
    for b in results["results"]["bindings"]:
        section = _value(b, "section")
        if section == "fact":
            facts.append((_value(b, "p"), _value(b, "o")))
        elif section in sections:
            sections[section].append(_item(section, b))
    _facts(view, facts)
    if not view.identifier:
        return None
    for section, items in sections.items():
        view.cut[section] = len(items) > rows
        items.sort(key=lambda item: item.key())
        del items[rows:]
    for section in ("out", "in"):
        edges = {n.key(): n for n in sections[section]}
        for ev in sections[f"{section}-evidence"]:
            if ev.edge in edges:
                edges[ev.edge].evidence.append(ev.evidence)
    view.out, view.into, view.mentioned, view.evidence, view.observations = (
        sections["out"], sections["in"], sections["mentioned"], sections["evidence"], sections["observation"])
    return view


# --- the pages ---------------------------------------------------------------------------

class Pages:
    """The query page, the static files and the node pages of one server."""

    def __init__(self, pool: WorkerPool, endpoint_path: str, examples_dir: Path | None = EXAMPLES_DIR) -> None:
        self.pool, self.endpoint_path = pool, endpoint_path
        self.examples = load_examples(examples_dir)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                      undefined=jinja2.StrictUndefined)
        self.static = {name: (folder / name).read_bytes() for name, (folder, _) in STATIC_FILES.items()}
        self._node_base: str | None = None
        self.section_rows = section_rows(pool.limits.max_rows)

    async def _select(self, query: str) -> dict:
        header, body = await self.pool.run({"query": query, "accept": "application/sparql-results+json",
                                            "max_rows": self.pool.limits.max_rows})
        return json.loads(body)

    async def node_base(self) -> str:
        """The IRI every node IRI of this graph starts with (the build's base), found from
        one node and its identifier; "" for an empty graph."""
        if self._node_base is None:
            results = await self._select(f"SELECT ?s ?id WHERE {{ ?s <{DCTERMS}identifier> ?id }} LIMIT 1")
            base = ""
            for b in results["results"]["bindings"]:
                path = str(node_iri(_value(b, "id"), "b/"))[2:]
                if _value(b, "s").endswith(path):
                    base = _value(b, "s")[:-len(path)]
            self._node_base = base
        return self._node_base

    def _html(self, template: str, status: int = 200, policy: str = NODE_PAGE_POLICY, **context) -> HTMLResponse:
        body = self.env.get_template(template).render(**context)
        return HTMLResponse(body, status_code=status, headers={
            "Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"})

    def _message(self, status: int, message: str) -> HTMLResponse:
        return self._html("message.html", status, title=f"{status}", message=message)

    async def index(self, request: Request) -> Response:
        try:
            base = await self.node_base()
        except (QueryStopped, SparqlError) as err:
            return self._message(503, str(err))
        config = {"endpoint": self.endpoint_path, "nodeBase": base, "otherSegments": list(NON_NODE_SEGMENTS),
                  "examples": [{"name": e.name, "title": e.title, "text": e.text} for e in self.examples]}
        return self._html("query.html", policy=QUERY_PAGE_POLICY, config=config, examples=self.examples,
                          triples=self.pool.triples or 0)

    async def static_file(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.static:
            return Response("not found\n", status_code=404, media_type="text/plain")
        return Response(self.static[name], media_type=STATIC_FILES[name][1],
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})

    async def node(self, request: Request) -> Response:
        values = [value for name, value in request.query_params.multi_items() if name == "iri"]
        if not values or not values[0].strip():
            return self._message(400, "missing parameter: /node?iri=<the IRI of a node>")
        if len(values) > 1:
            return self._message(400, "more than one iri parameter")
        iri = values[0].strip()
        if len(iri) > _MAX_IRI or _NOT_IRI.search(iri):
            return self._message(404, "no node of this graph has this IRI")
        try:
            results = await self._select(node_query(iri, self.section_rows))
        except SparqlError as err:
            return self._message(400, str(err))
        except QueryStopped as err:
            return self._message(err.status, str(err))
        view = node_view(iri, results, self.section_rows)
        if view is None:
            return self._message(404, "no node of this graph has this IRI")
        return self._html("node.html", node=view, rows=self.section_rows)
