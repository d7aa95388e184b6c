"""Which collections the spec describes, read from path shapes and schemas alone.

A *collection* path ends in a literal segment (`/customers`, `/customers/{customer_id}/contacts`) and its GET
answers a page: an object whose `_embedded` holds one array (`nter:customers`) of item schemas. The item path is
the collection path plus one parameter. The item's id member is its required, readOnly `*_id` property.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mock_server.spec import ApiSpec, Operation, SpecError

_PARAM = re.compile(r"^\{([^}]+)\}$")


@dataclass(eq=False, slots=True)
class Resource:
    name: str  # last literal segment of the collection path, e.g. "contacts"
    collection_path: str
    item_schema: dict[str, Any]
    page_schema: dict[str, Any]
    id_property: str  # e.g. "contact_id"
    embedded_key: str  # e.g. "nter:contacts"
    parent: Resource | None
    item_path: str | None = None  # e.g. "/customers/{customer_id}" when the spec has item operations
    self_path_template: str = ""  # path of an item's self link, with "{id}" for the id
    children: list[Resource] = field(default_factory=list)

    @property
    def singular(self) -> str:
        return self.id_property.removesuffix("_id")

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


@dataclass(frozen=True, slots=True)
class ResourceModel:
    resources: tuple[Resource, ...]
    by_collection_path: Mapping[str, Resource]
    by_item_path: Mapping[str, Resource]

    def named(self, name: str) -> Resource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(name)

    @property
    def roots(self) -> tuple[Resource, ...]:
        return tuple(resource for resource in self.resources if resource.parent is None)


def build_resource_model(spec: ApiSpec) -> ResourceModel:
    lists = sorted(
        (op for op in spec.operations if op.method == "GET" and _page_parts(op) is not None),
        key=lambda op: op.path.count("/"),
    )
    by_collection: dict[str, Resource] = {}
    by_item: dict[str, Resource] = {}
    for operation in lists:
        page_schema, embedded_key, item_schema = _page_parts(operation)  # type: ignore[misc]
        segments = operation.path.strip("/").split("/")
        if _PARAM.match(segments[-1]):
            continue  # a page under a parameter is not a collection shape we know how to store
        parent = _parent_of(segments, by_item)
        if len(segments) > 1 and parent is None:
            continue
        resource = Resource(
            name=segments[-1],
            collection_path=operation.path,
            item_schema=item_schema,
            page_schema=page_schema,
            id_property=_id_property(item_schema, operation),
            embedded_key=embedded_key,
            parent=parent,
        )
        item_path = _item_path(spec, operation.path)
        if item_path is not None:
            resource.item_path = item_path
            by_item[item_path] = resource
        resource.self_path_template = _self_path_template(resource, spec.server_url)
        if parent is not None:
            parent.children.append(resource)
        by_collection[operation.path] = resource
    return ResourceModel(
        resources=tuple(by_collection.values()), by_collection_path=by_collection, by_item_path=by_item
    )


def _page_parts(operation: Operation) -> tuple[dict[str, Any], str, dict[str, Any]] | None:
    """(page schema, embedded key, item schema) when the operation's success body is a HAL page."""
    success = operation.success
    schema = success.schema if success else None
    if not schema:
        return None
    embedded = ((schema.get("properties") or {}).get("_embedded") or {}).get("properties") or {}
    arrays = [(key, sub) for key, sub in embedded.items() if (sub or {}).get("type") == "array"]
    if len(arrays) != 1 or not isinstance(arrays[0][1].get("items"), dict):
        return None
    return schema, arrays[0][0], arrays[0][1]["items"]


def _id_property(item_schema: Mapping[str, Any], operation: Operation) -> str:
    properties = item_schema.get("properties") or {}
    candidates = [
        name
        for name in item_schema.get("required") or []
        if name.endswith("_id") and (properties.get(name) or {}).get("readOnly")
    ]
    if len(candidates) != 1:
        raise SpecError(
            f"the items of {operation.method} {operation.path} need exactly one required readOnly `*_id` "
            f"property to serve as their id, found {candidates or 'none'}"
        )
    return candidates[0]


def _parent_of(segments: list[str], by_item: Mapping[str, Resource]) -> Resource | None:
    if len(segments) < 3:
        return None
    return by_item.get("/" + "/".join(segments[:-1]))


def _item_path(spec: ApiSpec, collection_path: str) -> str | None:
    depth = collection_path.count("/") + 1
    for operation in spec.operations:
        path = operation.path
        if path.startswith(collection_path + "/") and path.count("/") == depth and _PARAM.match(path.rsplit("/", 1)[1]):
            return path
    return None


def _self_path_template(resource: Resource, server_url: str) -> str:
    """Where an item's `self` points: its item operation, else the page example's href plus the id."""
    if resource.item_path is not None:
        return re.sub(r"\{[^}]+\}$", "{id}", resource.item_path)
    example = (((resource.page_schema.get("properties") or {}).get("_links") or {}).get("properties") or {}).get("self")
    href = ((example or {}).get("example") or {}).get("href")
    if isinstance(href, str):
        path = urlsplit(href).path or "/"
        server_path = urlsplit(server_url).path.rstrip("/")
        if server_path and path.startswith(server_path):
            path = path[len(server_path) :]
        return path.rstrip("/") + "/{id}"
    return resource.collection_path + "/{id}"
