"""Query workers seen from the parent: one for `renda-kg query` (run_query), a pool for
`renda-kg serve` (WorkerPool). The limits they enforce are described in query_limits.py,
the worker process itself in query_worker.py.
"""
from __future__ import annotations

import contextlib
import faulthandler
import json
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable

from .query_limits import (DEFAULT_LIMITS, DEFAULT_MAX_MEMORY_MB, DEFAULT_WORKERS, QueryLimits, QueryStopped,
                           memory_message, rows_message, timeout_message)
from .query_worker import EXIT_OUT_OF_MEMORY, FRAME_PREFIX, frame_sizes, write_frame
from .sparql import SparqlError

if TYPE_CHECKING:        # asyncio is imported by the pool only: `renda-kg query` starts faster
    import asyncio

__all__ = ["QueryWorker", "WorkerPool", "run_query"]

log = logging.getLogger("renda_kg.sparql")


# --- one worker ------------------------------------------------------------------

class _Deadline(Exception):
    pass


class _Gone(Exception):
    pass


class _ForkedWorker:
    """The part of subprocess.Popen that QueryWorker uses, for a worker forked from this
    process (query_worker.serve in the child). Fork only a process without other threads
    (the command line, not the endpoint); the child never returns into the caller."""

    def __init__(self, graph_path: str, engine: str, max_memory_mb: int, stderr=None) -> None:
        from .query_worker import serve
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:                                          # the worker
            code = 1
            try:
                os.close(requests_w)
                os.close(replies_r)
                # An inherited faulthandler would print Oxigraph's abort at the memory cap on the
                # caller's terminal, past the log below.
                faulthandler.disable()
                if stderr is not None:
                    os.dup2(stderr.fileno(), 2)
                code = serve(graph_path, engine, max_memory_mb, parent,
                             os.fdopen(requests_r, "rb"), os.fdopen(replies_w, "wb"))
            except BaseException as err:                      # one line for the log, never the caller's code
                with contextlib.suppress(BaseException):
                    os.write(2, f"renda-kg query worker: {type(err).__name__}: {err}\n".encode("utf-8", "replace"))
            finally:
                os._exit(code)
        os.close(requests_r)
        os.close(replies_w)
        self.pid = pid
        self.stdin = os.fdopen(requests_w, "wb", buffering=0)
        self.stdout = os.fdopen(replies_r, "rb", buffering=0)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                pid, status = self.pid, 0
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is None:
                with contextlib.suppress(ChildProcessError):
                    self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
                continue
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"query worker {self.pid}", timeout)
            time.sleep(0.005)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)


