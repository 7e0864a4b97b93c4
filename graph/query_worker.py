"""The query worker: a child process that opens one graph (a query store read-only, or
a graph file it loads) and answers SPARQL queries one at a time, so that a query over
its limits can be stopped by killing it.

Neither Oxigraph nor rdflib can be interrupted in the middle of a query, so
`renda-kg query` and `renda-kg serve` never run one in their own process: `serve`
starts `python -m renda_kg.graph.query_worker GRAPH ENGINE MAX_MEMORY_MB PARENT_PID`
(query_pool.QueryWorker does), `renda-kg query` forks itself on Linux (a fresh Python
would cost more than opening a store and answering a small query) and runs `serve`
below in the child; either is killed when the time limit passes. Killing releases the
CPU and all the memory at once. A worker is named `renda-kg-query` in ps.

The worker

- opens the graph, then caps its own address space at what it uses plus
  MAX_MEMORY_MB (RLIMIT_AS; 0: no cap), so a query that grows without bound ends in
  a MemoryError (rdflib) or an abort (Oxigraph) instead of swapping the machine;
- dies with its parent (PR_SET_PDEATHSIG on Linux; elsewhere it exits at the end of
  its input), and ignores SIGINT (Ctrl-C reaches the parent, which stops it);
- reads requests from stdin and writes replies on stdout as frames (`read_frame`,
  `write_frame`): a JSON header and a byte body. Anything else the process prints
  goes to stderr, never into the frames.

Requests: {"query": text, "max_rows": N, "format": "table"|"csv"|"json"} (the CLI's
text output) or {"query": text, "max_rows": N, "accept": "<Accept header>"} (the
endpoint's media types). Replies: {"ok": true, "media_type": …} with the body, or
{"ok": false, "status": HTTP status, "message": one line}; status 400 is a bad query.
The first frame after start is {"ok": true, "triples": N} or a load error.
"""
from __future__ import annotations

import json
import os
import signal
import struct
import sys
from typing import BinaryIO

_FRAME = struct.Struct(">IQ")          # header length, body length
#: The worker's exit status after a MemoryError: it leaves so that its memory goes too.
EXIT_OUT_OF_MEMORY = 3


def _write_all(stream: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:                                    # an unbuffered pipe may take part of it
        written = stream.write(view)
        view = view[written if written is not None else 0:]


def write_frame(stream: BinaryIO, header: dict, body: bytes = b"") -> None:
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    _write_all(stream, _FRAME.pack(len(head), len(body)) + head)
    _write_all(stream, body)
    stream.flush()


def frame_sizes(prefix: bytes) -> tuple[int, int]:
    return _FRAME.unpack(prefix)


FRAME_PREFIX = _FRAME.size


def read_frame(stream: BinaryIO) -> tuple[dict, bytes] | None:
    """The next frame, or None at the end of the input."""
    prefix = stream.read(FRAME_PREFIX)
    if len(prefix) < FRAME_PREFIX:
        return None
    head_size, body_size = frame_sizes(prefix)
    head, body = stream.read(head_size), stream.read(body_size)
    if len(head) < head_size or len(body) < body_size:
        return None
    return json.loads(head), body


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)          # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:                 # the parent died before prctl
        os._exit(1)


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_memory(max_memory_mb: int) -> None:
    """Cap the address space at what the loaded worker uses plus max_memory_mb."""
    if max_memory_mb <= 0:
        return
    try:
        import resource
    except ImportError:                            # not POSIX: no memory guard
        return
    used = _address_space()
    if used is None:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + max_memory_mb * 2 ** 20
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _answer(graph, request: dict) -> tuple[dict, bytes]:
    from .sparql import ResultTooLarge, SparqlError, format_result, query_prefixes, serialize_result
    text = request["query"]
    try:
        result = graph.query(text, max_rows=request.get("max_rows") or None)
        if "format" in request:
            body = format_result(result, request["format"], query_prefixes(text)).encode("utf-8")
            return {"ok": True, "media_type": "text/plain; charset=utf-8"}, body
        body, media_type = serialize_result(result, request.get("accept", ""), query_prefixes(text))
        return {"ok": True, "media_type": media_type}, body
    except ResultTooLarge as err:
        return {"ok": False, "status": 422, "message": str(err), "max_rows": err.max_rows}, b""
    except SparqlError as err:
        return {"ok": False, "status": 400, "message": str(err)}, b""


def _name_process() -> None:
    """`renda-kg-query` in ps and /proc/PID/comm, also for a worker forked from the CLI."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(15, b"renda-kg-query", 0, 0, 0)     # PR_SET_NAME
        except (OSError, AttributeError):
            pass


def serve(graph_path: str, engine: str, max_memory_mb: int, parent_pid: int,
          requests: BinaryIO, channel: BinaryIO) -> int:
    """Open the graph, then answer the requests read from `requests` on `channel` until
    the input ends; the exit status."""
    _die_with_parent(parent_pid)
    _name_process()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.dup2(2, 1)                                  # stray prints go to stderr, not into frames

    from .sparql import SparqlError, open_graph
    try:
        graph = open_graph(graph_path, engine)
        graph.query("ASK {}")                      # warm up before measuring the address space
    except SparqlError as err:
        write_frame(channel, {"ok": False, "status": 400, "message": str(err)})
        return 2
    _limit_memory(max_memory_mb)
    write_frame(channel, {"ok": True, "triples": len(graph)})

    while True:
        frame = read_frame(requests)
        if frame is None:
            return 0
        request, _ = frame
        try:
            header, body = _answer(graph, request)
        except MemoryError:
            header = body = None
        except Exception as err:                   # a bug: one line for the log, keep serving
            message = (str(err).strip().splitlines() or [type(err).__name__])[0]
            print(f"renda-kg query worker: {type(err).__name__}: {message}", file=sys.stderr)
            header, body = {"ok": False, "status": 500, "message": f"query failed: {message}"}, b""
        if header is None:
            write_frame(channel, {"ok": False, "status": 503, "memory": True, "message": "out of memory"})
            return EXIT_OUT_OF_MEMORY
        write_frame(channel, header, body)


def main(argv: list[str]) -> int:
    graph_path, engine, max_memory_mb, parent_pid = argv[0], argv[1], int(argv[2]), int(argv[3])
    channel = os.fdopen(os.dup(1), "wb")           # the frames; fd 1 itself becomes stderr
    return serve(graph_path, engine, max_memory_mb, parent_pid, sys.stdin.buffer, channel)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
