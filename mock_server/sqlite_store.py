"""The `Store` on a SQLite file: the state survives restarts and crashes, and processes can share it.

Every write is one `BEGIN IMMEDIATE` transaction committed before the method returns, so a write the mock
answered survives a `kill -9`, and two processes on one file serialize their writes instead of losing one.
Nothing is cached in the process: every read asks the file, so another process's writes are seen at once.
Sequence and version numbers live in the file too, so cursors and render caches stay valid across processes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mock_server.store import (
    BeforeCommit,
    Clock,
    CollectionLayout,
    Conflict,
    Item,
    Locked,
    NotFound,
    SeedRecord,
    Slice,
    Store,
    encode_data,
    format_timestamp,
    later_than,
    parents_first,
    stamp,
    utc_now,
)

BUSY_TIMEOUT_SECONDS = 30.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: never reused, even after deletes
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    parent_id TEXT,
    version INTEGER NOT NULL,
    locked INTEGER NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (collection, id)
);
CREATE INDEX IF NOT EXISTS items_by_scope ON items (collection, parent_id, seq);
CREATE TABLE IF NOT EXISTS unique_values (
    collection TEXT NOT NULL,
    scope TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (collection, scope, field, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO counters VALUES ('version', 0), ('initialized', 0), ('generation', 0);
"""


class StoreFileError(Exception):
    """The file cannot be opened as a mock store."""


