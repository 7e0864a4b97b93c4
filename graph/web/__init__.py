"""The pages `renda-kg serve` shows a person: a SPARQL query page at ``/`` and a page
per node, served beside the SPARQL endpoint from files vendored here (no network)."""
