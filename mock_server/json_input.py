"""JSON the mock reads from outside (API bodies, state loads, fixtures): only values it can store and send back.

Three things are valid input for a parser but poison for the mock: nesting deep enough to exhaust the
interpreter's stack (in the decoder, the schema validator or any later walk), numbers too large for a double
(`1e999` decodes to infinity, which JSON cannot express again) and unpaired UTF-16 surrogate escapes (which
UTF-8 cannot encode). Each is refused here with a JSON pointer, before anything is validated or stored.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

MAX_NESTING_DEPTH = 64  # the spec's bodies nest 4 levels; free-form members get plenty of room below the stack
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class UnusableJson(ValueError):
    """Input the mock refuses; `pointer` says where (RFC 6901, `""` for the whole document)."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


def decode_json(body: bytes, *, max_depth: int = MAX_NESTING_DEPTH) -> Any:
    """The document in `body`, or `UnusableJson` (not UTF-8, not JSON, too deep, or holding unusable values)."""
    if _nesting_depth(body, max_depth) > max_depth:
        raise UnusableJson("", f"the body nests arrays and objects deeper than {max_depth} levels")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnusableJson("", "the body is not valid UTF-8") from None
    overflowed: list[str] = []
    try:
        document = json.loads(text, parse_constant=_reject_constant, parse_float=_float_watch(overflowed))
    except (ValueError, RecursionError) as error:
        raise UnusableJson("", f"the body is not valid JSON: {error}") from None
    if overflowed or b"\\u" in body:  # only then can the decoded document hold something unusable
        check_json_value(document, max_depth=max_depth)
    return document


def check_json_value(value: Any, *, max_depth: int = MAX_NESTING_DEPTH) -> None:
    """Raise `UnusableJson` for the first value the mock could not store and send back as JSON."""
    problem = next(unusable_values(value, max_depth=max_depth), None)
    if problem is not None:
        raise problem


def unusable_values(value: Any, *, max_depth: int = MAX_NESTING_DEPTH) -> Iterator[UnusableJson]:
    """Every unusable value of a decoded document, walked without recursion so no depth can crash the walk."""
    pending: list[tuple[Any, str, int]] = [(value, "", 0)]
    while pending:
        current, pointer, depth = pending.pop()
        if isinstance(current, float):
            if not math.isfinite(current):
                yield UnusableJson(pointer, "the number is out of range: JSON numbers must be finite doubles")
        elif isinstance(current, str):
            if _has_lone_surrogate(current):
                yield UnusableJson(pointer, "the string contains an unpaired UTF-16 surrogate escape")
        elif isinstance(current, (dict, list)):
            if depth >= max_depth:
                yield UnusableJson(pointer, f"arrays and objects nest deeper than {max_depth} levels here")
                continue
            members = current.items() if isinstance(current, dict) else enumerate(current)
            for key, member in reversed(list(members)):
                if isinstance(key, str) and _has_lone_surrogate(key):
                    yield UnusableJson(pointer, "a member name contains an unpaired UTF-16 surrogate escape")
                pending.append((member, f"{pointer}/{_escape(str(key))}", depth + 1))


def _nesting_depth(body: bytes, limit: int) -> int:
    """The deepest bracket nesting outside strings, counted without parsing (so without recursion)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return 0  # cannot nest deeper than it has brackets: the common case costs two counts
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _float_watch(overflowed: list[str]) -> Any:
    def parse_float(text: str) -> float:
        number = float(text)
        if not math.isfinite(number):
            overflowed.append(text)
        return number

    return parse_float


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _has_lone_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text) if not text.isascii() else False


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
