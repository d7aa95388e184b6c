"""Believable fake data from an explicit `random.Random`: the same seed always gives the same data.

Two layers: `Faker` knows this domain (company labels, people, phones, part numbers, programs, custom-field
filters); `generate` turns *any* schema into a valid value (formats, enums, patterns, nullable, anyOf/oneOf/allOf,
bounds, uniqueItems) and asks `Faker` for a realistic value when a property's name says what it holds.
"""

from __future__ import annotations

import json
import random
import string
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from mock_server.schemas import compile_validator, ecma_regex
from mock_server.slugs import slugify

try:  # Python ≥ 3.11 keeps the regex parser here; `sre_parse` warns on import there.
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_PREFIXES = [
    "Northwind",
    "Bluewater",
    "Summit",
    "Ironbridge",
    "Cedar Ridge",
    "Silverline",
    "Harbor Point",
    "Redwood",
    "Granite Peak",
    "Lakeshore",
    "Brightpath",
    "Evergreen",
    "Copperfield",
    "Stonegate",
    "Westfield",
    "Pinecrest",
    "Riverbend",
    "Clearwater",
    "Oakmont",
    "Highland",
    "Meridian",
    "Keystone",
    "Sterling",
    "Blue Harbor",
    "Falcon",
    "Atlas",
    "Beacon",
    "Horizon",
    "Pioneer",
    "Crescent",
    "Trident",
    "Vanguard",
    "Juniper",
    "Maple Leaf",
    "Sunrise",
]
_TRADES = [
    "Logistics",
    "Property Management",
    "Facilities",
    "Healthcare",
    "Energy",
    "Hospitality",
    "Manufacturing",
    "Retail Group",
    "Telecom",
    "Utilities",
    "Construction",
    "Cold Storage",
    "Transit",
    "Data Centers",
    "Foods",
    "Water Works",
    "Security Services",
    "Medical Devices",
    "Schools",
    "Senior Living",
]
_SUFFIXES = ["Inc.", "LLC", "Co.", "Group", "Partners", "Ltd.", "Corporation", "Holdings", ""]
_FIRST_NAMES = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Mateo",
    "Sophia",
    "Lucas",
    "Isabella",
    "Ethan",
    "Mia",
    "James",
    "Amelia",
    "Benjamin",
    "Harper",
    "Elijah",
    "Evelyn",
    "Daniel",
    "Priya",
    "Wei",
    "Fatima",
    "Hiroshi",
    "Chloé",
    "Jonas",
    "Aisha",
    "Diego",
    "Ingrid",
    "Kwame",
    "Sofia",
    "Ravi",
    "Maya",
    "Omar",
    "Hannah",
    "Tomás",
    "Leila",
]
_LAST_NAMES = [
    "Smith",
    "Johnson",
    "Garcia",
    "Martinez",
    "Nguyen",
    "Patel",
    "Kim",
    "Chen",
    "Okafor",
    "Müller",
    "Rossi",
    "Silva",
    "Novak",
    "Kowalski",
    "Haddad",
    "Andersen",
    "O'Brien",
    "Tanaka",
    "Dubois",
    "Jensen",
    "Moreno",
    "Fischer",
    "Walker",
    "Hughes",
    "Bennett",
    "Brooks",
    "Reyes",
    "Sato",
    "Ivanova",
    "Mensah",
    "Larsen",
]
_ROLES = [
    "Facilities Manager",
    "Operations Director",
    "IT Lead",
    "Procurement Officer",
    "Site Supervisor",
    "Account Executive",
    "Maintenance Coordinator",
    "Project Manager",
    "Energy Analyst",
    "Office Manager",
]
_PART_KINDS = [
    ("Smart Thermostat", "THM"),
    ("Door Access Controller", "DAC"),
    ("Water Leak Sensor", "WLS"),
    ("LED Panel Driver", "LED"),
    ("Network Gateway", "GW"),
    ("Occupancy Sensor", "OCC"),
    ("Chiller Controller", "CHL"),
    ("Security Camera", "CAM"),
    ("Energy Meter", "MTR"),
    ("Air Quality Monitor", "AQM"),
    ("Badge Reader", "BDG"),
    ("Backup Battery Pack", "BAT"),
    ("Rooftop Unit Controller", "RTU"),
    ("Freezer Alarm", "FRZ"),
]
_MAKERS = ["Honeywell", "Siemens", "Schneider", "Bosch", "Axis", "Johnson Controls", "Carrier", "Legrand", "Eaton"]
_PROGRAM_KINDS = [
    "Fleet Refresh",
    "HVAC Retrofit",
    "Lighting Upgrade",
    "Access Control Rollout",
    "Preventive Maintenance",
    "Energy Audit",
    "Camera Replacement",
    "Network Modernization",
    "Leak Detection Pilot",
    "Store Remodel",
]
_REGIONS = ["Northeast", "Midwest", "West Coast", "Gulf", "Mountain", "EMEA", "APAC", "Downtown", "Campus"]
_STATUS_SETS = [
    [("Pending", "PENDING"), ("In progress", "IN_PROGRESS"), ("Done", "COMPLETE")],
    [
        ("New", "PENDING"),
        ("Scheduled", "PENDING"),
        ("On site", "IN_PROGRESS"),
        ("QA review", "VERIFYING"),
        ("Closed", "COMPLETE"),
        ("Cancelled", "CANCELLED"),
    ],
    [("Open", "PENDING"), ("Working", "IN_PROGRESS"), ("Waiting on parts", "BLOCKED"), ("Resolved", "COMPLETE")],
    [
        ("Draft", "PENDING"),
        ("Active", "IN_PROGRESS"),
        ("Verifying", "VERIFYING"),
        ("Complete", "COMPLETE"),
        ("On hold", "BLOCKED"),
        ("Cancelled", "CANCELLED"),
    ],
]
_PLATFORMS = ["salesforce", "hubspot", "netsuite", "sap", "zendesk"]
EPOCH = datetime(2021, 1, 4, 8, 0, tzinfo=timezone.utc)


