import os
import subprocess
import sys

from bench.memory import ProcessMemory, TreeMemorySampler, parse_parent_pid, parse_status, process_tree

STATUS = """\
Name:\tpython3
State:\tS (sleeping)
Pid:\t4242
PPid:\t1
VmPeak:\t  120000 kB
VmHWM:\t   41234 kB
VmRSS:\t   40000 kB
Threads:\t2
"""


def test_status_gives_resident_size_and_high_water_mark() -> None:
    assert parse_status(STATUS) == ProcessMemory(rss_kb=40000, peak_kb=41234)


def test_a_process_without_memory_lines_reads_as_zero() -> None:
    assert parse_status("Name:\tkthreadd\nState:\tS (sleeping)\n") == ProcessMemory(rss_kb=0, peak_kb=0)


def test_parent_pid_survives_spaces_and_parentheses_in_the_command_name() -> None:
    assert parse_parent_pid("4242 (node (worker) x) S 4100 4242 4242 0 -1 4194560") == 4100


def test_the_tree_holds_the_root_and_its_children() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = process_tree(os.getpid())
        assert tree[0] == os.getpid()
        assert child.pid in tree
    finally:
        child.kill()
        child.wait()


def test_the_sampler_reports_this_process_resident_size() -> None:
    sampler = TreeMemorySampler(os.getpid())
    current = sampler.current_mb()
    assert current > 0
    assert sampler.peak_mb >= current
