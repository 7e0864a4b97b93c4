"""renda-kg: a knowledge-graph builder for Chinese People's Congress (人大) reporting.

The code lives in three top-level folders that install as sub-packages:
``renda_kg.extractors`` (read → normalise → segment → entities → relations),
``renda_kg.graph`` (assemble, resolve, provenance, exporters, CLI) and
``renda_kg.ontology`` (vocabulary, OWL and SHACL).
"""
__version__ = "0.1.0"
