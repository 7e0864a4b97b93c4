"""A read-only SPARQL 1.1 Protocol endpoint over an exported graph file.

rdflib-endpoint does the protocol (GET and POST queries, content negotiation for
SPARQL JSON/XML/CSV results and Turtle/N-Triples graphs, 403 for updates) and
uvicorn serves it. The listening socket is bound when the server is made, so the
URL is known before it starts and port 0 picks a free port.
"""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn
from rdflib_endpoint import SparqlEndpoint

from .sparql import keep_rdflib_offline, load_rdflib_graph

__all__ = ["ENDPOINT_PATH", "SparqlServer"]

ENDPOINT_PATH = "/sparql"


class SparqlServer:
    """Serve one graph file; `serve_forever()` for the CLI, `start()`/`stop()` (or `with`)
    to run it in a background thread beside other code."""

    def __init__(self, graph_path: str | Path, host: str = "127.0.0.1", port: int = 8000,
                 log_level: str = "info") -> None:
        keep_rdflib_offline()
        self.graph = load_rdflib_graph(graph_path)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.create_server((host, port), family=family)
        bound_host, bound_port = self._socket.getsockname()[:2]
        shown_host = f"[{bound_host}]" if family == socket.AF_INET6 else bound_host
        self.url = f"http://{shown_host}:{bound_port}{ENDPOINT_PATH}"
        app = SparqlEndpoint(
            graph=self.graph, path=ENDPOINT_PATH, public_url=self.url, enable_update=False,
            title="renda-kg SPARQL endpoint",
            description=f"People's Congress (人大) knowledge graph from {Path(graph_path).name}, "
                        "read-only.")
        self._server = uvicorn.Server(uvicorn.Config(app, log_level=log_level))
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        """Serve until interrupted (Ctrl-C) or until `stop()` is called from another thread."""
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._socket.close()

    def start(self, timeout: float = 10.0) -> SparqlServer:
        """Serve in a daemon thread; return once the server accepts requests."""
        self._thread = threading.Thread(target=self.serve_forever, name="renda-kg-sparql", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"SPARQL server at {self.url} did not start")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the requests in flight, close the socket and join the thread."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
