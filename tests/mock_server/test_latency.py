"""Simulated latency: `--latency` for every API answer, `Prefer: delay=…` per request; the loop never blocks."""

from __future__ import annotations

import asyncio
import random
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from mock_server import create_app
from mock_server.latency import InvalidLatency, Latency, parse_latency


@pytest.mark.parametrize(
    "text, expected",
    [
        ("200ms", Latency(0.2, 0.2)),
        ("1.5s", Latency(1.5, 1.5)),
        ("100-400ms", Latency(0.1, 0.4)),
        (" 1 - 2 s ", Latency(1.0, 2.0)),
        ("0ms", Latency(0.0, 0.0)),
    ],
)
def test_delays_read_as_milliseconds_seconds_or_ranges(text: str, expected: Latency) -> None:
    assert parse_latency(text) == expected


@pytest.mark.parametrize("text", ["", "fast", "200 ms ms", "400-100ms", "2m", "61s", "1e3ms"])
def test_anything_else_is_refused_with_a_hint(text: str) -> None:
    with pytest.raises(InvalidLatency, match="use e.g. 200ms|low to high|limited to 60s"):
        parse_latency(text)


@pytest.mark.parametrize("text, hint", [("250", "write 250ms or 250s"), ("1.5", "write 1.5ms or 1.5s"),
                                        ("100-400", "write 100-400ms or 100-400s")])  # fmt: skip
def test_a_bare_number_is_refused_because_its_unit_is_a_guess(text: str, hint: str) -> None:
    with pytest.raises(InvalidLatency, match=f"has no unit: {hint}"):
        parse_latency(text)


@pytest.mark.parametrize("text", ["-5ms", " -1s", "-5-10ms"])
def test_a_negative_delay_is_refused_as_negative(text: str) -> None:
    with pytest.raises(InvalidLatency, match="a delay cannot be negative"):
        parse_latency(text)


@pytest.mark.parametrize(
    "text, shown", [("1.5ms", "1.5ms"), ("0.0015s", "1.5ms"), ("1.5s", "1500ms"), ("0.1-0.25s", "100-250ms")]
)
def test_a_delay_is_shown_exactly_as_applied(text: str, shown: str) -> None:
    assert str(parse_latency(text)) == shown


def test_a_range_draws_within_its_bounds() -> None:
    latency = parse_latency("100-400ms")
    rng = random.Random(1)

    draws = [latency.draw(rng) for _ in range(200)]

    assert all(0.1 <= draw <= 0.4 for draw in draws)
    assert len(set(draws)) > 100


def _timed_get(app: Starlette, url: str, headers: dict[str, str] | None = None) -> tuple[httpx.Response, float]:
    async def run() -> tuple[httpx.Response, float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            started = time.perf_counter()
            response = await client.get(url, headers=headers)
            return response, time.perf_counter() - started

    return asyncio.run(run())


def test_the_configured_latency_is_waited_before_api_answers() -> None:
    app = create_app(latency="300ms")

    assert app.state.mock.latency == Latency(0.3, 0.3)
    response, elapsed = _timed_get(app, "/customers/cus-0001")
    assert response.status_code == 200 and elapsed >= 0.3  # a lower bound only: never assert how fast


def test_controls_are_never_delayed() -> None:
    app = create_app(latency="60s")

    async def health() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            # Far below the 60 s latency: only an undelayed answer arrives in time.
            response = await asyncio.wait_for(client.get("/__mock__/health"), timeout=30)
            return response.status_code

    assert asyncio.run(health()) == 200


def test_prefer_delay_applies_to_one_request_and_is_acknowledged() -> None:
    app = create_app()

    response, elapsed = _timed_get(app, "/customers/nobody", {"Prefer": "delay=250ms"})

    assert response.status_code == 404 and elapsed >= 0.25
    assert response.headers["preference-applied"] == "delay=250ms"


def test_slow_answers_do_not_hold_up_other_requests() -> None:
    app = create_app()

    async def run() -> list[str]:
        order: list[str] = []
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:

            async def get(name: str, headers: dict[str, str]) -> None:
                await client.get("/customers/cus-0001", headers=headers)
                order.append(name)

            await asyncio.gather(get("slow", {"Prefer": "delay=2s"}), get("fast", {}))
        return order

    assert asyncio.run(run()) == ["fast", "slow"]


def test_no_latency_by_default(client: TestClient) -> None:
    assert client.app.state.mock.latency is None  # type: ignore[attr-defined]
