"""A read-only SPARQL 1.1 Protocol endpoint over a build's query store or graph file.

A small Starlette app on uvicorn. It never runs a query itself: a pool of query
workers (query_pool.WorkerPool: child processes holding the graph) does, under the
time limit, row cap and memory cap of query_limits.py, so a runaway query is killed —
CPU and memory released — while the other workers keep answering, and SIGTERM or
Ctrl-C stop the server at once even with a query running. The protocol:

- `GET /sparql?query=…`, `POST` with `application/sparql-query` or a form
  (`application/x-www-form-urlencoded`, `query=…`); bodies over `max_body` bytes
  (default 1 MiB) get 413, bodies or parameters that are not UTF-8 get 400, other
  content types 415.
- Content negotiation (Accept, or a `format`/`output` parameter): SPARQL JSON
  (default), XML, CSV or TSV for SELECT and ASK; Turtle (default), N-Triples,
  RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE.
- Updates (`update=` in a GET or a form, `application/sparql-update`) get 403.
  `default-graph-uri` / `named-graph-uri`, like FROM, get 400 (see sparql.py).
- Errors are one line of text/plain: 400 bad query, 422 result over the row cap,
  503 query stopped by the time or memory limit, server busy or shutting down.
- `GET /sparql` without a query returns the service description (Turtle by default;
  RDF/XML, N-Triples or JSON-LD on request): SPARQL 1.1 Query only, no
  federated query, the result formats above and the size of the default graph.

Beside the endpoint, for a person with a browser (graph/web/pages.py): `GET /` is a
SPARQL query page (YASGUI, vendored, with the example queries of queries/ in a menu),
`GET /node?iri=…` a page per node (names, relations, evidence, mentioning articles),
their files under `/static/`. Nothing they load comes from another origin.

The listening socket is bound when the server is made, so the URL is known before it
starts and port 0 picks a free port.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qsl

import rdflib
import uvicorn
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .query_limits import DEFAULT_LIMITS, DEFAULT_WORKERS, QueryLimits, QueryStopped
from .query_pool import WorkerPool
from .sparql import FORMAT_PARAMETER, SparqlError, graph_source, negotiate
from .web.pages import EXAMPLES_DIR, Pages

__all__ = ["DEFAULT_MAX_BODY", "ENDPOINT_PATH", "SparqlServer", "create_app"]

ENDPOINT_PATH = "/sparql"
DEFAULT_MAX_BODY = 1 << 20
log = logging.getLogger("renda_kg.sparql")


class _HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)


SERVICE_DESCRIPTION_TYPES = {
    "text/turtle": ("turtle", "text/turtle"),
    "application/rdf+xml": ("xml", "application/rdf+xml"),
    "application/xml": ("xml", "application/rdf+xml"),
    "text/xml": ("xml", "application/rdf+xml"),
    "application/n-triples": ("nt", "application/n-triples"),
    "application/ld+json": ("json-ld", "application/ld+json"),
    "application/json": ("json-ld", "application/ld+json"),
}


def service_description(url: str, triples: int, description: str) -> rdflib.Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, VOID
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("formats", formats)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service, dataset, default_graph = URIRef(url), BNode(), BNode()
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, service))
    graph.add((service, DCTERMS.title, Literal("renda-kg SPARQL endpoint")))
    graph.add((service, DCTERMS.description, Literal(description)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        graph.add((service, sd.resultFormat, formats[name]))
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, sd.Graph))
    graph.add((default_graph, VOID.triples, Literal(triples)))
    return graph


def _params(raw: bytes) -> list[tuple[str, str]]:
    """Parameters of a query string or a form body; UnicodeDecodeError unless UTF-8."""
    return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")


async def _read_body(request: Request, max_body: int) -> bytes:
    """The request body, or 413 past max_body bytes. An oversized body is read on (and
    dropped) up to 16 × max_body so that the client reads the 413 instead of a reset."""
    declared = request.headers.get("content-length", "")
    too_big = declared.isdigit() and int(declared) > max_body
    chunks, size = [], 0
    if not too_big or int(declared) <= 16 * max_body:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                too_big = True
                if size > 16 * max_body:
                    break
                continue
            chunks.append(chunk)
    if too_big:
        raise _HttpError(413, f"request body too large: the limit is {max_body} bytes")
    return b"".join(chunks)


async def _wait_for_disconnect(request: Request) -> None:
    """Resolves when the client closes the connection (the body has been read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


class _Endpoint:
    """The SPARQL 1.1 Protocol over one worker pool: parse, check, run, answer."""

    def __init__(self, pool: WorkerPool, url: str, max_body: int) -> None:
        self.pool, self.max_body = pool, max_body
        description = (f"People's Congress (人大) knowledge graph from {pool.graph_path.name}, read-only. "
                       f"Limits per query: {pool.limits.describe()}.")
        self.sd_graph = service_description(url, pool.triples or 0, description)
        self.sd_cache: dict[str, bytes] = {}     # one entry per serialisation format: bounded

    def describe(self, accept: str) -> Response:
        fmt, media_type = negotiate(accept, SERVICE_DESCRIPTION_TYPES)
        if fmt not in self.sd_cache:
            self.sd_cache[fmt] = self.sd_graph.serialize(format=fmt, encoding="utf-8")
        return Response(self.sd_cache[fmt], media_type=media_type)

    async def parameters(self, request: Request) -> tuple[list[tuple[str, str]], str | None]:
        """(parameters, query from a sparql-query body); _HttpError for what is refused."""
        try:
            params = _params(request.scope.get("query_string", b""))
        except UnicodeDecodeError:
            raise _HttpError(400, "the query string is not valid UTF-8 percent-encoding") from None
        if request.method != "POST":
            return params, None
        body = await _read_body(request, self.max_body)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if content_type == "application/sparql-query":
                return params, body.decode("utf-8")
            if content_type == "application/x-www-form-urlencoded":
                return params + _params(body), None
        except UnicodeDecodeError:
            raise _HttpError(400, "the request body is not valid UTF-8") from None
        if content_type == "application/sparql-update":
            raise _HttpError(403, "updates are not allowed: this endpoint is read-only")
        raise _HttpError(415, "POST a query as application/sparql-query or as the query "
                              "parameter of an application/x-www-form-urlencoded form")

    @staticmethod
    def the_query(params: list[tuple[str, str]], body_query: str | None, method: str) -> str | None:
        """The one query of a request; None asks for the service description."""
        names = [name for name, _ in params]
        if "update" in names:
            raise _HttpError(403, "updates are not allowed: this endpoint is read-only")
        if "default-graph-uri" in names or "named-graph-uri" in names:
            raise _HttpError(400, "default-graph-uri and named-graph-uri are not supported: renda-kg "
                                  "answers from the one loaded graph")
        queries = [value for name, value in params if name == "query"]
        if body_query is not None:
            queries.append(body_query)
        if not queries:
            if method == "POST":
                raise _HttpError(400, "no query: send query=… or an application/sparql-query body")
            return None
        if len(queries) > 1:
            raise _HttpError(400, "more than one query in the request")
        if not queries[0].strip():
            raise _HttpError(400, "empty query")
        return queries[0]

    @staticmethod
    def accept_of(request: Request, params: list[tuple[str, str]]) -> str:
        """The Accept header, unless a format= or output= parameter names a format."""
        accept = request.headers.get("accept", "")
        for name in ("format", "output"):
            value = dict(params).get(name, "").lower()
            if value in FORMAT_PARAMETER:
                accept = FORMAT_PARAMETER[value]
        return accept

    async def handle(self, request: Request) -> Response:
        try:
            params, body_query = await self.parameters(request)
            query = self.the_query(params, body_query, request.method)
        except _HttpError as err:
            return _error(err.status, str(err))
        if query is None:
            return self.describe(request.headers.get("accept", ""))
        job = {"query": query, "accept": self.accept_of(request, params), "max_rows": self.pool.limits.max_rows}
        try:
            header, body = await self.pool.run(job, lambda: _wait_for_disconnect(request))
        except SparqlError as err:
            return _error(400, str(err))
        except QueryStopped as err:
            if err.status != 422:
                log.warning("renda-kg: %s: %s", err, " ".join(query.split())[:200])
            return _error(err.status, str(err))
        return Response(body, media_type=header["media_type"])


def create_app(pool: WorkerPool, url: str, *, max_body: int = DEFAULT_MAX_BODY,
               examples_dir: Path | None = EXAMPLES_DIR) -> Starlette:
    """The endpoint's ASGI app, answering from `pool` (started by the caller), with the
    query page at / (examples from `examples_dir`), its files under /static/ and the
    node pages at /node."""
    endpoint = _Endpoint(pool, url, max_body)
    pages = Pages(pool, ENDPOINT_PATH, examples_dir)
    routes = [Route(path, endpoint.handle, methods=["GET", "POST"]) for path in (ENDPOINT_PATH, ENDPOINT_PATH + "/")]
    routes += [Route("/", pages.index, methods=["GET"]),
               Route("/static/{name}", pages.static_file, methods=["GET"]),
               Route("/node", pages.node, methods=["GET"])]
    app = Starlette(routes=routes)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                       allow_headers=["*"])
    return app


