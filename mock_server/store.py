"""The mock's state: one `Store` interface, an in-memory implementation behind it (SQLite in `sqlite_store`).

Every method is one atomic transaction that enforces the rules itself (unknown id, duplicate unique field,
locked record), so no caller can interleave a check and a write. The store knows no HTTP, URL or JSON.
Records keep their insertion sequence forever: pages are keyset slices on it, so a walk stays stable while
other clients insert and delete.
"""

from __future__ import annotations

import base64
import json
import random
import threading
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any


class StoreError(Exception):
    def __init__(self, collection: str, key: str) -> None:
        super().__init__(f"{collection}/{key}")
        self.collection = collection
        self.key = key


class NotFound(StoreError):
    """No such record (or no such parent)."""


class Conflict(StoreError):
    """Another record already holds this value of a unique field."""


class Locked(StoreError):
    """The record is locked and may not be replaced or deleted."""


@dataclass(frozen=True, slots=True)
class CollectionLayout:
    name: str
    id_field: str
    parent: str | None = None  # name of the parent collection
    unique_fields: tuple[str, ...] = ()  # unique among the records sharing a parent
    created_field: str | None = None
    updated_field: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    collection: str
    id: str
    parent_id: str | None
    seq: int  # insertion order, never reused
    version: int  # changes whenever this record or the count of its children changes
    locked: bool
    data: Mapping[str, Any]  # the stored members, id and timestamps included


@dataclass(frozen=True, slots=True)
class Slice:
    items: list[Item]
    has_more: bool


@dataclass(frozen=True, slots=True)
class SeedRecord:
    """A record as fixtures give it: the store keeps its id and timestamps when present."""

    collection: str
    data: Mapping[str, Any]
    parent_id: str | None = None
    locked: bool = False


