"""Fake data is deterministic per seed, believable, and valid for any schema the spec may hold."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource

from customers_spec import SPEC_PATH
from mock_server.fake import Faker, from_pattern, generate
from mock_server.schemas import ecma_regex

DOCUMENT: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
REGISTRY = Registry().with_resource("", Resource.opaque(DOCUMENT))
COMPONENTS = sorted(DOCUMENT["components"]["schemas"])
SEEDS = range(40)


def _resolved(node: Any) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = DOCUMENT
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            return _resolved(target)
        return {key: _resolved(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(item) for item in node]
    return node


def _assert_valid(schema: dict[str, Any], value: Any) -> None:
    errors = [error.message for error in OAS30Validator(schema, registry=REGISTRY).iter_errors(value)]
    assert not errors, (value, errors)


@pytest.mark.parametrize("name", COMPONENTS)
def test_every_component_schema_gets_valid_values_for_every_seed(name: str) -> None:
    schema = _resolved(DOCUMENT["components"]["schemas"][name])
    for seed in SEEDS:
        _assert_valid(schema, generate(schema, random.Random(seed), name))


SYNTHETIC = [
    {"type": "string", "format": "date-time"},
    {"type": "string", "format": "date"},
    {"type": "string", "format": "email"},
    {"type": "string", "format": "uri"},
    {"type": "string", "format": "uuid"},
    {"type": "string", "format": "ipv4"},
    {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
    {"type": "string", "pattern": "^(?:red|green|blue)$"},
    {"type": "string", "minLength": 12, "maxLength": 14},
    {"type": "string", "enum": ["a", "b"], "nullable": True},
    {"type": "integer", "minimum": 5, "maximum": 9},
    {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 2},
    {"type": "number", "minimum": -1.5, "maximum": 1.5},
    {"type": "integer", "multipleOf": 7, "minimum": 10, "maximum": 40},
    {"type": "boolean"},
    {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 3}, "minItems": 3, "uniqueItems": True},
    {"type": "array", "items": {"type": "string", "enum": ["x", "y", "z"]}, "minItems": 2, "maxItems": 2},
    {"anyOf": [{"type": "integer"}, {"type": "string", "format": "email"}]},
    {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^x+$"}]},
    {
        "allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}},
        ]
    },
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["phone", "email", "name"],
        "properties": {"phone": {"type": "string"}, "email": {"type": "string"}, "name": {"type": "string"}},
    },
    {"type": "string", "format": "date-time", "nullable": True},
]


@pytest.mark.parametrize("schema", SYNTHETIC, ids=[str(index) for index in range(len(SYNTHETIC))])
def test_schema_features_are_honoured(schema: dict[str, Any]) -> None:
    for seed in SEEDS:
        _assert_valid(schema, generate(schema, random.Random(seed)))


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    schema = _resolved(DOCUMENT["components"]["schemas"]["Part"])

    assert generate(schema, random.Random(4)) == generate(schema, random.Random(4))
    assert generate(schema, random.Random(4)) != generate(schema, random.Random(5))


def test_values_look_like_the_real_thing() -> None:
    faker = Faker(random.Random(1))

    assert re.fullmatch(r"[A-Z][\w .'&-]+", faker.company())
    assert re.fullmatch(r"\S+ \S+", faker.person())
    assert re.fullmatch(r"[a-z.']+@[a-z]+\.(com|net|io|co)", faker.email("Ann O'Neil", "Acme Foods"))
    assert re.fullmatch(r"\+1 \d{3}-555-\d{4}", faker.phone())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", faker.timestamp())
    label, part_number, prefix = faker.part()
    assert prefix in label and part_number.startswith(prefix)


def test_property_names_steer_plain_strings_to_realistic_values() -> None:
    value = generate(
        {
            "type": "object",
            "required": ["name", "email", "phone"],
            "properties": {
                "name": {"type": "string"},
                "email": {"type": "string", "format": "email"},
                "phone": {"type": "string"},
            },
        },
        random.Random(2),
    )

    assert " " in value["name"] and "@" in value["email"] and value["phone"].startswith("+1 ")


@pytest.mark.parametrize("pattern", ["^[0-9a-zA-Z-_]+$", "^[a-z0-9]+(?:-[a-z0-9]+)*$", r"^\d{3}\.\w+$", "^[^x]y?$"])
def test_strings_from_a_pattern_match_it_with_ecma_semantics(pattern: str) -> None:
    for seed in SEEDS:
        value = from_pattern(pattern, random.Random(seed))
        assert ecma_regex(pattern).search(value), value
