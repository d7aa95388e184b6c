"""Wiring: spec → resources → store → handlers → one ASGI app inside Starlette's error handling.

A request flows route → auth (when simulated) → `Prefer` → validate → store or forced answer → shape →
problem, then waits out the simulated latency. Optional features add nothing to a request when they are off.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mock_server.access_log import AccessLog, note_rejection
from mock_server.auth import AuthPolicy
from mock_server.control import CONTROL_METHODS, ControlPlane
from mock_server.cors import Cors
from mock_server.dataset import (
    Dataset,
    DatasetError,
    Origin,
    dataset_from_document,
    document_from_records,
    generate_dataset,
    load_fixtures,
)
from mock_server.forced import ForcedAnswers, refused
from mock_server.hal import Representation
from mock_server.latency import Latency, parse_latency
from mock_server.operations import Answer, OperationHandler, build_handlers
from mock_server.prefer import NO_PREFERENCES, InvalidPreference, Preferences, parse_prefer
from mock_server.problems import PROBLEM_MEDIA_TYPE, ProblemCatalog, ProblemError
from mock_server.resources import ResourceModel, build_resource_model
from mock_server.routing import PathRouter
from mock_server.schemas import compile_validator, json_pointer, short_message
from mock_server.settings import MEMORY_STORE, Settings
from mock_server.spec import ApiSpec, load_spec
from mock_server.store import CollectionLayout, Conflict, InMemoryStore, Locked, NotFound, Store, StoreError
from mock_server.validation import read_body

_STORE_ERRORS = {NotFound: 404, Conflict: 409, Locked: 423}
PREFERENCE_APPLIED = b"preference-applied"  # RFC 7240 §3: only on answers that honoured the preferences


def create_app(settings: Settings | None = None, **overrides: Any) -> Starlette:
    """The mock as an ASGI app. Raises `SpecError` / `DatasetError` when the spec or fixtures are unusable."""
    settings = replace(settings or Settings(), **overrides)
    mock = MockApp.from_settings(settings)
    middleware = []
    if settings.access_log:
        middleware.append(Middleware(AccessLog))
    if settings.cors:
        # Only what some route accepts (the API's and the controls'): a preflight never promises a 405.
        methods = {operation.method for operation in mock.spec.operations} | set(CONTROL_METHODS)
        middleware.append(Middleware(Cors, credentialed_origins=settings.cors_origins, methods=methods))
    app = Starlette(middleware=middleware, exception_handlers={Exception: mock.server_error})
    # The whole API is routed by MockApp from the spec; Starlette contributes its error handling only.
    app.router.redirect_slashes = False
    app.router.default = ControlPlane(mock)
    app.state.settings = settings
    app.state.mock = mock
    app.state.store = mock.store
    return app


def store_layouts(model: ResourceModel) -> list[CollectionLayout]:
    layouts = []
    for resource in model.resources:
        properties = resource.item_schema.get("properties") or {}
        layouts.append(
            CollectionLayout(
                name=resource.name,
                id_field=resource.id_property,
                parent=resource.parent.name if resource.parent else None,
                unique_fields=("slug",) if "slug" in properties else (),
                created_field="created" if "created" in properties else None,
                updated_field="updated" if "updated" in properties else None,
            )
        )
    return layouts


class MockApp:
    def __init__(
        self,
        spec: ApiSpec,
        model: ResourceModel,
        store: Store,
        handlers: list[OperationHandler],
        initial: Callable[[], Dataset],
        *,
        seed: int | None = 0,
        auth: AuthPolicy | None = None,
        latency: Latency | None = None,
    ) -> None:
        self.spec = spec
        self._initial = initial
        self.model = model
        self.store = store
        self.problems = ProblemCatalog.from_spec(spec)
        self.handlers = handlers
        self.auth = auth
        self.latency = latency
        self._random = random.Random(seed)
        self.forced = {
            handler.operation.operation_id: ForcedAnswers(handler.operation, self.problems, seed)
            for handler in handlers
        }
        self.router: PathRouter[OperationHandler] = PathRouter()
        for handler in handlers:
            self.router.add(handler.operation.path, handler.operation.method, handler)

    @classmethod
    def from_settings(cls, settings: Settings) -> MockApp:
        spec = load_spec(settings.spec_path)
        model = build_resource_model(spec)
        initial: Callable[[], Dataset]
        if settings.generate is not None:
            count = settings.generate

            # Regenerated on reset rather than kept: the same seed gives the same records, without a second copy.
            def initial() -> Dataset:
                return generate_dataset(model, count, settings.seed)

        else:
            fixtures = load_fixtures(settings.fixtures_dir, model)
            check_dataset(model, fixtures)

            def initial() -> Dataset:
                return fixtures

        store = open_store(settings.store, store_layouts(model), settings.seed)
        store.initialize(initial().records)
        return cls(
            spec,
            model,
            store,
            build_handlers(spec.operations, model, store, settings.seed),
            initial,
            seed=settings.seed,
            auth=AuthPolicy.from_fixtures(settings.fixtures_dir) if settings.require_auth else None,
            latency=parse_latency(settings.latency) if settings.latency else None,
        )

    def reset(self) -> None:
        """Back to the dataset the mock started with."""
        load_dataset(self.store, self._initial())

    def state_document(self) -> dict[str, Any]:
        """The whole state, nested the way fixture files are."""
        return document_from_records(self.store.dump(), self.model)

    def replace_state(self, document: Any) -> int:
        """Replace the whole state by a fixtures-shaped document, or raise `DatasetError` and change nothing."""
        dataset = dataset_from_document(document, self.model, "state")
        check_dataset(self.model, dataset)
        self.store.load(dataset.records)
        return len(dataset.records)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        preferences = NO_PREFERENCES
        try:
            handler, params = self._route(scope)
            if self.auth is not None:
                self.auth.check(scope["headers"])
            preferences = _preferences(scope)
            answer = await self._answer(handler, params, preferences, scope, receive)
        except ProblemError as problem:
            answer = self._problem(problem)
            note_rejection(scope, problem)
        delay = preferences.delay or self.latency
        if delay is not None:
            await asyncio.sleep(delay.draw(self._random))
        if preferences.delay is not None and not _forced(answer):
            answer.headers.append((PREFERENCE_APPLIED, f"delay={preferences.delay}".encode()))
        await _send(scope, send, answer)

    def _route(self, scope: Scope) -> tuple[OperationHandler, dict[str, str]]:
        match = self.router.match(_route_path(scope))
        if match is None:
            raise ProblemError(404)
        method = scope["method"]
        handler = match.methods.get("GET" if method == "HEAD" else method)
        if handler is None:
            allow = _allow(match.methods)
            raise ProblemError(405, headers={"Allow": allow}, detail=f"{method} is not allowed here; allowed: {allow}")
        return handler, match.params

    async def _answer(
        self,
        handler: OperationHandler,
        params: dict[str, str],
        preferences: Preferences,
        scope: Scope,
        receive: Receive,
    ) -> Answer:
        body = b""
        content_type = None
        if handler.validator.takes_body:
            headers = dict(scope["headers"])
            body = await read_body(receive, headers)
            raw_type = headers.get(b"content-type")
            content_type = raw_type.decode("latin-1") if raw_type is not None else None
        valid = handler.validator.validate(params, scope.get("query_string", b""), content_type, body)
        if preferences.forces_answer:
            invent = handler.invent
            answer = self.forced[handler.operation.operation_id].answer(
                preferences, None if invent is None else lambda rng: invent(rng, valid, scope)
            )
            answer.headers.append((PREFERENCE_APPLIED, preferences.applied().encode()))
            return answer
        try:
            return handler.action(valid, scope)
        except (NotFound, Conflict, Locked) as error:
            raise ProblemError(_STORE_ERRORS[type(error)]) from None

    def _problem(self, problem: ProblemError) -> Answer:
        headers = [(name.lower().encode(), value.encode()) for name, value in problem.headers.items()]
        return Answer(problem.status, self.problems.render(problem), PROBLEM_MEDIA_TYPE, headers)

    def server_error(self, request: Request, exc: Exception) -> Response:
        return Response(self.problems.render(ProblemError(500)), 500, media_type=PROBLEM_MEDIA_TYPE)


async def _send(scope: Scope, send: Send, answer: Answer) -> None:
    headers = [(b"content-length", str(len(answer.body)).encode())]
    if answer.media_type is not None:
        headers.append((b"content-type", answer.media_type.encode()))
    headers.extend(answer.headers)
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else answer.body})


def _forced(answer: Answer) -> bool:
    return any(name == PREFERENCE_APPLIED for name, _ in answer.headers)


def _preferences(scope: Scope) -> Preferences:
    values = [value.decode("latin-1") for name, value in scope["headers"] if name == b"prefer"]
    if not values:
        return NO_PREFERENCES
    try:
        return parse_prefer(values)
    except InvalidPreference as error:
        raise refused(str(error)) from None


def _route_path(scope: Scope) -> str:
    """The still-encoded path below the mount point, so an id holding `%2F` stays one segment."""
    raw: bytes | None = scope.get("raw_path")
    path = raw.decode("latin-1") if raw is not None else scope["path"]
    root = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _allow(methods: Any) -> str:
    allowed = list(methods)
    if "GET" in allowed:
        allowed.append("HEAD")
    return ", ".join(allowed)


def open_store(url: str, layouts: list[CollectionLayout], seed: int | None) -> Store:
    """`memory` or `sqlite:PATH`."""
    if url == MEMORY_STORE:
        return InMemoryStore(layouts, seed=seed)
    kind, _, location = url.partition(":")
    if kind == "sqlite" and location:
        from mock_server.sqlite_store import (
            SqliteStore,
            StoreFileError,
        )  # only when asked for: the default stays import-light

        try:
            return SqliteStore(layouts, location, seed=seed)
        except StoreFileError as error:
            raise StoreSettingError(str(error)) from None
    raise StoreSettingError(f"unknown store {url!r}: use memory or sqlite:PATH")


class StoreSettingError(Exception):
    """`--store` names no store this mock has, or one it cannot open."""


def check_dataset(model: ResourceModel, dataset: Dataset) -> None:
    """Raise `DatasetError` unless the records load and are served valid; a scratch store keeps the real one intact."""
    layouts = store_layouts(model)
    scratch = InMemoryStore(layouts)
    try:
        scratch.load(dataset.records)
    except (Conflict, NotFound) as error:
        raise _dataset_error(layouts, dataset, error) from None
    verify_dataset(model, scratch, dataset)


def load_dataset(store: Store, dataset: Dataset) -> None:
    try:
        store.load(dataset.records)
    except (Conflict, NotFound) as error:
        raise _dataset_error([], dataset, error) from None


def _dataset_error(layouts: list[CollectionLayout], dataset: Dataset, error: StoreError) -> DatasetError:
    """Name the record and member a store refused, with a JSON pointer to it."""
    clash = _first_clash(layouts, dataset)
    if clash is not None:
        origin, field, value = clash
        return DatasetError(
            f"{origin}: another record of {origin.path.rsplit('[', 1)[0]} already has {field} {value!r}", origin.pointer
        )
    if isinstance(error, NotFound):
        return DatasetError(f"{error.collection} {error.key!r} does not exist")
    return DatasetError(f"two {error.collection} share {error.key}")


def _first_clash(layouts: list[CollectionLayout], dataset: Dataset) -> tuple[Origin, str, Any] | None:
    """The first record whose id, or unique member among its siblings, an earlier record already holds."""
    taken: set[tuple[Any, ...]] = set()
    by_name = {layout.name: layout for layout in layouts}
    for record, origin in zip(dataset.records, dataset.origins, strict=True):
        layout = by_name.get(record.collection)
        if layout is None:
            continue
        keys = [(layout.id_field, (record.collection, record.data.get(layout.id_field)))]
        keys += [
            (name, (record.collection, record.parent_id, name, record.data[name]))
            for name in layout.unique_fields
            if name in record.data
        ]
        for field_name, key in keys:
            if key in taken:
                # A slug is derived from the label: point at what the client wrote.
                shown = "label" if field_name == "slug" and "label" in record.data else field_name
                return origin.member(shown), field_name, record.data[field_name]
            taken.add(key)
    return None


def verify_dataset(model: ResourceModel, store: Store, dataset: Dataset) -> None:
    """Every fixture record, as the mock will serve it, must be valid against its response schema."""
    representations = {resource.name: Representation(resource, store) for resource in model.resources}
    validators = {
        resource.name: compile_validator(resource.item_schema, for_request=False) for resource in model.resources
    }
    for record, origin in zip(dataset.records, dataset.origins, strict=True):
        resource = model.named(record.collection)
        item = store.get(record.collection, str(record.data[resource.id_property]))
        served = {"_links": {"self": {"href": "http://localhost/"}}, **representations[record.collection].members(item)}
        error = next(iter(validators[record.collection].iter_errors(served)), None)
        if error is not None:
            where = json_pointer(error.instance_path).replace("/", ".").lstrip(".")
            pointer = origin.pointer + json_pointer(error.instance_path)
            raise DatasetError(f"{origin}{'.' + where if where else ''}: {short_message(error)}", pointer)
