"""A run leaves the target as it found it: what it created is deleted, also when interrupted; nothing else is
touched, not even resources labelled by another run."""

from __future__ import annotations

import signal
import subprocess
import sysconfig
from pathlib import Path

from contract_tests.run import execute
from contract_tests.settings import Profile, Settings
from tests.contract_tests.conforming_api import Store, create_app
from tests.contract_tests.live import serving

SUITE = Path(sysconfig.get_path("scripts")) / "customers-contract"
# Small but complete: every phase and scenario runs, with few examples.
QUICK = Profile(name="quick", max_examples=3, stateful_examples=5, stateful_max_steps=5, coverage=True, walk_items=3)
UNSAFE = {"PUT", "DELETE", "POST"}


def store_with_foreign_customers() -> Store:
    store = Store()
    for customer_id, label in [("theirs1", "someone else's customer"), ("theirs2", "contract-0000dead other run")]:
        store.customers[customer_id] = {
            "customer_id": customer_id,
            "label": label,
            "allowed_statuses": [],
            "_links": {"self": {"href": f"http://127.0.0.1/customers/{customer_id}"}},
        }
        store.contacts[customer_id] = []
    return store


def assert_only_foreign_customers_remain(store: Store) -> None:
    assert sorted(store.customers) == ["theirs1", "theirs2"]
    assert store.customers["theirs1"]["label"] == "someone else's customer"
    assert store.customers["theirs2"]["label"] == "contract-0000dead other run"
    assert store.contacts["theirs1"] == [] and store.contacts["theirs2"] == []


def test_complete_run_deletes_what_it_created_and_never_writes_to_anything_else() -> None:
    store = store_with_foreign_customers()
    with serving(create_app(store)) as url:
        code = execute(Settings(base_url=url, profile=QUICK, seed=11))
    assert code == 0
    created = [path for method, path in store.requests if method == "POST" and path == "/customers"]
    assert len(created) > 10, "the run should have created customers of its own"
    assert_only_foreign_customers_remain(store)
    unsafe_on_foreign = [(method, path) for method, path in store.requests if method in UNSAFE and "/theirs" in path]
    assert unsafe_on_foreign == []


def test_read_only_run_sends_only_safe_requests() -> None:
    store = store_with_foreign_customers()
    with serving(create_app(store)) as url:
        code = execute(Settings(base_url=url, profile=QUICK, seed=12, read_only=True))
    assert code == 0
    methods = {method for method, _ in store.requests}
    assert "GET" in methods
    assert methods <= {"GET", "HEAD", "OPTIONS", "TRACE"}
    assert_only_foreign_customers_remain(store)


def test_interrupted_run_still_deletes_what_it_created_and_nothing_else() -> None:
    store = store_with_foreign_customers()
    creations: list[str] = []
    with serving(create_app(store)) as url:
        process = subprocess.Popen(
            [str(SUITE), "--base-url", url, "--seed", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

        def interrupt_midway(method: str, path: str) -> None:
            if method == "POST" and path == "/customers":
                creations.append(path)
                if len(creations) == 8:
                    process.send_signal(signal.SIGINT)

        store.listeners.append(interrupt_midway)
        try:
            stdout, stderr = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 2, stdout + stderr
    assert stderr.strip().splitlines() == [
        "customers-contract: error: interrupted before the run completed (what it created was deleted)"
    ]
    assert "interrupted: cleaning up what this run created" in stdout
    assert len(creations) >= 8
    assert_only_foreign_customers_remain(store)


def test_sigterm_takes_the_same_path_as_ctrl_c() -> None:
    store = store_with_foreign_customers()
    with serving(create_app(store)) as url:
        process = subprocess.Popen(
            [str(SUITE), "--base-url", url, "--seed", "6"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        seen: list[str] = []

        def terminate_midway(method: str, path: str) -> None:
            seen.append(method)
            if method == "PUT" and seen.count("PUT") == 3:
                process.send_signal(signal.SIGTERM)

        store.listeners.append(terminate_midway)
        try:
            stdout, stderr = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 2, stdout + stderr
    assert_only_foreign_customers_remain(store)
