"""Leave the target as found: delete what this run created, and sweep for anything labelled with its prefix."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from contract_tests.checks._http import origin
from contract_tests.client import ApiClient
from contract_tests.expectations import Expectations

# The sweep reads at most this many pages of the collection: enough for staging, bounded for production.
SWEEP_MAX_PAGES = 200


class CreatedResources:
    """Ids of the resources this run created, by the path parameter that names them (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: dict[str, dict[str, None]] = {}
        self._all: dict[str, set[str]] = {}

    def add(self, name: str, value: str) -> None:
        with self._lock:
            self._live.setdefault(name, {})[value] = None
            self._all.setdefault(name, set()).add(value)

    def deleted(self, name: str, value: str) -> None:
        with self._lock:
            self._live.get(name, {}).pop(value, None)

    def live(self, name: str) -> list[str]:
        with self._lock:
            return list(self._live.get(name, {}))

    def ever_created(self, name: str, value: str) -> bool:
        with self._lock:
            return value in self._all.get(name, set())


@dataclass
class CleanupReport:
    deleted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Collection:
    """Where the suite's top-level resources live: list, delete, and how to read an item's id and label."""

    list_path: str
    delete_path: str
    id_name: str
    items_key: str

    @classmethod
    def from_expectations(cls, expectations: Expectations) -> Collection | None:
        for delete in expectations.operations.values():
            if delete.method != "DELETE" or delete.id_property is not None or "{" not in delete.path:
                continue
            parent, _, last = delete.path.rpartition("/")
            listing = expectations.operation_at("GET", parent)
            if listing is not None and listing.page_items_key and last.startswith("{"):
                return cls(parent, delete.path, last.strip("{}"), listing.page_items_key)
        return None


def clean_up(
    client: ApiClient,
    collection: Collection,
    created: CreatedResources,
    label_prefix: str,
    *,
    say: Callable[[str], None] = lambda _: None,
) -> CleanupReport:
    report = CleanupReport()
    for resource_id in created.live(collection.id_name):
        _delete(client, collection, created, resource_id, report)
    for resource_id in _sweep(client, collection, label_prefix, say):
        _delete(client, collection, created, resource_id, report)
    return report


def _delete(
    client: ApiClient, collection: Collection, created: CreatedResources, resource_id: str, report: CleanupReport
) -> None:
    path = collection.delete_path.replace("{" + collection.id_name + "}", requests.utils.quote(resource_id, safe=""))
    try:
        status = client.call("DELETE", path).status
    except requests.RequestException:
        status = 0
    if 200 <= status < 300 or status == 404:
        created.deleted(collection.id_name, resource_id)
        if status != 404:
            report.deleted.append(resource_id)
    else:
        report.failed.append(resource_id)


def _sweep(client: ApiClient, collection: Collection, label_prefix: str, say: Callable[[str], None]) -> list[str]:
    """Ids of listed resources whose label carries this run's prefix (created but never recorded, e.g. on Ctrl-C)."""
    found: list[str] = []
    url: str | None = collection.list_path + "?limit=100"
    seen_urls: set[str] = set()
    for _ in range(SWEEP_MAX_PAGES):
        if url is None or url in seen_urls:
            break
        seen_urls.add(url)
        try:
            page = client.call("GET", url)
        except requests.RequestException as exc:
            say(f"cleanup sweep stopped: {type(exc).__name__}")
            break
        body = page.json()
        if page.status != 200 or not isinstance(body, dict):
            break
        items = (body.get("_embedded") or {}).get(collection.items_key) or []
        for item in items if isinstance(items, list) else []:
            label = item.get("label") if isinstance(item, dict) else None
            if isinstance(label, str) and label.startswith(label_prefix) and collection.id_name in item:
                found.append(str(item[collection.id_name]))
        next_link = (body.get("_links") or {}).get("next")
        url = next_link.get("href") if isinstance(next_link, dict) else None
        if isinstance(url, str) and origin(client.url(url)) != origin(client.base_url):
            # Never send the run's headers (credentials) to another host.
            break
    return found
