"""Small readers over a Schemathesis response shared by the check families."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contract_tests.expectations import Expectations, expectations_for

if TYPE_CHECKING:
    from schemathesis import Case, Response

NO_BODY = object()


def expectations_of(case: Case) -> Expectations:
    return expectations_for(case.operation.schema.raw_schema)


def media_type(response: Response) -> str:
    values = response.headers.get("content-type") or [""]
    return values[0].split(";")[0].strip().lower()


def json_body(response: Response) -> Any:
    """The decoded body, or NO_BODY when it is empty or not JSON."""
    if not response.content:
        return NO_BODY
    try:
        return json.loads(response.content)
    except ValueError:
        return NO_BODY


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def base_path(case: Case) -> str:
    return urlsplit(case.operation.schema.get_base_url()).path.rstrip("/")


def excerpt(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
