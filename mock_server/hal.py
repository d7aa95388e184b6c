"""Shape stored records into HAL JSON: `_links` with absolute hrefs, `_embedded` pages, embedded parents.

Everything that depends only on the spec is computed once per resource; a record is rendered once per version
(and base URL) and cached, so serving a page mostly joins cached bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from starlette.types import Scope

from mock_server.resources import Resource
from mock_server.store import Item, Store

RENDER_CACHE_SIZE = 20_000  # records per resource; bounds memory with 100,000 customers, covers any hot set
_HOST = re.compile(r"[A-Za-z0-9.\-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")
_B, _P = "\x01", "\x02"  # placeholders for the base URL and the item path inside a link template


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def base_url(scope: Scope) -> str:
    """`scheme://host[:port]` as the client sees it, honouring `X-Forwarded-Proto` / `X-Forwarded-Host`."""
    return base_urls(scope)[0]


# A memo of a pure function of the request headers (no state of any app), bounded below.
_BASES: dict[tuple[Any, ...], tuple[str, str]] = {}


def base_urls(scope: Scope) -> tuple[str, str]:
    """(base URL, the same escaped for a JSON string), memoised: clients send the same few hosts all day."""
    key = (scope.get("scheme"), scope.get("root_path"), *(value for name, value in scope["headers"] if name in _HOSTLY))
    known = _BASES.get(key)
    if known is None:
        base = _base_url(scope)
        known = (base, json.dumps(base, ensure_ascii=False)[1:-1])
        if len(_BASES) < 1024:  # a bound, so hostile Host headers cannot grow it without limit
            _BASES[key] = known
    return known


_HOSTLY = frozenset({b"host", b"x-forwarded-host", b"x-forwarded-proto"})


def _base_url(scope: Scope) -> str:
    proto = host = None
    for name, value in scope["headers"]:
        if name == b"host" and host is None:
            host = value
        elif name == b"x-forwarded-host":
            host = value.split(b",", 1)[0].strip()
        elif name == b"x-forwarded-proto":
            proto = value.split(b",", 1)[0].strip().lower()
    scheme = proto.decode("latin-1") if proto in (b"http", b"https") else scope.get("scheme", "http")
    authority = host.decode("latin-1") if host else ""
    if not _HOST.fullmatch(authority):
        server = scope.get("server") or ("127.0.0.1", 80)
        authority = f"{server[0]}:{server[1]}"
    return f"{scheme}://{authority}{scope.get('root_path', '')}"


def _json_string_body(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


class Representation:
    """How the items of one resource look on the wire."""

    def __init__(self, resource: Resource, store: Store) -> None:
        self.resource = resource
        self._store = store
        self._links_template = _links_template(resource)
        self._fields = _field_plan(resource, store)
        self._cache: dict[str, tuple[int, int, str, bytes]] = {}
        self._paths: dict[tuple[str, str | None], str] = {}
        self._embedded_parent = resource.parent.name if resource.parent and _embeds_parent(resource) else None

    def item_path_json(self, item: Item) -> str:
        """The item's path escaped for a JSON string; fixed for an id and parent, so computed once."""
        key = (item.id, item.parent_id)
        known = self._paths.get(key)
        if known is None:
            if len(self._paths) >= RENDER_CACHE_SIZE:
                del self._paths[next(iter(self._paths))]
            known = self._paths[key] = _json_string_body(self.item_path(item))
        return known

    def links(self, base: str, path: str) -> dict[str, Any]:
        """The `_links` of an item at `path` (already percent-encoded), as a stored item of this resource has."""
        rendered = self._links_template.format(b=_json_string_body(base), p=_json_string_body(path))
        links: dict[str, Any] = json.loads(rendered)
        return links

    def item_path(self, item: Item) -> str:
        path = self.resource.self_path_template.replace("{id}", quote(item.id, safe=""))
        resource, parent_id = self.resource.parent, item.parent_id
        while resource is not None and "{" in path and parent_id is not None:
            param = (resource.item_path or "").rsplit("/", 1)[-1]
            path = path.replace(param, quote(parent_id, safe=""))
            parent = self._store.get(resource.name, parent_id)
            resource, parent_id = resource.parent, parent.parent_id
        return path

    def render(self, item: Item, base_json: str) -> bytes:
        """The item as JSON bytes; `base_json` is the base URL already escaped for a JSON string.

        Cached whole per record version, parent version and base URL: a hit is one dict lookup.
        """
        parent_version = self._parent_version(item)
        cached = self._cache.get(item.id)
        if cached is not None and cached[0] == item.version and cached[1] == parent_version and cached[2] == base_json:
            return cached[3]
        links = self._links_template.format(b=base_json, p=self.item_path_json(item))
        members = dumps(self.members(item))
        rendered = b'{"_links":' + links.encode() + (b"}" if members == b"{}" else b"," + members[1:])
        if cached is None and len(self._cache) >= RENDER_CACHE_SIZE:
            del self._cache[next(iter(self._cache))]  # the oldest entry: dicts keep insertion order
        self._cache[item.id] = (item.version, parent_version, base_json, rendered)
        return rendered

    def members(self, item: Item) -> dict[str, Any]:
        return {
            name: value for name, value in ((name, plan(item)) for name, plan in self._fields) if value is not _SKIP
        }

    def _parent_version(self, item: Item) -> int:
        # An embedded parent is part of this record's rendering, so its version is part of the cache key.
        if self._embedded_parent is None or item.parent_id is None:
            return 0
        return self._store.get(self._embedded_parent, item.parent_id).version


