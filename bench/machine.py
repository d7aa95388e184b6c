"""What the benchmark ran on: every figure is meaningless without it."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Machine:
    cpu_model: str
    cores: int
    ram_gib: float
    python: str
    system: str

    def describe(self) -> str:
        return f"{self.cpu_model}, {self.cores} cores, {self.ram_gib:.1f} GiB RAM, Python {self.python}, {self.system}"


def parse_cpu_model(cpuinfo: str) -> str:
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return platform.processor() or "unknown CPU"


def parse_mem_total_gib(meminfo: str) -> float:
    for line in meminfo.splitlines():
        key, _, value = line.partition(":")
        if key == "MemTotal":
            return int(value.split()[0]) / 1024 / 1024
    return 0.0


def _read_or_empty(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def this_machine() -> Machine:
    return Machine(
        cpu_model=parse_cpu_model(_read_or_empty("/proc/cpuinfo")),
        cores=len(os.sched_getaffinity(0)),
        ram_gib=parse_mem_total_gib(_read_or_empty("/proc/meminfo")),
        python=platform.python_version(),
        system=f"{platform.system()} {platform.release()}",
    )
