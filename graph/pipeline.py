"""The whole flow for one document and for a corpus: read → segment → entities →
relations → observations → graph. The CLI and the Python API both go through here."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

import networkx as nx

from ..extractors.article_segmenter import segment
from ..extractors.records import SegmentedDocument, SourceDocument
from ..extractors.relation_rules import _Index, extract_relations, main_body
from ..extractors.statistics import extract_observations
from .assembler import DocumentResult, assemble

EXTRACTORS = ("rules", "ner")
DEFAULT_EXTRACTORS = ("rules", "ner")


@lru_cache(maxsize=1)
def _gazetteer():
    from ..extractors.place_gazetteer import PlaceGazetteer
    return PlaceGazetteer.default()


def _parent_finder(entities: list[dict]) -> Callable[[dict], dict | None]:
    """Nearest ancestor Place of the same document, from the gazetteer tree."""
    by_node = {e["node_id"]: e for e in entities if e["type"] == "Place" and e.get("node_id")}

    def parent_of(place: dict) -> dict | None:
        node_id = place.get("node_id")
        if not node_id:
            return None
        try:
            ancestors = _gazetteer().ancestors(node_id)
        except KeyError:
            return None
        return next((by_node[a.node_id] for a in ancestors if a.node_id in by_node), None)
    return parent_of


def _attach_observations(doc: SegmentedDocument, entities: list[dict]) -> list[dict]:
    """An observation belongs to the body named before it in its sentence, else to
    the article's main body; one with neither is dropped (nothing to describe)."""
    ix = _Index(doc, entities)
    out = []
    for obs in extract_observations(doc):
        article = ix.articles[obs.article]
        owner = None
        for e, ev in ix.in_article.get(obs.article, []):
            if ev.get("start", 0) >= obs.start:
                break
            same_sentence = ev.get("sentence") == obs.sentence
            listed = ev.get("end", 0) >= obs.start - 12       # an item of the list the number counts
            if same_sentence and e["type"] in ("CongressBody", "Organization", "LiaisonStation") \
                    and e.get("kind") != "deputy_group" and not (listed and e["type"] == "LiaisonStation"):
                owner = e
        owner = owner or main_body(ix, article)
        if owner is not None:
            out.append(dict(obs.to_dict(), entity=owner["name"]))
    return out


def extract_document(source: SourceDocument, extractors: Sequence[str] = DEFAULT_EXTRACTORS
                     ) -> tuple[SegmentedDocument, DocumentResult]:
    """All extraction for one decoded file."""
    from ..extractors.entity_extractor import extract_entities
    doc = segment(source)
    entities = [e.to_dict() for e in extract_entities(doc, extractors=extractors)]
    relations = extract_relations(doc, entities, _parent_finder(entities))
    observations = _attach_observations(doc, entities)
    articles = {a.name: a.article_id for a in doc.articles}
    return doc, DocumentResult(source.doc_id, source.path, entities, relations, observations, articles)


def build_graph(paths: Iterable[str | Path] | str | Path,
                extractors: Sequence[str] = DEFAULT_EXTRACTORS) -> nx.MultiDiGraph:
    """Files, directories or globs → one knowledge graph (bad files are skipped).

    Runs in this process without the CLI's per-document guard; document ids are
    unique per path, as in the CLI."""
    from functools import partial

    from ..extractors.input_reader import discover
    from ..corpus_runner import Failure, process_files
    if isinstance(paths, (str, Path)):
        paths = [paths]
    stage = partial(extract_document, extractors=extractors)
    results = [item[1] for item in process_files(discover([str(p) for p in paths]), stage)
               if not isinstance(item, Failure)]
    return assemble(results)
