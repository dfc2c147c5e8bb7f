"""Validated field types shared by the service spec models.

Each validator raises `ValueError` with a message that names what is wrong and what is allowed;
pydantic reports it against the field, and `generator.spec.answers` shows it to the user as is.
"""

from __future__ import annotations

import re
import sys
from typing import Annotated, Any, Final
from zoneinfo import available_timezones

from pydantic import AfterValidator, BeforeValidator, Field

NAME_MAX = 24
NAME_RULE: Final = (
    f"3-{NAME_MAX} characters: lowercase ASCII letters, digits and single hyphens, starting with "
    "a letter and ending with a letter or digit (e.g. orders-api)"
)
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_SHELL_META = set("$`;&|<>(){}[]*?!~'\"\\#%^=,+")


# Import names a generated repository depends on; a package of the same name would shadow them.
_DEPENDENCY_MODULES: Final = frozenset({
    "aws_lambda_powertools", "awslambdaric", "boto3", "botocore", "fastapi", "httpx", "moto",
    "psycopg", "pydantic", "pydantic_settings", "pytest", "starlette", "src", "tests", "uvicorn",
})  # fmt: skip


def _shadows_a_module(value: str) -> bool:
    package = value.replace("-", "_")
    return package in sys.stdlib_module_names or package in _DEPENDENCY_MODULES


def _name_problem(value: str) -> str | None:
    """The first specific reason `value` is not a service name, or None when it is valid."""
    checks: list[tuple[bool, str]] = [
        (value == "", "it is empty"),
        (not value.isascii(), "it contains non-ASCII characters"),
        (any(c.isspace() for c in value), "it contains whitespace"),
        ("/" in value or "\\" in value or ".." in value, "it looks like a path"),
        (any(c in _SHELL_META for c in value), "it contains shell metacharacters"),
        (any(c.isupper() for c in value), "it contains uppercase letters"),
        (value[:1].isdigit(), "it starts with a digit"),
        (
            len(value) > NAME_MAX,
            f"it is {len(value)} characters long (AWS resource names "
            f"built from it, like '<name>-staging', must stay within 32)",
        ),
        (len(value) < 3, "it is shorter than 3 characters"),
        (_NAME_RE.fullmatch(value) is None, "it has characters or hyphens in the wrong place"),
        (
            _shadows_a_module(value),
            "its Python package would shadow the standard-library or "
            "dependency module of the same name",
        ),
    ]
    return next((reason for failed, reason in checks if failed), None)


def check_service_name(value: str) -> str:
    """Validate a service name; it becomes part of AWS resource names, paths and packages."""
    problem = _name_problem(value)
    if problem:
        raise ValueError(f"{value!r} is not a valid service name: {problem}. Allowed: {NAME_RULE}")
    return value


ServiceName = Annotated[
    str,
    AfterValidator(check_service_name),
    Field(json_schema_extra={"pattern": _NAME_RE.pattern, "minLength": 3, "maxLength": NAME_MAX}),
]

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,38}$")


def check_slug(value: str) -> str:
    """Validate a GitHub organisation or team slug (also used as a tag value)."""
    if not _SLUG_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a GitHub slug. Allowed: 1-39 lowercase letters, digits and "
            "hyphens, starting with a letter or digit (e.g. platform-team)"
        )
    return value


Slug = Annotated[
    str,
    AfterValidator(check_slug),
    Field(json_schema_extra={"pattern": _SLUG_RE.pattern, "minLength": 1, "maxLength": 39}),
]


def check_optional_slug(value: str) -> str:
    """An empty string, or a slug (e.g. an optional catalog system)."""
    return value if value == "" else check_slug(value)


OptionalSlug = Annotated[
    str,
    AfterValidator(check_optional_slug),
    Field(json_schema_extra={"pattern": f"^$|{_SLUG_RE.pattern}", "maxLength": 39}),
]

# Commercial AWS regions (the partition scaffold's modules target).
AWS_REGIONS: Final = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
    "eu-north-1", "eu-south-1", "eu-south-2",
    "af-south-1", "il-central-1", "me-south-1", "me-central-1",
    "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7",
)  # fmt: skip


