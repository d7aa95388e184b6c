"""The store contract. Every implementation runs this same suite through the `store` fixture."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone

import pytest

from mock_server.store import (
    CollectionLayout,
    Conflict,
    InMemoryStore,
    Locked,
    NotFound,
    SeedRecord,
    Store,
)

LAYOUTS = [
    CollectionLayout("customers", "customer_id", None, ("slug",), "created", "updated"),
    CollectionLayout("contacts", "contact_id", "customers", ("slug",), "created", "updated"),
]
StoreFactory = Callable[..., Store]
IMPLEMENTATIONS: dict[str, StoreFactory] = {"memory": InMemoryStore}


class FrozenClock:
    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def make_store(request: pytest.FixtureRequest) -> StoreFactory:
    factory = IMPLEMENTATIONS[request.param]

    def make(layouts: Iterable[CollectionLayout] = LAYOUTS, **kwargs: object) -> Store:
        return factory(layouts, **kwargs)

    return make


@pytest.fixture
def store(make_store: StoreFactory) -> Store:
    return make_store(seed=3)


def test_create_assigns_id_sequence_and_timestamps(store: Store) -> None:
    item = store.create("customers", {"label": "A", "slug": "a"})

    assert item.data["customer_id"] == item.id
    assert item.data["created"] == item.data["updated"]
    assert store.get("customers", item.id) == item


def test_unknown_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.get("customers", "nope")
    with pytest.raises(NotFound):
        store.replace("customers", "nope", {})
    with pytest.raises(NotFound):
        store.delete("customers", "nope")
    with pytest.raises(NotFound):
        store.create("contacts", {"slug": "x"}, parent_id="nope")


def test_unique_fields_conflict_within_their_parent_only(store: Store) -> None:
    first = store.create("customers", {"slug": "a"})
    second = store.create("customers", {"slug": "b"})
    with pytest.raises(Conflict):
        store.create("customers", {"slug": "a"})
    with pytest.raises(Conflict):
        store.replace("customers", second.id, {"slug": "a"})

    store.create("contacts", {"slug": "boss"}, parent_id=first.id)
    store.create("contacts", {"slug": "boss"}, parent_id=second.id)
    with pytest.raises(Conflict):
        store.create("contacts", {"slug": "boss"}, parent_id=first.id)


def test_a_freed_unique_value_can_be_taken_again(store: Store) -> None:
    item = store.create("customers", {"slug": "a"})
    store.replace("customers", item.id, {"slug": "b"})
    store.create("customers", {"slug": "a"})
    store.delete("customers", item.id)
    store.create("customers", {"slug": "b"})


def test_replace_keeps_id_and_created_and_moves_updated_forward(make_store: StoreFactory) -> None:
    clock = FrozenClock()
    store = make_store(clock=clock)
    item = store.create("customers", {"slug": "a", "label": "A", "extra": 1})

    replaced = store.replace("customers", item.id, {"slug": "a", "label": "B"})

    assert replaced.data == {
        "customer_id": item.id,
        "slug": "a",
        "label": "B",
        "created": item.data["created"],
        "updated": "2025-01-01T00:00:00.001Z",  # the clock stood still, `updated` still moved
    }
    clock.now += timedelta(hours=1)
    assert store.replace("customers", item.id, {"slug": "a"}).data["updated"] == "2025-01-01T01:00:00.000Z"


def test_locked_records_refuse_replace_and_delete(store: Store) -> None:
    store.load([SeedRecord("customers", {"customer_id": "c1", "slug": "c1"}, locked=True)])

    with pytest.raises(Locked):
        store.replace("customers", "c1", {"slug": "x"})
    with pytest.raises(Locked):
        store.delete("customers", "c1")
    assert store.get("customers", "c1").data["slug"] == "c1"


def test_delete_removes_the_children_too(store: Store) -> None:
    parent = store.create("customers", {"slug": "p"})
    child = store.create("contacts", {"slug": "c"}, parent_id=parent.id)

    store.delete("customers", parent.id)

    with pytest.raises(NotFound):
        store.get("contacts", child.id)
    with pytest.raises(NotFound):
        store.page("contacts", parent_id=parent.id, after_seq=0, limit=10)


def test_children_change_their_parents_version(store: Store) -> None:
    parent = store.create("customers", {"slug": "p"})
    store.create("contacts", {"slug": "c"}, parent_id=parent.id)

    assert store.get("customers", parent.id).version > parent.version
    assert store.count("contacts", parent_id=parent.id) == 1


def test_pages_are_keyset_slices_in_insertion_order(store: Store) -> None:
    ids = [store.create("customers", {"slug": f"s{n}"}).id for n in range(7)]

    first = store.page("customers", parent_id=None, after_seq=0, limit=3)
    second = store.page("customers", parent_id=None, after_seq=first.items[-1].seq, limit=3)
    store.delete("customers", second.items[0].id)  # deleting what was already seen moves nothing
    third = store.page("customers", parent_id=None, after_seq=second.items[-1].seq, limit=3)

    assert [item.id for item in first.items + second.items + third.items] == ids
    assert first.has_more and second.has_more and not third.has_more


def test_get_with_a_parent_checks_ownership(store: Store) -> None:
    one = store.create("customers", {"slug": "one"})
    two = store.create("customers", {"slug": "two"})
    contact = store.create("contacts", {"slug": "c"}, parent_id=one.id)

    assert store.get("contacts", contact.id, parent_id=one.id) == contact
    with pytest.raises(NotFound):
        store.get("contacts", contact.id, parent_id=two.id)


def test_load_keeps_ids_and_timestamps_and_dump_gives_them_back(store: Store) -> None:
    records = [
        SeedRecord("customers", {"customer_id": "c1", "slug": "a", "created": "2024-01-01T00:00:00.000Z"}),
        SeedRecord("contacts", {"contact_id": "k1", "slug": "k"}, parent_id="c1"),
        SeedRecord("customers", {"customer_id": "c2", "slug": "b"}, locked=True),
    ]

    store.load(records)
    dumped = store.dump()

    assert [
        (r.collection, r.data[LAYOUTS[0].id_field if r.collection == "customers" else "contact_id"]) for r in dumped
    ] == [
        ("customers", "c1"),
        ("customers", "c2"),
        ("contacts", "k1"),
    ]
    assert dumped[0].data["created"] == dumped[0].data["updated"] == "2024-01-01T00:00:00.000Z"
    assert dumped[1].locked and not dumped[0].locked
    assert dumped[2].parent_id == "c1"


def test_load_replaces_the_whole_state(store: Store) -> None:
    created = store.create("customers", {"slug": "x"})

    store.load([SeedRecord("customers", {"customer_id": "c1", "slug": "x"})])

    with pytest.raises(NotFound):
        store.get("customers", created.id)
    assert store.count("customers", parent_id=None) == 1


def test_load_refuses_duplicate_ids_and_unique_values(store: Store) -> None:
    with pytest.raises(Conflict):
        store.load([SeedRecord("customers", {"customer_id": "c1"}), SeedRecord("customers", {"customer_id": "c1"})])
    with pytest.raises(Conflict):
        store.load([SeedRecord("customers", {"slug": "a"}), SeedRecord("customers", {"slug": "a"})])


def test_concurrent_creates_never_duplicate_an_id_or_lose_a_record(store: Store) -> None:
    parent = store.create("customers", {"slug": "parent"})
    created: list[str] = []
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for k in range(50):
                created.append(store.create("contacts", {"slug": f"w{n}-{k}"}, parent_id=parent.id).id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert len(created) == len(set(created)) == 400
    assert store.count("contacts", parent_id=parent.id) == 400


def test_concurrent_creates_of_one_slug_admit_exactly_one(store: Store) -> None:
    outcomes: list[str] = []

    def worker() -> None:
        try:
            store.create("customers", {"slug": "same"})
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * 15 + ["created"]
