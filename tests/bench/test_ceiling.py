import asyncio
import json

import httpx
import pytest

from bench.ceiling import constant_json_body, create_app


@pytest.mark.parametrize("size", [14, 15, 33, 500, 51234])
def test_the_body_is_json_of_exactly_the_requested_size(size: int) -> None:
    body = constant_json_body(size)
    assert len(body) == size
    assert isinstance(json.loads(body), dict)


def test_a_size_below_the_smallest_body_gives_the_smallest_body() -> None:
    assert constant_json_body(3) == b'{"padding":""}'


async def _replies(app: httpx.ASGITransport) -> list[httpx.Response]:
    async with httpx.AsyncClient(transport=app, base_url="http://ceiling") as client:
        return [
            await client.get("/customers/abc"),
            await client.get("/customers?limit=10"),
            await client.post("/customers", json={"label": "x"}),
        ]


def test_every_get_and_post_gets_the_same_json_body() -> None:
    replies = asyncio.run(_replies(httpx.ASGITransport(app=create_app(constant_json_body(100)))))
    assert {reply.status_code for reply in replies} == {200}
    assert {reply.content for reply in replies} == {constant_json_body(100)}
    assert replies[0].headers["content-type"] == "application/json"
