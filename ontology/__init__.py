"""The renda-kg vocabulary: OWL ontology and SHACL shapes shipped as Turtle."""
