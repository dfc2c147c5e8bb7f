"""What a template declares for updates: file ownership and migrations between versions.

Both live beside the per-type templates (`templates/ownership.yml`, `templates/migrations.yml`),
outside what Copier renders, so they ship with every template version and are read from the
version an update goes to. A generated repository may add ownership rules of its own in
`.scaffold/ownership.yml`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

from packaging.version import InvalidVersion, Version
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.errors import BadInputError, DataFileError, TemplateError
from generator.limits import load_yaml, read_text

M = TypeVar("M", bound=BaseModel)
Owner = Literal["managed", "seeded", "unmanaged"]
OWNERSHIP_FILE = "templates/ownership.yml"
MIGRATIONS_FILE = "templates/migrations.yml"
REPOSITORY_OWNERSHIP_FILE = ".scaffold/ownership.yml"
_SAFE_PATH = re.compile(r"^(?!/)(?!.*(^|/)\.\.(/|$))(?!(.*/)?\.git(/|$))[^\x00-\x1f\\]+$")


def _check_path(value: str) -> str:
    if not _SAFE_PATH.match(value):
        raise ValueError(
            "must be a relative path inside the repository (no '..', no '.git', no '/' first)"
        )
    return value


class OwnershipRule(BaseModel):
    """Files matching `path` (a glob, `**` for any depth) belong to `owner`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(min_length=1)
    owner: Owner
    types: list[str] | None = None

    _check = field_validator("path")(_check_path)


class OwnershipFile(BaseModel):
    """templates/ownership.yml, or a repository's .scaffold/ownership.yml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[OwnershipRule] = []


class Rename(BaseModel):
    """Move a file, or every file below a folder, to a new path."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)

    _check = field_validator("from_", "to")(_check_path)

    def apply(self, path: str) -> str | None:
        """The new path of `path`, or None when this rename does not concern it."""
        source = self.from_.rstrip("/")
        if path == source:
            return self.to.rstrip("/")
        if path.startswith(source + "/"):
            return self.to.rstrip("/") + path[len(source) :]
        return None


class Migration(BaseModel):
    """What to do to a repository when an update crosses `version`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    rename: list[Rename] = []

    @field_validator("version")
    @classmethod
    def _pep440(cls, value: str) -> str:
        try:
            Version(value.removeprefix("v"))
        except InvalidVersion:
            raise ValueError("must be a PEP 440 version such as 1.3.0") from None
        return value

    @property
    def parsed(self) -> Version:
        """The version as a comparable PEP 440 version."""
        return Version(self.version.removeprefix("v"))


class MigrationsFile(BaseModel):
    """templates/migrations.yml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    migrations: list[Migration] = []


def _load(path: Path, model: type[M], error: type[Exception]) -> M:
    if path.is_symlink():
        raise error(f"{path} is a symbolic link; scaffold reads it only as a file of its own")
    if not path.is_file():
        return model()
    try:
        data = load_yaml(read_text(path, "policy file"), str(path)) or {}
        return model.model_validate(data)
    except DataFileError as exc:
        raise error(exc.message) from None
    except ValidationError as exc:
        raise error(f"{path}: {exc}") from None


def load_policy_file(path: Path, model: type[M]) -> M:
    """A template's policy file (ownership or migrations); a broken one is a TemplateError."""
    return _load(path, model, TemplateError)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return _glob_regex(pattern)


class Ownership:
    """Ownership of every path of one service type's repositories."""

    def __init__(self, rules: list[OwnershipRule], service_type: str) -> None:
        self.rules = [r for r in rules if r.types is None or service_type in r.types]

    @classmethod
    def load(cls, template_root: Path, service_type: str, repo: Path | None = None) -> Ownership:
        """The template's rules, then the repository's own (which win)."""
        rules = list(_load(template_root / OWNERSHIP_FILE, OwnershipFile, TemplateError).rules)
        if repo is not None:
            own = _load(repo / REPOSITORY_OWNERSHIP_FILE, OwnershipFile, BadInputError)
            rules += own.rules
        return cls(rules, service_type)

    def owner(self, path: str) -> Owner:
        """Who owns `path`: the last matching rule, else managed."""
        found: Owner = "managed"
        for rule in self.rules:
            if _compiled(rule.path).match(path):
                found = rule.owner
        return found


def migrations_between(template_root: Path, current: Version, target: Version) -> list[Migration]:
    """The migrations of versions in (current, target], oldest first."""
    declared = _load(template_root / MIGRATIONS_FILE, MigrationsFile, TemplateError).migrations
    return sorted(
        (m for m in declared if current < m.parsed <= target),
        key=lambda m: m.parsed,
    )


def renamed(path: str, migrations: list[Migration]) -> str:
    """Where `path` ends up after `migrations` (each rename applies to the previous result)."""
    for migration in migrations:
        for rename in migration.rename:
            moved = rename.apply(path)
            if moved is not None:
                path = moved
    return path