class Faker:
    """Realistic values for this domain, all drawn from the one `random.Random` it is given."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._validators: dict[int, Any] = {}
        self._part: tuple[str, str, str] | None = None

    def begin_record(self) -> None:
        """Start a new record: members drawn together (a part's label and codes) are drawn afresh."""
        self._part = None

    def realistic(self, kind: str, name: str, schema: Mapping[str, Any], fallback: Callable[[], Any]) -> Any:
        """A domain value for member `name` of a `kind` record when one is known and fits `schema`."""
        maker = _REALISTIC.get((kind, name)) or _REALISTIC.get(("*", name))
        if maker is None:
            return fallback()
        value = maker(self)
        validator = self._validators.get(id(schema))
        if validator is None:
            validator = self._validators[id(schema)] = compile_validator(schema, for_request=False)
        return value if validator.is_valid(value) else fallback()

    def company(self) -> str:
        # Indexing by `random()` is several times cheaper than `choice`, and `--generate` calls this 100,000 times.
        draw = self.rng.random
        prefix = _PREFIXES[int(draw() * len(_PREFIXES))]
        trade = _TRADES[int(draw() * len(_TRADES))]
        suffix = _SUFFIXES[int(draw() * len(_SUFFIXES))]
        return f"{prefix} {trade} {suffix}" if suffix else f"{prefix} {trade}"

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST_NAMES)} {self.rng.choice(_LAST_NAMES)}"

    def role(self) -> str:
        return self.rng.choice(_ROLES)

    def domain(self, company: str | None = None) -> str:
        words = slugify(company or self.company()).split("-")
        return "".join(words[:2]) + self.rng.choice([".com", ".net", ".io", ".co"])

    def email(self, person: str | None = None, company: str | None = None) -> str:
        local = ".".join(slugify(person or self.person()).split("-")[:2]) or "contact"
        return f"{local}@{self.domain(company)}"

    def phone(self) -> str:
        return f"+1 {self.rng.randint(201, 989)}-555-{self.rng.randint(100, 199):04d}"

    def moment(self, after: datetime = EPOCH, within_days: int = 1400) -> datetime:
        seconds = self.rng.randint(0, within_days * 86400)
        return (after + timedelta(seconds=seconds)).replace(microsecond=self.rng.randint(0, 999) * 1000)

    def timestamp(self, after: datetime = EPOCH, within_days: int = 1400) -> str:
        moment = self.moment(after, within_days)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

    def part(self) -> tuple[str, str, str]:
        """(label, manufacturer part number, serial prefix), the same three for every member of one record."""
        if self._part is None:
            self._part = self._new_part()
        return self._part

    def _new_part(self) -> tuple[str, str, str]:
        kind, code = self.rng.choice(_PART_KINDS)
        model = f"{code}-{self.rng.randint(100, 9900)}"
        maker = self.rng.choice(_MAKERS)
        return f"{maker} {kind} {model}", f"{code}{self.rng.randint(1000, 99999)}-{self.rng.choice('ABCDEFGHJK')}", code

    def program(self) -> str:
        return f"{self.rng.randint(2022, 2027)} {self.rng.choice(_REGIONS)} {self.rng.choice(_PROGRAM_KINDS)}"

    def allowed_statuses(self) -> list[dict[str, str]]:
        return [{"status": status, "category": category} for status, category in self.rng.choice(_STATUS_SETS)]

    def external_platform(self) -> dict[str, str]:
        platforms = self.rng.sample(_PLATFORMS, self.rng.randint(1, 2))
        return {name: "".join(self.rng.choices(string.ascii_uppercase + string.digits, k=12)) for name in platforms}

    def input_filters(self) -> list[dict[str, Any]]:
        """Custom fields a real part would carry, with filters and validators that make sense together."""
        catalog = [
            {
                "label": "Firmware version",
                "key": "firmware-version",
                "filters": [{"type": "trim", "options": {"start": True, "end": True}}],
                "validators": [{"type": "mask", "options": {"mask": "^[0-9]+\\.[0-9]+\\.[0-9]+$"}}],
            },
            {
                "label": "Install location",
                "key": "install-location",
                "filters": [{"type": "trim", "options": {}}, {"type": "upper", "options": {}}],
                "validators": [{"type": "length", "options": {"length": "64", "operator": "less_than_equals"}}],
            },
            {
                "label": "Setpoint (°F)",
                "key": "setpoint-f",
                "filters": [{"type": "float", "options": {"precision": 1}}],
                "validators": [{"type": "greater_than", "options": {"min": 50, "max": 90, "include": True}}],
            },
            {
                "label": "Voltage",
                "key": "voltage",
                "filters": [
                    {
                        "type": "allowed_list",
                        "options": {
                            "approved_values": ["120V", "208V", "240V", "277V"],
                            "default": "120V",
                            "check_case": False,
                        },
                    }
                ],
                "validators": [{"type": "whiteList", "options": {"list": ["120V", "208V", "240V", "277V"]}}],
            },
            {
                "label": "MAC address",
                "key": "mac-address",
                "filters": [{"type": "lower", "options": {}}],
                "validators": [{"type": "macAddress", "options": {}}],
            },
            {
                "label": "Management IP",
                "key": "management-ip",
                "filters": [{"type": "trim", "options": {}}],
                "validators": [{"type": "ipAddress", "options": {"versions": ["IPv4", "IPv6"]}}],
            },
            {
                "label": "Asset tag",
                "key": "asset-tag",
                "filters": [{"type": "prefix", "options": {"prefix": "AT-"}}, {"type": "upper", "options": {}}],
                "validators": [{"type": "startsWith", "options": {"starts_with": "AT-", "check_case": True}}],
            },
            {
                "label": "Service interval (days)",
                "key": "service-interval-days",
                "filters": [{"type": "number", "options": {}}],
                "validators": [{"type": "step", "options": {"step": 30, "start": 30, "end": 365}}],
            },
        ]
        return [dict(entry) for entry in self.rng.sample(catalog, self.rng.randint(1, 3))]


