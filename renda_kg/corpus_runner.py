"""Run a per-document stage over many files, isolating failures per file.

By default every document runs in a guarded worker process: one that takes longer
than the time limit or grows past the memory limit is killed, reported by name and
skipped, and a fresh worker takes the next file, so no single runaway input can hang
the build or take the machine down. Results come back in input order, so the outputs
are byte-identical whatever the number of workers. With no limits and one job the
stage runs in this process (what the Python API does).
"""
from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence, TypeVar

from .extractors.input_reader import (DEFAULT_MAX_BYTES, InputError, display_path, document_ids,
                                       read_document, size_text)
from .extractors.records import SourceDocument

if TYPE_CHECKING:
    from .document_cache import DocumentCache

T = TypeVar("T")

#: Below this many files a worker's start-up (~3 s of dictionaries and models)
#: costs more than it saves.
MIN_FILES_PER_WORKER = 4
#: How often a busy worker's clock and memory are checked, in seconds.
POLL_SECONDS = 0.1
#: A tiny document run once by each worker before it takes real files, so loading
#: the gazetteer, the dictionaries and the tagger never counts against a file's time.
WARM_UP_TEXT = "人大代表联络站挂牌\n\n山东省临沂市人大常委会在平邑县建成代表联络站，推出“一乡一品”工作机制。\n"


@dataclass(frozen=True)
class Failure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Limits:
    """What one document may take; 0 switches a limit off."""

    max_bytes: int = DEFAULT_MAX_BYTES      # file size, checked before reading
    seconds: float = 300.0                  # wall time of one document in its worker
    memory: int = 4 * 1024 ** 3             # resident memory of the worker, in bytes

    @property
    def guarded(self) -> bool:
        return bool(self.seconds or self.memory)


NO_LIMITS = Limits(max_bytes=0, seconds=0, memory=0)


class WorkerError(RuntimeError):
    """A worker process could not start at all (not the fault of any one input)."""


def run_decoded(read: Callable[[], SourceDocument], shown: str, stage: Callable[[SourceDocument], T]
                ) -> T | Failure:
    """Run `stage` on the document `read` gives; a bad file gives a Failure, never an exception."""
    try:
        return stage(read())
    except InputError as err:
        return Failure(err.path, err.reason)
    except MemoryError:
        return Failure(shown, "out of memory")
    except RecursionError:
        return Failure(shown, "internal error: recursion too deep")
    except Exception as err:  # a bug must not lose the other files' results
        return Failure(shown, f"internal error: {type(err).__name__}: {err}")


