"""Where the bundled template lives: inside the wheel, or in the source checkout.

The Copier template root holds `copier.yml`, `templates/` (one folder per service type plus
`_shared/`) and `terraform/` (the module library the templates vendor). In a wheel these sit in
`generator/_resources/`; in a checkout they are the repository root. Copier would clone a git
repository root on every render (and stamp the generated answers with a changing commit), so a
checkout is rendered from a content-addressed copy of just those paths.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import IncompleteInstallError

if TYPE_CHECKING:
    from generator.spec.plugin import ServiceType

_PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_PATHS = ("copier.yml", "templates", "terraform/modules")
_IGNORED_PATTERNS = ("__pycache__", "*.py[co]", ".terraform", "*.tfstate*", ".terraform.lock.hcl")
_IGNORED = shutil.ignore_patterns(*_IGNORED_PATTERNS)


@cache
def template_root() -> Path:
    """The Copier template root shipped with this installation (wheel copy, else checkout)."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent):
        if (candidate / "copier.yml").is_file() and (candidate / "templates").is_dir():
            return candidate
    raise IncompleteInstallError("scaffold is installed without its templates; reinstall it")


DISTRIBUTION = "scaffold-services"


def installed_version() -> str:
    """The version of the installed scaffold (its templates are released as tag v<version>)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return str(version(DISTRIBUTION))
    except PackageNotFoundError:  # a checkout on sys.path without an install
        import tomllib

        data = tomllib.loads((_PACKAGE_DIR.parent / "pyproject.toml").read_text(encoding="utf-8"))
        return str(data["project"]["version"])


def release_tag() -> str:
    """The git tag the bundled templates were released as (the answers file's `_commit`)."""
    return f"v{installed_version()}"


def version_lines() -> list[str]:
    """What `scaffold --version` prints: the version, and the templates a new repository gets."""
    root = template_root()
    where = "a source checkout" if (root / ".git").exists() else "the installed release"
    return [
        f"scaffold {installed_version()}",
        f"templates {recorded_template_version(root)} ({where}: {default_template_source(root)})",
    ]


def recorded_template_version(root: Path) -> str:
    """What a generated repository records as its template version (`_commit`).

    Templates from an installed wheel are their release tag. A git checkout records what is
    true of its HEAD, as `git describe --tags --always` (what Copier records too): the release
    tag when HEAD is at one, else `<tag>-<commits since>-g<commit>` after the newest release
    tag it contains, else the commit alone. `scaffold check` and `update` start from any of
    them. Uncommitted template changes are not part of any commit: `check` lists them as drift.
    """
    if not (root / ".git").exists():
        return release_tag()
    described = _describe(root)
    return described if described is not None else release_tag()


def _describe(root: Path) -> str | None:
    """`git describe` of the checkout at `root` (release tags only), or None without git."""
    import subprocess

    args = ["git", "-C", str(root), "describe", "--tags", "--always", "--abbrev=12"]
    patterns = ("--match", "v[0-9]*", "--match", "[0-9]*")  # version tags, not others
    try:
        done = subprocess.run(
            [*args, *patterns, "HEAD"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    described = done.stdout.strip()
    return described if done.returncode == 0 and described else None


def default_template_source(root: Path) -> str:
    """What a generated repository records as its template repository (`_src_path`).

    $SCAFFOLD_TEMPLATE_REPO (a fork or mirror) wins. Templates from an installed wheel are
    identical to their release tag, so they record the project's source repository, from
    which `scaffold update` fetches later versions; a checkout records its own path.
    """
    configured = os.environ.get("SCAFFOLD_TEMPLATE_REPO", "").strip()
    if configured:
        return configured
    if root == _PACKAGE_DIR / "_resources":
        from importlib.metadata import PackageNotFoundError, metadata

        try:
            entries: list[str] = metadata(DISTRIBUTION).get_all("Project-URL") or []
            for entry in entries:
                label, _, url = entry.partition(",")
                if label.strip().lower() == "source":
                    return url.strip()
        except PackageNotFoundError:
            pass
    return str(root)


def templates_dir() -> Path:
    """The folder holding the per-type templates and `_shared/`."""
    return template_root() / "templates"


def prompts_dir() -> Path:
    """The prompt library shipped with this installation (wheel copy, else checkout)."""
    for candidate in (_PACKAGE_DIR / "_resources" / "prompts", _PACKAGE_DIR.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise IncompleteInstallError("scaffold is installed without its prompt library; reinstall it")


def cache_dir() -> Path:
    """Where scaffold keeps reusable state: $SCAFFOLD_CACHE_DIR or ~/.cache/scaffold."""
    configured = os.environ.get("SCAFFOLD_CACHE_DIR")
    base = Path(configured) if configured else Path.home() / ".cache" / "scaffold"
    return base.expanduser()


def repo_root() -> Path | None:
    """The scaffold source checkout when running from one (samples live there), else None."""
    root = _PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "samples").is_dir() else None


def _template_files(root: Path) -> list[Path]:
    files = []
    for name in TEMPLATE_PATHS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [p for p in path.rglob("*") if p.is_file() and not _ignored(p)]
    return sorted(files)


def _ignored(path: Path) -> bool:
    return any(fnmatch(part, pattern) for part in path.parts for pattern in _IGNORED_PATTERNS)


def copy_template(root: Path, target: Path) -> Path:
    """Copy the template paths of `root` (copier.yml, templates/, terraform/modules) to `target`.

    Only those paths: a checkout's .venv, caches and samples stay behind. Returns `target`.
    """
    for name in TEMPLATE_PATHS:
        source, dest = root / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, ignore=_IGNORED)
        elif source.is_file():
            shutil.copy2(source, dest)
    return target


def renderable(root: Path) -> Path:
    """A path Copier renders as a plain folder: `root` itself, or a composed copy.

    A copy when `root` is a git root (Copier would clone it) or when service type plugins add
    their folders and modules (`compose`); content-addressed, so identical content is reused.
    """
    from generator.spec.registry import all_types

    plugins = [t for t in all_types() if t.template_source is not None]
    if not plugins and not (root / ".git").exists():
        return root
    digest = hashlib.sha256()
    for path in _template_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for plugin in plugins:
        for label, folder in _plugin_folders(plugin):
            for path in _plugin_files(plugin, folder):
                rel = path.relative_to(folder).as_posix()
                digest.update(f"{label}/{rel}".encode() + b"\0" + path.read_bytes())
    staged = cache_dir() / "templates" / digest.hexdigest()[:16]
    if (staged / "copier.yml").is_file():
        return staged
    from generator.render.staging import make_owned, remove

    staged.parent.mkdir(parents=True, exist_ok=True)
    work = make_owned(staged.parent, "stage", beside="stage")  # hidden: _prune skips it
    try:
        copy_template(root, work / "copy")
        if plugins:
            compose(work / "copy", plugins)
        os.rename(work / "copy", staged)
    except OSError:  # another process staged the same content first
        pass
    finally:
        remove(work)
    _prune(staged.parent, keep=staged)
    return staged


def _plugin_folders(plugin: ServiceType) -> list[tuple[str, Path]]:
    """(label in the composed root, folder) of a plugin's templates and Terraform modules."""
    assert plugin.template_source is not None
    folders = [(f"templates/{plugin.template_dir}", plugin.template_source)]
    return folders + [(f"terraform/modules/{m.name}", m) for m in plugin.module_sources]


def _plugin_files(plugin: ServiceType, folder: Path) -> list[Path]:
    """The files of a plugin's folder; a missing folder or a link in it is refused."""
    from generator.errors import PluginError

    if folder.is_symlink() or not folder.is_dir():
        raise PluginError(f"service type {plugin.name!r}: {folder} is not a folder")
    files = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            raise PluginError(
                f"service type {plugin.name!r}: {path} is a link; a plugin's templates and "
                "modules must be plain files (scaffold never follows a link it copies)"
            )
        if path.is_file() and not _ignored(path.relative_to(folder)):
            files.append(path)
    return files


def compose(target: Path, plugins: list[ServiceType]) -> None:
    """Add the plugins' folders, modules and stubs to the template copy `target`.

    copier.yml is regenerated there from the registry, so the plugins' questions, defaults,
    validators and derived values are Copier's too. A folder or module name that is taken is
    refused, never overwritten.
    """
    from generator.errors import PluginError
    from generator.render.stubs import write_stubs
    from generator.spec.copier_yml import render_copier_yml

    for plugin in plugins:
        for label, folder in _plugin_folders(plugin):
            dest = target / label
            if dest.exists():
                raise PluginError(
                    f"service type {plugin.name!r}: {label} already exists in scaffold's "
                    "templates; give the plugin's folder or module another name"
                )
            for path in _plugin_files(plugin, folder):
                copied = dest / path.relative_to(folder)
                copied.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copied, follow_symlinks=False)
        write_stubs(target, target / "templates" / plugin.template_dir, plugin.omit_shared)
    (target / "copier.yml").write_text(render_copier_yml(), encoding="utf-8")


def _prune(folder: Path, keep: Path, newest: int = 8) -> None:
    """Drop all but the `newest` staged copies, so template edits do not fill the cache."""
    staged = sorted(
        (p for p in folder.iterdir() if p.is_dir() and p != keep and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in staged[: max(0, len(staged) - newest + 1)]:
        shutil.rmtree(old, ignore_errors=True)
