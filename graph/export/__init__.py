"""One module per output format, found by name through a small lazy registry.

Each entry names the module and writer function (imported only when used), what
the writer takes (the segmented documents, the per-document results, or the
graph) and the file it writes, so ``--format`` never grows an if/elif chain.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable


@dataclass(frozen=True)
class ExportFormat:
    name: str
    module: str          # relative to this package
    function: str
    takes: str           # "documents", "results", "graph" or "build" (what was written so far)
    filename: str
    description: str     # one line for the output index

    def writer(self) -> Callable:
        return getattr(import_module(self.module, __name__), self.function)


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("articles", ".articles_jsonl", "write_articles_jsonl", "documents", "articles.jsonl",
                 "JSON Lines, one line per input document: articles, authors, sections and "
                 "sentences with character offsets into the original file"),
    ExportFormat("jsonl", ".extraction_jsonl", "write_extraction_jsonl", "results", "entities.jsonl",
                 "JSON Lines, one line per input document in the SCHEMA.md contract: entities, "
                 "relations and observations, each with its evidence"),
    ExportFormat("json", ".node_link", "write_node_link", "graph", "graph.json",
                 "the whole graph as networkx node-link JSON (nodes, edges, evidence)"),
    ExportFormat("ttl", ".rdf", "write_turtle", "graph", "graph.ttl",
                 "the graph as RDF Turtle in the renda ontology (ontology/renda.ttl): labels, "
                 "places with level and adcode, statistics, evidence of every node and edge"),
    ExportFormat("nt", ".rdf", "write_ntriples", "graph", "graph.nt",
                 "the same RDF as sorted N-Triples, one triple a line"),
    ExportFormat("store", ".query_store", "write_query_store", "graph", "graph.oxigraph",
                 "a folder: the same RDF as an Oxigraph database, which `renda-kg query` and "
                 "`renda-kg serve` open (give them the output directory) without parsing the graph"),
    ExportFormat("gexf", ".gexf", "write_gexf", "graph", "graph.gexf",
                 "GEXF 1.2 graph: typed columns, colour by type, size by degree and positions"),
    ExportFormat("graphml", ".graphml", "write_graphml", "graph", "graph.graphml",
                 "GraphML graph: the GEXF columns plus label, color, size and x/y as columns"),
    ExportFormat("html", ".html", "write_html", "graph", "graph.html",
                 "the graph viewer: one offline page with search, type filters and evidence"),
    # Keep `index` last: it describes the files written before it.
    ExportFormat("index", ".output_index", "write_index", "build", "INDEX.md",
                 "this list: each output file, what it is and how to open it"),
)}
