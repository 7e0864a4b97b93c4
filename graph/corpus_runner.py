"""Run a per-document stage over many files, isolating failures per file.

With ``jobs > 1`` the files are spread over worker processes (each loads the
gazetteer and the taggers once); results still come back in input order, so
the outputs are byte-identical whatever the number of jobs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from ..extractors.input_reader import InputError, read_document
from ..extractors.records import SourceDocument

T = TypeVar("T")

#: Below this many files a worker's start-up (~3 s of dictionaries and models)
#: costs more than it saves.
MIN_FILES_PER_WORKER = 4


@dataclass(frozen=True)
class Failure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def run_one(path: Path, stage: Callable[[SourceDocument], T], encoding: str | None = None) -> T | Failure:
    """Read one file and run `stage` on it; a bad file gives a Failure, never an exception."""
    try:
        return stage(read_document(path, encoding=encoding))
    except InputError as err:
        return Failure(str(path), err.reason)
    except Exception as err:  # a bug must not lose the other files' results
        return Failure(str(path), f"internal error: {type(err).__name__}: {err}")


def worker_count(jobs: int, n_files: int) -> int:
    """``jobs`` as asked; 0 means one per core, as far as the files make it worth it."""
    if jobs > 0:
        return max(1, min(jobs, n_files))
    return max(1, min(os.cpu_count() or 1, n_files // MIN_FILES_PER_WORKER))


class _Task:
    """A picklable (stage, encoding) pair for worker processes."""

    def __init__(self, stage: Callable[[SourceDocument], T], encoding: str | None):
        self.stage, self.encoding = stage, encoding

    def __call__(self, path: Path):
        return run_one(path, self.stage, self.encoding)


def process_files(paths: Iterable[Path], stage: Callable[[SourceDocument], T],
                  encoding: str | None = None,
                  progress: Callable[[Iterable], Iterable] = lambda it: it,
                  jobs: int = 1) -> Iterator[T | Failure]:
    """Results of `stage` for every file, in input order; ``jobs`` worker processes."""
    paths = list(paths)
    workers = worker_count(jobs, len(paths))
    if workers == 1:
        for path in progress(paths):
            yield run_one(path, stage, encoding)
        return
    import multiprocessing
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        yield from progress(pool.imap(_Task(stage, encoding), paths))
