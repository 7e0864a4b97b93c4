"""The `renda-kg` command line.

Exit codes: 0 everything worked, 1 some inputs failed (the others' results are
still written), 2 usage error. Errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .. import __version__

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message (its default is a usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, directories (searched recursively) or glob patterns")
    p.add_argument("--include", action="append", metavar="GLOB",
                   help="file-name patterns to take from directories "
                        "(repeatable; default: *.txt *.md *.text)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="file-name or relative-path patterns to skip (repeatable)")
    p.add_argument("--encoding", metavar="CODEC",
                   help="decode every input with this codec instead of detecting it")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="worker processes (default 1; 0: one per core when there are enough "
                        "files); the outputs are identical whatever N")


def _add_extractor_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--extractors", default="rules,ner", metavar="LIST",
                   help="rules,ner (default): rules plus the LAC statistical tagger's candidates, "
                        "validated by surname, title and suffix context; rules: the rules alone")


def _progress(quiet: bool, desc: str, total: int) -> Callable[[Iterable], Iterable]:
    """tqdm on a terminal, nothing when quiet or when stderr is not a TTY."""
    if quiet or not sys.stderr.isatty():
        return lambda it: it
    from tqdm import tqdm
    return lambda it: tqdm(it, total=total, desc=desc, unit="file", file=sys.stderr)


def _discover(args: argparse.Namespace) -> list[Path]:
    from ..extractors.input_reader import discover
    return discover(args.inputs, include=args.include, exclude=args.exclude)


def _run(args: argparse.Namespace, desc: str, stage):
    """Run `stage` over the inputs; report failures on stderr as they happen."""
    from .corpus_runner import Failure, process_files
    if args.jobs < 0:
        raise _UsageError(f"--jobs takes 0 (automatic) or a positive number; got {args.jobs}")
    paths = _discover(args)
    done, failures = [], []
    for item in process_files(paths, stage, args.encoding, _progress(args.quiet, desc, len(paths)),
                              jobs=args.jobs):
        if isinstance(item, Failure):
            failures.append(item)
            print(f"renda-kg: skipped {item}", file=sys.stderr)
        else:
            done.append(item)
    return done, failures


def _extractors(args: argparse.Namespace) -> tuple[str, ...]:
    from .pipeline import EXTRACTORS
    chosen = tuple(x for x in args.extractors.split(",") if x)
    unknown = [x for x in chosen if x not in EXTRACTORS]
    if unknown or "rules" not in chosen:
        raise _UsageError(f"--extractors takes rules[,ner]; got {args.extractors}")
    return chosen


def cmd_build(args: argparse.Namespace) -> int:
    from .assembler import assemble
    from .export import FORMATS
    from .export.output_index import BuildOutputs
    from .pipeline import extract_document
    unknown = [f for f in args.format if f not in FORMATS]
    if unknown:
        raise _UsageError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    extractors = _extractors(args)
    pairs, failures = _run(args, "building", partial(extract_document, extractors=extractors))
    inputs = {"documents": [d for d, _ in pairs], "results": [r for _, r in pairs]}
    if any(FORMATS[f].takes == "graph" for f in args.format):
        inputs["graph"] = assemble(inputs["results"])
    out = Path(args.output)
    written: list[Path] = []
    inputs["build"] = BuildOutputs(inputs["documents"], written)
    for name in args.format:
        fmt = FORMATS[name]
        fmt.writer()(inputs[fmt.takes], out / fmt.filename)
        written.append(out / fmt.filename)
    n_articles = sum(len(d.articles) for d in inputs["documents"])
    n_entities = sum(len(r.entities) for r in inputs["results"])
    n_relations = sum(len(r.relations) for r in inputs["results"])
    summary = (f"renda-kg: {len(pairs)} document(s), {n_articles} article(s), {n_entities} entities, "
               f"{n_relations} relations")
    if "graph" in inputs:
        summary += f"; graph {inputs['graph'].number_of_nodes()} nodes, {inputs['graph'].number_of_edges()} edges"
    summary += " → " + ", ".join(str(p) for p in written)
    if failures:
        summary += f"; {len(failures)} input(s) skipped"
    print(summary, file=sys.stderr)
    return EXIT_PARTIAL if failures else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from .export.extraction_jsonl import generate_extraction_jsonl
    from .pipeline import extract_document
    extractors = _extractors(args)
    pairs, failures = _run(args, "extracting", partial(extract_document, extractors=extractors))
    lines = generate_extraction_jsonl(r for _, r in pairs)
    if args.output:
        from .output_files import atomic_writer
        with atomic_writer(args.output) as fh:
            fh.writelines(lines)
    else:
        sys.stdout.writelines(lines)
    return EXIT_PARTIAL if failures else EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from .scoring import format_report, load_gold, load_predictions, report_to_json, score
    if not Path(args.gold).is_dir():
        raise _UsageError(f"--gold must be a directory of gold JSON files: {args.gold}")
    try:
        predictions = load_predictions(args.predictions)
    except FileNotFoundError:
        raise _UsageError(f"no such file: {args.predictions}") from None
    except ValueError as err:
        raise _UsageError(f"{args.predictions}: {err}") from None
    try:
        gold = load_gold(args.gold)
    except ValueError as err:
        raise _UsageError(f"{args.gold}: {err}") from None
    report = score(predictions, gold)
    if args.json:
        print(json.dumps(report_to_json(report), ensure_ascii=False, indent=1))
    else:
        print(format_report(report, errors=args.errors))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import format_stats, graph_stats, load_graph
    print(format_stats(graph_stats(load_graph(args.graph), top=args.top)))
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from .sparql import SparqlError, format_result, open_graph, query_prefixes, read_query
    try:
        text = read_query(args.query)
        result = open_graph(args.graph, args.engine).query(text)
    except SparqlError as err:
        raise _UsageError(str(err)) from None
    sys.stdout.write(format_result(result, args.format, query_prefixes(text)))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .sparql import SparqlError
    from .sparql_server import SparqlServer
    try:
        server = SparqlServer(args.graph, args.host, args.port)
    except SparqlError as err:
        raise _UsageError(str(err)) from None
    except OSError as err:
        raise _UsageError(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}") from None
    print(f"renda-kg: serving {len(server.graph)} triples from {args.graph} at {server.url} "
          f"(read-only; Ctrl-C stops)", file=sys.stderr)
    server.serve_forever()
    return EXIT_OK


def cmd_segment(args: argparse.Namespace) -> int:
    from .export.articles_jsonl import document_record
    from ..extractors.article_segmenter import segment
    docs, failures = _run(args, "segmenting", segment)
    for doc in docs:
        if args.json:
            print(json.dumps(document_record(doc), ensure_ascii=False))
            continue
        print(f"== {doc.source.path} ({doc.source.encoding}): {len(doc.articles)} article(s)")
        for a in doc.articles:
            authors = " ".join(f"{au.name}({au.province})" if au.province else au.name
                               for au in a.authors)
            print(f"[{a.index}] {a.headline}" + (f" — {a.subheadline}" if a.subheadline else ""))
            details = [f"authors: {authors or '-'}"]
            if a.author_position:
                details.append(f"position: {a.author_position}")
            if a.reporting_body:
                details.append(f"body: {a.reporting_body}")
            if a.published or a.source:
                details.append(f"published: {a.published or '-'} source: {a.source or '-'}")
            details.append(f"{len(a.sections)} section(s), "
                           f"{sum(s.kind == 'body' for s in a.sentences)} sentence(s)")
            print("    " + "; ".join(details))
    return EXIT_PARTIAL if failures else EXIT_OK


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="renda-kg", description="Knowledge graphs from People's Congress "
                     "(人大) reporting: OCR'd newspaper pages and web articles.")
    parser.add_argument("--version", action="version", version=f"renda-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    from .export import FORMATS
    p = sub.add_parser("build", help="build all outputs from input files",
                       description="Read, normalise, segment and extract the inputs, assemble "
                                   "the graph and write every output format into a directory.")
    _add_input_args(p)
    _add_extractor_arg(p)
    p.add_argument("-o", "--output", default="outputs", metavar="DIR",
                   help="output directory (default: outputs)")
    p.add_argument("--format", type=lambda s: [f for f in s.split(",") if f],
                   default=list(FORMATS), metavar="LIST",
                   help=f"comma-separated formats to write (default: {','.join(FORMATS)})")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("extract", help="print entities and relations as JSON Lines",
                       description="Extract entities, relations and observations: one JSON line "
                                   "per input document (SCHEMA.md contract).")
    _add_input_args(p)
    _add_extractor_arg(p)
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (jsonl)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("eval", help="score JSON Lines predictions against gold annotations",
                       description="Strict and relaxed micro P/R/F1, overall and per type, "
                                   "as SCHEMA.md's Scoring section defines them.")
    p.add_argument("predictions", metavar="PRED.jsonl", help="output of `renda-kg extract`")
    p.add_argument("--gold", required=True, metavar="DIR", help="directory of gold JSON files")
    p.add_argument("--errors", action="store_true", help="list misses and false positives")
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("stats", help="counts by type and relation, top-degree nodes",
                       description="Summarise a graph written by `renda-kg build` (graph.json).")
    p.add_argument("graph", metavar="GRAPH", help="graph.json written by build")
    p.add_argument("--top", type=int, default=10, help="how many top-degree nodes (default 10)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("query", help="run a SPARQL query on an exported graph",
                       description="Run a SPARQL 1.1 query (a .rq file or the query text) on "
                                   "graph.ttl or graph.nt written by build. SELECT and ASK print "
                                   "rows; CONSTRUCT and DESCRIBE print sorted N-Triples.")
    p.add_argument("graph", metavar="GRAPH", help="graph.ttl or graph.nt written by build")
    p.add_argument("query", metavar="QUERY", help="a .rq file (see queries/) or inline SPARQL")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="table (default), SPARQL CSV or SPARQL JSON results")
    p.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph",
                   help="oxigraph (default, fast) or rdflib (pure Python); same rows")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve an exported graph as a read-only SPARQL endpoint",
                       description="A SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql: "
                                   "GET and POST queries, SPARQL JSON/XML/CSV results, Turtle or "
                                   "N-Triples for CONSTRUCT; updates are refused (403).")
    p.add_argument("graph", metavar="GRAPH", help="graph.ttl or graph.nt written by build")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("segment", help="print the articles found in the inputs",
                       description="Print each input's articles: headline, authors, "
                                   "position, sections and sentence counts.")
    _add_input_args(p)
    p.add_argument("--json", action="store_true", help="one JSON object per document")
    p.set_defaults(func=cmd_segment)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from ..extractors.input_reader import UsageError
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UsageError, _UsageError) as err:
        print(f"renda-kg: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("renda-kg: interrupted", file=sys.stderr)
        return 130
    except OSError as err:
        print(f"renda-kg: error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return EXIT_PARTIAL


if __name__ == "__main__":
    sys.exit(main())