def run_one(path: Path, stage: Callable[[SourceDocument], T], encoding: str | None = None,
            doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> T | Failure:
    """Read one file and run `stage` on it; a bad file gives a Failure, never an exception."""
    return run_decoded(lambda: read_document(path, encoding=encoding, doc_id=doc_id, max_bytes=max_bytes),
                       display_path(path), stage)


def worker_count(jobs: int, n_files: int) -> int:
    """``jobs`` as asked; 0 means one per core, as far as the files make it worth it."""
    if jobs > 0:
        return max(1, min(jobs, n_files))
    return max(1, min(os.cpu_count() or 1, n_files // MIN_FILES_PER_WORKER))


def _worker_main(conn, stage, encoding, max_bytes) -> None:
    """Worker loop: warm up, say ready, then run (index, path, doc_id) jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # the parent decides what Ctrl-C does
    try:
        stage(SourceDocument("warm-up", "<warm-up>", WARM_UP_TEXT, "utf-8"))
    except BaseException as err:                        # noqa: BLE001 — reported to the parent
        conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):                     # the parent is gone
            return
        if job is None:
            return
        index, path, doc_id = job
        conn.send((index, run_one(path, stage, encoding, doc_id, max_bytes)))


def _rss_bytes(pid: int) -> int:
    """Resident memory of a process from /proc (0 where there is no /proc)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    def __init__(self, ctx, stage, encoding, max_bytes):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, stage, encoding, max_bytes),
                                   name="renda-kg-worker", daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.job: tuple[int, Path, str] | None = None
        self.started = 0.0

    def give(self, job: tuple[int, Path, str]) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(2)
        self.kill()


class GuardedPool:
    """Worker processes that run one document at a time under a time and memory limit."""

    def __init__(self, stage, encoding: str | None, limits: Limits, workers: int):
        import multiprocessing
        self._ctx = multiprocessing.get_context("spawn")
        self._args = (stage, encoding, limits.max_bytes)
        self.limits = limits
        self.workers = [self._spawn() for _ in range(workers)]

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, *self._args)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self.workers[self.workers.index(worker)] = self._spawn()

    def run(self, jobs: Sequence[tuple[int, Path, str]]) -> Iterator[tuple[int, object]]:
        """(index, result or Failure) for every job, in the order they finish."""
        from multiprocessing.connection import wait
        pending = deque(jobs)
        left = len(pending)
        while left:
            for w in self.workers:
                if w.ready and w.job is None and pending:
                    w.give(pending.popleft())
            conns = {w.conn: w for w in self.workers}
            for conn in wait(list(conns), timeout=POLL_SECONDS):
                w = conns[conn]
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    died = self._died(w)
                    if died is not None:
                        left -= 1
                        yield died
                    continue
                if kind == "ready":
                    w.ready = True
                elif kind == "failed":
                    raise WorkerError(f"a worker process could not start: {payload}")
                else:
                    w.job = None
                    left -= 1
                    yield kind, payload
            for w in list(self.workers):
                over = self._over_limit(w)
                if over is not None:
                    index, path, _ = w.job
                    self._replace(w)
                    left -= 1
                    yield index, Failure(display_path(path), over)

    def _died(self, w: _Worker) -> tuple[int, Failure] | None:
        """A worker that vanished: its document failed (a crash is one input's fault)."""
        w.process.join(1)
        code = w.process.exitcode
        job = w.job
        if not w.ready:
            raise WorkerError(f"a worker process exited while starting (exit code {code})")
        self._replace(w)
        if job is None:
            return None
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return job[0], Failure(display_path(job[1]), f"the worker process died ({how})")

    def _over_limit(self, w: _Worker) -> str | None:
        if w.job is None:
            return None
        if self.limits.seconds and time.monotonic() - w.started > self.limits.seconds:
            return f"stopped after {self.limits.seconds:g} s (--doc-timeout)"
        if self.limits.memory:
            rss = _rss_bytes(w.process.pid)
            if rss > self.limits.memory:
                return f"stopped at {size_text(rss)} of memory (--doc-memory {size_text(self.limits.memory)})"
        return None

    def close(self, kill: bool = False) -> None:
        """Stop the workers: politely when done, at once when interrupted."""
        for w in self.workers:
            w.kill() if kill else w.stop()


def _in_order(count: int, finished: Iterable[tuple[int, T]], ready: Callable[[int], bool],
              take: Callable[[int], T]) -> Iterator[T]:
    """Yield results by index as soon as every earlier one is in: computed ones as they
    finish, ones that are `ready` (cached) when their turn comes."""
    held: dict[int, T] = {}
    nxt = 0

    def drain() -> Iterator[T]:
        nonlocal nxt
        while nxt < count and (nxt in held or ready(nxt)):
            yield held.pop(nxt) if nxt in held else take(nxt)
            nxt += 1

    yield from drain()
    for index, result in finished:
        held[index] = result
        yield from drain()
    assert nxt == count and not held, "every job gives exactly one result"


def process_files(paths: Iterable[Path], stage: Callable[[SourceDocument], T],
                  encoding: str | None = None,
                  progress: Callable[[Iterable], Iterable] = lambda it: it,
                  jobs: int = 1, limits: Limits = NO_LIMITS, cache: DocumentCache | None = None,
                  scheduler: str | None = None) -> Iterator[T | Failure]:
    """Results of `stage` for every file, in input order.

    Each file gets a unique document id (`document_ids`). Files whose result is in
    `cache` are not run again; new results are stored there. With limits set, or
    more than one job, documents run in `GuardedPool` workers; with a `scheduler`,
    on a Dask cluster (`dask_runner`). Results are yielded one at a time, so the
    caller holds only what it keeps."""
    paths = list(paths)
    ids = document_ids(paths)
    keys: list[str | None] = [None] * len(paths)
    cached: set[int] = set()
    if cache is not None:
        for i, p in enumerate(paths):
            keys[i] = cache.key(p, ids[p], display_path(p), limits.max_bytes)
            if keys[i] is not None and cache.has(keys[i]):
                cached.add(i)
    todo = [(i, p, ids[p]) for i, p in enumerate(paths) if i not in cached]

    def take(i: int) -> T | Failure:
        """A cached result; a damaged entry is extracted again, here."""
        value = cache.load(keys[i])
        return value if value is not None else _stored(i, run_one(paths[i], stage, encoding, ids[paths[i]],
                                                                   limits.max_bytes))

    def _stored(i: int, result: T | Failure) -> T | Failure:
        if cache is not None and keys[i] is not None and not isinstance(result, Failure):
            cache.store(keys[i], result)
        return result

    def computed(run: Iterable[tuple[int, T | Failure]]) -> Iterator[tuple[int, T | Failure]]:
        for i, result in run:
            yield i, _stored(i, result)

    workers = worker_count(jobs, len(todo)) if scheduler is None else 0
    if scheduler is None and (workers == 1 and not limits.guarded or not todo):
        run = ((i, run_one(p, stage, encoding, doc_id, limits.max_bytes)) for i, p, doc_id in todo)
        yield from progress(_in_order(len(paths), computed(run), cached.__contains__, take))
        return
    if scheduler is not None:
        from .dask_runner import DaskPool
        pool = DaskPool(scheduler, stage, encoding, limits)
    else:
        pool = GuardedPool(stage, encoding, limits, workers)
    try:
        yield from progress(_in_order(len(paths), computed(pool.run(todo)), cached.__contains__, take))
    except BaseException:
        pool.close(kill=True)
        raise
    pool.close()
