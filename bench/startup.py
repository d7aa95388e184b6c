"""Part 3: time from launch to the first 200, and resident size at that moment."""

from __future__ import annotations

import statistics

from bench.console import progress
from bench.results import StartupFigures
from bench.servers import ServerKind, ServerPool


def measure_startup(pool: ServerPool, kind: ServerKind, launches: int, name: str, log_name: str) -> StartupFigures:
    startups: list[float] = []
    sizes: list[float] = []
    for launch in range(1, launches + 1):
        progress(f"start-up of {name}, launch {launch}/{launches}")
        with pool.running(kind, f"{log_name}-{launch}") as server:
            startups.append(server.startup_s)
            sizes.append(server.memory.current_mb())
    return StartupFigures(startup_s=statistics.median(startups), rss_mb=statistics.median(sizes))
