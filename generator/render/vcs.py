"""Where an external template comes from, resolved the way Copier and Cookiecutter resolve it.

Copier (its `vcs.get_repo`, `get_latest_tag` and `clone`) reads a source as git when it is a
`gh:`/`gl:` shorthand, starts with `git@`, `git://`, `git+`, `https://github.com/` or
`https://gitlab.com/`, ends with `.git`, or is the root folder of a local git repository; any
other source is a plain folder, rendered as it is. A git source renders, unless a ref is given,
its newest PEP 440 tag (pre-releases only when asked), or HEAD when it has none, so a
repository generated from it records a release in `_commit` and plain `copier update` accepts
it. Cookiecutter clones URLs (and `file://` ones) at their default branch or the given
checkout, and reads a local folder as it is; cruft clones local repositories too.

This module answers, without rendering anything: what a source is (`locate`), which tag Copier
would pick (`newest_tag`), and a checkout of one ref (`clone_at`).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from generator.errors import TemplateSourceError
from generator.git import run_git

_SHORTHANDS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
_GIT_PREFIXES = ("git@", "git://", "git+", "https://github.com/", "https://gitlab.com/")
# What Cookiecutter's `is_repo_url` accepts as a repository URL (plus Copier's forms above).
_URL = re.compile(r"^(((git|hg)\+)?(git|ssh|file|https?):(//)?|\w+@[\w.]+)")


@dataclass(frozen=True)
class TemplateLocation:
    """A template source as the user wrote it, and what it is.

    `url` is what git clones (None for a plain folder); `folder` is the local folder when the
    source is one (a plain folder, or the root of a local git repository).
    """

    source: str
    url: str | None
    folder: Path | None

    @property
    def is_git(self) -> bool:
        """Whether the template is versioned in git (so it has tags and refs)."""
        return self.url is not None

    def copier_source(self) -> str:
        """The source to hand Copier: the user's own text whenever Copier reads it as git.

        Copier reads `file:///srv/template` or `https://example.com/template` (no `.git`) as a
        local path that does not exist; with `git+` in front it clones them, and records that
        form as `_src_path`, which `copier update` reads back.
        """
        if self.url is None or self.folder is not None or _copier_reads_as_git(self.source):
            return self.source
        return f"git+{self.url}"


def _expand(source: str) -> str:
    for short, prefix in _SHORTHANDS.items():
        if source.startswith(short):
            rest = source[len(short) :].lstrip("/")
            return prefix + (rest if rest.endswith(".git") else f"{rest}.git")
    return source.removeprefix("git+")


def _copier_reads_as_git(source: str) -> bool:
    return source.startswith((*_SHORTHANDS, *_GIT_PREFIXES)) or source.endswith(".git")


def expanded_url(source: str) -> str:
    """What git understands for a template URL: `gh:ORG/REPO` and `git+...` expanded."""
    return _expand(source)


def _git_root(folder: Path) -> bool:
    done = run_git("rev-parse", "--show-toplevel", cwd=folder)
    return done.returncode == 0 and Path(done.stdout.strip()).resolve() == folder.resolve()


def locate(source: str) -> TemplateLocation:
    """What `source` is: a git URL or shorthand, a local git repository, or a plain folder."""
    if not source.strip():
        raise TemplateSourceError("--template is empty: give a folder, gh:ORG/REPO or a git URL")
    if source.startswith(tuple(_SHORTHANDS)) or _URL.match(source):
        return TemplateLocation(source, _expand(source), None)
    folder = Path(source).expanduser()
    if folder.is_dir():
        url = str(folder.resolve()) if _git_root(folder) else None
        return TemplateLocation(source, url, folder.absolute())
    if source.endswith(".git"):  # a path that is not a folder: Copier reads it as a URL too
        return TemplateLocation(source, source, None)
    raise TemplateSourceError(
        f"template {source!r} is not a folder, a git URL (https://, ssh://, git@, file://, "
        "git+...) or a gh:ORG/REPO / gl:ORG/REPO shorthand"
    )


def tags(url: str) -> list[str]:
    """Every tag name of the repository at `url` (`git ls-remote --tags --refs`)."""
    done = run_git("ls-remote", "--tags", "--refs", "--", url)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or ["git ls-remote failed"]
        raise TemplateSourceError(f"cannot list the tags of template {url!r}: {detail[0]}")
    return [
        line.partition("\t")[2].removeprefix("refs/tags/")
        for line in done.stdout.splitlines()
        if "\t" in line
    ]


def _version(tag: str) -> Version | None:
    try:
        return Version(tag)
    except InvalidVersion:
        return None


def newest_tag(names: list[str], *, prereleases: bool = False) -> str | None:
    """The tag Copier renders when no ref is given, or None (Copier then renders HEAD).

    Copier's rule: tags that parse as PEP 440 versions (`v1.2.0` does), pre-releases left out
    unless asked for, the highest version wins; among equal versions (`1.2.0` and `v1.2.0`) the
    one git lists first.
    """
    candidates = [(v, t) for t in names if (v := _version(t)) is not None]
    if not prereleases:
        candidates = [(v, t) for v, t in candidates if not v.is_prerelease]
    if not candidates:
        return None
    best = max(v for v, _ in candidates)
    return next(t for v, t in candidates if v == best)


def _check_ref(ref: str) -> None:
    if not ref.strip() or ref.startswith("-") or re.search(r"[\x00-\x20\x7f]", ref):
        raise TemplateSourceError(f"--template-ref {ref!r} is not a git tag, branch or commit name")


def clone_at(url: str, ref: str | None, into: Path) -> str:
    """Clone `url` into `into` checked out at `ref` (default: HEAD); the commit checked out."""
    if ref is None:
        done = run_git("clone", "--quiet", "--depth", "1", "--", url, str(into))
        failure = done.stderr.strip() if done.returncode != 0 else None
    else:
        _check_ref(ref)
        done = run_git("clone", "--quiet", "--depth", "1", "--branch", ref, "--", url, str(into))
        # not a branch or tag name: a commit (or `HEAD~1`), which needs the history
        failure = _clone_commit(url, ref, into) if done.returncode != 0 else None
    if failure is not None:
        at = f" at {ref!r}" if ref is not None else ""
        raise TemplateSourceError(f"cannot fetch template {url!r}{at}: {failure or 'git failed'}")
    return run_git("rev-parse", "HEAD", cwd=into).stdout.strip()


def _clone_commit(url: str, ref: str, into: Path) -> str | None:
    """Clone all of `url` and check out the commit `ref` names; the failure, or None."""
    if into.exists():
        shutil.rmtree(into)
    done = run_git("clone", "--quiet", "--no-checkout", "--", url, str(into))
    if done.returncode != 0:
        return done.stderr.strip()
    for candidate in (ref, f"refs/remotes/origin/{ref}"):  # Copier's fallback for branches
        found = run_git("rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}", cwd=into)
        if found.returncode == 0:
            commit = found.stdout.strip()
            done = run_git("checkout", "--quiet", "--detach", commit, cwd=into)
            return None if done.returncode == 0 else done.stderr.strip()
    return f"no tag, branch or commit {ref!r}"
