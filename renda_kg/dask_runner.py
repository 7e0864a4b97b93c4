"""Extraction on a Dask cluster: `--scheduler local[:N]` or `--scheduler tcp://HOST:PORT`.

The client reads each file and sends its bytes with the task, so workers on other
machines need renda-kg installed but not the corpus. At most a few tasks per worker
are in flight (memory stays bounded however large the corpus), and results are
handed back by input index, so the merge — and every output file — is the same for
one worker or fifty. A task never raises: a bad file comes back as a `Failure`; a
worker that dies on a document (Dask gives up on it after its retries) fails that
document only.

Per-document limits: on a local cluster ``--doc-memory`` is each worker's memory
limit (Dask's nanny restarts a worker that exceeds it). ``--doc-timeout`` is not
enforced under Dask — Dask cannot stop one running task — so use ``-j`` for hostile
input.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .corpus_runner import Failure, Limits, WorkerError
from .extractors.input_reader import InputError, decode_document, display_path, read_bytes

__all__ = ["DaskPool", "parse_scheduler", "run_bytes"]

_LOCAL = re.compile(r"local(?::(\d+))?")
#: Tasks in flight per worker: enough to keep each busy while results travel back.
TASKS_PER_WORKER = 3


def parse_scheduler(text: str) -> tuple[str, int | str]:
    """``("local", workers)`` or ``("remote", address)``; ValueError with a one-line reason."""
    m = _LOCAL.fullmatch(text)
    if m:
        workers = int(m.group(1)) if m.group(1) else (os.cpu_count() or 1)
        if workers < 1:
            raise ValueError(f"--scheduler {text}: the number of workers must be at least 1")
        return "local", workers
    if re.fullmatch(r"(tcp|tls|ws|wss)://[^\s/]+:\d+/?", text):
        return "remote", text.rstrip("/")
    raise ValueError(f"--scheduler takes local, local:N or tcp://HOST:PORT; got {text}")


def run_bytes(data: bytes, shown: str, doc_id: str, encoding: str | None,
              stage: Callable) -> object:
    """The task a worker runs: decode one file's bytes and run the stage; never raises."""
    from .corpus_runner import run_decoded
    return run_decoded(lambda: decode_document(data, shown, encoding, doc_id), shown, stage)


class DaskPool:
    """The `GuardedPool` interface (``run`` and ``close``) on a Dask client."""

    def __init__(self, scheduler: str, stage: Callable, encoding: str | None, limits: Limits):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:                                  # pragma: no cover - a dependency
            raise WorkerError("--scheduler needs dask.distributed: pip install 'dask[distributed]'") from None
        kind, where = parse_scheduler(scheduler)
        for name in ("distributed", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.ERROR)    # its start-up chatter is not ours
        self.stage, self.encoding, self.limits = stage, encoding, limits
        self.cluster = None
        try:
            if kind == "local":
                self.cluster = LocalCluster(n_workers=int(where), threads_per_worker=1, processes=True,
                                            memory_limit=limits.memory or 0, dashboard_address=None,
                                            silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            else:
                self.client = Client(str(where), timeout="10s")
        except (OSError, TimeoutError) as err:
            self.close()
            raise WorkerError(f"cannot reach the Dask scheduler at {where}: {err}") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def run(self, jobs: Sequence[tuple[int, Path, str]]) -> Iterator[tuple[int, object]]:
        """(index, result or Failure) for every job, in the order they finish."""
        from dask.distributed import as_completed
        pending = iter(jobs)
        futures = as_completed()
        where: dict[str, tuple[int, Path]] = {}
        unreadable: list[tuple[int, Failure]] = []       # found while submitting, reported in turn

        def submit_next() -> bool:
            for index, path, doc_id in pending:
                try:
                    data = read_bytes(path, self.limits.max_bytes)
                except InputError as err:
                    unreadable.append((index, Failure(err.path, err.reason)))
                    continue
                future = self.client.submit(run_bytes, data, display_path(path), doc_id, self.encoding,
                                            self.stage, pure=False, key=f"renda-kg-{index}-{os.getpid()}")
                where[future.key] = (index, path)
                futures.add(future)
                return True
            return False

        for _ in range(self.workers * TASKS_PER_WORKER):
            if not submit_next():
                break
        while True:
            yield from unreadable
            unreadable.clear()
            if futures.is_empty():
                return
            future = next(futures)
            index, path = where.pop(future.key)
            try:
                result = future.result()
            except Exception as err:                        # noqa: BLE001 — KilledWorker and the like
                result = Failure(display_path(path), f"the Dask worker failed on it ({type(err).__name__})")
            future.release()
            submit_next()
            yield index, result

    def close(self, kill: bool = False) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