class QueryWorker:
    """A query worker process: `wait_ready()`, then `call()` once per query.

    `call` blocks (run it in a thread from async code) and enforces the time limit
    itself; `kill()` may be called from any thread and makes a pending `call` return.
    With `fork=True` (Linux; only from a process with no other threads) the worker is
    a fork of this process instead of a fresh Python: it starts in a few milliseconds."""

    def __init__(self, graph_path: str | Path, engine: str = "oxigraph",
                 max_memory_mb: int = DEFAULT_MAX_MEMORY_MB, stderr=None, fork: bool = False) -> None:
        self.max_memory_mb = max_memory_mb
        self.stop_reason: str | None = None
        self.triples: int | None = None
        if fork and sys.platform.startswith("linux"):
            self.process = _ForkedWorker(str(graph_path), engine, max_memory_mb, stderr)
            return
        self.process = subprocess.Popen(
            [sys.executable, "-m", "renda_kg.graph.query_worker", str(graph_path), engine,
             str(max_memory_mb), str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, bufsize=0)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.stop_reason is None and self.process.poll() is None

    def kill(self, reason: str) -> None:
        if self.stop_reason is None:
            self.stop_reason = reason
        with contextlib.suppress(ProcessLookupError, OSError):
            self.process.kill()

    def close(self) -> None:
        """Kill the process (if it still runs), reap it and close its pipes."""
        self.kill("closed")
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()

    def _read_exact(self, size: int, deadline: float | None) -> bytes:
        fd = self.process.stdout.fileno()
        chunks, missing = [], size
        while missing:
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                    raise _Deadline
            try:
                chunk = os.read(fd, min(missing, 1 << 20))
            except OSError:
                chunk = b""
            if not chunk:
                raise _Gone
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _read_frame(self, deadline: float | None) -> tuple[dict, bytes]:
        head_size, body_size = frame_sizes(self._read_exact(FRAME_PREFIX, deadline))
        header = json.loads(self._read_exact(head_size, deadline))
        return header, self._read_exact(body_size, deadline)

    def _died(self) -> QueryStopped:
        """The exception for a worker whose output ended."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill("hung")
            code = self.process.wait()
        if self.stop_reason == "shutdown":
            return QueryStopped("server is shutting down", 503)
        if self.stop_reason is not None:
            return QueryStopped(f"query stopped ({self.stop_reason})", 503)
        self.stop_reason = "died"
        if code in (EXIT_OUT_OF_MEMORY, -signal.SIGABRT, 128 + signal.SIGABRT) and self.max_memory_mb:
            return QueryStopped(memory_message(self.max_memory_mb), 503)
        return QueryStopped(f"query worker died unexpectedly (exit status {code})", 500)

    def wait_ready(self) -> int:
        """Wait until the graph is loaded; its number of triples, or SparqlError."""
        try:
            header, _ = self._read_frame(None)
        except _Gone:
            raise SparqlError(f"the query worker did not start: {self._died()}") from None
        if not header.get("ok"):
            self.close()
            raise SparqlError(header.get("message", "the query worker did not start"))
        self.triples = int(header["triples"])
        return self.triples

    def call(self, request: dict, timeout: float | None) -> tuple[dict, bytes]:
        """Send one request and wait for its reply: (header, body) of a successful
        reply; SparqlError for a bad query; QueryStopped when a limit stopped it."""
        if not self.alive:
            raise self._died()
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            write_frame(self.process.stdin, request)
            header, body = self._read_frame(deadline)
        except _Deadline:
            self.kill("timeout")
            self.process.wait()
            raise QueryStopped(timeout_message(timeout), 503) from None
        except (_Gone, BrokenPipeError, ValueError, OSError):
            raise self._died() from None
        if header.get("ok"):
            return header, body
        if header.get("memory"):
            self.stop_reason = "out of memory"
            raise QueryStopped(memory_message(self.max_memory_mb), 503)
        status = int(header.get("status", 500))
        if status == 400:
            raise SparqlError(header["message"])
        if status == 422:
            raise QueryStopped(rows_message(int(header["max_rows"])), 422)
        raise QueryStopped(header.get("message", "query failed"), status)


# --- the command line --------------------------------------------------------------

def run_query(graph_path: str | Path, text: str, *, engine: str = "oxigraph", fmt: str = "table",
              limits: QueryLimits = DEFAULT_LIMITS) -> str:
    """Run one query in a fresh worker and return the text `renda-kg query` prints.

    `graph_path` is a query store, a directory holding one, or a .ttl / .nt file.
    SparqlError for a bad graph, store or query, QueryStopped when a limit stopped it."""
    from .sparql import ResultTooLarge, format_result, graph_source, open_graph, query_prefixes
    graph_path = graph_source(graph_path).path
    if not limits.timeout and not limits.max_memory_mb:      # nothing a worker is needed for
        try:
            result = open_graph(graph_path, engine).query(text, max_rows=limits.max_rows or None)
        except ResultTooLarge as err:
            raise QueryStopped(rows_message(err.max_rows), 422) from None
        return format_result(result, fmt, query_prefixes(text))
    # The worker's stderr (Oxigraph's "memory allocation failed" before an abort) is
    # kept out of the one-line error the command prints.
    with tempfile.TemporaryFile() as worker_log:
        # Forked: `renda-kg query` runs no other thread, and a fresh Python would cost
        # more than opening a store and answering a small query.
        worker = QueryWorker(graph_path, engine, limits.max_memory_mb, stderr=worker_log,
                             fork=threading.active_count() == 1)
        try:
            worker.wait_ready()
            _, body = worker.call({"query": text, "format": fmt, "max_rows": limits.max_rows},
                                  limits.seconds)
        finally:
            worker.close()
    return body.decode("utf-8")


# --- the endpoint's pool -------------------------------------------------------------

class WorkerPool:
    """`size` query workers for the endpoint: `start()` (blocking, from any thread),
    then `await run(request)` from the server's event loop; `aclose()` in the loop at
    shutdown, `close()` from anywhere afterwards."""

    def __init__(self, graph_path: str | Path, engine: str = "oxigraph",
                 limits: QueryLimits = DEFAULT_LIMITS, size: int = DEFAULT_WORKERS) -> None:
        global asyncio              # the module's asyncio, for the methods below
        import asyncio
        from concurrent.futures import ThreadPoolExecutor
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.graph_path, self.engine, self.limits, self.size = Path(graph_path), engine, limits, size
        self.triples: int | None = None
        self.stopped = 0                                 # queries stopped by a limit or a disconnect
        self._all: set[QueryWorker] = set()
        self._idle: deque[QueryWorker] = deque()
        self._waiters: deque[asyncio.Future] = deque()
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        self._executor = ThreadPoolExecutor(max_workers=2 * size + 2, thread_name_prefix="renda-kg-query")

    def _spawn(self) -> QueryWorker:
        worker = QueryWorker(self.graph_path, self.engine, self.limits.max_memory_mb)
        self._all.add(worker)
        return worker

    def start(self) -> WorkerPool:
        """Start the workers and wait until each has loaded the graph (SparqlError if not)."""
        try:
            workers = [self._spawn() for _ in range(self.size)]
            for worker in workers:
                self.triples = worker.wait_ready()
        except BaseException:
            self.close()
            raise
        self._idle.extend(workers)
        return self

    @property
    def pids(self) -> list[int]:
        # Read from other threads (tests, the CLI) while the event loop's thread replaces a
        # killed worker: copy the set in one C call first; a generator over the set itself
        # raised "Set changed size during iteration" in a CI run.
        return sorted(w.pid for w in tuple(self._all) if w.process.poll() is None)

    def _give(self, worker: QueryWorker) -> None:
        """Hand a free worker to the longest-waiting request, or park it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _acquire(self) -> QueryWorker:
        if self._idle:
            return self._idle.popleft()
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self.limits.seconds):
                worker = await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.result() is not None:
                self._give(waiter.result())             # handed over just as we gave up: pass it on
            else:
                waiter.cancel()
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
        if worker is None:
            raise QueryStopped("server is shutting down", 503)
        return worker

    async def run(self, request: dict,
                  disconnected: Callable[[], Awaitable[object]] | None = None) -> tuple[dict, bytes]:
        """Run one request on a free worker: (header, body); SparqlError or QueryStopped.

        `disconnected` resolves when the client goes away; its query is then killed."""
        if self._closed:
            raise QueryStopped("server is shutting down", 503)
        while True:
            try:
                worker = await self._acquire()
            except TimeoutError:
                raise QueryStopped(f"server busy: all {self.size} query workers stayed busy for "
                                   f"{self.limits.timeout:g} s; try again later", 503) from None
            if worker.alive:
                break
            self._release(worker)        # died while idle (killed from outside): replace it
        loop = asyncio.get_running_loop()
        call = loop.run_in_executor(self._executor, worker.call, request, self.limits.seconds)
        watcher = asyncio.ensure_future(disconnected()) if disconnected else None
        try:
            if watcher is not None:
                await asyncio.wait({call, watcher}, return_when=asyncio.FIRST_COMPLETED)
                if not call.done():
                    worker.kill("client disconnected")
            return await call
        except QueryStopped:
            self.stopped += 1
            raise
        except asyncio.CancelledError:
            worker.kill("cancelled")
            raise
        finally:
            if watcher is not None:
                watcher.cancel()
            self._release(worker)

    def _release(self, worker: QueryWorker) -> None:
        if worker.alive and not self._closed:
            self._give(worker)
            return
        if self._closed:                 # close() kills and reaps whatever is in _all
            worker.kill("shutdown")
            return
        self._all.discard(worker)
        task = asyncio.get_running_loop().create_task(self._replace(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, old: QueryWorker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, old.close)
        delay = 0.5
        while not self._closed:
            worker = self._spawn()
            try:
                await loop.run_in_executor(self._executor, worker.wait_ready)
            except SparqlError as err:
                self._all.discard(worker)
                if self._closed:
                    return
                log.error("renda-kg: cannot start a query worker: %s (retrying in %g s)", err, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if self._closed:
                worker.kill("shutdown")
                return
            self._give(worker)
            return

    async def aclose(self) -> None:
        """In the event loop: wake every waiting request ("shutting down") and kill every
        worker, which ends the queries in flight at once."""
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
        self.close()

    def close(self) -> None:
        """Kill every worker and reap it (safe to call more than once, from any thread)."""
        self._closed = True
        workers = list(self._all)
        for worker in workers:
            worker.kill("shutdown")
        # The threads waiting on a worker see its output end now and return at once.
        self._executor.shutdown(wait=True, cancel_futures=True)
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.close()
        self._all.clear()
        self._idle.clear()
