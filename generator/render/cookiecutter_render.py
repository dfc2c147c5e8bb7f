"""A Cookiecutter template rendered the way Cookiecutter renders it, written only inside its folder.

Cookiecutter (`cookiecutter.generate.generate_files`) renders the project folder's name alone,
then each sub-folder's whole absolute path (project folder + relative path) and each file's
whole relative path as ONE Jinja template: a `{% set %}` in a folder's name reaches every name
below it, and a name may render to `..`, to an absolute path or to nothing. Checking each part
of a path alone therefore proves nothing.

`plan` repeats exactly those renders, in Cookiecutter's order (os.walk top-down; per folder:
copy-only folders, then folders, then files, each sorted), with the same environment, loader
and context, and resolves every target as Cookiecutter would (`os.path.join` with the project
folder, or `Path(output_dir, ...)`), refusing any target outside the project folder. File
contents are rendered too, into memory. Nothing is written while planning, so a dry run
writes nothing; `write` then creates exactly the planned entries, and nothing else, below a
fresh folder, without following links, with the hooks (only with --trust) around them as
Cookiecutter runs them.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from generator.errors import ExternalTemplateError
from generator.render.transaction import unsafe_component

if TYPE_CHECKING:
    from generator.render.isolated import RenderOutcome, RenderRequest

CRUFT_FILE = ".cruft.json"
EntryKind = Literal["folder", "file", "copy", "tree"]


@dataclass(frozen=True)
class Entry:
    """One thing the render creates, relative to the project folder."""

    kind: EntryKind
    rel: str
    content: bytes = b""  # a rendered file
    source: Path | None = None  # a file copied as is, or a copy-only folder
    mode: int | None = None


@dataclass
class Plan:
    """The project folder's name (below the output folder) and what goes in it, in order."""

    project: str
    entries: list[Entry] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=lambda: {"": "folder"})

    def files(self) -> list[str]:
        """The files the render writes (what a dry run reports)."""
        found: set[str] = set()
        for entry in self.entries:
            if entry.kind in ("file", "copy"):
                found.add(entry.rel)
            elif entry.kind == "tree" and entry.source is not None:
                found = {f for f in found if not f.startswith(entry.rel + "/")}
                found |= {f"{entry.rel}/{rel}" for rel in _tree_files(entry.source)}
        return sorted(found)


def _tree_files(source: Path) -> list[str]:
    files = []
    for root, _dirs, names in os.walk(source, followlinks=True):
        for name in names:
            files.append(Path(root, name).relative_to(source).as_posix())
    return files


