"""Drafted sections: LLM text placed into the marked places of a rendered repository, as data.

The templates mark the places an LLM may fill:

    <!-- scaffold:draft readme-overview -->
    (the deterministic text, which stays when there is no draft)
    <!-- /scaffold:draft readme-overview -->

Each draft comes from its own prompt and structured output model; the text is cleaned (secrets
redacted, Markdown and HTML characters escaped, whitespace folded) and formatted here, then
replaces what is between the markers in the rendered files. It is never rendered as a
template, so nothing in it can reach Jinja, Copier, file paths or commands.

`provenance.json` (under `.scaffold/`) records, for every LLM answer that shaped the repository,
the prompt id, version and content hash, the model and the cache key; never a key or secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeVar

from pydantic import BaseModel, ConfigDict

from generator.errors import LlmError, LlmTruncatedError
from generator.llm.client import CallRecord, StructuredLlm, Usage
from generator.llm.outputs import AdrContext, ReadmeOverview, RunbookFailureModes
from generator.llm.prompts import clean_untrusted, get_prompt
from generator.spec.models import ServiceSpec
from generator.spec.registry import resolve_type

MARKER: Final = re.compile(
    r"<!-- scaffold:draft (?P<id>[a-z0-9-]+) -->\n(?P<body>.*?)<!-- /scaffold:draft (?P=id) -->",
    re.DOTALL,
)
#: Where each draft goes in a rendered repository.
PLACES: Final = {
    "readme-overview": "README.md",
    "adr-context": "docs/adr/0002-service-architecture.md",
    "runbook-failure-modes": "docs/runbook.md",
}
PROVENANCE: Final = Path(".scaffold") / "provenance.json"
T = TypeVar("T", bound=BaseModel)
_MARKDOWN_SPECIALS: Final = re.compile(r"([\\`*_\[\]#|!])")


class Drafts(BaseModel):
    """The drafted Markdown per place, and the calls that made them."""

    model_config = ConfigDict(extra="forbid")

    sections: dict[str, str]
    calls: dict[str, CallRecord]
    #: drafts the model cut off, by prompt id: why (the standard text stays in their place)
    skipped: dict[str, str] = {}


def plain(text: str, limit: int) -> str:
    """LLM text as one safe Markdown paragraph: no markup, no HTML, no secrets, no newlines."""
    cleaned = clean_untrusted(text, limit)
    cleaned = _MARKDOWN_SPECIALS.sub(r"\\\1", cleaned)
    return " ".join(cleaned.split())


def service_summary(spec: ServiceSpec) -> str:
    """What scaffold generated, in one line: the trusted half of the draft prompts (the facts
    come from the type's plugin, `ServiceType.llm.summary`)."""
    facts = resolve_type(spec.service_type).llm.summary(spec)
    return f"{spec.service_type} {spec.name} in AWS {spec.aws_region}: {facts}."


def draft_sections(spec: ServiceSpec, description: str, llm: StructuredLlm) -> Drafts:
    """Ask each draft prompt about this service; return the Markdown for each place."""
    values = {"service_summary": service_summary(spec), "description": description}
    calls: dict[str, CallRecord] = {}

    skipped: dict[str, str] = {}

    def ask(prompt_id: str, output: type[T]) -> T | None:
        try:
            answer, calls[prompt_id] = llm.ask(get_prompt(prompt_id).render(values), output)
        except LlmTruncatedError as error:
            # A small model can ramble until the token limit: this section keeps its standard
            # text and the others are still drafted. An answer that never validates (one that
            # insists on a secret, say) still fails the run.
            if isinstance(error.record, CallRecord):
                calls[prompt_id] = error.record
            skipped[prompt_id] = error.message
            return None
        except LlmError as error:  # the cost of the drafts that did work counts too
            usage = Usage(model=llm.settings.model)
            for record in [*calls.values(), error.record]:
                if isinstance(record, CallRecord | Usage):
                    usage.add(record)
            error.record = usage
            raise
        return answer

    sections: dict[str, str] = {}
    overview = ask("readme-overview", ReadmeOverview)
    if overview is not None:
        sections["readme-overview"] = plain(overview.overview, 800)
    context = ask("adr-context", AdrContext)
    if context is not None:
        sections["adr-context"] = f"{spec.name}: {plain(context.context, 1500)}"
    modes = ask("runbook-failure-modes", RunbookFailureModes)
    if modes is not None:
        sections["runbook-failure-modes"] = _failure_modes(spec.name, modes)
    return Drafts(sections=sections, calls=calls, skipped=skipped)


def _failure_modes(name: str, modes: RunbookFailureModes) -> str:
    lines = [f"Specific to {name} (drafted from its description; review and edit):", ""]
    for mode in modes.failure_modes:
        lines.append(
            f"- **{plain(mode.title, 80)}**: {plain(mode.symptom, 300)} Likely cause: "
            f"{plain(mode.cause, 300)} First check: {plain(mode.first_check, 300)}"
        )
    return "\n".join(lines)


def _fill(sections: dict[str, str]) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        draft_id = match.group("id")
        body = sections.get(draft_id)
        if body is None:
            return match.group(0)  # no draft: the deterministic text stays
        # A blank line before the closing marker ends a list or a paragraph cleanly.
        opening, closing = (
            f"<!-- scaffold:draft {draft_id} -->",
            f"<!-- /scaffold:draft {draft_id} -->",
        )
        return f"{opening}\n{body.strip()}\n\n{closing}"

    return replace


def apply_drafts(root: Path, sections: dict[str, str]) -> list[str]:
    """Replace the marked places under `root` with the drafts; the files changed."""
    changed = []
    for relative in sorted(set(PLACES.values())):
        path = root / relative
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        updated = MARKER.sub(_fill(sections), text)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(relative)
    return changed


def write_provenance(
    root: Path, calls: list[tuple[str, CallRecord]], skipped: dict[str, str] | None = None
) -> None:
    """Record which prompts and model shaped the repository (no key, no secret), and which
    drafts were not used and why."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        scaffold_version = version("scaffold-services")
    except PackageNotFoundError:  # pragma: no cover - a checkout without an install
        scaffold_version = "unknown"
    entries = [
        {
            "purpose": purpose,
            "prompt": record.prompt_id,
            "prompt_version": record.prompt_version,
            "prompt_hash": record.prompt_hash,
            "model": record.model,
            "cache_key": record.cache_key,
            "from_cache": record.from_cache,
            "calls": record.calls,
            "tokens": record.prompt_tokens + record.completion_tokens,
        }
        for purpose, record in calls
    ]
    path = root / PROVENANCE
    path.parent.mkdir(parents=True, exist_ok=True)
    payload: dict[str, object] = {"generator": f"scaffold {scaffold_version}", "llm": entries}
    if skipped:
        payload["drafts_skipped"] = skipped
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def post_render(
    sections: dict[str, str],
    calls: list[tuple[str, CallRecord]],
    skipped: dict[str, str] | None = None,
) -> Callable[[Path], None]:
    """The step `generate` runs on the rendered tree before it is moved into place."""

    def apply(root: Path) -> None:
        apply_drafts(root, sections)
        write_provenance(root, calls, skipped)

    return apply
