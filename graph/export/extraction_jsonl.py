"""Entities, relations and observations per document, in the SCHEMA.md JSON Lines contract."""
from __future__ import annotations

from pathlib import Path
from typing import IO, Iterable, Iterator

from ..assembler import DocumentResult
from ..output_files import atomic_writer
from .safe_text import json_line

__all__ = ["generate_extraction_jsonl", "write_extraction_jsonl"]


def generate_extraction_jsonl(results: Iterable[DocumentResult]) -> Iterator[str]:
    for r in results:
        record = {"doc": r.doc_id, "entities": r.entities, "relations": r.relations,
                  "observations": r.observations}
        yield json_line(record)


def write_extraction_jsonl(results: Iterable[DocumentResult], path: str | Path | IO) -> None:
    if hasattr(path, "write"):
        path.writelines(generate_extraction_jsonl(results))
        return
    with atomic_writer(path) as fh:
        fh.writelines(generate_extraction_jsonl(results))
