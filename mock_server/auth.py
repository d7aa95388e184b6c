"""Auth simulation (`--require-auth`): a bearer token on every API request, some tokens refused.

The mock checks no signature: any well-formed `Authorization: Bearer <token>` is let in, except the tokens
the fixtures folder's `auth.yaml` lists as forbidden (403), so a frontend can show both error screens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from mock_server.dataset import AUTH_FILE, DatasetError
from mock_server.problems import ProblemError

# RFC 6750 §2.1: `Bearer` (any case), one or more spaces, a b64token.
_BEARER = re.compile(rb"\A[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*)\Z")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="customers-mock"'}


@dataclass(frozen=True, slots=True)
class AuthPolicy:
    forbidden_tokens: frozenset[str] = frozenset()

    @classmethod
    def from_fixtures(cls, directory: Path) -> AuthPolicy:
        file = directory / AUTH_FILE
        if not file.is_file():
            return cls()
        try:
            document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise DatasetError(f"cannot read {AUTH_FILE}: {' '.join(str(error).split())}") from None
        tokens = document.get("forbidden_tokens", []) if isinstance(document, dict) else None
        if not isinstance(tokens, list) or not all(isinstance(token, str) and token for token in tokens):
            raise DatasetError(f"{AUTH_FILE}: forbidden_tokens must be a list of non-empty strings")
        return cls(frozenset(tokens))

    def check(self, headers: Iterable[tuple[bytes, bytes]]) -> None:
        """Raises the 401 or 403 problem a real API would answer this request with."""
        credentials = [value for name, value in headers if name == b"authorization"]
        if not credentials:
            raise ProblemError(401, headers=CHALLENGE, detail="no Authorization header (expected: Bearer <token>)")
        match = _BEARER.match(credentials[0].strip())
        if len(credentials) > 1 or match is None:
            raise ProblemError(401, headers=CHALLENGE, detail="the Authorization header is not `Bearer <token>`")
        if match.group(1).decode("ascii") in self.forbidden_tokens:
            raise ProblemError(403, detail="this bearer token is listed as forbidden in auth.yaml")
