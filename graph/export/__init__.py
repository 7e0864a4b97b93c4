"""One module per output format, found by name through a small lazy registry.

Each entry names the module and writer function (imported only when used) and
the file it writes in the output directory, so ``--format`` never grows an
if/elif chain.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable


@dataclass(frozen=True)
class ExportFormat:
    name: str
    module: str          # relative to this package
    function: str
    filename: str
    description: str     # one line for the output index

    def writer(self) -> Callable:
        return getattr(import_module(self.module, __name__), self.function)


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("articles", ".articles_jsonl", "write_articles_jsonl", "articles.jsonl",
                 "JSON Lines, one line per input document: its articles, authors, "
                 "sections and sentences with character offsets into the original file"),
)}
