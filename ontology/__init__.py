"""The renda-kg vocabulary: OWL ontology and SHACL shapes shipped as Turtle.

The files travel as package data, so the exporter, the SHACL check and a user's
notebook all read the same copy through `ontology_path()` and `shapes_path()`.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["NAMESPACE", "SHAPES_NAMESPACE", "ontology_path", "shapes_path"]

#: Classes and properties of the ontology (renda.ttl) live under this IRI.
NAMESPACE = "https://renda-kg.example/ontology#"
#: The SHACL shapes (shapes.ttl) live under this IRI.
SHAPES_NAMESPACE = "https://renda-kg.example/shapes#"


def _packaged(name: str) -> Path:
    return Path(str(resources.files(__name__).joinpath(name)))


def ontology_path() -> Path:
    """The OWL ontology, renda.ttl."""
    return _packaged("renda.ttl")


def shapes_path() -> Path:
    """The SHACL shapes the exported data must conform to, shapes.ttl."""
    return _packaged("shapes.ttl")
