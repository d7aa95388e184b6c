"""Wiring: spec → resources → store → handlers → one ASGI app inside Starlette's error handling."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mock_server.dataset import Dataset, DatasetError, generate_dataset, load_fixtures
from mock_server.hal import Representation
from mock_server.operations import Answer, OperationHandler, build_handlers
from mock_server.problems import PROBLEM_MEDIA_TYPE, ProblemCatalog, ProblemError
from mock_server.resources import ResourceModel, build_resource_model
from mock_server.routing import PathRouter
from mock_server.schemas import compile_validator, json_pointer, short_message
from mock_server.settings import Settings
from mock_server.spec import ApiSpec, load_spec
from mock_server.store import CollectionLayout, Conflict, InMemoryStore, Locked, NotFound, Store
from mock_server.validation import read_body

_STORE_ERRORS = {NotFound: 404, Conflict: 409, Locked: 423}


def create_app(settings: Settings | None = None, **overrides: Any) -> Starlette:
    """The mock as an ASGI app. Raises `SpecError` / `DatasetError` when the spec or fixtures are unusable."""
    settings = replace(settings or Settings(), **overrides)
    mock = MockApp.from_settings(settings)
    app = Starlette(exception_handlers={Exception: mock.server_error})
    # The whole API is routed by MockApp from the spec; Starlette contributes its error handling only.
    app.router.redirect_slashes = False
    app.router.default = mock
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
    ) -> None:
        self.spec = spec
        self._initial = initial
        self.model = model
        self.store = store
        self.problems = ProblemCatalog.from_spec(spec)
        self.handlers = handlers
        self.router: PathRouter[OperationHandler] = PathRouter()
        for handler in handlers:
            self.router.add(handler.operation.path, handler.operation.method, handler)

    @classmethod
    def from_settings(cls, settings: Settings) -> MockApp:
        spec = load_spec(settings.spec_path)
        model = build_resource_model(spec)
        store = InMemoryStore(store_layouts(model), seed=settings.seed)
        initial: Callable[[], Dataset]
        if settings.generate is not None:
            count = settings.generate

            # Regenerated on reset rather than kept: the same seed gives the same records, without a second copy.
            def initial() -> Dataset:
                return generate_dataset(model, count, settings.seed)

            load_dataset(store, initial())
        else:
            fixtures = load_fixtures(settings.fixtures_dir, model)
            load_dataset(store, fixtures)
            verify_dataset(model, store, fixtures)

            def initial() -> Dataset:
                return fixtures

        return cls(spec, model, store, build_handlers(spec.operations, model, store, settings.seed), initial)

    def reset(self) -> None:
        """Back to the dataset the mock started with."""
        load_dataset(self.store, self._initial())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            answer = await self._answer(scope, receive)
        except ProblemError as problem:
            answer = self._problem(problem)
        await _send(scope, send, answer)

    async def _answer(self, scope: Scope, receive: Receive) -> Answer:
        match = self.router.match(_route_path(scope))
        if match is None:
            raise ProblemError(404)
        method = scope["method"]
        handler = match.methods.get("GET" if method == "HEAD" else method)
        if handler is None:
            allow = _allow(match.methods)
            raise ProblemError(405, headers={"Allow": allow}, detail=f"{method} is not allowed here; allowed: {allow}")
        body = b""
        content_type = None
        if handler.validator.takes_body:
            headers = dict(scope["headers"])
            body = await read_body(receive, headers)
            raw_type = headers.get(b"content-type")
            content_type = raw_type.decode("latin-1") if raw_type is not None else None
        valid = handler.validator.validate(match.params, scope.get("query_string", b""), content_type, body)
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


def load_dataset(store: Store, dataset: Dataset) -> None:
    try:
        store.load(dataset.records)
    except Conflict as error:
        raise DatasetError(f"fixtures: two {error.collection} share {error.key}") from None
    except NotFound as error:
        raise DatasetError(f"fixtures: {error.collection} {error.key!r} does not exist") from None


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
            raise DatasetError(f"{origin}{'.' + where if where else ''}: {short_message(error)}")
