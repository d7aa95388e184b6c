"""Match a request path to the spec's path templates; tell "no such path" (404) from "no such method" (405)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import unquote

Target = TypeVar("Target")


@dataclass(slots=True)
class _Node(Generic[Target]):
    literals: dict[str, _Node[Target]] = field(default_factory=dict)
    param: tuple[str, _Node[Target]] | None = None
    methods: dict[str, Target] | None = None  # set on nodes that end a path template
    template: str = ""


@dataclass(frozen=True, slots=True)
class Match(Generic[Target]):
    template: str
    params: dict[str, str]
    methods: Mapping[str, Target]


class PathRouter(Generic[Target]):
    """A segment trie: literal segments win over parameters, as in the spec's own matching rules."""

    def __init__(self) -> None:
        self._root: _Node[Target] = _Node()

    def add(self, template: str, method: str, target: Target) -> None:
        node = self._root
        for segment in _segments(template):
            if segment.startswith("{") and segment.endswith("}"):
                name = segment[1:-1]
                if node.param is None:
                    node.param = (name, _Node())
                elif node.param[0] != name:
                    raise ValueError(f"{template}: parameter {{{name}}} clashes with {{{node.param[0]}}}")
                node = node.param[1]
            else:
                node = node.literals.setdefault(segment, _Node())
        if node.methods is None:
            node.methods = {}
        node.methods[method] = target
        node.template = template

    def match(self, raw_path: str) -> Match[Target] | None:
        """The matching template for a raw (still percent-encoded) path; parameters come back decoded."""
        params: dict[str, str] = {}
        node = self._find(self._root, _segments(raw_path), 0, params)
        if node is None or node.methods is None:
            return None
        return Match(node.template, params, node.methods)

    def _find(
        self, node: _Node[Target], segments: list[str], index: int, params: dict[str, str]
    ) -> _Node[Target] | None:
        if index == len(segments):
            return node if node.methods is not None else None
        segment = segments[index]
        if "%" in segment:
            segment = unquote(segment)
        literal = node.literals.get(segment)
        if literal is not None:
            found = self._find(literal, segments, index + 1, params)
            if found is not None:
                return found
        if node.param is not None:
            name, child = node.param
            found = self._find(child, segments, index + 1, params)
            if found is not None:
                params[name] = segment
                return found
        return None


def _segments(path: str) -> list[str]:
    # "/customers/" has an empty last segment, so it is not "/customers": trailing slashes do not match.
    return path.split("/")[1:] if path.startswith("/") else path.split("/")
