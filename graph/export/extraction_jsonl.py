"""Entities, relations and observations per document, in the SCHEMA.md JSON Lines contract:
the typed records' ``DocumentResult.to_dict()`` (relation ends and observation owners
by name), one line each."""
from __future__ import annotations

from pathlib import Path
from typing import IO, Iterable, Iterator

from ...extractors.records import DocumentResult
from ..output_files import atomic_writer
from .safe_text import json_line

__all__ = ["generate_extraction_jsonl", "write_extraction_jsonl"]


def generate_extraction_jsonl(results: Iterable[DocumentResult]) -> Iterator[str]:
    for r in results:
        yield json_line(r.to_dict())


def write_extraction_jsonl(results: Iterable[DocumentResult], path: str | Path | IO) -> None:
    if hasattr(path, "write"):
        path.writelines(generate_extraction_jsonl(results))
        return
    with atomic_writer(path) as fh:
        fh.writelines(generate_extraction_jsonl(results))