_SKIP = object()
FieldPlan = Callable[[Item], Any]


def _field_plan(resource: Resource, store: Store) -> list[tuple[str, FieldPlan]]:
    """One small function per member of the item schema, decided once from the spec."""
    properties: Mapping[str, Any] = resource.item_schema.get("properties") or {}
    plan: list[tuple[str, FieldPlan]] = []
    for name, schema in properties.items():
        if name == "_links":
            continue
        plan.append((name, _member_plan(resource, name, schema or {}, store)))
    return plan


def _member_plan(resource: Resource, name: str, schema: Mapping[str, Any], store: Store) -> FieldPlan:
    parent = resource.parent
    if parent is not None and name == parent.singular and schema.get("type") == "object":
        return _embedded_parent_plan(resource, schema, store)
    return _stored_member_plan(resource, name, schema, store)


def _stored_member_plan(resource: Resource, name: str, schema: Mapping[str, Any], store: Store) -> FieldPlan:
    children = {child.name for child in resource.children}
    enum = schema.get("enum")

    if name.startswith("total_"):
        counted = name.removeprefix("total_")
        # Totals are derived, never stored: the number of child records now (0 for what the mock does not hold).
        return _count_plan(store, counted) if counted in children else (lambda item: item.data.get(name, 0))
    if isinstance(enum, list) and len(enum) == 1:
        return lambda item: item.data.get(name, enum[0])
    if name.endswith("_id") and schema.get("readOnly") and name != resource.id_property:
        # Another read-only identifier of the same record (the seed's `entity_id`): it is the record's id.
        return lambda item: item.data.get(name, item.id)
    return lambda item: item.data.get(name, _SKIP)


def _count_plan(store: Store, child_name: str) -> FieldPlan:
    def count(item: Item) -> Any:
        return store.count(child_name, parent_id=item.id)

    return count


def _embedded_parent_plan(resource: Resource, schema: Mapping[str, Any], store: Store) -> FieldPlan:
    parent = resource.parent
    assert parent is not None
    projected = replace(parent, item_schema=dict(schema))
    fields = _field_plan(projected, store)

    def embed(item: Item) -> Any:
        if item.parent_id is None:
            return _SKIP
        owner = store.get(parent.name, item.parent_id)
        return {key: value for key, value in ((key, plan(owner)) for key, plan in fields) if value is not _SKIP}

    return embed


def _embeds_parent(resource: Resource) -> bool:
    parent = resource.parent
    return parent is not None and parent.singular in (resource.item_schema.get("properties") or {})


def _links_template(resource: Resource) -> str:
    """A `str.format` template of the item's `_links` object, with `{b}` (base URL) and `{p}` (item path)."""
    declared = ((resource.item_schema.get("properties") or {}).get("_links") or {}).get("properties") or {}
    prefix = f"nter:{resource.singular}-"
    links: dict[str, dict[str, str]] = {"self": {"href": _B + _P}}
    for rel in declared:
        if rel.startswith(prefix):
            # `nter:customer-programs` → `{self}/programs`: the seed's naming for a customer's sub-collections.
            links[rel] = {"href": _B + _P + "/" + rel.removeprefix(prefix)}
    template = json.dumps(links, ensure_ascii=False, separators=(",", ":"))
    template = template.replace("{", "{{").replace("}", "}}")
    return template.replace("\\u0001", "{b}").replace("\\u0002", "{p}")
