"""Template versions: PEP 440 git tags of the repository that holds the templates.

A generated repository records where its template came from (`_src_path`: a git URL, a
`gh:ORG/REPO` shorthand or a local path) and which version (`_commit`: a tag such as `v1.4.0`).
`TemplateRepository` lists a source's version tags with `git ls-remote` and fetches one tag's
template files (copier.yml, templates/, terraform/modules) into the cache, where a tag's copy
is reused: tags are immutable releases, and the cached copy is keyed by the tag's commit so a
moved tag is fetched again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from packaging.version import InvalidVersion, Version

from generator.errors import BadInputError, TemplateRepositoryError
from generator.git import check_source, git_problem, run_git
from generator.render.staging import scratch
from generator.resources import TEMPLATE_PATHS, cache_dir, copy_template

_GH_SHORTHAND = re.compile(r"^gh:(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?$")


def parse_version(text: str) -> Version:
    """`v1.2.0` or `1.2.0` as a PEP 440 version; BadInputError naming the accepted form."""
    try:
        return Version(text.strip().removeprefix("v"))
    except InvalidVersion:
        raise BadInputError(
            f"{text!r} is not a template version: use a PEP 440 version such as v1.4.0 or 1.4.0"
        ) from None


_DESCRIBED = re.compile(r"^(?P<tag>.+)-(?P<distance>\d+)-g(?P<commit>[0-9a-f]{7,40})$")
_COMMIT = re.compile(r"^g?(?P<commit>[0-9a-f]{7,40})$")
RECORDED_FORMS = (
    "a release tag (v1.4.0), `git describe` output after one (v1.4.0-3-g1a2b3c4d5e6f) or a "
    "commit (1a2b3c4d5e6f)"
)


@dataclass(frozen=True)
class RecordedVersion:
    """The template version a repository records (`_commit`), as a release and/or a commit.

    A release tag (`v1.4.0`) is a release; `git describe` output (`v1.4.0-3-g1a2b3c4`, what a
    checkout past a tag records, as Copier does) is a commit after that release; a commit alone
    (a checkout with no release tag) comes before every release.
    """

    text: str
    version: Version | None
    commit: str | None

    @property
    def is_release(self) -> bool:
        """Recorded at a release tag (not at a commit between releases)."""
        return self.commit is None

    def __str__(self) -> str:
        return self.text


def parse_recorded(text: str) -> RecordedVersion:
    """A `_commit` value in any of RECORDED_FORMS; BadInputError naming them otherwise."""
    text = text.strip()
    described = _DESCRIBED.match(text)
    if described:
        return RecordedVersion(text, parse_version(described["tag"]), described["commit"])
    if text.startswith("v") or "." in text:
        return RecordedVersion(text, parse_version(text), None)
    commit = _COMMIT.match(text)
    if commit:
        return RecordedVersion(text, None, commit["commit"])
    raise BadInputError(f"{text!r} is not a template version: use {RECORDED_FORMS}")


def tag_for(version: Version) -> str:
    """The git tag a version is released as."""
    return f"v{version}"


def git_url(source: str) -> str:
    """What git understands for a template source (`gh:ORG/REPO` becomes a GitHub URL)."""
    match = _GH_SHORTHAND.match(source)
    if match:
        return f"https://github.com/{match['repo']}.git"
    return source


@dataclass(frozen=True)
class TemplateRelease:
    """One version tag of a template repository."""

    version: Version
    tag: str
    commit: str


class TemplateRepository:
    """The git repository that holds the templates, as recorded in a generated repository."""

    def __init__(self, source: str, base: Path | None = None) -> None:
        self.source = check_source(source, "the template repository (_src_path)")
        url = git_url(source)
        # a relative local path (the samples record `../..`) is relative to the repository
        if base is not None and "://" not in url and not url.startswith(("git@", "/")):
            candidate = (base / url).resolve()
            if candidate.exists():
                url = str(candidate)
        self.url = url

    @cached_property
    def releases(self) -> list[TemplateRelease]:
        """Every PEP 440 version tag, oldest first (other tags are ignored)."""
        result = run_git("ls-remote", "--tags", "--", self.url)
        if result.returncode != 0:
            raise TemplateRepositoryError(
                f"cannot list the versions of the template repository {self.source!r} "
                f"(git: {git_problem(result.stderr)}). Check that the address is right and "
                "reachable from here (network, access rights); the repository is recorded as "
                "_src_path in .copier-answers.yml"
            )
        commits: dict[str, str] = {}
        for line in result.stdout.splitlines():
            commit, _, ref = line.partition("\t")
            tag = ref.removeprefix("refs/tags/")
            if tag.endswith("^{}"):  # the commit an annotated tag points to wins
                commits[tag[:-3]] = commit
            else:
                commits.setdefault(tag, commit)
        found: dict[Version, TemplateRelease] = {}
        for tag, commit in sorted(commits.items()):
            try:
                version = Version(tag.removeprefix("v"))
            except InvalidVersion:
                continue
            if version not in found or tag.startswith("v"):  # v1.0.0 over 1.0.0
                found[version] = TemplateRelease(version=version, tag=tag, commit=commit)
        return sorted(found.values(), key=lambda r: r.version)

    def latest(self, *, prereleases: bool = False) -> TemplateRelease | None:
        """The newest release (pre-releases only when asked)."""
        eligible = [r for r in self.releases if prereleases or not r.version.is_prerelease]
        return eligible[-1] if eligible else None

    def release(self, version: Version) -> TemplateRelease:
        """The release of `version`, or BadInputError listing the versions there are."""
        for release in self.releases:
            if release.version == version:
                return release
        known = ", ".join(r.tag for r in self.releases[-8:]) or "none"
        raise BadInputError(
            f"the template repository {self.source!r} has no version {tag_for(version)} "
            f"(newest versions: {known})"
        )

    def newer_than(
        self, version: Version | None, *, prereleases: bool = False
    ) -> list[TemplateRelease]:
        """Releases after `version` (every release for None: a commit before the first), oldest
        first."""
        return [
            r
            for r in self.releases
            if (version is None or r.version > version)
            and (prereleases or not r.version.is_prerelease)
        ]

    def base(self, recorded: RecordedVersion) -> Path:
        """The template files a repository was generated from: its release, or its commit."""
        if recorded.commit is not None:
            return self.checkout_commit(recorded.commit)
        return self.checkout(self.recorded_release(recorded))

    def recorded_release(self, recorded: RecordedVersion) -> TemplateRelease:
        """The release a repository records; a message saying what to do when it is missing."""
        assert recorded.version is not None
        try:
            return self.release(recorded.version)
        except BadInputError:
            known = ", ".join(r.tag for r in self.releases[-8:]) or "none: it has no release tags"
            raise BadInputError(
                f"the template repository {self.source!r} has no release {recorded.text}, the "
                f"version this repository records (_commit in .copier-answers.yml; its "
                f"releases: {known}). It was probably generated from a checkout that was never "
                "tagged: set _commit to the commit it was generated from (`git log` in the "
                "template repository), then commit that change and run the command again"
            ) from None

    def _cached(self, key: str, label: str, fetch: Callable[[Path], None]) -> Path:
        """The template files `fetch` clones into a folder, kept in the cache under `key`.

        A version's files never change (a release's key includes its commit), so a cached copy
        is reused; `fetch(clone)` fills `clone` with a checkout or raises.
        """
        digest = hashlib.sha256(f"{self.url}\0{key}".encode()).hexdigest()
        target = cache_dir() / "template-versions" / digest[:16]
        if (target / "copier.yml").is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with scratch("fetch", parent=target.parent) as tmp:
            clone = Path(tmp) / "clone"
            fetch(clone)
            if not (clone / "copier.yml").is_file():
                raise TemplateRepositoryError(
                    f"{self.source!r} at {label} has no copier.yml: not a scaffold "
                    f"template repository (it needs {', '.join(TEMPLATE_PATHS)})"
                )
            staged = copy_template(clone, Path(tmp) / "staged")
            try:
                os.rename(staged, target)
            except OSError:  # another process fetched the same version first
                shutil.rmtree(staged, ignore_errors=True)
        return target

    def checkout_commit(self, commit: str) -> Path:
        """The template files at `commit` (hex, abbreviated or full), cached like a release."""
        if not _COMMIT.match(commit):
            raise BadInputError(f"{commit!r} is not a git commit id")

        def fetch(clone: Path) -> None:
            cloned = run_git("clone", "--quiet", "--no-checkout", "--", self.url, str(clone))
            if cloned.returncode != 0:
                raise TemplateRepositoryError(
                    f"cannot fetch template commit {commit} from {self.source!r} "
                    f"(git: {git_problem(cloned.stderr)})"
                )
            full = run_git("rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}", cwd=clone)
            if full.returncode != 0:
                raise TemplateRepositoryError(
                    f"the template repository {self.source!r} has no commit {commit}, which "
                    "this repository records as its template version (_commit): it was "
                    "generated from a commit that is not there (never pushed, or history "
                    "rewritten). Point _src_path at a repository that has it"
                )
            files = run_git("checkout", "--quiet", full.stdout.strip(), "--", ".", cwd=clone)
            if files.returncode != 0:
                raise TemplateRepositoryError(
                    f"cannot check out {commit} of {self.source!r} (git: "
                    f"{git_problem(files.stderr)})"
                )

        return self._cached(commit, commit, fetch)

    def checkout(self, release: TemplateRelease) -> Path:
        """The template files of `release` (a cached folder scaffold renders from)."""

        def fetch(clone: Path) -> None:
            result = run_git(
                "clone", "--quiet", "--depth", "1", "--branch", release.tag, "--no-tags",
                "--", self.url, str(clone),
            )  # fmt: skip
            if result.returncode != 0:
                raise TemplateRepositoryError(
                    f"cannot fetch template version {release.tag} from {self.source!r} "
                    f"(git: {git_problem(result.stderr)})"
                )
            head = run_git("rev-parse", "HEAD", cwd=clone).stdout.strip()
            if head != release.commit:  # a branch of the same name, or the tag moved meanwhile
                raise TemplateRepositoryError(
                    f"{self.source!r}: {release.tag} resolved to {head[:12]} on clone but to "
                    f"{release.commit[:12]} when listed (a branch with the same name, or a tag "
                    "that moved); fix the repository's tags and retry"
                )

        return self._cached(f"{release.tag}\0{release.commit}", release.tag, fetch)
