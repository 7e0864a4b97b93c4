"""One decoded file → its segmentation and extraction result, through the spaCy
pipeline (`spacy_pipeline`): what `renda-kg extract`, `renda-kg build` and
`build_graph` run for each document."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from .records import DocumentResult, SegmentedDocument, SourceDocument

if TYPE_CHECKING:
    from spacy.language import Language

#: The extractor sets `--extractors` takes. Defined here, not in `spacy_pipeline`, so
#: a process that only hands documents to workers never imports spaCy (~1 s).
EXTRACTORS = ("rules", "ner")
DEFAULT_EXTRACTORS = ("rules", "ner")

__all__ = ["DEFAULT_EXTRACTORS", "EXTRACTORS", "extract_document", "pipeline_for"]


@lru_cache(maxsize=None)
def _pipeline(extractors: tuple[str, ...]) -> Language:
    from .spacy_pipeline import load
    return load(extractors)


def pipeline_for(extractors: Sequence[str] = DEFAULT_EXTRACTORS) -> Language:
    """The pipeline of an extractor set, loaded once per process and set."""
    unknown = [x for x in extractors if x not in EXTRACTORS]
    if unknown:
        raise ValueError(f"unknown extractor(s) {', '.join(unknown)}: choose from {', '.join(EXTRACTORS)}")
    return _pipeline(tuple(x for x in EXTRACTORS if x in extractors))


def extract_document(source: SourceDocument, extractors: Sequence[str] = DEFAULT_EXTRACTORS
                     ) -> tuple[SegmentedDocument, DocumentResult]:
    """All extraction for one decoded file."""
    from .spacy_pipeline import run_pipeline
    doc = run_pipeline(pipeline_for(extractors), source)
    return doc._.segmented, doc._.result