class _Terminated(Exception):
    pass


def _raise_terminated(signum, frame):
    raise _Terminated()


class _Server(uvicorn.Server):
    """uvicorn that kills the running queries first when it shuts down, so that their
    requests end at once (503) instead of holding the shutdown for --timeout."""

    def __init__(self, config: uvicorn.Config, pool: WorkerPool) -> None:
        super().__init__(config)
        self.pool = pool

    async def shutdown(self, sockets=None) -> None:
        await self.pool.aclose()
        await super().shutdown(sockets)


def _listen(host: str, port: int, family: socket.AddressFamily, backlog: int = 2048) -> socket.socket:
    """A listening TCP socket. Made with proto=IPPROTO_TCP, unlike socket.create_server:
    asyncio sets TCP_NODELAY only on connections whose socket says TCP, and without it
    every answer on a keep-alive connection waits ~40 ms (Nagle and delayed ACKs). The
    backlog is uvicorn's: a burst of 200 clients connecting must not overflow it."""
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if os.name not in ("nt", "cygwin"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def _snapshot(source: Path, target: Path) -> None:
    """A private copy of a graph file or a store folder: hard links where possible (a
    build never changes its files in place, it replaces the output directory)."""
    if source.is_dir():
        target.mkdir()
        for entry in source.iterdir():
            _snapshot(entry, target / entry.name)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class SparqlServer:
    """Serve one graph — a query store, a directory holding one, or a .ttl / .nt file;
    `serve_forever()` for the CLI, `start()`/`stop()` (or `with`) to run it in a
    background thread beside other code.

    The workers open a private snapshot of the store or file (hard links, or a copy),
    so a worker started later — after a timeout — serves the same graph even if the
    output directory is rebuilt meanwhile."""

    def __init__(self, graph_path: str | Path, host: str = "127.0.0.1", port: int = 8000,
                 log_level: str = "info", *, engine: str = "oxigraph",
                 limits: QueryLimits = DEFAULT_LIMITS, workers: int = DEFAULT_WORKERS,
                 max_body: int = DEFAULT_MAX_BODY, examples_dir: Path | None = EXAMPLES_DIR) -> None:
        source = graph_source(graph_path).path
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = _listen(host, port, family)
        try:
            bound_host, bound_port = self._socket.getsockname()[:2]
            shown_host = f"[{bound_host}]" if family == socket.AF_INET6 else bound_host
            self.url = f"http://{shown_host}:{bound_port}{ENDPOINT_PATH}"
            self.page_url = f"http://{shown_host}:{bound_port}/"      # the query page
            self._snapshot_dir = tempfile.mkdtemp(prefix="renda-kg-serve-")
            snapshot = Path(self._snapshot_dir) / source.name
            _snapshot(source, snapshot)
            try:
                self.pool = WorkerPool(snapshot, engine, limits, workers).start()
            except SparqlError as err:         # name the user's store or file, not the snapshot
                raise SparqlError(str(err).replace(str(snapshot), str(source))) from None
        except BaseException:
            self._socket.close()
            self._cleanup()
            raise
        self.triples: int = self.pool.triples or 0
        self.limits = limits
        app = create_app(self.pool, self.url, max_body=max_body, examples_dir=examples_dir)
        config = uvicorn.Config(app, log_level=log_level, lifespan="off", timeout_graceful_shutdown=2)
        self._server = _Server(config, self.pool)
        self._thread: threading.Thread | None = None

    def _cleanup(self) -> None:
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.close()
        snapshot_dir = getattr(self, "_snapshot_dir", None)
        if snapshot_dir:
            shutil.rmtree(snapshot_dir, ignore_errors=True)
            self._snapshot_dir = None

    def serve_forever(self) -> None:
        """Serve until SIGTERM or SIGINT (Ctrl-C), or until `stop()` is called from another
        thread. Running queries are killed; the workers are gone when this returns."""
        # uvicorn handles both signals while it runs, then raises them again once it has
        # shut down: SIGTERM's default action would end the process before the clean-up.
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _raise_terminated)
        try:
            self._server.run(sockets=[self._socket])
        except (_Terminated, KeyboardInterrupt):
            pass
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            self._socket.close()
            self._cleanup()

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
        """Stop the queries in flight, close the socket and join the thread."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        else:
            self._socket.close()
            self._cleanup()

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
