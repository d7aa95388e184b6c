"""Part 2: a page reached deep into a large collection by following `next`, against the first page."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from bench.console import progress
from bench.probe import MeasurementError, expect_success, send
from bench.results import PaginationFigures
from bench.servers import HOST, RunningServer
from bench.wrk import Load, Repetition, WrkResult, median_result, run_wrk


@dataclass(frozen=True, slots=True)
class Walk:
    first_path: str
    deep_path: str  # the deepest page that still holds a full `limit` of items
    depth: int  # items on the pages before the deep one
    collection_size: int
    elapsed_s: float
    first_body_bytes: int
    deep_body_bytes: int


def path_of(href: str) -> str:
    """Path and query of a link, so it is requested from the server under test whatever host it names."""
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk_collection(port: int, limit: int, max_pages: int) -> Walk:
    first_path = f"/customers?limit={limit}"
    path: str | None = first_path
    deep_path, depth, seen, pages = first_path, 0, 0, 0
    first_bytes = deep_bytes = 0
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    started = time.perf_counter()
    try:
        while path is not None:
            pages += 1
            if pages > max_pages:
                raise MeasurementError(f"following `next` from {first_path} did not end after {max_pages:,} pages")
            reply = expect_success("the mock", "GET", path, send(connection, "GET", path))
            page = reply.json()
            items = page.get("_embedded", {}).get("nter:customers", [])
            if pages == 1:
                first_bytes = len(reply.body)
            if len(items) == limit:
                deep_path, depth, deep_bytes = path, seen, len(reply.body)
            seen += len(items)
            next_link = page.get("_links", {}).get("next")
            path = path_of(next_link["href"]) if next_link else None
    finally:
        connection.close()
    return Walk(first_path, deep_path, depth, seen, time.perf_counter() - started, first_bytes, deep_bytes)


def measure_pagination(
    mock: RunningServer, limit: int, expected_size: int, load: Load, repetition: Repetition, wrk: str
) -> PaginationFigures:
    progress(f"walking the collection by `next` with limit={limit}")
    walk = walk_collection(mock.port, limit, max_pages=2 * (expected_size // limit) + 100)
    warmup = Load(load.threads, load.connections, repetition.warmup_s)
    for path in (walk.first_path, walk.deep_path):
        _load(mock, path, warmup, wrk)
    first: list[WrkResult] = []
    deep: list[WrkResult] = []
    for round_number in range(1, repetition.runs + 1):
        progress(f"first page and page at depth {walk.depth:,}, run {round_number}/{repetition.runs}")
        # Which page goes first alternates, so a machine growing busier does not favour one of them.
        deep_first = round_number % 2 == 0
        if deep_first:
            deep.append(_load(mock, walk.deep_path, load, wrk))
        first.append(_load(mock, walk.first_path, load, wrk))
        if not deep_first:
            deep.append(_load(mock, walk.deep_path, load, wrk))
    return PaginationFigures(
        page_limit=limit,
        collection_size=walk.collection_size,
        depth=walk.depth,
        walk_s=walk.elapsed_s,
        first=median_result(first),
        deep=median_result(deep),
        round_cost_ratios=tuple(f.requests_per_s / d.requests_per_s for f, d in zip(first, deep, strict=True)),
        first_body_bytes=walk.first_body_bytes,
        deep_body_bytes=walk.deep_body_bytes,
        peak_rss_mb=mock.memory.peak_mb,
    )


def _load(mock: RunningServer, path: str, load: Load, wrk: str) -> WrkResult:
    with mock.watched():
        return run_wrk(wrk, mock.base_url + path, load)
