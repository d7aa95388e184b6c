"""Simulated network latency: a fixed delay (`200ms`) or a range drawn per request (`100-400ms`)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

MAX_DELAY_SECONDS = 60.0
_DURATION = re.compile(r"\A\s*([0-9]+(?:\.[0-9]+)?)\s*(?:-\s*([0-9]+(?:\.[0-9]+)?))?\s*(ms|s)\s*\Z")
_BARE_NUMBER = re.compile(r"\A\s*[0-9]+(?:\.[0-9]+)?(?:\s*-\s*[0-9]+(?:\.[0-9]+)?)?\s*\Z")


class InvalidLatency(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Latency:
    low: float  # seconds
    high: float

    def draw(self, rng: random.Random) -> float:
        return self.low if self.low == self.high else rng.uniform(self.low, self.high)

    def __str__(self) -> str:
        """Exactly what is applied, in milliseconds: `1.5ms`, `1500ms`, `100-400ms` (never rounded)."""
        low, high = _milliseconds(self.low), _milliseconds(self.high)
        return f"{low}ms" if low == high else f"{low}-{high}ms"


def _milliseconds(seconds: float) -> str:
    return f"{round(seconds * 1000, 6):g}"


def parse_latency(text: str) -> Latency:
    """`250ms`, `1.5s`, `100-400ms`, `1-2s`, up to 60 s. The unit is required: a bare `1.5` could mean either."""
    if text.strip().startswith("-"):
        raise InvalidLatency(f"{text!r}: a delay cannot be negative")
    if _BARE_NUMBER.match(text):
        raise InvalidLatency(f"{text!r} has no unit: write {text.strip()}ms or {text.strip()}s")
    match = _DURATION.match(text)
    if match is None:
        raise InvalidLatency(f"{text!r} is not a delay: use e.g. 200ms, 1.5s or a range such as 100-400ms")
    low_text, high_text, unit = match.groups()
    scale = 1.0 if unit == "s" else 0.001
    low = float(low_text) * scale
    high = float(high_text) * scale if high_text is not None else low
    if high < low:
        raise InvalidLatency(f"{text!r}: the range must go from low to high")
    if high > MAX_DELAY_SECONDS:
        raise InvalidLatency(f"{text!r}: delays are limited to {MAX_DELAY_SECONDS:g}s")
    return Latency(low, high)
