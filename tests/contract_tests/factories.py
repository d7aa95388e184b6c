"""Build real Schemathesis cases and responses for the spec, so checks are tested exactly as they run."""

from __future__ import annotations

import json
from typing import Any

import requests
import schemathesis
from schemathesis.config import SchemathesisConfig

from customers_spec import SPEC_PATH

BASE_URL = "http://api.test"
SCHEMA = schemathesis.openapi.from_path(SPEC_PATH, config=SchemathesisConfig.from_dict({"base-url": BASE_URL}))


def case(method: str, path: str, **kwargs: Any) -> schemathesis.Case:
    return SCHEMA[path][method].Case(**kwargs)


def response(
    status: int,
    body: Any = None,
    *,
    content_type: str | None = "application/json",
    url: str = f"{BASE_URL}/customers",
    method: str = "GET",
    raw: bytes | None = None,
) -> schemathesis.Response:
    content = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    headers = {"content-type": [content_type]} if content_type else {}
    request = requests.Request(method, url).prepare()
    return schemathesis.Response(
        status_code=status, headers=headers, content=content, request=request, elapsed=0.0, verify=True
    )


def customer(customer_id: str = "c1", *, href: str | None = None) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "label": "Acme",
        "_links": {"self": {"href": href or f"{BASE_URL}/customers/{customer_id}"}},
    }


def problem(code: int, **overrides: Any) -> dict[str, Any]:
    names = {
        400: ("BadRequest", "Bad Request", "Invalid request"),
        404: ("NotFound", "Not Found", "Resource not found"),
    }
    name, title, detail = names[code]
    body = {
        "type": f"https://docs.nterprise.com/api/problem/{name}",
        "title": title,
        "status": code,
        "detail": detail,
    }
    return {**body, **overrides}
