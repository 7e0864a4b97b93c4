"""The `renda-kg` command line.

Exit codes: 0 everything worked, 1 some inputs failed (the others' results are
still written), 2 usage error. Errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import __version__

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
    p.add_argument("--max-file-size", default="10M", metavar="SIZE",
                   help="skip (and report) input files larger than this (default 10M; 0: no limit)")
    p.add_argument("--doc-timeout", type=float, default=300.0, metavar="SECONDS",
                   help="stop and skip a document that takes longer (default 300; 0: no limit)")
    p.add_argument("--doc-memory", default="4G", metavar="SIZE",
                   help="stop and skip a document whose worker grows past this resident memory "
                        "(default 4G; 0: no limit). With both limits 0 and -j 1, documents run "
                        "in this process")


def _add_scale_args(p: argparse.ArgumentParser) -> None:
    """The per-document cache and the Dask scheduler (extract and build)."""
    p.add_argument("--cache", metavar="DIR",
                   help="keep each document's extraction here, keyed by its bytes, the extractor "
                        "settings and the pipeline version, so a rebuild re-extracts only changed "
                        "files (default: $RENDA_KG_CACHE_DIR, else ~/.cache/renda-kg)")
    p.add_argument("--no-cache", action="store_true", help="extract every document afresh; store nothing")
    p.add_argument("--scheduler", metavar="WHERE",
                   help="run extraction on Dask: local (one worker per core), local:N, or "
                        "tcp://HOST:PORT of a running scheduler; outputs are identical to -j 1. "
                        "--doc-timeout is not enforced under Dask")


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
    from .extractors.input_reader import discover
    return discover(args.inputs, include=args.include, exclude=args.exclude)


def _limits(args: argparse.Namespace):
    """The per-document limits of the common options, checked before any work starts."""
    from .extractors.input_reader import parse_size
    from .corpus_runner import Limits
    if args.jobs < 0:
        raise _UsageError(f"--jobs takes 0 (automatic) or a positive number; got {args.jobs}")
    if not args.doc_timeout >= 0:
        raise _UsageError(f"--doc-timeout takes seconds (0: no limit); got {args.doc_timeout:g}")
    sizes = {}
    for flag, value in (("--max-file-size", args.max_file_size), ("--doc-memory", args.doc_memory)):
        try:
            sizes[flag] = parse_size(value)
        except ValueError as err:
            raise _UsageError(f"{flag}: {err}") from None
    if args.encoding:
        import codecs
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise _UsageError(f"--encoding: unknown codec {args.encoding}") from None
    return Limits(max_bytes=sizes["--max-file-size"], seconds=args.doc_timeout,
                  memory=sizes["--doc-memory"])


def _document_cache(args: argparse.Namespace, extractors: Sequence[str]):
    """The per-document cache the options ask for, or None."""
    if getattr(args, "no_cache", True):
        return None
    from .document_cache import DocumentCache
    if args.cache is not None and Path(args.cache).exists() and not Path(args.cache).is_dir():
        raise _UsageError(f"--cache {args.cache}: exists and is not a directory")
    return DocumentCache(args.cache, extractors, args.encoding)


def _check_scheduler(args: argparse.Namespace) -> None:
    if getattr(args, "scheduler", None):
        from .dask_runner import parse_scheduler
        if args.jobs != 1:
            raise _UsageError("choose --scheduler or -j, not both")
        try:
            parse_scheduler(args.scheduler)
        except ValueError as err:
            raise _UsageError(str(err)) from None


def _stream(args: argparse.Namespace, desc: str, stage, cache=None, failures: list | None = None):
    """Run `stage` over the inputs, yielding results in input order; failures are
    reported on stderr as they happen and appended to `failures`."""
    from .corpus_runner import Failure, WorkerError, process_files
    limits = _limits(args)
    _check_scheduler(args)
    paths = _discover(args)
    items = process_files(paths, stage, args.encoding, _progress(args.quiet, desc, len(paths)),
                          jobs=args.jobs, limits=limits, cache=cache,
                          scheduler=getattr(args, "scheduler", None))
    try:
        for item in items:
            if isinstance(item, Failure):
                if failures is not None:
                    failures.append(item)
                print(f"renda-kg: skipped {item}", file=sys.stderr)
            else:
                yield item
    except WorkerError as err:
        raise _Fatal(str(err)) from None


def _run(args: argparse.Namespace, desc: str, stage, cache=None):
    """All results of `_stream` and the failures."""
    failures: list = []
    done = list(_stream(args, desc, stage, cache, failures))
    return done, failures


def _extractors(args: argparse.Namespace) -> tuple[str, ...]:
    from .graph.pipeline import EXTRACTORS
    chosen = tuple(x for x in args.extractors.split(",") if x)
    unknown = [x for x in chosen if x not in EXTRACTORS]
    if unknown or "rules" not in chosen:
        raise _UsageError(f"--extractors takes rules[,ner]; got {args.extractors}")
    return chosen


def cmd_build(args: argparse.Namespace) -> int:
    from .graph.export import FORMATS
    from .graph.output_dir import OutputDirError, StagedOutput
    from .graph.pipeline import extract_document
    from .graph.streaming_build import StreamingBuild
    unknown = [f for f in args.format if f not in FORMATS]
    if unknown:
        raise _UsageError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    extractors = _extractors(args)
    cache = _document_cache(args, extractors)
    try:        # an unusable -o is a usage error, found before any extraction
        staged = StagedOutput(args.output, (fmt.filename for fmt in FORMATS.values()))
    except OutputDirError as err:
        raise _UsageError(str(err)) from None
    out = Path(args.output)
    failures: list = []
    started = time.perf_counter()
    with staged as stage:
        build = StreamingBuild(stage, args.format)
        try:
            for document, result in _stream(args, "building", partial(extract_document, extractors=extractors),
                                            cache, failures):
                build.add(document, result)
            if not build.counts.documents:
                raise _Fatal(f"no input could be read; {args.output} is unchanged")
            written = build.finish()
        except OSError as err:
            name = Path(err.filename).name if err.filename else ""
            raise _Fatal(f"cannot write {out / name if name else out}: {err.strerror or err}; "
                         f"{out} is unchanged") from None
        finally:
            build.close()
    c = build.counts
    summary = (f"renda-kg: {c.documents} document(s), {c.articles} article(s), {c.entities} entities, "
               f"{c.relations} relations")
    if cache is not None and cache.hits:
        summary += f" ({cache.hits} document(s) from the cache)"
    if build.graph is not None:     # edges: the seven relations; an Article's mentions apart
        from .graph.stats import mention_count
        mentions = mention_count(build.graph)
        summary += (f"; graph {build.graph.number_of_nodes()} nodes, "
                    f"{build.graph.number_of_edges() - mentions} edges, {mentions} mentions")
    summary += " → " + ", ".join(str(out / p.name) for p in written)
    if failures:
        summary += f"; {len(failures)} input(s) skipped"
    print(summary, file=sys.stderr)
    if args.timings:
        total = time.perf_counter() - started
        steps = build.timings
        rows = [("extract (read, extract, cache)", total - sum(steps.values()))] + list(steps.items())
        print("renda-kg: timings: " + "; ".join(f"{name} {secs:.2f} s" for name, secs in rows)
              + f"; total {total:.2f} s", file=sys.stderr)
    return EXIT_PARTIAL if failures else EXIT_OK


def _check_output_file(path: str) -> None:
    """An -o FILE that cannot be written is a usage error, found before any extraction."""
    target = Path(path)
    if target.is_dir():
        raise _UsageError(f"-o {path}: is a directory")
    parent = target.parent if str(target.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise _UsageError(f"-o {path}: {parent} is not a directory")
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise _UsageError(f"-o {path}: permission denied")


def cmd_extract(args: argparse.Namespace) -> int:
    from .graph.export.extraction_jsonl import generate_extraction_jsonl
    from .graph.pipeline import extract_document
    extractors = _extractors(args)
    if args.output:
        _check_output_file(args.output)
    failures: list = []
    results = _stream(args, "extracting", partial(extract_document, extractors=extractors),
                      _document_cache(args, extractors), failures)
    lines = generate_extraction_jsonl(r for _, r in results)     # one line per document, as it comes
    if args.output:
        from .graph.output_files import atomic_writer
        try:
            with atomic_writer(args.output) as fh:
                fh.writelines(lines)
        except OSError as err:
            raise _Fatal(f"cannot write {args.output}: {err.strerror or err}") from None
    else:
        sys.stdout.writelines(lines)
    return EXIT_PARTIAL if failures else EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import format_report, load_gold, load_predictions, report_to_json, score
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
    from .graph.stats import GraphFileError, format_stats, graph_stats, load_graph
    if args.top < 0:
        raise _UsageError(f"--top takes a number of nodes, 0 or more; got {args.top}")
    try:
        graph = load_graph(args.graph)
    except GraphFileError as err:
        raise _UsageError(str(err)) from None
    print(format_stats(graph_stats(graph, top=args.top)))
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    """Exit 2 for a bad graph, store or query, 1 when a limit stopped the query."""
    from .graph.query_limits import QueryStopped, limits_from_args
    from .graph.query_pool import run_query
    from .graph.sparql import SparqlError, read_query
    try:
        text = read_query(args.query)
        output = run_query(args.graph, text, engine=args.engine, fmt=args.format,
                           limits=limits_from_args(args))
    except QueryStopped as err:
        raise _Fatal(str(err)) from None
    except SparqlError as err:
        raise _UsageError(str(err)) from None
    sys.stdout.write(output)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .graph.query_limits import limits_from_args
    from .graph.sparql import SparqlError
    from .graph.sparql_server import SparqlServer
    if args.workers < 1:
        raise _UsageError(f"--workers takes a positive number; got {args.workers}")
    limits = limits_from_args(args)
    try:
        server = SparqlServer(args.graph, args.host, args.port, "warning" if args.quiet else "info",
                              engine=args.engine, limits=limits, workers=args.workers)
    except SparqlError as err:
        raise _UsageError(str(err)) from None
    except OSError as err:
        raise _UsageError(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}") from None
    print(f"renda-kg: serving {server.triples} triples from {args.graph} at {server.url} "
          f"(query page {server.page_url}; read-only; {args.workers} query worker(s); {limits.describe()}; "
          f"Ctrl-C stops)",
          file=sys.stderr, flush=True)
    server.serve_forever()
    print("renda-kg: server stopped", file=sys.stderr)
    return EXIT_OK


def cmd_segment(args: argparse.Namespace) -> int:
    from .graph.export.articles_jsonl import document_record
    from .graph.export.safe_text import json_line
    from .extractors.article_segmenter import segment
    docs, failures = _run(args, "segmenting", segment)
    for doc in docs:
        if args.json:
            sys.stdout.write(json_line(document_record(doc)))
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
    """Bad arguments or unusable paths: exit 2."""


class _Fatal(Exception):
    """The command started but could not finish (a write failed, a worker could not start): exit 1."""


class _Terminated(Exception):
    """SIGTERM, raised in the main thread so staging directories and workers are cleaned up."""


def _raise_terminated(signum, frame):
    raise _Terminated()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="renda-kg", description="Knowledge graphs from People's Congress "
                     "(人大) reporting: OCR'd newspaper pages and web articles.")
    parser.add_argument("--version", action="version", version=f"renda-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    from .graph.export import FORMATS
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
    _add_scale_args(p)
    p.add_argument("--timings", action="store_true",
                   help="print the time each step took (extraction, assembly, each writer)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("extract", help="print entities and relations as JSON Lines",
                       description="Extract entities, relations and observations: one JSON line "
                                   "per input document (SCHEMA.md contract).")
    _add_input_args(p)
    _add_extractor_arg(p)
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (jsonl)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _add_scale_args(p)
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

    p = sub.add_parser("query", help="run a SPARQL query on a built graph",
                       description="Run a SPARQL 1.1 query (a .rq file or the query text) on a "
                                   "build's output directory (its query store, graph.oxigraph/, is "
                                   "opened without parsing anything), or on graph.ttl or graph.nt. "
                                   "SELECT and ASK print rows; CONSTRUCT and DESCRIBE print sorted "
                                   "N-Triples.")
    p.add_argument("graph", metavar="GRAPH", help="the output directory of build (or its graph.oxigraph/), "
                                                  "or graph.ttl or graph.nt")
    p.add_argument("query", metavar="QUERY", help="a .rq file (see queries/) or inline SPARQL")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="table (default), SPARQL CSV or SPARQL JSON results")
    p.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph",
                   help="oxigraph (default, fast) or rdflib (pure Python); same rows")
    from .graph.query_limits import DEFAULT_WORKERS, add_limit_arguments
    add_limit_arguments(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve a built graph as a read-only SPARQL endpoint",
                       description="A SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql: "
                                   "GET and POST queries, SPARQL JSON/XML/CSV/TSV results, Turtle or "
                                   "N-Triples for CONSTRUCT; updates are refused (403). Queries run "
                                   "in worker processes under a time, row and memory limit. "
                                   "http://HOST:PORT/ is a query page (YASGUI, served from the package: "
                                   "works offline) with the example queries, and /node?iri=IRI a page "
                                   "per node.")
    p.add_argument("graph", metavar="GRAPH", help="the output directory of build (or its graph.oxigraph/), "
                                                  "or graph.ttl or graph.nt")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph",
                   help="oxigraph (default, fast) or rdflib (pure Python); same rows")
    p.add_argument("--workers", type=int, default=DEFAULT_WORKERS, metavar="N",
                   help=f"query worker processes, each with the graph open; a .ttl/.nt file is loaded "
                        f"into each (default "
                        f"{DEFAULT_WORKERS}); a slow query holds one, the others keep answering")
    add_limit_arguments(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no access log (warnings and errors only)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("segment", help="print the articles found in the inputs",
                       description="Print each input's articles: headline, authors, "
                                   "position, sections and sentence counts.")
    _add_input_args(p)
    p.add_argument("--json", action="store_true", help="one JSON object per document")
    p.set_defaults(func=cmd_segment)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .extractors.input_reader import UsageError
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = None
    if args.func in (cmd_build, cmd_extract, cmd_segment) and \
            threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return args.func(args)
    except (UsageError, _UsageError) as err:
        print(f"renda-kg: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except _Fatal as err:
        print(f"renda-kg: error: {err}", file=sys.stderr)
        return EXIT_PARTIAL
    except KeyboardInterrupt:
        print("renda-kg: interrupted; outputs unchanged", file=sys.stderr)
        return 130
    except _Terminated:
        print("renda-kg: terminated; outputs unchanged", file=sys.stderr)
        return 143
    except BrokenPipeError:                  # `renda-kg extract … | head`: not an error
        sys.stderr.close()
        return EXIT_OK
    except OSError as err:
        from .extractors.input_reader import display_path
        where = display_path(str(err.filename)) if err.filename else ""
        print(f"renda-kg: error: {where + ': ' if where else ''}{err.strerror or err}", file=sys.stderr)
        return EXIT_PARTIAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