_REALISTIC: dict[tuple[str, str], Callable[[Faker], Any]] = {
    ("customer", "label"): Faker.company,
    ("contact", "label"): Faker.role,
    ("part", "label"): lambda faker: faker.part()[0],
    ("part", "manufacturer"): lambda faker: {"part_number": faker.part()[1]},
    ("part", "serial_prefix"): lambda faker: faker.part()[2] + "-",
    ("part", "input_filter"): Faker.input_filters,
    ("program", "label"): Faker.program,
    ("program", "start_date"): lambda faker: faker.timestamp(),
    ("program", "end_date"): lambda faker: None if faker.rng.random() < 0.3 else faker.timestamp(),
    ("*", "name"): Faker.person,
    ("*", "email"): Faker.email,
    ("*", "phone"): Faker.phone,
    ("*", "created"): lambda faker: faker.timestamp(),
    ("*", "updated"): lambda faker: faker.timestamp(),
    ("*", "allowed_statuses"): Faker.allowed_statuses,
    ("*", "external_platform"): Faker.external_platform,
}


def generate(schema: Mapping[str, Any], rng: random.Random, name: str = "", depth: int = 0) -> Any:
    """A value valid against an OpenAPI 3.0 schema, realistic where the property name says what it is."""
    # OpenAPI 3.0.3: `nullable` does not widen an `enum` that leaves out null.
    if schema.get("nullable") and (None in schema.get("enum", [None])) and rng.random() < 0.15:
        return None
    if "enum" in schema and schema["enum"]:
        return rng.choice(schema["enum"])
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged = _merge(merged, part)
        return generate({**merged, **{k: v for k, v in schema.items() if k != "allOf"}}, rng, name, depth)
    for keyword in ("oneOf", "anyOf"):
        if schema.get(keyword):
            branch = rng.choice(schema[keyword])
            rest = {key: value for key, value in schema.items() if key != keyword}
            return generate(_merge(rest, branch), rng, name, depth)
    kind = schema.get("type") or _infer_type(schema)
    if isinstance(kind, list):
        kind = rng.choice([option for option in kind if option != "null"] or ["null"])
    generator = _GENERATORS.get(kind, _any_value)
    return generator(schema, rng, name, depth)


