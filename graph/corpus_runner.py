"""Run a per-document stage over many files, isolating failures per file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from ..extractors.input_reader import InputError, read_document
from ..extractors.records import SourceDocument

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def process_files(paths: Iterable[Path], stage: Callable[[SourceDocument], T],
                  encoding: str | None = None,
                  progress: Callable[[Iterable], Iterable] = lambda it: it,
                  ) -> Iterator[T | Failure]:
    """Read each file and run `stage` on it; a bad file yields a Failure, never an exception."""
    for path in progress(paths):
        try:
            yield stage(read_document(path, encoding=encoding))
        except InputError as err:
            yield Failure(str(path), err.reason)
        except Exception as err:  # a bug must not lose the other files' results
            yield Failure(str(path), f"internal error: {type(err).__name__}: {err}")
