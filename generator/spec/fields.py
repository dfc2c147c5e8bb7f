"""Validated field types shared by the service spec models.

Each validator raises `ValueError` with a message that names what is wrong and what is allowed;
pydantic reports it against the field, and `generator.spec.answers` shows it to the user as is.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from typing import Annotated, Final
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field

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
            any(part in ("dev", "staging", "prod") for part in value.split("-")[1:]),
            "it contains an environment name as a part: resources are named "
            "<name>-<environment>, so 'orders-prod' in dev would overlap 'orders' in prod "
            "(orders-prod-dev) and the deploy roles, scoped by name, could reach each other",
        ),
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


def check_optional_region(value: str) -> str:
    """An empty string (none), or an AWS region code."""
    return value if value == "" else check_region(value)


OptionalRegion = Annotated[
    str,
    AfterValidator(check_optional_region),
    Field(json_schema_extra={"enum": ["", *AWS_REGIONS]}),
]

ENVIRONMENTS: Final = ("dev", "staging", "prod")


def check_environments(value: list[str]) -> list[str]:
    """Validate the deployment environments: a non-empty subset of dev/staging/prod, in order."""
    unknown = [env for env in value if env not in ENVIRONMENTS]
    if unknown:
        raise ValueError(
            f"unknown environment(s) {', '.join(map(repr, unknown))}. "
            f"Allowed: {', '.join(ENVIRONMENTS)}"
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

RESERVED_TAGS: Final = ("service", "owner", "environment", "stack", "cost-center")
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


Tags = Annotated[dict[str, str], AfterValidator(check_tags)]

HealthPath = Annotated[str, Field(pattern=r"^/[A-Za-z0-9._~/-]{0,1023}$", max_length=1024)]


def check_timezone(value: str) -> str:
    """Validate an IANA time zone name (EventBridge Scheduler's schedule_expression_timezone)."""
    if value != "UTC" and value not in available_timezones():
        raise ValueError(f"{value!r} is not an IANA time zone name (e.g. UTC, Europe/Berlin)")
    return value


TimeZone = Annotated[str, AfterValidator(check_timezone)]

_PRINCIPAL_RE = re.compile(
    r"^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]{1,512}"
    r"|user/[A-Za-z0-9+=,.@_/-]{1,512})$"
)


def check_principals(value: list[str]) -> list[str]:
    """IAM principal ARNs (role, user or account root), each once, at most 20."""
    if len(value) > 20:
        raise ValueError(f"{len(value)} principals given; at most 20 are allowed")
    if len(set(value)) != len(value):
        raise ValueError("principals must not repeat")
    for arn in value:
        if not _PRINCIPAL_RE.fullmatch(arn):
            raise ValueError(
                f"{arn!r} is not an IAM principal ARN. Allowed: arn:aws:iam::<account>:root, "
                "arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>"
            )
    return value


ProducerPrincipals = Annotated[
    list[str],
    AfterValidator(check_principals),
    Field(json_schema_extra={"items": {"pattern": _PRINCIPAL_RE.pattern}, "maxItems": 20}),
]

# --------------------------------------------------------------------------------------------
# Networks: the VPC of each environment and the callers an internal load balancer admits
# --------------------------------------------------------------------------------------------

#: RFC 1918 ranges: what a VPC that may be peered or attached to a transit gateway should use.
PRIVATE_RANGES: Final = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
#: Caller ranges may also be carrier-grade NAT space (RFC 6598), used by some VPNs.
CALLER_RANGES: Final = (*PRIVATE_RANGES, ipaddress.IPv4Network("100.64.0.0/10"))
#: AWS documents 172.17.0.0/16 as used by some AWS services (Docker's default bridge).
_AWS_RESERVED: Final = ipaddress.IPv4Network("172.17.0.0/16")
#: The network module splits a VPC into 4 quarters of private subnets and /6 public and
#: database subnets: a /16 to /20 leaves room for them (and for Fargate tasks' addresses).
VPC_PREFIXES: Final = (16, 20)
DEFAULT_VPC_CIDRS: Final = {
    "dev": "10.10.0.0/16",
    "staging": "10.20.0.0/16",
    "prod": "10.30.0.0/16",
}


def _network(text: str, what: str) -> ipaddress.IPv4Network:
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        raise ValueError(
            f"{text!r} is not an IPv4 network in CIDR notation with its host bits zero "
            f"({what}, e.g. 10.30.0.0/16): {exc}"
        ) from None
    if not isinstance(network, ipaddress.IPv4Network):
        raise ValueError(f"{text!r}: only IPv4 networks are supported ({what})")
    return network


def check_vpc_cidrs(value: dict[str, str]) -> dict[str, str]:
    """Each environment's VPC range: private, /16 to /20, not overlapping one another."""
    unknown = sorted(set(value) - set(ENVIRONMENTS))
    if unknown:
        raise ValueError(
            f"unknown environment(s) {', '.join(unknown)}. Allowed: dev, staging, prod"
        )
    networks = {env: _network(cidr, f"the VPC of {env}") for env, cidr in value.items()}
    low, high = VPC_PREFIXES
    for env, network in networks.items():
        if not any(network.subnet_of(r) for r in PRIVATE_RANGES):
            raise ValueError(
                f"{env}: {network} is not a private range; use part of 10.0.0.0/8, "
                "172.16.0.0/12 or 192.168.0.0/16 so the VPC can be peered or routed"
            )
        if not low <= network.prefixlen <= high:
            raise ValueError(
                f"{env}: {network} is a /{network.prefixlen}; the network module carves private, "
                f"public and database subnets for 3 availability zones out of a /{low} to /{high}"
            )
        if network.overlaps(_AWS_RESERVED):
            raise ValueError(
                f"{env}: {network} overlaps 172.17.0.0/16, which some AWS services use "
                "(AWS recommends not using it for a VPC)"
            )
    pairs = [(a, b) for a in networks for b in networks if a < b]
    for a, b in pairs:
        if networks[a].overlaps(networks[b]):
            raise ValueError(
                f"the VPCs of {a} ({networks[a]}) and {b} ({networks[b]}) overlap: give each "
                "environment its own range, or they can never be peered or share a transit gateway"
            )
    return {env: str(networks[env]) for env in ENVIRONMENTS if env in networks}


VpcCidrs = Annotated[dict[str, str], AfterValidator(check_vpc_cidrs)]


def check_caller_cidrs(value: list[str]) -> list[str]:
    """Caller ranges: IPv4 networks, each once, at most 25 (two rules each in one SG)."""
    if len(value) > 25:
        raise ValueError(
            f"{len(value)} ranges given; at most 25 (each takes 2 rules of the load balancer's "
            "security group, which allows 60)"
        )
    networks = [_network(cidr, "a caller range") for cidr in value]
    if len(set(networks)) != len(networks):
        raise ValueError("caller ranges must not repeat")
    return [str(n) for n in networks]


CallerCidrs = Annotated[list[str], AfterValidator(check_caller_cidrs)]
