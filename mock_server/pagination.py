"""Opaque page cursors: keyset positions on the store's insertion sequence.

A cursor is base64url(sequence number, tag) where the tag binds it to the scope it was issued for (the
collection URL and the state's generation), so a cursor that was tampered with, taken from another list, or
issued before a reset or state load is refused instead of silently misread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

_TAG_BYTES = 6
_KEY = b"customers-mock-cursor-v1"


class InvalidCursor(ValueError):
    pass


def encode_cursor(after_seq: int, scope: str) -> str:
    position = after_seq.to_bytes(max(1, (after_seq.bit_length() + 7) // 8), "big")
    raw = _tag(position, scope) + position
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, scope: str) -> int:
    """The sequence number after which the next page starts; `InvalidCursor` for anything not issued here."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise InvalidCursor("the offset is not a cursor this server issued") from None
    tag, position = raw[:_TAG_BYTES], raw[_TAG_BYTES:]
    if (
        not position
        or len(position) > 8
        or tag != _tag(position, scope)
        or cursor != encode_cursor(int.from_bytes(position, "big"), scope)
    ):
        raise InvalidCursor(
            "the offset is not a cursor this server issued for this list"
            " (or the state was reset or loaded since): start again without offset"
        )
    return int.from_bytes(position, "big")


def _tag(position: bytes, scope: str) -> bytes:
    return hashlib.blake2b(position + b"\0" + scope.encode(), digest_size=_TAG_BYTES, key=_KEY).digest()