def check_region(value: str) -> str:
    """Validate an AWS region code."""
    if value not in AWS_REGIONS:
        raise ValueError(f"{value!r} is not an AWS region. Allowed: {', '.join(AWS_REGIONS)}")
    return value


AwsRegion = Annotated[
    str, AfterValidator(check_region), Field(json_schema_extra={"enum": list(AWS_REGIONS)})
]

ENVIRONMENTS: Final = ("dev", "staging", "prod")


def check_environments(value: list[str]) -> list[str]:
    """Validate the deployment environments: a non-empty subset of dev/staging/prod, in order."""
    unknown = [env for env in value if env not in ENVIRONMENTS]
    if unknown:
        spaced = [env for env in unknown if set(env.split()) <= set(ENVIRONMENTS)]
        hint = f" (separate them with commas: {','.join(spaced[0].split())})" if spaced else ""
        raise ValueError(
            f"unknown environment(s) {', '.join(map(repr, unknown))}{hint}. "
            f"Allowed: {', '.join(ENVIRONMENTS)}, as a comma-separated list"
        )
    if not value:
        raise ValueError(f"at least one environment is needed. Allowed: {', '.join(ENVIRONMENTS)}")
    if len(set(value)) != len(value):
        raise ValueError("environments must not repeat")
    return [env for env in ENVIRONMENTS if env in value]


Environments = Annotated[
    list[str],
    AfterValidator(check_environments),
    Field(
        json_schema_extra={
            "items": {"enum": list(ENVIRONMENTS)},
            "uniqueItems": True,
            "minItems": 1,
        }
    ),
]

RESERVED_TAGS: Final = ("service", "owner", "environment", "cost-center")
_TAG_CHARS = re.compile(r"^[\w .:/=+\-@]*$")


def check_tags(value: dict[str, str]) -> dict[str, str]:
    """Validate extra AWS tags: AWS's character set and lengths, no reserved or `aws:` keys."""
    if len(value) > 40:
        raise ValueError(f"{len(value)} tags given; at most 40 are allowed")
    for key, val in value.items():
        if key.lower() in RESERVED_TAGS:
            raise ValueError(
                f"tag {key!r} is set by scaffold; reserved keys: {', '.join(RESERVED_TAGS)}"
            )
        if key.lower().startswith("aws:"):
            raise ValueError(f"tag {key!r}: keys starting with 'aws:' are reserved by AWS")
        if not 1 <= len(key) <= 128 or not _TAG_CHARS.match(key):
            raise ValueError(
                f"tag key {key!r}: 1-128 characters of letters, digits, spaces and _ . : / = + - @"
            )
        if len(val) > 256 or not _TAG_CHARS.match(val):
            raise ValueError(
                f"tag {key!r}: the value must be 0-256 characters of letters, digits, spaces "
                "and _ . : / = + - @"
            )
    return value


TAGS_FORMAT: Final = "key=value pairs separated by commas (e.g. team=data,tier=gold) or a mapping"


def parse_tags(value: Any) -> Any:
    """Tags as a mapping, or as the text `key=value,key2=value2` (what --data and prompts take)."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected tags as {TAGS_FORMAT}, got {type(value).__name__}")
    tags: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        key, sep, val = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{item!r} is not key=value; write tags as {TAGS_FORMAT}")
        if key.strip() in tags:
            raise ValueError(f"tag {key.strip()!r} is given twice")
        tags[key.strip()] = val.strip()
    return tags


Tags = Annotated[dict[str, str], BeforeValidator(parse_tags), AfterValidator(check_tags)]

HealthPath = Annotated[str, Field(pattern=r"^/[A-Za-z0-9._~/-]{0,1023}$", max_length=1024)]


def check_timezone(value: str) -> str:
    """Validate an IANA time zone name (EventBridge Scheduler's schedule_expression_timezone)."""
    if value != "UTC" and value not in available_timezones():
        raise ValueError(f"{value!r} is not an IANA time zone name (e.g. UTC, Europe/Berlin)")
    return value


TimeZone = Annotated[str, AfterValidator(check_timezone)]