class _Planner:
    """Cookiecutter's generate_files, with every write replaced by a checked plan entry."""

    def __init__(self, source: str, template_dir: Path, context: dict[str, Any], env: Any) -> None:
        self.source = source
        self.template_dir = template_dir
        self.context = context
        self.env = env

    def render(self, text: str) -> str:
        return str(self.env.from_string(text).render(**self.context))

    def inside(self, project_dir: str, target: str, what: str) -> str:
        """`target` relative to the project folder (""), refused when it is not inside."""
        if "\0" in target:
            raise self.refuse(what, target)
        norm, root = os.path.normpath(target), os.path.normpath(project_dir)
        if norm == root:
            return ""
        if not norm.startswith(root.rstrip(os.sep) + os.sep):
            raise self.refuse(what, target)
        return norm[len(root.rstrip(os.sep)) + 1 :].replace(os.sep, "/")

    def refuse(self, what: str, target: str) -> ExternalTemplateError:
        return ExternalTemplateError(
            f"template {self.source!r} renders {what} to {target!r}, outside the project "
            "folder (Cookiecutter renders a whole path as one template); nothing was written"
        )

    def plan(self, output_dir: Path) -> Plan:
        name = self.render(self.template_dir.name)  # no loader yet, as in Cookiecutter
        project_path = Path(output_dir, name)
        project = self.inside(str(output_dir), str(project_path), f"the project folder {name!r}")
        if not project:
            raise self.refuse(f"the project folder {self.template_dir.name!r}", name)
        project_dir = os.path.abspath(project_path)
        plan = Plan(project=project)
        from jinja2 import FileSystemLoader

        self.env.loader = FileSystemLoader(
            [str(self.template_dir), str(self.template_dir.parent / "templates")]
        )
        for root, dirs, files in os.walk(self.template_dir):
            rel_root = os.path.join(".", os.path.relpath(root, self.template_dir))
            rel_root = "." if rel_root == "./." else rel_root
            self.level(plan, project_dir, rel_root, dirs, sorted(files))
        return plan

    def level(
        self, plan: Plan, project_dir: str, root: str, dirs: list[str], files: list[str]
    ) -> None:
        from cookiecutter.generate import is_copy_only_path

        copy_dirs: list[str] = []
        render_dirs: list[str] = []
        for d in sorted(dirs):
            d_ = os.path.normpath(os.path.join(root, d))
            (copy_dirs if is_copy_only_path(d_, self.context) else render_dirs).append(d)
        for copy_dir in copy_dirs:
            indir = os.path.normpath(os.path.join(root, copy_dir))
            outdir = self.render(os.path.normpath(os.path.join(project_dir, indir)))
            rel = self.inside(project_dir, outdir, f"the folder {indir!r}")
            if not rel:  # Cookiecutter would delete the project folder and copy over it
                raise self.refuse(f"the copy-only folder {indir!r}", outdir)
            self.add(plan, Entry("tree", rel, source=self.template_dir / indir), indir)
        dirs[:] = render_dirs  # os.walk goes into these only, as in Cookiecutter
        for d in render_dirs:
            unrendered = os.path.join(project_dir, root, d)
            rendered = str(Path(project_dir, self.render(unrendered)))
            rel = self.inside(project_dir, rendered, f"the folder {os.path.join(root, d)!r}")
            if rel in plan.kinds:  # Cookiecutter: OutputDirExistsException
                raise ExternalTemplateError(
                    f"template {self.source!r}: the folder {os.path.join(root, d)!r} renders to "
                    f"{rel or 'the project folder'!r}, which the template already creates"
                )
            self.add(plan, Entry("folder", rel), d)
        for f in files:
            self.file(plan, project_dir, os.path.normpath(os.path.join(root, f)))

    def file(self, plan: Plan, project_dir: str, infile: str) -> None:
        from binaryornot.check import is_binary
        from cookiecutter.generate import is_copy_only_path

        source = self.template_dir / infile
        outfile = os.path.join(project_dir, self.render(infile))
        rel = self.inside(project_dir, outfile, f"the file {infile!r}")
        mode = stat.S_IMODE(source.stat().st_mode)
        if is_copy_only_path(infile, self.context):
            self.add(plan, Entry("copy", rel, source=source, mode=mode), infile)
            return
        if plan.kinds.get(rel) == "folder":
            return  # the name rendered empty (or to a folder's): Cookiecutter skips it
        if is_binary(str(source)):
            self.add(plan, Entry("copy", rel, source=source, mode=mode), infile)
            return
        template = self.env.get_template(infile.replace(os.path.sep, "/"))
        text = template.render(**self.context)
        newline = self.context["cookiecutter"].get("_new_lines") or _newline(source)
        ending = newline if newline is not None else os.linesep
        if ending not in ("", "\n"):
            text = text.replace("\n", ending)
        self.add(plan, Entry("file", rel, content=text.encode("utf-8"), mode=mode), infile)

    def add(self, plan: Plan, entry: Entry, origin: str) -> None:
        parent = entry.rel.rpartition("/")[0]  # copytree makes its own parents; files don't
        if entry.kind in ("file", "copy") and plan.kinds.get(parent) != "folder":
            raise ExternalTemplateError(
                f"template {self.source!r}: {origin!r} renders to {entry.rel!r}, inside a "
                "folder the template does not create"
            )
        if entry.kind != "folder" and plan.kinds.get(entry.rel) == "folder":
            raise ExternalTemplateError(
                f"template {self.source!r}: {origin!r} renders to {entry.rel!r}, which is a "
                "folder of the template"
            )
        if entry.kind in ("folder", "tree"):
            ancestors = entry.rel.split("/")
            for depth in range(1, len(ancestors)):
                plan.kinds.setdefault("/".join(ancestors[:depth]), "folder")
        plan.kinds[entry.rel] = "folder" if entry.kind in ("folder", "tree") else "file"
        if entry.kind == "tree" and entry.source is not None:
            for rel in list(plan.kinds):
                if rel.startswith(entry.rel + "/"):
                    del plan.kinds[rel]
            for root, _dirs, names in os.walk(entry.source, followlinks=True):
                below = Path(root).relative_to(entry.source).as_posix()
                folder = entry.rel if below == "." else f"{entry.rel}/{below}"
                plan.kinds[folder] = "folder"
                for name in names:
                    plan.kinds[f"{folder}/{name}"] = "file"
        plan.entries.append(entry)


