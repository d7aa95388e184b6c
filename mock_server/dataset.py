"""The data a mock starts with: fixtures read from YAML, or customers generated on the fly.

Fixture files hold, under each top-level collection name (`customers:`), a list of records; a record may nest
its sub-collections under their names (`contacts:`, `parts:`, `programs:`) and carry the mock-only `locked: true`.
Ids and timestamps are kept when given; slugs are always derived from labels, as the server would.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mock_server.fake import Faker, generate
from mock_server.resources import Resource, ResourceModel
from mock_server.slugs import slugify
from mock_server.store import SeedRecord

LOCKED_FLAG = "locked"


class DatasetError(Exception):
    """Fixtures that cannot be read or do not fit the spec."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a seed record came from, for error messages: `customers.yaml: customers[3].contacts[0]`."""

    file: str
    path: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}"


@dataclass(frozen=True, slots=True)
class Dataset:
    records: list[SeedRecord]
    origins: list[Origin]


def load_fixtures(directory: Path, model: ResourceModel) -> Dataset:
    if not directory.is_dir():
        raise DatasetError(f"the fixtures folder {str(directory)!r} does not exist")
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not files:
        raise DatasetError(f"the fixtures folder {str(directory)!r} holds no .yaml files")
    records: list[SeedRecord] = []
    origins: list[Origin] = []
    roots = {resource.name: resource for resource in model.roots}
    for file in files:
        document = _read_yaml(file)
        for name, entries in document.items():
            if name not in roots:
                raise DatasetError(f"{file.name}: {name!r} is not a collection of the spec (known: {', '.join(roots)})")
            for record, origin in _records(roots[name], entries, None, file.name, name):
                records.append(record)
                origins.append(origin)
    return Dataset(records, origins)


def _read_yaml(file: Path) -> dict[str, Any]:
    try:
        document = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read {file.name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise DatasetError(f"{file.name} is not valid YAML: {' '.join(str(exc).split())}") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise DatasetError(f"{file.name}: the top level must map collection names to lists of records")
    return document


def _records(
    resource: Resource, entries: Any, parent_id: str | None, file: str, path: str
) -> Iterator[tuple[SeedRecord, Origin]]:
    if not isinstance(entries, list):
        raise DatasetError(f"{file}: {path} must be a list of records")
    children = {child.name: child for child in resource.children}
    for index, entry in enumerate(entries):
        where = f"{path}[{index}]"
        if not isinstance(entry, dict):
            raise DatasetError(f"{file}: {where} must be a mapping of fields")
        fields = {key: value for key, value in entry.items() if key not in children and key != LOCKED_FLAG}
        locked = entry.get(LOCKED_FLAG, False)
        if not isinstance(locked, bool):
            raise DatasetError(f"{file}: {where}.{LOCKED_FLAG} must be true or false")
        item_id = fields.get(resource.id_property)
        if not isinstance(item_id, str) or not item_id:
            raise DatasetError(f"{file}: {where} needs a {resource.id_property!r} (a non-empty string)")
        yield SeedRecord(resource.name, derived_fields(resource, fields), parent_id, locked), Origin(file, where)
        for child_name, child in children.items():
            if child_name in entry:
                yield from _records(child, entry[child_name], item_id, file, f"{where}.{child_name}")


def derived_fields(resource: Resource, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields as the server stores them: the slug follows the label whenever the schema has one."""
    stored = dict(fields)
    properties = resource.item_schema.get("properties") or {}
    if "slug" in properties and isinstance(stored.get("label"), str):
        stored["slug"] = slugify(stored["label"])
    return stored


def generate_dataset(model: ResourceModel, count: int, seed: int | None) -> Dataset:
    """`count` records of each top-level collection, realistic and unique by slug; no sub-resources.

    Built for size (benchmarks load 100,000): a few hundred fully generated records serve as templates, each new
    record takes a template's nested values (shared, never mutated: the store replaces, it does not edit) and
    gets its own id, label, slug and timestamps.
    """
    rng = random.Random(seed)
    faker = Faker(rng)
    records: list[SeedRecord] = []
    moments = sorted(faker.timestamp() for _ in range(min(count, 4096) + 1))
    for resource in model.roots:
        templates = [fake_fields(resource, faker) for _ in range(min(count, 256))]
        taken: dict[str, int] = {}
        has_slug = "slug" in (resource.item_schema.get("properties") or {})
        for number in range(1, count + 1):
            fields = dict(templates[int(rng.random() * len(templates))])
            if isinstance(fields.get("label"), str):
                fields["label"] = _unique_label(faker.company(), taken)
                if has_slug:
                    fields["slug"] = slugify(fields["label"])
            if "created" in fields:
                first, second = sorted((int(rng.random() * len(moments)), int(rng.random() * len(moments))))
                fields["created"] = moments[first]
                if "updated" in fields:
                    fields["updated"] = moments[second]
            fields[resource.id_property] = f"{resource.singular[:3]}{number:07d}"
            records.append(SeedRecord(resource.name, fields))
    origins = [Origin("generated", f"{record.collection}[{index}]") for index, record in enumerate(records)]
    return Dataset(records, origins)


def _unique_label(label: str, taken: dict[str, int]) -> str:
    """`label`, or `label 2`, `label 3`… the first time each would repeat: no two records share a slug."""
    seen = taken.get(label, 0)
    taken[label] = seen + 1
    return label if seen == 0 else f"{label} {seen + 1}"


def fake_fields(resource: Resource, faker: Faker, parent_label: str | None = None) -> dict[str, Any]:
    """Writable and timestamp fields of one believable record of `resource` (no id, links, totals or slug)."""
    properties: Mapping[str, Any] = resource.item_schema.get("properties") or {}
    required = set(resource.item_schema.get("required") or [])
    parent = resource.parent.singular if resource.parent else None
    faker.begin_record()
    fields: dict[str, Any] = {}
    for name, schema in properties.items():
        if name in ("_links", "slug", resource.id_property, parent) or name.startswith("total_"):
            continue
        if (schema or {}).get("readOnly") and name not in ("created", "updated"):
            continue
        if name not in required and (schema or {}).get("deprecated") and faker.rng.random() < 0.5:
            continue  # deprecated members show up on some records only, as they would in a living system
        fields[name] = faker.realistic(resource.singular, name, schema or {}, _generic(schema or {}, faker, name))
    _make_consistent(fields, faker, parent_label)
    return fields


def _generic(schema: Mapping[str, Any], faker: Faker, name: str) -> Callable[[], Any]:
    return lambda: generate(schema, faker.rng, name)


def _make_consistent(fields: dict[str, Any], faker: Faker, company: str | None) -> None:
    """Members that must agree with each other: updated after created, email from the name, a part's codes."""
    if isinstance(fields.get("created"), str):
        created = fields["created"]
        updated = faker.timestamp()
        fields["updated"] = max(created, updated)
    if isinstance(fields.get("name"), str) and isinstance(fields.get("email"), str):
        fields["email"] = faker.email(fields["name"], company)
    start, end = fields.get("start_date"), fields.get("end_date")
    if isinstance(start, str) and isinstance(end, str) and end < start:
        fields["start_date"], fields["end_date"] = end, start
