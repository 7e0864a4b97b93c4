"""renda-kg: a knowledge-graph builder for Chinese People's Congress (人大) reporting.

The code lives in three top-level folders that install as sub-packages:
``renda_kg.extractors`` (read → normalise → segment → entities → relations),
``renda_kg.graph`` (assemble, resolve, provenance, exporters, CLI) and
``renda_kg.ontology`` (vocabulary, OWL and SHACL).

The two entry points a notebook needs, imported lazily so that ``import renda_kg``
stays cheap: ``renda_kg.load()`` (the spaCy pipeline) and
``renda_kg.build_graph(paths)`` (files → networkx.MultiDiGraph).
"""
__version__ = "0.1.0"
__all__ = ["load", "build_graph", "__version__"]


def __getattr__(name: str):
    if name == "load":
        from .extractors.spacy_pipeline import load
        return load
    if name == "build_graph":
        from .graph.pipeline import build_graph
        return build_graph
    raise AttributeError(f"module 'renda_kg' has no attribute {name!r}")