def _newline(source: Path) -> str | None:
    """The line ending of the file's first line, as Cookiecutter detects it."""
    with open(source, encoding="utf-8") as handle:
        handle.readline()
        newlines = handle.newlines
    return newlines[0] if isinstance(newlines, tuple) else newlines


def plan(source: str, template: Path, context: dict[str, Any], output_dir: Path) -> Plan:
    """What Cookiecutter would write for `context`, every target checked; nothing written."""
    from cookiecutter.find import find_template
    from cookiecutter.utils import create_env_with_context

    env = create_env_with_context(context)
    template_dir = Path(find_template(template, env))
    return _Planner(source, template_dir, context, env).plan(output_dir)


def _write_bytes(path: Path, content: bytes, mode: int | None) -> None:
    """A new file (or a replaced one) at `path`, never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, 0o666), "wb") as handle:
        handle.write(content)
        if mode is not None:
            os.fchmod(handle.fileno(), mode)


def write(plan: Plan, output_dir: Path, hook: Callable[[str, Path], None] | None = None) -> Path:
    """Create the planned entries below `output_dir`; `hook(name, project)` runs the pre- and
    post-generation hooks around them. Returns the project folder."""
    project = output_dir / plan.project
    project.mkdir(parents=True)
    if hook is not None:
        hook("pre_gen_project", project)
    for entry in plan.entries:
        folder = entry.kind in ("folder", "tree")  # every part of its path must be a real folder
        problem = unsafe_component(project, f"{entry.rel}/entry" if folder else entry.rel)
        if problem:
            raise ExternalTemplateError(f"cannot write {entry.rel}: {problem}")
        target = project / entry.rel
        if entry.kind == "folder":
            target.mkdir(parents=True, exist_ok=True)
        elif entry.kind == "file":
            _write_bytes(target, entry.content, entry.mode)
        elif entry.kind == "copy" and entry.source is not None:
            _write_bytes(target, entry.source.read_bytes(), entry.mode)
        elif entry.kind == "tree" and entry.source is not None:
            if target.is_symlink() or target.is_file():
                target.unlink()
            elif target.is_dir():
                shutil.rmtree(target)
            shutil.copytree(entry.source, target)
    if hook is not None:
        hook("post_gen_project", project)
    return project


@contextmanager
def _environment(template: Path, trust: bool) -> Iterator[None]:
    """Untrusted: Jinja's sandbox (no reaching Python internals from a template); trusted:
    the template folder is importable, for its local `_extensions`."""
    import cookiecutter.utils
    from cookiecutter.environment import ExtensionLoaderMixin
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class SandboxedStrictEnvironment(ExtensionLoaderMixin, SandboxedEnvironment):  # type: ignore[misc]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(undefined=StrictUndefined, **kwargs)

    original = cookiecutter.utils.StrictEnvironment
    if trust:
        sys.path.insert(0, str(template))
    else:
        cookiecutter.utils.StrictEnvironment = SandboxedStrictEnvironment
    try:
        yield
    finally:
        cookiecutter.utils.StrictEnvironment = original
        if trust and str(template) in sys.path:
            sys.path.remove(str(template))


def _hook_runner(template: Path, context: dict[str, Any]) -> Callable[[str, Path], None]:
    from cookiecutter.hooks import run_hook_from_repo_dir

    def run(name: str, project: Path) -> None:
        run_hook_from_repo_dir(str(template), name, str(project), context, True)

    return run


def _extensions(template: Path) -> list[str]:
    from generator.render.external import _cookiecutter_config

    found = _cookiecutter_config(template).get("_extensions", [])
    return [str(e) for e in found] if isinstance(found, list) else []


def render_cookiecutter(request: RenderRequest) -> RenderOutcome:
    """Plan, then (unless a dry run) write a Cookiecutter render below `request.output`.

    Runs in the isolated child process; hooks only with trust and never on a dry run. The
    context has the keys Cookiecutter's entry point adds (`_template`, `_output_dir`, ...),
    hook output is shown when they succeed and ends the error message when one fails (no
    traceback), and `.cruft.json` is written as `cruft create` writes it.
    """
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import prompt_for_config
    from jinja2 import TemplateError as JinjaError

    from generator.render.atomic import list_files
    from generator.render.cookiecutter_compat import (
        CapturedOutput,
        captured_hook_output,
        cookiecutter_context_extras,
        cruft_json,
        fresh_extension_modules,
        replay,
        tail,
    )
    from generator.render.isolated import RenderOutcome

    template, output = Path(request.path), Path(request.output)
    extras = cookiecutter_context_extras(
        request.source, template, Path(request.output_dir or Path.cwd()), request.ref
    )
    hooks: CapturedOutput | None = None
    try:
        with (
            _environment(template, request.trust),
            fresh_extension_modules(template, _extensions(template)),
        ):
            context = generate_context(
                context_file=str(template / "cookiecutter.json"), extra_context=request.answers
            )
            context["_cookiecutter"] = {
                k: v for k, v in context["cookiecutter"].items() if not k.startswith("_")
            }
            rendered = prompt_for_config(context, no_input=True)
            rendered.update(extras)
            context["cookiecutter"] = rendered
            planned = plan(request.source, template, context, output)
            if request.dry_run:
                files = sorted({*planned.files(), CRUFT_FILE})
            else:
                hook = _hook_runner(template, context) if request.trust else None
                with captured_hook_output() as hooks:
                    project = write(planned, output, hook)
                replay(hooks)
                recorded = {k: v for k, v in rendered.items() if k not in extras}
                url = request.cruft_template or request.source
                record = cruft_json(url, request.commit, request.ref, recorded)
                _write_bytes(project / CRUFT_FILE, record.encode("utf-8"), None)
                files = list_files(project)
    except FailedHookException as exc:
        shown = tail(hooks.text) if hooks is not None else ""
        raise ExternalTemplateError(
            f"a hook of template {request.source!r} failed: {exc}"
            + (f"; its output ended with:\n{shown}" if shown else "")
        ) from None
    except ExternalTemplateError:
        raise
    except (CookiecutterException, JinjaError) as exc:
        hint = "" if request.trust else " (Jinja's sandbox applies without --trust)"
        raise ExternalTemplateError(
            f"template {request.source!r} failed to render: {exc}{hint}"
        ) from None
    except Exception as exc:  # a template's expression can raise anything (TypeError, ...)
        raise ExternalTemplateError(
            f"template {request.source!r} failed to render: {type(exc).__name__}: {exc}"
        ) from None
    answers = {k: v for k, v in rendered.items() if not k.startswith("_")}
    return RenderOutcome(files=files, answers=answers, folder=planned.project)
