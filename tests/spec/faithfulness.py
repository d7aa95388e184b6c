"""Compares what the seed states with what the OpenAPI document says, fact by fact."""

from __future__ import annotations

from typing import Any

from tests.spec.seed_reader import PROBLEM_FIELDS, SeedOperation

SEED_TYPES = {"string": "string", "integer(int32)": "integer", "number": "number", "boolean": "boolean"}


def deref(document: dict[str, Any], node: Any) -> Any:
    """`node` with every local `$ref` replaced by its target (the spec has no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return deref(document, target)
        return {key: deref(document, value) for key, value in node.items()}
    if isinstance(node, list):
        return [deref(document, value) for value in node]
    return node


def operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId → (method, path, resolved operation with path-level parameters merged in)."""
    found = {}
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method == "parameters":
                continue
            merged = dict(operation, parameters=[*shared, *operation.get("parameters", [])])
            found[operation["operationId"]] = (method, path, deref(document, merged))
    return found


def missing_from_spec(seed: list[SeedOperation], document: dict[str, Any]) -> list[str]:
    """Every seed fact the spec does not carry, as one line each; empty when the spec is faithful."""
    findings: list[str] = []
    spec_operations = operations(document)
    for seed_op in seed:
        if seed_op.operation_id not in spec_operations:
            findings.append(f"{seed_op.operation_id}: operation missing")
            continue
        method, path, operation = spec_operations[seed_op.operation_id]
        if (method, path) != (seed_op.method, seed_op.path):
            findings.append(
                f"{seed_op.operation_id}: is {method.upper()} {path}, seed says {seed_op.method.upper()} {seed_op.path}"
            )
        findings += _missing_statuses(seed_op, operation)
        findings += _missing_parameters(seed_op, operation)
        findings += _missing_problem_values(seed_op, operation)
    return findings


def _missing_statuses(seed_op: SeedOperation, operation: dict[str, Any]) -> list[str]:
    return [
        f"{seed_op.operation_id}: status {status} missing"
        for status in seed_op.statuses
        if status not in operation["responses"]
    ]


def _missing_parameters(seed_op: SeedOperation, operation: dict[str, Any]) -> list[str]:
    findings = []
    by_name = {(p["name"], p["in"]): p for p in operation["parameters"]}
    body = (operation.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema", {})
    for parameter in seed_op.parameters:
        label = f"{seed_op.operation_id}: {parameter.location} parameter {parameter.name!r}"
        if parameter.location == "body":
            if parameter.name not in body.get("properties", {}):
                findings.append(f"{label} missing")
            elif parameter.required != (parameter.name in body.get("required", [])):
                findings.append(f"{label} required should be {parameter.required}")
            continue
        spec_parameter = by_name.get((parameter.name, parameter.location))
        if spec_parameter is None:
            findings.append(f"{label} missing")
            continue
        if bool(spec_parameter.get("required")) != parameter.required:
            findings.append(f"{label} required should be {parameter.required}")
        schema = spec_parameter["schema"]
        if schema.get("type") != SEED_TYPES[parameter.type]:
            findings.append(f"{label} type should be {parameter.type}")
        if parameter.type == "integer(int32)" and schema.get("format") != "int32":
            findings.append(f"{label} format should be int32")
    return findings


def _missing_problem_values(seed_op: SeedOperation, operation: dict[str, Any]) -> list[str]:
    findings = []
    for status, values in seed_op.problems.items():
        response = operation["responses"].get(status)
        if response is None:
            continue  # reported as a missing status
        schema = response.get("content", {}).get("application/problem+json", {}).get("schema")
        if schema is None:
            findings.append(f"{seed_op.operation_id}: {status} is not application/problem+json")
            continue
        for name in PROBLEM_FIELDS:
            expected = int(values[name]) if name == "status" else values[name]
            enum = schema.get("properties", {}).get(name, {}).get("enum")
            if enum != [expected]:
                findings.append(f"{seed_op.operation_id}: {status} problem {name} should be exactly {expected!r}")
    return findings
