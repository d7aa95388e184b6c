"""The data a mock starts with: fixtures read from YAML, or customers generated on the fly.

Fixture files hold, under each top-level collection name (`customers:`), a list of records; a record may nest
its sub-collections under their names (`contacts:`, `parts:`, `programs:`) and carry the mock-only `locked: true`.
Ids and timestamps are kept when given; slugs are always derived from labels, as the server would.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mock_server.fake import Faker, generate
from mock_server.json_input import unusable_values
from mock_server.resources import Resource, ResourceModel
from mock_server.slugs import slugify
from mock_server.store import SeedRecord

LOCKED_FLAG = "locked"
AUTH_FILE = "auth.yaml"  # the auth simulation's tokens, not records (see `auth`)


class DatasetError(Exception):
    """Fixtures or a state that cannot be read or do not fit the spec; `pointer` says where in the document."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.pointer = pointer


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a seed record came from, for error messages: `customers.yaml: customers[3].contacts[0]`."""

    file: str
    path: str
    pointer: str = ""  # the same place as a JSON pointer into the document: `/customers/3/contacts/0`

    def __str__(self) -> str:
        return f"{self.file}: {self.path}"

    def member(self, name: str) -> Origin:
        return Origin(self.file, f"{self.path}.{name}", f"{self.pointer}/{_escape(name)}")


@dataclass(frozen=True, slots=True)
class Dataset:
    records: list[SeedRecord]
    origins: list[Origin]


def load_fixtures(directory: Path, model: ResourceModel) -> Dataset:
    if not directory.is_dir():
        raise DatasetError(f"the fixtures folder {str(directory)!r} does not exist")
    files = sorted(file for file in [*directory.glob("*.yaml"), *directory.glob("*.yml")] if file.name != AUTH_FILE)
    if not files:
        raise DatasetError(f"the fixtures folder {str(directory)!r} holds no .yaml files")
    records: list[SeedRecord] = []
    origins: list[Origin] = []
    for file in files:
        dataset = dataset_from_document(_read_yaml(file), model, file.name)
        records.extend(dataset.records)
        origins.extend(dataset.origins)
    return Dataset(records, origins)


def dataset_from_document(document: Any, model: ResourceModel, origin: str) -> Dataset:
    """Records from one fixtures-shaped document: `{customers: [{..., contacts: [...]}]}`."""
    if not isinstance(document, dict):
        raise DatasetError(f"{origin}: the top level must map collection names to lists of records")
    unusable = next(unusable_values(document), None)
    if unusable is not None:
        raise DatasetError(f"{origin}: {_dotted(unusable.pointer)}: {unusable.message}", unusable.pointer)
    records: list[SeedRecord] = []
    origins: list[Origin] = []
    roots = {resource.name: resource for resource in model.roots}
    for name, entries in document.items():
        if name not in roots:
            raise DatasetError(f"{origin}: {name!r} is not a collection of the spec (known: {', '.join(roots)})")
        for record, where in _records(roots[name], entries, None, origin, name, f"/{_escape(name)}"):
            records.append(record)
            origins.append(where)
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
    resource: Resource, entries: Any, parent_id: str | None, file: str, path: str, pointer: str
) -> Iterator[tuple[SeedRecord, Origin]]:
    if not isinstance(entries, list):
        raise DatasetError(f"{file}: {path} must be a list of records", pointer)
    children = {child.name: child for child in resource.children}
    for index, entry in enumerate(entries):
        where = Origin(file, f"{path}[{index}]", f"{pointer}/{index}")
        if not isinstance(entry, dict):
            raise DatasetError(f"{where} must be a mapping of fields", where.pointer)
        fields = {key: value for key, value in entry.items() if key not in children and key != LOCKED_FLAG}
        locked = entry.get(LOCKED_FLAG, False)
        if not isinstance(locked, bool):
            raise DatasetError(f"{where.member(LOCKED_FLAG)} must be true or false", where.member(LOCKED_FLAG).pointer)
        item_id = fields.get(resource.id_property)
        if not isinstance(item_id, str) or not item_id:
            id_origin = where.member(resource.id_property)
            raise DatasetError(
                f"{where} needs a {resource.id_property!r} (a non-empty string)",
                id_origin.pointer if resource.id_property in fields else where.pointer,
            )
        yield SeedRecord(resource.name, derived_fields(resource, fields), parent_id, locked), where
        for child_name, child in children.items():
            if child_name in entry:
                child_origin = where.member(child_name)
                yield from _records(child, entry[child_name], item_id, file, child_origin.path, child_origin.pointer)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _dotted(pointer: str) -> str:
    """`/customers/1/label` as fixture messages write it: `customers[1].label`."""
    dotted = ""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        dotted += f"[{token}]" if token.isdigit() else f".{token}"
    return dotted.lstrip(".") or "the document"


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


def document_from_records(records: Iterable[SeedRecord], model: ResourceModel) -> dict[str, list[dict[str, Any]]]:
    """The inverse of `dataset_from_document`: records (parents first) nested the way fixture files are."""
    document: dict[str, list[dict[str, Any]]] = {resource.name: [] for resource in model.roots}
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        resource = model.named(record.collection)
        entry = dict(record.data)
        if record.locked:
            entry[LOCKED_FLAG] = True
        entries[(record.collection, str(entry[resource.id_property]))] = entry
        if resource.parent is None or record.parent_id is None:
            document.setdefault(record.collection, []).append(entry)
        else:
            parent = entries[(resource.parent.name, record.parent_id)]
            parent.setdefault(record.collection, []).append(entry)
    return document
