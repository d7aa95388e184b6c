"""One handler per operation of the spec: validate → act on the store → shape the answer.

CRUD attaches by path shape (collection GET/POST, item GET/PUT/DELETE); any other operation answers its first
documented 2xx with generated, schema-valid data. Handlers raise; `app` renders problems.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import quote

from starlette.types import Scope

from mock_server.dataset import derived_fields
from mock_server.fake import generate
from mock_server.hal import Representation, base_urls, dumps
from mock_server.pagination import InvalidCursor, decode_cursor, encode_cursor
from mock_server.problems import ProblemError, Violation
from mock_server.resources import Resource, ResourceModel
from mock_server.spec import Operation
from mock_server.store import Item, Store
from mock_server.validation import RequestValidator, ValidRequest

DEFAULT_PAGE_SIZE = 10


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes = b""
    media_type: str | None = "application/json"
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


Action = Callable[[ValidRequest, Scope], Answer]
# The success answer made up instead of read from the store (`Prefer: dynamic=true`, a forced 2xx), shaped the
# way a stored answer is: links on the mock's own base URL, pages holding their items in `_embedded`.
Invention = Callable[[random.Random, ValidRequest, Scope], Any]


@dataclass(slots=True)
class OperationHandler:
    operation: Operation
    validator: RequestValidator
    action: Action
    kind: str  # "list" | "create" | "fetch" | "replace" | "delete" | "generated", for logs and tests
    invent: Invention | None = None  # None: the success schema alone says what to generate


def build_handlers(
    operations: tuple[Operation, ...], model: ResourceModel, store: Store, seed: int | None
) -> list[OperationHandler]:
    representations = {resource.name: Representation(resource, store) for resource in model.resources}
    counter = count()
    handlers = []
    for operation in operations:
        crud = _crud_action(operation, model, store, representations)
        if crud is None:
            handler = OperationHandler(
                operation, RequestValidator(operation), _generated_action(operation, seed, counter), "generated"
            )
        else:
            kind, action = crud
            invent = _invention(kind, operation, model, representations)
            handler = OperationHandler(operation, RequestValidator(operation), action, kind, invent)
        handlers.append(handler)
    return handlers


def _crud_action(
    operation: Operation, model: ResourceModel, store: Store, representations: dict[str, Representation]
) -> tuple[str, Action] | None:
    success = operation.success
    if success is None:
        return None
    collection = model.by_collection_path.get(operation.path)
    if collection is not None:
        representation = representations[collection.name]
        if operation.method == "GET":
            return "list", _list_action(collection, representation, store, operation)
        if operation.method == "POST" and _answers_item(success.schema, collection):
            return "create", _create_action(collection, representation, store, success.status)
    item = model.by_item_path.get(operation.path)
    if item is not None:
        representation = representations[item.name]
        if operation.method == "GET" and _answers_item(success.schema, item):
            return "fetch", _fetch_action(item, representation, store, success.status)
        if operation.method == "PUT" and _answers_item(success.schema, item):
            return "replace", _replace_action(item, representation, store, success.status)
        if operation.method == "DELETE":
            return "delete", _delete_action(item, store, success.status)
    return None


def _answers_item(schema: dict[str, Any] | None, resource: Resource) -> bool:
    return bool(schema) and resource.id_property in ((schema or {}).get("properties") or {})


def _parent_id(resource: Resource, valid: ValidRequest) -> str | None:
    if resource.parent is None or resource.parent.item_path is None:
        return None
    name = resource.parent.item_path.rsplit("/", 1)[1][1:-1]
    return str(valid.path[name])


def _item_id(resource: Resource, valid: ValidRequest) -> str:
    assert resource.item_path is not None
    return str(valid.path[resource.item_path.rsplit("/", 1)[1][1:-1]])


def _json_base(scope: Scope) -> tuple[str, str]:
    return base_urls(scope)


def _list_action(resource: Resource, representation: Representation, store: Store, operation: Operation) -> Action:
    limit_param = next((param for param in operation.params_in("query") if param.name == "limit"), None)
    default_limit = int((limit_param.schema.get("default") if limit_param else None) or DEFAULT_PAGE_SIZE)
    embedded_key = dumps(resource.embedded_key)

    def list_page(valid: ValidRequest, scope: Scope) -> Answer:
        parent_id = _parent_id(resource, valid)
        path = _concrete_path(resource.collection_path, valid.path)
        limit = int(valid.query.get("limit", default_limit))
        cursor = valid.query.get("offset")
        # Bound to the state's generation: after a reset or load, an old position would silently restart the walk.
        cursor_scope = f"{store.generation()}:{path}"
        after = 0
        if cursor is not None:
            try:
                after = decode_cursor(str(cursor), cursor_scope)
            except InvalidCursor as exc:
                raise ProblemError(400, [Violation("query", "/offset", str(exc))]) from None
        page = store.page(resource.name, parent_id=parent_id, after_seq=after, limit=limit)
        _, base_json = _json_base(scope)
        items = b",".join([representation.render(item, base_json) for item in page.items])
        # Paths and cursors are percent-encoded ASCII, so only the base URL needs JSON escaping.
        self_query = "&".join(
            f"{name}={quote(str(valid.query[name]), safe='')}"
            for name in ("limit", "offset")
            if name in valid.query and _given(scope, name)
        )
        links = f'{{"self":{{"href":"{base_json}{path}{"?" + self_query if self_query else ""}"}}'
        if page.has_more:
            next_cursor = encode_cursor(page.items[-1].seq, cursor_scope)
            links += f',"next":{{"href":"{base_json}{path}?limit={limit}&offset={next_cursor}"}}'
        body = b'{"_embedded":{' + embedded_key + b":[" + items + b']},"_links":' + links.encode() + b"}}"
        return Answer(200, body)

    return list_page


def _given(scope: Scope, name: str) -> bool:
    query: bytes = scope.get("query_string", b"")
    encoded = name.encode()
    return query.startswith(encoded + b"=") or b"&" + encoded + b"=" in query


def _create_action(resource: Resource, representation: Representation, store: Store, status: int) -> Action:
    def create(valid: ValidRequest, scope: Scope) -> Answer:
        fields = derived_fields(resource, valid.body or {})
        rendered = _Rendered(representation, _json_base(scope)[1])
        store.create(resource.name, fields, parent_id=_parent_id(resource, valid), before_commit=rendered)
        return Answer(status, rendered.body)

    return create


def _fetch_action(resource: Resource, representation: Representation, store: Store, status: int) -> Action:
    def fetch(valid: ValidRequest, scope: Scope) -> Answer:
        item = store.get(resource.name, _item_id(resource, valid), parent_id=_parent_id(resource, valid))
        return Answer(status, representation.render(item, _json_base(scope)[1]))

    return fetch


def _replace_action(resource: Resource, representation: Representation, store: Store, status: int) -> Action:
    def replace(valid: ValidRequest, scope: Scope) -> Answer:
        item_id = _item_id(resource, valid)
        store.get(resource.name, item_id, parent_id=_parent_id(resource, valid))
        rendered = _Rendered(representation, _json_base(scope)[1])
        store.replace(resource.name, item_id, derived_fields(resource, valid.body or {}), before_commit=rendered)
        return Answer(status, rendered.body)

    return replace


class _Rendered:
    """Renders the written record before the store commits it: an answer that cannot be made undoes the write."""

    def __init__(self, representation: Representation, base_json: str) -> None:
        self._representation = representation
        self._base_json = base_json
        self.body = b""

    def __call__(self, item: Item) -> None:
        self.body = self._representation.render(item, self._base_json)


def _delete_action(resource: Resource, store: Store, status: int) -> Action:
    def delete(valid: ValidRequest, scope: Scope) -> Answer:
        item_id = _item_id(resource, valid)
        store.get(resource.name, item_id, parent_id=_parent_id(resource, valid))
        store.delete(resource.name, item_id)
        return Answer(status, b"", media_type=None)

    return delete


def _generated_action(operation: Operation, seed: int | None, counter: Any) -> Action:
    success = operation.success

    def generated(valid: ValidRequest, scope: Scope) -> Answer:
        if success is None:
            raise ProblemError(501, detail=f"{operation.operation_id} documents no 2xx answer to give")
        if success.schema is None:
            return Answer(success.status, b"", media_type=None)
        # Deterministic per seed: the n-th call of an operation always gets the same data.
        rng = random.Random(f"{seed}:{operation.operation_id}:{next(counter)}")
        return Answer(success.status, dumps(generate(success.schema, rng)), media_type=success.media_type)

    return generated


def _invention(
    kind: str, operation: Operation, model: ResourceModel, representations: dict[str, Representation]
) -> Invention | None:
    """For the CRUD answers whose shape the resource model knows: invented items and pages, linked like real ones."""
    if kind == "list":
        resource = model.by_collection_path[operation.path]
        return _invented_page(resource, representations[resource.name], operation)
    if kind in ("create", "fetch", "replace"):
        resource = model.by_collection_path.get(operation.path) or model.by_item_path[operation.path]
        keeps_id = kind != "create"  # an answer about /customers/abc is about abc
        representation = representations[resource.name]
        return lambda rng, valid, scope: _invented_item(
            resource, representation, rng, valid, scope, _item_id(resource, valid) if keeps_id else None
        )
    return None


def _invented_item(
    resource: Resource,
    representation: Representation,
    rng: random.Random,
    valid: ValidRequest,
    scope: Scope,
    item_id: str | None,
) -> dict[str, Any]:
    data = generate(resource.item_schema, rng)
    if item_id is not None:
        data[resource.id_property] = item_id
    path = _concrete_path(resource.self_path_template.replace("{id}", quote(str(data[resource.id_property]), safe="")),
                          valid.path)  # fmt: skip
    base, _ = base_urls(scope)
    members = {name: value for name, value in data.items() if name != "_links"}
    return {"_links": representation.links(base, path), **members}


def _invented_page(resource: Resource, representation: Representation, operation: Operation) -> Invention:
    limit_param = next((param for param in operation.params_in("query") if param.name == "limit"), None)
    default_limit = int((limit_param.schema.get("default") if limit_param else None) or DEFAULT_PAGE_SIZE)

    def invent(rng: random.Random, valid: ValidRequest, scope: Scope) -> dict[str, Any]:
        # A whole page and the last one: an invented page has no `next`, since nothing stored could follow it.
        items = [
            _invented_item(resource, representation, rng, valid, scope, None)
            for _ in range(int(valid.query.get("limit", default_limit)))
        ]
        base, _ = base_urls(scope)
        query = scope.get("query_string", b"").decode("latin-1")
        path = _concrete_path(resource.collection_path, valid.path)
        self_href = f"{base}{path}{'?' + query if query else ''}"
        return {"_embedded": {resource.embedded_key: items}, "_links": {"self": {"href": self_href}}}

    return invent


def _concrete_path(template: str, params: dict[str, Any]) -> str:
    for name, value in params.items():
        template = template.replace("{" + name + "}", quote(str(value), safe=""))
    return template
