import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.pagination import path_of, walk_collection
from bench.probe import MeasurementError

Pager = Callable[[int, int], dict[str, object]]


def _collection(size: int, next_host: str = "http://api.example.com") -> Pager:
    """Pages of `size` customers; `next` carries an opaque cursor on another host, as behind a proxy."""

    def page(limit: int, offset: int) -> dict[str, object]:
        items = [{"customer_id": f"c{i}"} for i in range(offset, min(offset + limit, size))]
        links: dict[str, object] = {"self": {"href": f"{next_host}/customers?limit={limit}"}}
        if offset + limit < size:
            links["next"] = {"href": f"{next_host}/customers?limit={limit}&offset=cur{offset + limit:x}"}
        return {"_embedded": {"nter:customers": items}, "_links": links}

    return page


def _endless(limit: int, offset: int) -> dict[str, object]:
    return {
        "_embedded": {"nter:customers": [{"customer_id": "same"}] * limit},
        "_links": {"self": {"href": "/customers"}, "next": {"href": f"/customers?limit={limit}&offset=cur0"}},
    }


@pytest.fixture
def serve() -> Iterator[Callable[[Pager], int]]:
    servers: list[ThreadingHTTPServer] = []

    def start(pager: Pager) -> int:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                offset = int(query.get("offset", ["cur0"])[0].removeprefix("cur"), 16)
                body = json.dumps(pager(int(query["limit"][0]), offset)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return int(server.server_address[1])

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_deep_page_is_the_last_full_page_reached_by_next(serve: Callable[[Pager], int]) -> None:
    pager = _collection(1050)
    walk = walk_collection(serve(pager), limit=100, max_pages=100)
    assert walk.collection_size == 1050
    assert walk.depth == 900
    assert walk.first_path == "/customers?limit=100"
    assert walk.deep_path == "/customers?limit=100&offset=cur384"
    assert walk.first_body_bytes == len(json.dumps(pager(100, 0)))
    assert walk.deep_body_bytes == len(json.dumps(pager(100, 900)))


def test_a_collection_that_ends_on_a_full_page_takes_that_page(serve: Callable[[Pager], int]) -> None:
    walk = walk_collection(serve(_collection(300)), limit=100, max_pages=100)
    assert (walk.collection_size, walk.depth) == (300, 200)


def test_a_next_link_that_never_ends_stops_the_walk(serve: Callable[[Pager], int]) -> None:
    with pytest.raises(MeasurementError, match="did not end after 5 pages"):
        walk_collection(serve(_endless), limit=10, max_pages=5)


def test_links_are_followed_on_the_server_under_test_whatever_host_they_name() -> None:
    assert path_of("https://api.nterprise.com/customers?limit=10&offset=QVBr") == "/customers?limit=10&offset=QVBr"
    assert path_of("/customers") == "/customers"
