"""`-H 'Name: value'` options: values may come from the environment, and never show up in output."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

from contract_tests.settings import Header

_ENV_PREFIX = "env:"
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
MASK = "***"


class HeaderError(ValueError):
    pass


def parse_header(option: str, environ: Mapping[str, str] | None = None) -> Header:
    environ = os.environ if environ is None else environ
    name, separator, raw_value = option.partition(":")
    name, raw_value = name.strip(), raw_value.strip()
    if not separator or not name or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
        raise HeaderError(f"invalid header {_shown_name(option)!r}: expected 'Name: value'")
    if raw_value.startswith(_ENV_PREFIX):
        variable = raw_value[len(_ENV_PREFIX) :].strip()
        value = _lookup(environ, variable, name)
        return Header(name, value, reference="${" + variable + "}", secrets=(value,))
    if _PLACEHOLDER.search(raw_value):
        secrets = tuple(_lookup(environ, variable, name) for variable in _PLACEHOLDER.findall(raw_value))
        value = _PLACEHOLDER.sub(lambda match: _lookup(environ, match.group(1), name), raw_value)
        return Header(name, value, reference=raw_value, secrets=secrets)
    return Header(name, raw_value)


def env_prefix_warning(option: str) -> str | None:
    """`env:NAME` is read only as the whole value; inside one it is sent literally, which is rarely meant."""
    name, _, raw_value = option.partition(":")
    raw_value = raw_value.strip()
    inner = re.search(r"env:([A-Za-z_][A-Za-z0-9_]*)", raw_value)
    if inner is None or raw_value.startswith(_ENV_PREFIX):
        return None
    suggestion = raw_value[: inner.start()] + "${" + inner.group(1) + "}" + raw_value[inner.end() :]
    return (
        f"header {name.strip()!r} sends {_ENV_PREFIX}{inner.group(1)} literally (env: is read only as the whole "
        f"value); did you mean '{name.strip()}: {suggestion}'?"
    )


def _lookup(environ: Mapping[str, str], variable: str, header: str) -> str:
    if variable not in environ:
        raise HeaderError(f"header {header!r} reads ${{{variable}}}, which is not set in the environment")
    return environ[variable]


def _shown_name(option: str) -> str:
    # Never echo a value back, even in an error: it may be the secret itself.
    return option.partition(":")[0].strip()[:40]


def shown_value(header: Header) -> str:
    return header.reference if header.reference is not None else MASK


class Masker:
    """Replaces every header value the user passed with its masked form in any text the suite prints."""

    def __init__(self, headers: Iterable[Header]) -> None:
        # Longest first so a value that contains another is masked whole.
        values = {value for h in headers for value in (h.value, *h.secrets) if len(value) >= 3}
        self._values = sorted(values, key=len, reverse=True)
        self._by_name = {h.name.lower(): h for h in headers}

    def text(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, MASK)
        return text

    def header(self, name: str, value: str) -> str:
        header = self._by_name.get(name.lower())
        return shown_value(header) if header is not None else self.text(value)
