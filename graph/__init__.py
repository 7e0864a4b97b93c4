"""Graph stages: assemble, resolve, provenance, exporters and the CLI."""