def _merge(left: Mapping[str, Any], right: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(left)
    for key, value in right.items():
        if key == "properties":
            merged["properties"] = {**merged.get("properties", {}), **value}
        elif key == "required":
            merged["required"] = sorted({*merged.get("required", []), *value})
        else:
            merged[key] = value
    return merged


def _infer_type(schema: Mapping[str, Any]) -> str:
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def _object(schema: Mapping[str, Any], rng: random.Random, name: str, depth: int) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    value: dict[str, Any] = {}
    for prop, sub in properties.items():
        if prop in required or (depth < 4 and rng.random() < 0.7):
            value[prop] = generate(sub or {}, rng, prop, depth + 1)
    minimum = schema.get("minProperties", 0)
    extra = 0
    while len(value) < minimum and schema.get("additionalProperties", True) is not False:
        extra += 1
        value[f"extra_{extra}"] = "value"
    return value


def _array(schema: Mapping[str, Any], rng: random.Random, name: str, depth: int) -> list[Any]:
    low = schema.get("minItems", 0)
    high = min(schema.get("maxItems", low + 3), low + 3)
    wanted = rng.randint(low, max(low, high))
    items = schema.get("items") or {}
    values: list[Any] = []
    seen: set[str] = set()
    for _ in range(wanted * 10 + 10):
        if len(values) >= wanted:
            break
        candidate = generate(items, rng, name.removesuffix("s"), depth + 1)
        key = json.dumps(candidate, sort_keys=True)
        if schema.get("uniqueItems") and key in seen:
            continue
        seen.add(key)
        values.append(candidate)
    return values


def _integer(schema: Mapping[str, Any], rng: random.Random, name: str, depth: int) -> int:
    low, high = _bounds(schema, 0, 1000)
    low, high = int(-(-low // 1)), int(high // 1)
    multiple = schema.get("multipleOf")
    value = rng.randint(low, max(low, high))
    if isinstance(multiple, int) and multiple > 0:
        value = -(-low // multiple) * multiple
    return value


def _number(schema: Mapping[str, Any], rng: random.Random, name: str, depth: int) -> float | int:
    if name.startswith("total_"):
        return rng.randint(0, 40)
    low, high = _bounds(schema, 0, 1000)
    if schema.get("multipleOf"):
        return _integer({**schema, "type": "integer"}, rng, name, depth)
    return round(rng.uniform(low, high), 2) if high > low else low


def _bounds(schema: Mapping[str, Any], default_low: float, default_high: float) -> tuple[float, float]:
    low = schema.get("minimum", default_low if "maximum" not in schema else schema["maximum"] - default_high)
    high = schema.get("maximum", low + default_high)
    if schema.get("exclusiveMinimum"):
        low += 1
    if schema.get("exclusiveMaximum"):
        high -= 1
    return low, high


def _boolean(schema: Mapping[str, Any], rng: random.Random, name: str, depth: int) -> bool:
    return rng.random() < 0.5


def _any_value(schema: Mapping[str, Any], rng: random.Random, name: str, depth: int) -> Any:
    return _string({}, rng, name, depth)


def _string(schema: Mapping[str, Any], rng: random.Random, name: str, depth: int) -> str:
    value = _formatted(schema, rng, name)
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if len(value) < low:
        value += "x" * (low - len(value))
    if high is not None and len(value) > high:
        value = value[:high]
    return value


def _formatted(schema: Mapping[str, Any], rng: random.Random, name: str) -> str:
    faker = Faker(rng)
    fmt = schema.get("format")
    if "pattern" in schema:
        # A realistic value when it happens to fit the pattern (ids, slugs, status labels), else one built from it.
        candidate = _slug_value(faker) if "slug" in name or name == "key" else _by_name(faker, name)
        return candidate if ecma_regex(schema["pattern"]).search(candidate) else from_pattern(schema["pattern"], rng)
    if fmt == "date-time":
        return faker.timestamp()
    if fmt == "date":
        return faker.timestamp()[:10]
    if fmt == "email":
        return faker.email()
    if fmt in ("uri", "url", "uri-reference"):
        return f"https://{faker.domain()}/{slugify(faker.company())}"
    if fmt == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if fmt == "ipv4":
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    if fmt == "ipv6":
        return ":".join(f"{rng.getrandbits(16):x}" for _ in range(8))
    if fmt == "hostname":
        return faker.domain()
    return _by_name(faker, name)


def _by_name(faker: Faker, name: str) -> str:
    lowered = name.lower()
    if lowered == "name" or lowered.endswith("_name"):
        return faker.person()
    if "phone" in lowered:
        return faker.phone()
    if "email" in lowered:
        return faker.email()
    if lowered.endswith("_id") or lowered == "id":
        return _identifier(faker.rng)
    if "part_number" in lowered:
        return faker.part()[1]
    if "prefix" in lowered:
        return faker.part()[2]
    if lowered in ("label", "title"):
        return faker.company()
    if "status" in lowered:
        return faker.rng.choice(["Pending", "Active", "Closed"])
    if "date" in lowered or lowered in ("created", "updated"):
        return faker.timestamp()
    return faker.rng.choice(["Main office", "North wing", "Loading dock", "Level 2", "Server room", "Lobby"])


def _slug_value(faker: Faker) -> str:
    return slugify(faker.company())


def _identifier(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_lowercase + string.digits, k=16))


_GENERATORS = {
    "object": _object,
    "array": _array,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "string": _string,
    "null": lambda schema, rng, name, depth: None,
}


# --- strings matching a regular expression -------------------------------------------------------------------

_CATEGORY_CHARS = {
    sre_constants.CATEGORY_DIGIT: string.digits,
    sre_constants.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_DIGIT: string.ascii_letters,
    sre_constants.CATEGORY_NOT_WORD: " -.",
    sre_constants.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
_PRINTABLE = string.ascii_letters + string.digits + " -_."


def from_pattern(pattern: str, rng: random.Random) -> str:
    """A short string that `pattern` matches (ECMA-262 anchors: no trailing newline is ever produced)."""
    return "".join(_emit(sre_parse.parse(pattern), rng))


def _emit(parsed: Any, rng: random.Random) -> list[str]:
    out: list[str] = []
    for opcode, argument in parsed:
        out.extend(_emit_one(opcode, argument, rng))
    return out


def _emit_one(opcode: Any, argument: Any, rng: random.Random) -> list[str]:
    if opcode == sre_constants.LITERAL:
        return [chr(argument)]
    if opcode == sre_constants.NOT_LITERAL:
        return [rng.choice([char for char in _PRINTABLE if ord(char) != argument])]
    if opcode == sre_constants.ANY:
        return [rng.choice(string.ascii_letters)]
    if opcode == sre_constants.IN:
        return [_from_class(argument, rng)]
    if opcode in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", -1)):
        low, high, sub = argument
        high = low + 4 if high == sre_constants.MAXREPEAT else min(high, low + 4)
        return [char for _ in range(rng.randint(low, max(low, high))) for char in _emit(sub, rng)]
    if opcode == sre_constants.SUBPATTERN:
        return _emit(argument[-1], rng)
    if opcode == sre_constants.BRANCH:
        return _emit(rng.choice(argument[1]), rng)
    return []  # anchors (AT) and assertions produce no characters


def _from_class(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    negate = any(opcode == sre_constants.NEGATE for opcode, _ in items)
    allowed: list[str] = []
    for opcode, argument in items:
        if opcode == sre_constants.LITERAL:
            allowed.append(chr(argument))
        elif opcode == sre_constants.RANGE:
            low, high = argument
            allowed.extend(chr(code) for code in range(low, min(high, low + 200) + 1))
        elif opcode == sre_constants.CATEGORY:
            allowed.extend(_CATEGORY_CHARS.get(argument, string.ascii_letters))
    if negate:
        allowed = [char for char in _PRINTABLE if char not in allowed]
    # Prefer letters and digits so generated values look like identifiers, not punctuation.
    friendly = [char for char in allowed if char.isalnum()] or allowed
    return rng.choice(friendly or ["a"])
