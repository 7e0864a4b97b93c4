"""Articles as JSON Lines: one line per input document, offsets into the original file."""
from __future__ import annotations

from pathlib import Path
from typing import IO, Iterable, Iterator

from ...extractors.records import Article, SegmentedDocument, Sentence
from ..output_files import atomic_writer
from .safe_text import json_line

__all__ = ["document_record", "generate_articles_jsonl", "write_articles_jsonl"]


def _sentence(s: Sentence) -> dict:
    return {"kind": s.kind, "text": s.text, "start": s.raw_start, "end": s.raw_end}


def _article(a: Article, doc: SegmentedDocument) -> dict:
    raw_start, raw_end = doc.normalised.to_raw(a.start, a.end)
    return {
        "id": a.article_id, "index": a.index, "name": a.name, "headline": a.headline,
        "subheadline": a.subheadline,
        "authors": [{"name": au.name, "province": au.province} for au in a.authors],
        "author_position": a.author_position, "reporting_body": a.reporting_body,
        "published": a.published, "source": a.source,
        "sections": list(a.sections), "start": raw_start, "end": raw_end,
        "sentences": [_sentence(s) for s in a.sentences],
    }


def document_record(doc: SegmentedDocument) -> dict:
    """The JSON object written for one document (also what `segment --json` prints)."""
    return {
        "doc": doc.source.doc_id, "path": doc.source.path, "encoding": doc.source.encoding,
        "articles": [_article(a, doc) for a in doc.articles],
        "preamble": [_sentence(s) for s in doc.preamble],
    }


def generate_articles_jsonl(docs: Iterable[SegmentedDocument]) -> Iterator[str]:
    for doc in docs:
        yield json_line(document_record(doc))


def write_articles_jsonl(docs: Iterable[SegmentedDocument], path: str | Path | IO) -> None:
    if hasattr(path, "write"):
        path.writelines(generate_articles_jsonl(docs))
        return
    with atomic_writer(path) as fh:
        fh.writelines(generate_articles_jsonl(docs))
