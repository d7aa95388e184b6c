"""The HTTP client scenarios and cleanup use: the run's headers, timeout and rate limit, and a record of each call."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests

from contract_tests.report import SentRequest
from contract_tests.settings import Settings


@dataclass(frozen=True)
class Exchange:
    request: SentRequest
    status: int
    content_type: str
    content: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError:
            return None


def parse_rate_limit(text: str) -> float:
    """Requests per second from '20/s', '100/m' or '1000/h'."""
    number, _, unit = text.partition("/")
    per = {"s": 1.0, "m": 60.0, "h": 3600.0}.get(unit.strip().lower() or "s")
    try:
        count = float(number)
    except ValueError:
        count = 0.0
    if per is None or count <= 0:
        raise ValueError(f"invalid rate limit {text!r}: expected N/s, N/m or N/h with N > 0")
    return count / per


class ApiClient:
    def __init__(self, settings: Settings) -> None:
        self.base_url = settings.base_url.rstrip("/")
        self.timeout = settings.timeout
        self.session = requests.Session()
        self.session.headers.update(settings.header_dict())
        self._interval = 1.0 / parse_rate_limit(settings.rate_limit) if settings.rate_limit else 0.0
        self._next_slot = 0.0
        self._lock = threading.Lock()

    def url(self, path_or_url: str) -> str:
        return urljoin(self.base_url + "/", path_or_url.lstrip("/")) if "://" not in path_or_url else path_or_url

    def call(
        self,
        method: str,
        path_or_url: str,
        *,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Exchange:
        self._wait_for_slot()
        headers = {"Content-Type": "application/json"} if json_body is not None or raw_body is not None else {}
        data = raw_body if raw_body is not None else (json.dumps(json_body).encode() if json_body is not None else None)
        prepared = self.session.prepare_request(
            requests.Request(method, self.url(path_or_url), headers=headers, data=data, params=params)
        )
        response = self.session.send(prepared, timeout=self.timeout, allow_redirects=False)
        sent = SentRequest(method=method, url=str(prepared.url), headers=dict(prepared.headers), body=data)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Exchange(request=sent, status=response.status_code, content_type=content_type, content=response.content)

    def _wait_for_slot(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
        time.sleep(max(0.0, slot - now))

    def close(self) -> None:
        self.session.close()
