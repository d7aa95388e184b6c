"""Reads the facts the seed reference document states, straight from its Markdown.

The seed is a generated (Widdershins-style) page: one `## operationId` section per
operation with a `METHOD /path` line, a Parameters table, a Responses table and,
per status, an "Enumerated Values" table of the problem body's fixed values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_OPERATION_LINE = re.compile(r"^`(GET|POST|PUT|DELETE|PATCH) (/[^`]*)`$", re.M)
_TABLE_ROW = re.compile(r"^\|(.+)\|$", re.M)
_STATUS_SECTION = re.compile(r"Status Code \*\*(\d{3})\*\*")
_JSON_BLOCK = re.compile(r"```json\n(.*?)\n```", re.S)
PROBLEM_FIELDS = ("title", "type", "status", "detail")


@dataclass
class SeedParameter:
    name: str
    location: str
    type: str
    required: bool


@dataclass
class SeedOperation:
    operation_id: str
    method: str
    path: str
    statuses: list[str] = field(default_factory=list)
    parameters: list[SeedParameter] = field(default_factory=list)
    problems: dict[str, dict[str, str]] = field(default_factory=dict)
    json_blocks: list[object] = field(default_factory=list)


def read_seed(path: Path) -> list[SeedOperation]:
    text = path.read_text(encoding="utf-8")
    text = text.split("\n# Schemas", 1)[0]
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    return [_read_operation(section) for section in sections]


def _read_operation(section: str) -> SeedOperation:
    operation_id = section.split("\n", 1)[0].strip()
    line = _OPERATION_LINE.search(section)
    assert line, f"no METHOD /path line under ## {operation_id}"
    operation = SeedOperation(operation_id, line.group(1).lower(), line.group(2))
    operation.parameters = _read_parameters(_between(section, '-parameters">Parameters</h3>', "<h3"))
    operation.statuses = [row[0] for row in _rows(_between(section, '-responses">Responses</h3>', "<h3"))]
    operation.problems = _read_problems(section)
    operation.json_blocks = [json.loads(block) for block in _JSON_BLOCK.findall(section)]
    return operation


def _between(text: str, start: str, end: str) -> str:
    if start not in text:
        return ""
    tail = text.split(start, 1)[1]
    return tail.split(end, 1)[0]


def _rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in `text`."""
    table = text.lstrip("\n").split("\n\n", 1)[0] if text.lstrip("\n").startswith("|") else _first_table(text)
    rows = [[cell.strip() for cell in match.split("|")] for match in _TABLE_ROW.findall(table)]
    # drop the header and the |---| separator
    return [row for row in rows[2:] if not set(row[0]) <= {"-"}]


def _first_table(text: str) -> str:
    start = text.find("\n|")
    return "" if start < 0 else text[start + 1 :].split("\n\n", 1)[0]


def _read_parameters(table: str) -> list[SeedParameter]:
    return [
        SeedParameter(name=row[0], location=row[1], type=row[2], required=row[3] == "true")
        for row in _rows(table)
        if not row[0].startswith("»")  # nested body fields belong to the body schema
    ]


def _read_problems(section: str) -> dict[str, dict[str, str]]:
    """Status → {title, type, status, detail} from each status's Enumerated Values table."""
    problems: dict[str, dict[str, str]] = {}
    parts = _STATUS_SECTION.split(section)
    for status, body in zip(parts[1::2], parts[2::2], strict=True):
        values = {row[0]: row[1] for row in _rows(_between(body, "#### Enumerated Values", "Status Code"))}
        if all(name in values for name in PROBLEM_FIELDS):
            problems[status] = {name: values[name] for name in PROBLEM_FIELDS}
    return problems


def find_examples(node: object, trail: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    """Every `example` value inside a seed JSON block, with the property trail that leads to it."""
    found: list[tuple[tuple[str, ...], object]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "example":
                found.append((trail, value))
            else:
                found.extend(find_examples(value, (*trail, key)))
    elif isinstance(node, list):
        for value in node:
            found.extend(find_examples(value, trail))
    return found