class SqliteStore(Store):
    def __init__(
        self, layouts: Iterable[CollectionLayout], path: str | Path, *, seed: int | None = None, clock: Clock = utc_now
    ) -> None:
        self._layouts = {layout.name: layout for layout in layouts}
        self._children = {
            name: tuple(child.name for child in self._layouts.values() if child.parent == name)
            for name in self._layouts
        }
        self._seed = seed if seed is not None else random.SystemRandom().getrandbits(64)
        self._clock = clock
        self._lock = threading.RLock()  # one connection, shared by the threads of this process
        folder = Path(path).parent
        if not folder.is_dir():
            # Never created on the fly: a typo in the path would otherwise scatter folders (even at `/`).
            raise StoreFileError(
                f"cannot use {str(path)!r} as a SQLite store: the folder {str(folder)!r} does not exist"
            )
        try:
            self._db = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed transaction survives the process dying (not a power cut).
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
        except (sqlite3.Error, OSError) as error:
            raise StoreFileError(f"cannot use {str(path)!r} as a SQLite store: {error}") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- reads -------------------------------------------------------------------------------------------------

    def get(self, collection: str, item_id: str, *, parent_id: str | None = None) -> Item:
        with self._lock:
            row = self._db.execute(
                "SELECT seq, parent_id, version, locked, data FROM items WHERE collection = ? AND id = ?",
                (collection, item_id),
            ).fetchone()
        if row is None or (parent_id is not None and row[1] != parent_id):
            raise NotFound(collection, item_id)
        return _item(collection, item_id, row)

    def page(self, collection: str, *, parent_id: str | None, after_seq: int, limit: int) -> Slice:
        with self._transaction("DEFERRED"):  # one snapshot for the parent check and the slice
            self._require_parent(collection, parent_id)
            rows = self._db.execute(
                "SELECT seq, parent_id, version, locked, data, id FROM items"
                " WHERE collection = ? AND parent_id IS ? AND seq > ? ORDER BY seq LIMIT ?",
                (collection, parent_id, after_seq, limit + 1),
            ).fetchall()
        items = [_item(collection, row[5], row) for row in rows[:limit]]
        return Slice(items=items, has_more=len(rows) > limit)

    def count(self, collection: str, *, parent_id: str | None) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM items WHERE collection = ? AND parent_id IS ?", (collection, parent_id)
            ).fetchone()
        return int(row[0])

    def generation(self) -> int:
        with self._lock:
            return self._counter("generation")

    def dump(self) -> list[SeedRecord]:
        records: list[SeedRecord] = []
        with self._transaction("DEFERRED"):
            for name in parents_first(self._layouts):
                rows = self._db.execute(
                    "SELECT data, parent_id, locked FROM items WHERE collection = ? ORDER BY seq", (name,)
                ).fetchall()
                records.extend(SeedRecord(name, json.loads(data), parent, bool(lock)) for data, parent, lock in rows)
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
        with self._transaction():
            layout = self._layouts[collection]
            self._require_parent(collection, parent_id)
            self._require_unique(layout, parent_id, fields, exclude=None)
            item_id = self._new_id(collection)
            now = format_timestamp(self._clock())
            data = {layout.id_field: item_id, **fields}
            stamp(layout, data, created=now, updated=now)
            item = self._insert(layout, item_id, data, parent_id, locked=False)
            if before_commit is not None:
                before_commit(item)  # inside the transaction: raising rolls the insert back
            return item

    def replace(
        self,
        collection: str,
        item_id: str,
        fields: Mapping[str, Any],
        *,
        before_commit: BeforeCommit | None = None,
    ) -> Item:
        with self._transaction():
            layout = self._layouts[collection]
            current = self.get(collection, item_id)
            if current.locked:
                raise Locked(collection, item_id)
            self._require_unique(layout, current.parent_id, fields, exclude=item_id)
            data = {layout.id_field: item_id, **fields}
            created = current.data.get(layout.created_field) if layout.created_field else None
            stamp(layout, data, created=created, updated=later_than(current, layout, self._clock))
            self._unindex(layout, current.parent_id, current.data)
            version = self._next_version()
            self._db.execute(
                "UPDATE items SET data = ?, version = ? WHERE collection = ? AND id = ?",
                (encode_data(data), version, collection, item_id),
            )
            self._index(layout, item_id, current.parent_id, data)
            item = Item(collection, item_id, current.parent_id, current.seq, version, current.locked, data)
            if before_commit is not None:
                before_commit(item)  # inside the transaction: raising rolls the update back
            return item

    def delete(self, collection: str, item_id: str) -> None:
        with self._transaction():
            current = self.get(collection, item_id)
            if current.locked:
                raise Locked(collection, item_id)
            self._remove(current.collection, current.id, current.parent_id, current.data)
            self._touch_parent(collection, current.parent_id)

    def load(self, records: Iterable[SeedRecord]) -> None:
        with self._transaction():
            self._replace_all(records)

    def initialize(self, records: Iterable[SeedRecord]) -> None:
        """Load the records into a new file; a file that already holds a state keeps it (and its changes)."""
        with self._transaction():
            if self._counter("initialized"):
                return
            self._replace_all(records)
            self._db.execute("UPDATE counters SET value = 1 WHERE name = 'initialized'")

    # -- internals (call inside a transaction) -----------------------------------------------------------------

    @contextmanager
    def _transaction(self, mode: str = "IMMEDIATE") -> Iterator[None]:
        """IMMEDIATE takes the file's write lock up front, so check-then-write cannot interleave across processes."""
        with self._lock:
            if self._db.in_transaction:  # nested call from within this store: the outer transaction covers it
                yield
                return
            self._db.execute(f"BEGIN {mode}")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _replace_all(self, records: Iterable[SeedRecord]) -> None:
        # In the file, so cursors issued before a reset or load are refused by every process, even after restarts.
        self._db.execute("UPDATE counters SET value = value + 1 WHERE name = 'generation'")
        self._db.execute("DELETE FROM items")
        self._db.execute("DELETE FROM unique_values")
        for record in records:
            layout = self._layouts[record.collection]
            self._require_parent(record.collection, record.parent_id)
            data = dict(record.data)
            item_id = str(data.get(layout.id_field) or self._new_id(record.collection))
            if self._exists(record.collection, item_id):
                raise Conflict(record.collection, item_id)
            self._require_unique(layout, record.parent_id, data, exclude=None)
            data[layout.id_field] = item_id
            now = format_timestamp(self._clock())
            stamp(layout, data, created=data.get(layout.created_field or "") or now, updated=None)
            self._insert(layout, item_id, data, record.parent_id, locked=record.locked)

    def _insert(
        self, layout: CollectionLayout, item_id: str, data: dict[str, Any], parent_id: str | None, *, locked: bool
    ) -> Item:
        version = self._next_version()
        cursor = self._db.execute(
            "INSERT INTO items (collection, id, parent_id, version, locked, data) VALUES (?, ?, ?, ?, ?, ?)",
            (layout.name, item_id, parent_id, version, int(locked), encode_data(data)),
        )
        self._index(layout, item_id, parent_id, data)
        self._touch_parent(layout.name, parent_id)
        assert cursor.lastrowid is not None
        return Item(layout.name, item_id, parent_id, cursor.lastrowid, version, locked, data)

    def _remove(self, collection: str, item_id: str, parent_id: str | None, data: Mapping[str, Any]) -> None:
        for child_collection in self._children[collection]:
            children = self._db.execute(
                "SELECT id, data FROM items WHERE collection = ? AND parent_id = ?", (child_collection, item_id)
            ).fetchall()
            for child_id, child_data in children:
                self._remove(child_collection, child_id, item_id, json.loads(child_data))
        self._db.execute("DELETE FROM items WHERE collection = ? AND id = ?", (collection, item_id))
        self._unindex(self._layouts[collection], parent_id, data)

    def _touch_parent(self, collection: str, parent_id: str | None) -> None:
        # A parent's representation counts its children (`total_programs`), so its version moves too.
        parent_collection = self._layouts[collection].parent
        if parent_collection is not None and parent_id is not None:
            self._db.execute(
                "UPDATE items SET version = ? WHERE collection = ? AND id = ?",
                (self._next_version(), parent_collection, parent_id),
            )

    def _require_parent(self, collection: str, parent_id: str | None) -> None:
        parent_collection = self._layouts[collection].parent
        if parent_collection is not None and (parent_id is None or not self._exists(parent_collection, parent_id)):
            raise NotFound(parent_collection, str(parent_id))

    def _exists(self, collection: str, item_id: str) -> bool:
        query = "SELECT 1 FROM items WHERE collection = ? AND id = ?"
        return self._db.execute(query, (collection, item_id)).fetchone() is not None

    def _require_unique(
        self, layout: CollectionLayout, parent_id: str | None, fields: Mapping[str, Any], *, exclude: str | None
    ) -> None:
        for name in layout.unique_fields:
            if name in fields:
                row = self._db.execute(
                    "SELECT id FROM unique_values WHERE collection = ? AND scope = ? AND field = ? AND value = ?",
                    (layout.name, _dumps(parent_id), name, _dumps(fields[name])),
                ).fetchone()
                if row is not None and row[0] != exclude:
                    raise Conflict(layout.name, f"{name}={fields[name]}")

    def _index(self, layout: CollectionLayout, item_id: str, parent_id: str | None, data: Mapping[str, Any]) -> None:
        for name in layout.unique_fields:
            if name in data:
                self._db.execute(
                    "INSERT OR REPLACE INTO unique_values VALUES (?, ?, ?, ?, ?)",
                    (layout.name, _dumps(parent_id), name, _dumps(data[name]), item_id),
                )

    def _unindex(self, layout: CollectionLayout, parent_id: str | None, data: Mapping[str, Any]) -> None:
        for name in layout.unique_fields:
            if name in data:
                self._db.execute(
                    "DELETE FROM unique_values WHERE collection = ? AND scope = ? AND field = ? AND value = ?",
                    (layout.name, _dumps(parent_id), name, _dumps(data[name])),
                )

    def _new_id(self, collection: str) -> str:
        """Derived from the seed and the next sequence number: reproducible, and distinct across processes."""
        row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'items'").fetchone()
        next_seq = (row[0] if row else 0) + 1
        attempt = 0
        while True:
            digest = hashlib.blake2b(f"{self._seed}:{collection}:{next_seq}:{attempt}".encode(), digest_size=10)
            candidate = base64.b32encode(digest.digest()).decode().lower()
            if not self._exists(collection, candidate):
                return candidate
            attempt += 1

    def _next_version(self) -> int:
        query = "UPDATE counters SET value = value + 1 WHERE name = 'version' RETURNING value"
        row = self._db.execute(query).fetchone()
        return int(row[0])

    def _counter(self, name: str) -> int:
        row = self._db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0


def _item(collection: str, item_id: str, row: tuple[Any, ...]) -> Item:
    seq, parent_id, version, locked, data = row[:5]
    return Item(collection, item_id, parent_id, seq, version, bool(locked), json.loads(data))


def _dumps(value: Any) -> str:
    """A canonical key for the unique-value index (the stored records keep their members' order)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
