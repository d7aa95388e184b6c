"""Resident memory of a server and every process it started, read from /proc."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class ProcessMemory:
    rss_kb: int
    peak_kb: int  # VmHWM: the process's own high-water mark since it started


def parse_status(text: str) -> ProcessMemory:
    """VmRSS and VmHWM from the text of /proc/<pid>/status (0 for a kernel thread or a zombie)."""
    values = {"VmRSS": 0, "VmHWM": 0}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0])
    return ProcessMemory(rss_kb=values["VmRSS"], peak_kb=values["VmHWM"])


def parse_parent_pid(stat_text: str) -> int:
    """The parent pid in /proc/<pid>/stat; the command name in parentheses may itself hold spaces or ')'."""
    after_name = stat_text[stat_text.rindex(")") + 2 :]
    return int(after_name.split()[1])


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None  # the process ended between listing and reading


def process_tree(root_pid: int) -> list[int]:
    """root_pid and all its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = _read(entry / "stat")
        if stat is not None:
            children.setdefault(parse_parent_pid(stat), []).append(int(entry.name))
    tree, pending = [], [root_pid]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def process_memory(pid: int) -> ProcessMemory | None:
    status = _read(PROC / str(pid) / "status")
    return parse_status(status) if status is not None else None


@dataclass
class TreeMemorySampler:
    """Samples a process tree in the background; `peak_mb` sums each process's high-water mark.

    Summing per-process peaks is exact for a single-process server and an upper bound for a tree.
    """

    root_pid: int
    interval_s: float = 0.2
    _peaks_kb: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"rss-{self.root_pid}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.sample()  # a last reading before the processes go away
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def sample(self) -> int:
        """Reads the tree once; returns its current resident size in kB."""
        current_kb = 0
        for pid in process_tree(self.root_pid):
            memory = process_memory(pid)
            if memory is None:
                continue
            current_kb += memory.rss_kb
            with self._lock:  # the background thread and the caller may sample at once
                self._peaks_kb[pid] = max(self._peaks_kb.get(pid, 0), memory.peak_kb)
        return current_kb

    @property
    def peak_mb(self) -> float:
        with self._lock:
            return sum(self._peaks_kb.values()) / 1024

    def current_mb(self) -> float:
        return self.sample() / 1024

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            if not os.path.exists(PROC / str(self.root_pid)):
                return
            self.sample()
