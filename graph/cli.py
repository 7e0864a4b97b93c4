"""The `renda-kg` command line.

Exit codes: 0 everything worked, 1 some inputs failed (the others' results are
still written), 2 usage error. Errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
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


def _progress(quiet: bool, desc: str) -> Callable[[Iterable], Iterable]:
    """tqdm on a terminal, nothing when quiet or when stderr is not a TTY."""
    if quiet or not sys.stderr.isatty():
        return lambda it: it
    from tqdm import tqdm
    return lambda it: tqdm(list(it), desc=desc, unit="file", file=sys.stderr)


def _discover(args: argparse.Namespace) -> list[Path]:
    from ..extractors.input_reader import discover
    return discover(args.inputs, include=args.include, exclude=args.exclude)


def _run(args: argparse.Namespace, desc: str):
    """Read and segment the inputs; report failures on stderr as they happen."""
    from .corpus_runner import Failure, process_files
    docs, failures = [], []
    for item in process_files(_discover(args), args.encoding, _progress(args.quiet, desc)):
        if isinstance(item, Failure):
            failures.append(item)
            print(f"renda-kg: skipped {item}", file=sys.stderr)
        else:
            docs.append(item)
    return docs, failures


def cmd_build(args: argparse.Namespace) -> int:
    from .export import FORMATS
    unknown = [f for f in args.format if f not in FORMATS]
    if unknown:
        raise _UsageError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    docs, failures = _run(args, "building")
    out = Path(args.output)
    written = []
    for name in args.format:
        fmt = FORMATS[name]
        fmt.writer()(docs, out / fmt.filename)
        written.append(out / fmt.filename)
    n_articles = sum(len(d.articles) for d in docs)
    n_sentences = sum(len(a.sentences) for d in docs for a in d.articles)
    summary = (f"renda-kg: {len(docs)} document(s), {n_articles} article(s), "
               f"{n_sentences} sentence(s) → " + ", ".join(str(p) for p in written))
    if failures:
        summary += f"; {len(failures)} input(s) skipped"
    print(summary, file=sys.stderr)
    return EXIT_PARTIAL if failures else EXIT_OK


def cmd_segment(args: argparse.Namespace) -> int:
    from .export.articles_jsonl import document_record
    docs, failures = _run(args, "segmenting")
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
                       description="Read, normalise and segment the inputs and write the "
                                   "outputs into a directory.")
    _add_input_args(p)
    p.add_argument("-o", "--output", default="outputs", metavar="DIR",
                   help="output directory (default: outputs)")
    p.add_argument("--format", type=lambda s: [f for f in s.split(",") if f],
                   default=list(FORMATS), metavar="LIST",
                   help=f"comma-separated formats to write (default: {','.join(FORMATS)})")
    p.set_defaults(func=cmd_build)

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
