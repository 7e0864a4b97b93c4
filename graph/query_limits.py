"""Bounded SPARQL queries for `renda-kg query` and `renda-kg serve`.

Every query runs in a query worker (query_worker.py), a child process with the graph
open (a build's query store, read where it lies, or a .ttl / .nt file loaded into its
memory), under three limits (QueryLimits; the command-line flags in brackets):

- time [--timeout SECONDS, default 30]: from the moment the worker receives the
  query until its answer is written, serialisation included. Past it the worker is
  killed (SIGKILL: the CPU and all its memory are released at once) and the query
  gets "query stopped after 30 s (--timeout)". The endpoint then starts a fresh
  worker; opening the graph is not counted.
- rows [--max-rows N, default 100,000]: a SELECT with more rows, or a CONSTRUCT or
  DESCRIBE with more triples, is an error ("result too large: more than N rows
  (--max-rows)"), never a silently truncated answer; the worker stops reading the
  result at row N + 1, so the cap bounds memory too. Add LIMIT (and OFFSET to page).
- memory [--max-memory MB, default 1024]: the worker's address space is capped at
  what it uses once the graph is open plus MB (RLIMIT_AS, Linux); a query that
  needs more is stopped with "query stopped: it needed more than 1024 MB of memory
  (--max-memory)" and the worker replaced.

0 turns a limit off. `renda-kg query` starts one worker for its one query, a fork
of itself on Linux (with --timeout 0 --max-memory 0 it runs the query in its own
process instead). `renda-kg serve` keeps a pool of --workers workers (WorkerPool,
default 2; each opens the store, or loads its own copy of a graph file): a slow
query occupies one worker and the others
keep answering. A request waits at most --timeout for a free worker (then 503,
"server busy"); a client that disconnects has its query killed; shutting down kills
the queries in flight.

The workers (query_worker.py) and the pool (query_pool.py) are POSIX-only (select on
pipes, RLIMIT_AS).
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable

# Nothing heavy here: the command line builds its parser with add_limit_arguments for
# every command. The workers and the pool are in query_pool.py.

__all__ = ["DEFAULT_LIMITS", "DEFAULT_WORKERS", "QueryLimits", "QueryStopped", "add_limit_arguments",
           "limits_from_args", "memory_message", "rows_message", "timeout_message"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_MEMORY_MB = 1024
DEFAULT_WORKERS = 2


@dataclass(frozen=True)
class QueryLimits:
    """Time (seconds), rows and memory (MB above the opened graph) for one query; 0: none."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB

    def __post_init__(self) -> None:
        if self.timeout < 0 or self.max_rows < 0 or self.max_memory_mb < 0:
            raise ValueError("query limits are 0 (none) or positive")

    @property
    def seconds(self) -> float | None:
        return self.timeout or None

    def describe(self) -> str:
        def value(v, unit=""):
            return "none" if not v else f"{v:g}{unit}"
        return (f"--timeout {value(self.timeout, ' s')}, --max-rows {value(self.max_rows)}, "
                f"--max-memory {value(self.max_memory_mb, ' MB')}")


DEFAULT_LIMITS = QueryLimits()


class QueryStopped(Exception):
    """A query that a limit (or a shutdown, or a crash) stopped; the message is one line.

    `status` is the HTTP status the endpoint answers: 503 time, memory, busy or shutting
    down; 422 too many rows; 500 a worker that died for another reason."""

    def __init__(self, message: str, status: int = 503) -> None:
        super().__init__(message)
        self.status = status


def timeout_message(seconds: float) -> str:
    return f"query stopped after {seconds:g} s (--timeout)"


def rows_message(max_rows: int) -> str:
    return f"result too large: more than {max_rows} rows (--max-rows); add LIMIT, or raise --max-rows"


def memory_message(max_memory_mb: int) -> str:
    return f"query stopped: it needed more than {max_memory_mb} MB of memory (--max-memory)"


def _non_negative(kind: type, what: str) -> Callable[[str], float | int]:
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} takes a number; got {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{what} takes 0 (no limit) or a positive number; got {text}")
        return value
    return parse


def add_limit_arguments(p: argparse.ArgumentParser) -> None:
    """--timeout, --max-rows and --max-memory for the query and serve subcommands."""
    p.add_argument("--timeout", type=_non_negative(float, "--timeout"), default=DEFAULT_TIMEOUT,
                   metavar="SECONDS", help=f"stop a query after SECONDS (default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    p.add_argument("--max-rows", type=_non_negative(int, "--max-rows"), default=DEFAULT_MAX_ROWS,
                   metavar="N", help=f"refuse a result of more than N rows or triples (default "
                                     f"{DEFAULT_MAX_ROWS}; 0: no limit); use LIMIT/OFFSET to page")
    p.add_argument("--max-memory", type=_non_negative(int, "--max-memory"), default=DEFAULT_MAX_MEMORY_MB,
                   metavar="MB", help=f"stop a query that needs more than MB of memory on top of the opened "
                                      f"graph (default {DEFAULT_MAX_MEMORY_MB}; 0: no limit; Linux)")


def limits_from_args(args: argparse.Namespace) -> QueryLimits:
    return QueryLimits(args.timeout, args.max_rows, args.max_memory)
