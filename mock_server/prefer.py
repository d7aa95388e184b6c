"""The `Prefer` request header (RFC 7240) as frontend mock servers use it: force an answer per request.

`code=404` (a documented status), `example=NAME` (a named example of the spec), `dynamic=true` (generated
data instead of state) and `delay=300ms` (latency for this request). The preferences RFC 7240 registers
(`return`, `respond-async`, `wait`, `handling`) are accepted and ignored; anything else is refused, so a typo
never goes unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mock_server.latency import InvalidLatency, Latency, parse_latency

SUPPORTED = ("code", "example", "dynamic", "delay")
IGNORED = frozenset({"return", "respond-async", "wait", "handling"})
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PREFERENCE = re.compile(rf"\A\s*({_TOKEN})\s*(?:=\s*({_TOKEN}|{_QUOTED}))?\s*(?:;.*)?\Z", re.DOTALL)
_ELEMENT = re.compile(rf'((?:{_QUOTED}|[^,"])*)(,|\Z)')


class InvalidPreference(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Preferences:
    code: int | None = None
    example: str | None = None
    dynamic: bool = False
    delay: Latency | None = None

    @property
    def forces_answer(self) -> bool:
        return self.code is not None or self.example is not None or self.dynamic

    def applied(self) -> str:
        """The `Preference-Applied` header value (RFC 7240 §3): what this answer honoured."""
        applied = [] if self.code is None else [f"code={self.code}"]
        if self.example is not None:
            applied.append(f"example={_word(self.example)}")
        if self.dynamic:
            applied.append("dynamic=true")
        if self.delay is not None:
            applied.append(f"delay={self.delay}")
        return ", ".join(applied)


NO_PREFERENCES = Preferences()


def parse_prefer(values: Iterable[str]) -> Preferences:
    """Every `Prefer` header of a request, in order; the first instance of a preference wins (RFC 7240 §2)."""
    seen: dict[str, str | None] = {}
    for value in values:
        for element in _elements(value):
            if not element.strip():
                continue
            match = _PREFERENCE.match(element)
            if match is None:
                raise InvalidPreference(f"{element.strip()!r} is not a preference (expected name=value)")
            name, raw = match.group(1).lower(), match.group(2)
            seen.setdefault(name, _unquote(raw) if raw is not None else None)
    for name in seen:
        if name not in SUPPORTED and name not in IGNORED:
            raise InvalidPreference(f"unknown preference {name!r}; this mock understands {', '.join(SUPPORTED)}")
    preferences = Preferences(
        code=_code(seen["code"]) if "code" in seen else None,
        example=_example(seen["example"]) if "example" in seen else None,
        dynamic=_dynamic(seen["dynamic"]) if "dynamic" in seen else False,
        delay=_delay(seen["delay"]) if "delay" in seen else None,
    )
    if preferences.dynamic and preferences.example is not None:
        raise InvalidPreference("example and dynamic=true exclude each other: ask for one of them")
    return preferences


def _elements(value: str) -> list[str]:
    """The comma-separated elements of one header value, commas inside quoted strings kept."""
    elements, position = [], 0
    while True:
        match = _ELEMENT.match(value, position)
        if match is None:
            raise InvalidPreference(f"unbalanced quotes in Prefer: {value!r}")
        elements.append(match.group(1))
        if not match.group(2):
            return elements
        position = match.end()


def _word(value: str) -> str:
    if re.fullmatch(_TOKEN, value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(raw: str) -> str:
    if raw.startswith('"'):
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    return raw


def _code(value: str | None) -> int:
    if value is None or not value.isdigit() or not 100 <= int(value) <= 599:
        raise InvalidPreference(f"code={value or ''} is not an HTTP status: use e.g. code=404")
    return int(value)


def _example(value: str | None) -> str:
    if not value:
        raise InvalidPreference("example needs the name of an example: example=NAME")
    return value


def _dynamic(value: str | None) -> bool:
    if value is None or value.lower() == "true":
        return True
    if value.lower() == "false":
        return False
    raise InvalidPreference(f"dynamic={value} is not true or false")


def _delay(value: str | None) -> Latency:
    if value is None:
        raise InvalidPreference("delay needs a duration: delay=300ms")
    try:
        return parse_latency(value)
    except InvalidLatency as error:
        raise InvalidPreference(f"delay: {error}") from None
