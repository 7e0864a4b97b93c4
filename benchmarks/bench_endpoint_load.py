"""Load on `renda-kg serve`: many concurrent clients while one runs an over-limit query.

    .venv/bin/python benchmarks/bench_endpoint_load.py [--graph outputs/graph.ttl]
        [--clients 200] [--requests 6000] [--max-seconds 60] [--timeout 5] [--workers 2]

Starts the real command (`python -m renda_kg.cli serve GRAPH --port 0 -q`) on
127.0.0.1 only, then, from one asyncio process, each client on its own keep-alive
HTTP/1.1 connection (a minimal client on asyncio streams: httpx spent ~5 ms of CPU
per request, more than the server, and the figures measured the client):

- CLIENTS clients send REQUESTS requests in all (or stop after MAX_SECONDS), cycling
  through the example queries in queries/*.rq and through the three ways to send a
  query (GET, POST form, POST application/sparql-query), asking for SPARQL JSON;
- at the same moment one more client sends a query that never finishes
  (COUNT over a three-way cross product of the graph), which must get HTTP 503
  "query stopped after TIMEOUT s (--timeout)".

Prints requests/s, latency p50/p99/max of the normal clients, their error count
(anything but 200 with a JSON body), the over-limit query's answer and the server's
memory (parent process and workers) before and after. Exits 1 if a normal request
failed or the over-limit query was not stopped. Without --graph it builds the seed
graph first (renda-kg build seeds/ --extractors rules --format ttl, about 10 s).
Figures, not assertions: the machine is shared and noisy.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON = "application/sparql-results+json"


def build_seed_graph(out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "renda_kg.cli", "build", str(ROOT / "seeds"), "-o", str(out),
                    "--extractors", "rules", "--format", "ttl", "-q"], check=True, cwd=ROOT)
    return out / "graph.ttl"


def start_server(graph: Path, timeout: float, workers: int) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen([sys.executable, "-m", "renda_kg.cli", "serve", str(graph), "--host",
                                "127.0.0.1", "--port", "0", "--timeout", f"{timeout:g}", "--workers",
                                str(workers), "-q"], stderr=subprocess.PIPE, text=True, env=env)
    line = process.stderr.readline()
    if " at " not in line:
        process.kill()
        raise SystemExit(f"the server did not start: {line.strip()}")
    return process, line.split(" at ", 1)[1].split()[0]


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS of the server and of each of its children (the query workers), in MB."""
    def rss(p: int) -> float:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return {"server": rss(pid), "workers": sum(rss(c) for c in children), "n_workers": len(children)}


def request_bytes(host: str, path: str, query: str, way: int) -> bytes:
    """GET, POST form or POST application/sparql-query, asking for SPARQL JSON."""
    head = f"Host: {host}\r\nAccept: {JSON}\r\n"
    if way == 0:
        return f"GET {path}?{urlencode({'query': query})} HTTP/1.1\r\n{head}\r\n".encode()
    if way == 1:
        body, content_type = urlencode({"query": query}).encode(), "application/x-www-form-urlencoded"
    else:
        body, content_type = query.encode("utf-8"), "application/sparql-query"
    return (f"POST {path} HTTP/1.1\r\n{head}Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


class Connection:
    """One keep-alive HTTP/1.1 connection; responses must carry Content-Length (uvicorn's do)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, data: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(data)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return int(status_line.split()[1]), headers, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
            self.reader = self.writer = None


def answer_ok(status: int, headers: dict[str, str], body: bytes) -> bool:
    if status != 200 or not headers.get("content-type", "").startswith(JSON):
        return False
    data = json.loads(body)
    return "boolean" in data or "bindings" in data.get("results", {})


async def load(url: str, queries: list[str], clients: int, total: int, max_seconds: float) -> dict:
    parts = urlsplit(url)
    host, port, path = parts.hostname, parts.port, parts.path
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(total))
    warm = Connection(host, port)
    for query in queries:                                      # warm up: every query once
        if not answer_ok(*await warm.request(request_bytes(host, path, query, 0))):
            raise SystemExit(f"the server does not answer {query[:60]!r}")
    await warm.close()
    started = time.perf_counter()
    deadline = started + max_seconds

    async def normal_client() -> None:
        connection = Connection(host, port)
        try:
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                data = request_bytes(host, path, queries[i % len(queries)], (i // len(queries)) % 3)
                t0 = time.perf_counter()
                try:
                    status, headers, body = await connection.request(data)
                    if not answer_ok(status, headers, body):
                        errors.append(f"{status} {body[:100]!r}")
                except (OSError, asyncio.IncompleteReadError, ValueError) as err:
                    errors.append(f"{type(err).__name__}: {err}")
                    await connection.close()
                latencies.append(time.perf_counter() - t0)
        finally:
            await connection.close()

    async def over_limit_client() -> dict:
        connection = Connection(host, port)
        t0 = time.perf_counter()
        status, _, body = await connection.request(request_bytes(host, path, RUNAWAY, 0))
        await connection.close()
        return {"status": status, "body": body.decode("utf-8").strip(), "seconds": time.perf_counter() - t0}

    over_limit = asyncio.ensure_future(over_limit_client())
    await asyncio.gather(*(normal_client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    runaway = await over_limit
    return {"latencies": latencies, "errors": errors, "elapsed": elapsed, "runaway": runaway}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, help="graph.ttl or graph.nt (default: build the seed graph)")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--requests", type=int, default=6000, help="normal requests in all (default 6000)")
    ap.add_argument("--max-seconds", type=float, default=60, help="stop sending after this (default 60)")
    ap.add_argument("--timeout", type=float, default=5, help="the server's --timeout (default 5)")
    ap.add_argument("--workers", type=int, default=2, help="the server's --workers (default 2)")
    args = ap.parse_args()

    queries = [p.read_text("utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))]
    with tempfile.TemporaryDirectory(prefix="bench-endpoint-") as tmp:
        graph = args.graph or build_seed_graph(Path(tmp))
        process, url = start_server(graph, args.timeout, args.workers)
        try:
            before = memory_mb(process.pid)
            result = asyncio.run(load(url, queries, args.clients, args.requests, args.max_seconds))
            after = memory_mb(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            process.stderr.close()

    latencies = sorted(result["latencies"])
    n, errors, runaway = len(latencies), result["errors"], result["runaway"]
    p50 = statistics.median(latencies)
    p99 = latencies[min(n - 1, int(0.99 * n))]
    stopped = runaway["status"] == 503 and runaway["body"].startswith("query stopped after")
    print(f"graph: {graph.name}; {len(queries)} example queries; server --timeout {args.timeout:g} s, "
          f"--workers {args.workers}; {args.clients} clients + 1 over-limit client")
    print(f"requests     : {n} in {result['elapsed']:.1f} s = {n / result['elapsed']:.0f} requests/s")
    print(f"latency      : p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    print(f"errors       : {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"over-limit   : HTTP {runaway['status']} \"{runaway['body']}\" after {runaway['seconds']:.1f} s")
    print(f"server memory: {before['server']:.0f} → {after['server']:.0f} MB (parent); "
          f"{before['workers']:.0f} → {after['workers']:.0f} MB ({after['n_workers']} workers)")
    return 0 if not errors and stopped else 1


if __name__ == "__main__":
    sys.exit(main())