Clock = Callable[[], datetime]
# Runs on the written record before the write is committed; if it raises, the write is undone and the error
# propagates. Handlers render their answer here, so a write whose answer cannot be made is never kept.
BeforeCommit = Callable[["Item"], None]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def encode_data(data: Mapping[str, Any]) -> str:
    """A record as strict JSON, members in the client's order; `ValueError` for what JSON cannot carry.

    Every store encodes a record before it commits it, so a value that could never be served (a non-finite
    number, say) fails the write instead of being stored and failing every later read.
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Store(ABC):
    """What the request handlers need from state; a persistent store implements the same methods."""

    @abstractmethod
    def create(
        self,
        collection: str,
        fields: Mapping[str, Any],
        *,
        parent_id: str | None = None,
        before_commit: BeforeCommit | None = None,
    ) -> Item: ...

    @abstractmethod
    def get(self, collection: str, item_id: str, *, parent_id: str | None = None) -> Item: ...

    @abstractmethod
    def replace(
        self,
        collection: str,
        item_id: str,
        fields: Mapping[str, Any],
        *,
        before_commit: BeforeCommit | None = None,
    ) -> Item: ...

    @abstractmethod
    def delete(self, collection: str, item_id: str) -> None: ...

    @abstractmethod
    def page(self, collection: str, *, parent_id: str | None, after_seq: int, limit: int) -> Slice: ...

    @abstractmethod
    def count(self, collection: str, *, parent_id: str | None) -> int: ...

    @abstractmethod
    def load(self, records: Iterable[SeedRecord]) -> None:
        """Replace the whole state by these records, in this order."""

    @abstractmethod
    def dump(self) -> list[SeedRecord]:
        """The whole state, parents before children, in insertion order."""

    @abstractmethod
    def generation(self) -> int:
        """Which state this is: every `load` (and so every reset) moves it on, so page cursors can be bound to it."""

    def initialize(self, records: Iterable[SeedRecord]) -> None:
        """The state a mock starts with: these records, unless the store already keeps a state of its own."""
        self.load(records)

    def close(self) -> None:  # noqa: B027 - most stores hold nothing open
        """Release what the store holds open (files, connections)."""


@dataclass(slots=True)
class _Scope:
    """The records of one collection under one parent, in insertion order (parallel lists)."""

    seqs: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


class InMemoryStore(Store):
    def __init__(self, layouts: Iterable[CollectionLayout], *, seed: int | None = None, clock: Clock = utc_now) -> None:
        self._layouts = {layout.name: layout for layout in layouts}
        self._children = {
            name: tuple(child.name for child in self._layouts.values() if child.parent == name)
            for name in self._layouts
        }
        self._random = random.Random(seed)
        self._clock = clock
        self._lock = threading.RLock()
        # Sequence and version numbers are never reused, not even across `load`: cursors and render caches
        # issued before a reload can then never be mistaken for the new records.
        self._seq = 0
        self._version = 0
        self._generation = 0
        self._reset_state()

    def _reset_state(self) -> None:
        self._items: dict[str, dict[str, Item]] = {name: {} for name in self._layouts}
        self._scopes: dict[tuple[str, str | None], _Scope] = {}
        self._unique: dict[tuple[str, str | None, str, Any], str] = {}

    # -- reads -------------------------------------------------------------------------------------------------

    def get(self, collection: str, item_id: str, *, parent_id: str | None = None) -> Item:
        # Lock-free: one dict lookup is atomic and items are immutable, and this is the hottest path.
        item = self._items[collection].get(item_id)
        if item is None or (parent_id is not None and item.parent_id != parent_id):
            raise NotFound(collection, item_id)
        return item

    def page(self, collection: str, *, parent_id: str | None, after_seq: int, limit: int) -> Slice:
        with self._lock:
            self._require_parent(collection, parent_id)
            scope = self._scopes.get((collection, parent_id))
            if scope is None:
                return Slice(items=[], has_more=False)
            start = bisect_right(scope.seqs, after_seq)
            ids = scope.ids[start : start + limit]
            items = self._items[collection]
            return Slice(items=[items[item_id] for item_id in ids], has_more=start + limit < len(scope.ids))

    def count(self, collection: str, *, parent_id: str | None) -> int:
        scope = self._scopes.get((collection, parent_id))
        return 0 if scope is None else len(scope.ids)

    def generation(self) -> int:
        return self._generation

    def dump(self) -> list[SeedRecord]:
        with self._lock:
            records: list[SeedRecord] = []
            for name in self._ordered_collections():
                for item in sorted(self._items[name].values(), key=lambda item: item.seq):
                    records.append(SeedRecord(name, dict(item.data), item.parent_id, item.locked))
            return records

    # -- writes ------------------------------------------------------------------------------------------------

    def create(
        self,
        collection: str,
        fields: Mapping[str, Any],
        *,
        parent_id: str | None = None,
        before_commit: BeforeCommit | None = None,
    ) -> Item:
        with self._lock:
            layout = self._layouts[collection]
            self._require_parent(collection, parent_id)
            self._require_unique(layout, parent_id, fields, exclude=None)
            item_id = self._new_id(collection)
            now = format_timestamp(self._clock())
            data = {layout.id_field: item_id, **fields}
            self._stamp(layout, data, created=now, updated=now)
            encode_data(data)
            item = self._insert(layout, item_id, data, parent_id, locked=False)
            if before_commit is not None:
                try:
                    before_commit(item)
                except BaseException:
                    self._remove(item)  # a new record has no children: removing it is the whole undo
                    raise
            return item

    def replace(
        self,
        collection: str,
        item_id: str,
        fields: Mapping[str, Any],
        *,
        before_commit: BeforeCommit | None = None,
    ) -> Item:
        with self._lock:
            layout = self._layouts[collection]
            current = self.get(collection, item_id)
            if current.locked:
                raise Locked(collection, item_id)
            self._require_unique(layout, current.parent_id, fields, exclude=item_id)
            data = {layout.id_field: item_id, **fields}
            created = current.data.get(layout.created_field) if layout.created_field else None
            self._stamp(layout, data, created=created, updated=self._later_than(current, layout))
            encode_data(data)
            self._unindex(layout, current)
            item = replace(current, data=data, version=self._next_version())
            self._items[collection][item_id] = item
            self._index(layout, item)
            if before_commit is not None:
                try:
                    before_commit(item)
                except BaseException:
                    self._unindex(layout, item)
                    self._items[collection][item_id] = current
                    self._index(layout, current)
                    raise
            return item

    def delete(self, collection: str, item_id: str) -> None:
        with self._lock:
            current = self.get(collection, item_id)
            if current.locked:
                raise Locked(collection, item_id)
            self._remove(current)
            self._touch_parent(current)

    def load(self, records: Iterable[SeedRecord]) -> None:
        with self._lock:
            previous = (self._items, self._scopes, self._unique)
            self._reset_state()
            try:
                self._load(records)
            except BaseException:
                self._items, self._scopes, self._unique = previous  # all or nothing
                raise
            self._generation += 1

    def _load(self, records: Iterable[SeedRecord]) -> None:
        for record in records:
            layout = self._layouts[record.collection]
            self._require_parent(record.collection, record.parent_id)
            data = dict(record.data)
            item_id = str(data.get(layout.id_field) or self._new_id(record.collection))
            if item_id in self._items[record.collection]:
                raise Conflict(record.collection, item_id)
            self._require_unique(layout, record.parent_id, data, exclude=None)
            data[layout.id_field] = item_id
            created = data.get(layout.created_field or "") or format_timestamp(self._clock())
            self._stamp(layout, data, created=created, updated=None)
            encode_data(data)
            self._insert(layout, item_id, data, record.parent_id, locked=record.locked)

    # -- internals (call with the lock held) ---------------------------------------------------------------------

    def _insert(
        self, layout: CollectionLayout, item_id: str, data: dict[str, Any], parent_id: str | None, *, locked: bool
    ) -> Item:
        self._seq += 1
        item = Item(layout.name, item_id, parent_id, self._seq, self._next_version(), locked, data)
        self._items[layout.name][item_id] = item
        scope = self._scopes.setdefault((layout.name, parent_id), _Scope())
        scope.seqs.append(item.seq)
        scope.ids.append(item_id)
        self._index(layout, item)
        self._touch_parent(item)
        return item

    def _remove(self, item: Item) -> None:
        for child_collection in self._children[item.collection]:
            scope = self._scopes.get((child_collection, item.id))
            for child_id in list(scope.ids) if scope else ():
                self._remove(self._items[child_collection][child_id])
            self._scopes.pop((child_collection, item.id), None)
        del self._items[item.collection][item.id]
        scope = self._scopes[(item.collection, item.parent_id)]
        index = bisect_right(scope.seqs, item.seq) - 1
        del scope.seqs[index]
        del scope.ids[index]
        self._unindex(self._layouts[item.collection], item)

    def _touch_parent(self, item: Item) -> None:
        # A parent's representation counts its children (`total_programs`), so its version moves too.
        parent_collection = self._layouts[item.collection].parent
        if parent_collection is None or item.parent_id is None:
            return
        parent = self._items[parent_collection].get(item.parent_id)
        if parent is not None:
            self._items[parent_collection][parent.id] = replace(parent, version=self._next_version())

    def _require_parent(self, collection: str, parent_id: str | None) -> None:
        parent_collection = self._layouts[collection].parent
        if parent_collection is not None and (parent_id is None or parent_id not in self._items[parent_collection]):
            raise NotFound(parent_collection, str(parent_id))

    def _require_unique(
        self, layout: CollectionLayout, parent_id: str | None, fields: Mapping[str, Any], *, exclude: str | None
    ) -> None:
        for name in layout.unique_fields:
            if name in fields:
                holder = self._unique.get((layout.name, parent_id, name, fields[name]))
                if holder is not None and holder != exclude:
                    raise Conflict(layout.name, f"{name}={fields[name]}")

    def _index(self, layout: CollectionLayout, item: Item) -> None:
        for name in layout.unique_fields:
            if name in item.data:
                self._unique[(layout.name, item.parent_id, name, item.data[name])] = item.id

    def _unindex(self, layout: CollectionLayout, item: Item) -> None:
        for name in layout.unique_fields:
            if name in item.data:
                self._unique.pop((layout.name, item.parent_id, name, item.data[name]), None)

    def _stamp(self, layout: CollectionLayout, data: dict[str, Any], *, created: Any, updated: Any) -> None:
        stamp(layout, data, created=created, updated=updated)

    def _later_than(self, current: Item, layout: CollectionLayout) -> str:
        return later_than(current, layout, self._clock)

    def _new_id(self, collection: str) -> str:
        while True:
            candidate = base64.b32encode(self._random.randbytes(10)).decode().lower()
            if candidate not in self._items[collection]:
                return candidate

    def _next_version(self) -> int:
        self._version += 1
        return self._version

    def _ordered_collections(self) -> list[str]:
        return parents_first(self._layouts)


# -- rules every implementation shares -------------------------------------------------------------------------


def stamp(layout: CollectionLayout, data: dict[str, Any], *, created: Any, updated: Any) -> None:
    if layout.created_field and created is not None:
        data[layout.created_field] = created
    if layout.updated_field:
        data[layout.updated_field] = updated or data.get(layout.updated_field) or data.get(layout.created_field or "")


def later_than(current: Item, layout: CollectionLayout, clock: Clock) -> str:
    """Now, or one millisecond after the previous `updated` when the clock has not moved past it."""
    now = clock()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # compare at the precision we serve
    previous = current.data.get(layout.updated_field or "")
    if isinstance(previous, str):
        try:
            before = datetime.fromisoformat(previous.replace("Z", "+00:00"))
        except ValueError:
            before = None
        if before is not None and before.tzinfo is not None and now <= before:
            now = before + timedelta(milliseconds=1)
    return format_timestamp(now)


def parents_first(layouts: Mapping[str, CollectionLayout]) -> list[str]:
    ordered: list[str] = []
    pending = list(layouts)
    while pending:
        for name in list(pending):
            parent = layouts[name].parent
            if parent is None or parent in ordered:
                ordered.append(name)
                pending.remove(name)
    return ordered
