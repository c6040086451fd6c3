"""Load test of `filiere serve` on loopback: 50 concurrent clients on the tracker API over a generated store.

    .venv/bin/python bench/web_load.py [--docs 2000] [--clients 50] [--requests 20] [--timeout 120]

Steps:
1. generate a store of at least 10 000 facts (synthetic documents written through Store.add, no spaCy);
2. start `filiere serve` on 127.0.0.1 and a free port in a subprocess, and wait until it answers;
3. time the first /api/commitments request (the tracker is computed, then cached until the store changes);
4. run the clients (httpx, asyncio), each sending a bounded number of requests to /api/commitments with
   filters and paging; the whole run is bounded by --timeout;
5. print the request count, errors, p50, p95 and max latency, and the throughput; stop the server.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from filiere.records import Document, Evidence, Extraction, Fact  # noqa: E402
from filiere.store import open_store  # noqa: E402

SUBJECTS = ["Renault Group", "Stellantis", "Maroc", "BYD", "Yazaki", "Lear", "Leoni", "Sumitomo", "Aptiv",
            "Valeo", "Forvia", "Gotion High-Tech", "Hyundai", "Toyota", "Volkswagen", "Tesla"]
METRICS = [("production_capacity", "vehicle/year", 100_000), ("exports_value", "MAD", 10_000_000_000),
           ("local_integration_rate", "percent", 10), ("jobs_created", "job", 1_000), ("workforce", "person", 1_000),
           ("investment", "EUR", 100_000_000), ("sales_volume", "vehicle", 10_000), ("market_share", "percent", 5)]
STATUSES = ["achieved", "pending", "missed", "unverified", "undated", "achieved_late"]


def generate_store(path: str, docs: int, seed: int = 7) -> int:
    """Write `docs` synthetic articles of 6 facts each (one in five a target); returns the number of facts."""
    rng = random.Random(seed)
    with open_store(path) as store:
        for i in range(docs):
            date = f"{2015 + i % 11}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            sentences = [f"Phrase {j} de l'article {i} sur l'industrie automobile." for j in range(6)]
            text = " ".join(sentences)
            facts, cursor = [], 0
            for sentence in sentences:
                metric, unit, scale = rng.choice(METRICS)
                target = rng.random() < 0.2
                year = 2015 + int(date[:4]) % 2015 + (rng.randint(1, 6) if target else -rng.randint(0, 2))
                facts.append(Fact(doc=f"gen{i:05d}", kind="target" if target else "actual", metric=metric,
                                  value=float(scale * rng.randint(1, 10)), unit=unit, approx="exact",
                                  subject=rng.choice(SUBJECTS), year=year, qualifier=None, claimed_by=None,
                                  evidence=Evidence(sentence, cursor, cursor + len(sentence))))
                cursor += len(sentence) + 1
            document = Document(doc=f"gen{i:05d}", text=text, source=f"gen/{i}.txt", title=f"Article {i}",
                                date=date, date_source="argument", language="fr")
            spans = tuple((f.evidence.start, f.evidence.end) for f in facts)
            store.add(Extraction(document=document, facts=tuple(facts), sentences=spans))
        return store.counts()["facts"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"the server stopped: exit code {process.returncode}")
            try:
                if (await client.get(f"{base}/openapi.json")).status_code == 200:
                    return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise SystemExit("the server did not answer in time")


async def run_clients(base: str, clients: int, requests: int, timeout: float) -> tuple[list[float], int]:
    """`clients` concurrent clients, `requests` requests each; returns the latencies (s) and the error count."""
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(number: int, client) -> None:
        nonlocal errors
        rng = random.Random(number)
        for _ in range(requests):
            params = rng.choice([{}, {"status": rng.choice(STATUSES)}, {"subject": rng.choice(SUBJECTS)},
                                 {"metric": rng.choice(METRICS)[0]}])
            params.update(offset=rng.choice([0, 0, 50, 100]), limit=50)
            start = time.perf_counter()
            try:
                response = await client.get(f"{base}/api/commitments", params=params)
                ok = response.status_code == 200 and "items" in response.json()
                if not ok:
                    print(f"client error: HTTP {response.status_code}: {response.text[:200]}", file=sys.stderr)
            except httpx.HTTPError as error:
                ok = False
                print(f"client error: {type(error).__name__}: {error}", file=sys.stderr)
            latencies.append(time.perf_counter() - start)
            errors += not ok

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        await asyncio.wait_for(asyncio.gather(*(client_loop(n, client) for n in range(clients))), timeout)
    return latencies, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="generated articles, 6 facts each (default: 2000)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default: 50)")
    parser.add_argument("--requests", type=int, default=20, help="requests per client (default: 20)")
    parser.add_argument("--timeout", type=float, default=120, help="most seconds for the whole run (default: 120)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="filiere-load-") as folder:
        db = str(Path(folder) / "load.db")
        started = time.perf_counter()
        facts = generate_store(db, args.docs)
        print(f"store: {facts} facts in {args.docs} documents, generated in {time.perf_counter() - started:.1f} s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(Path(folder) / "server.log", "w+")
        server = subprocess.Popen([sys.executable, "-m", "filiere.cli", "serve", "--db", db, "--port", str(port),
                                   "--as-of", "2026-11-24"], stderr=log)
        try:
            asyncio.run(wait_until_up(base, server))
            latencies, _ = asyncio.run(run_clients(base, 1, 1, args.timeout))
            print(f"first request (tracker computed, then cached): {latencies[0] * 1000:.0f} ms")
            started = time.perf_counter()
            latencies, errors = asyncio.run(run_clients(base, args.clients, args.requests, args.timeout))
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(10)
            log.seek(0)
            problems = [line for line in log.read().splitlines() if "Error" in line or "error" in line]
            log.close()
    for line in problems[:10]:
        print(f"server: {line}")
    print(f"{len(latencies)} requests from {args.clients} concurrent clients to /api/commitments in {elapsed:.1f} s "
          f"({len(latencies) / elapsed:.0f} requests/s), {errors} errors")
    print(f"latency p50 {percentile(latencies, 0.50) * 1000:.0f} ms, p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms, mean {statistics.mean(latencies) * 1000:.0f} ms")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
