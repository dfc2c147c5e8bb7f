"""The versioned prompt library: one file per prompt in `prompts/`, validated when loaded.

A prompt file is YAML front matter between `---` lines, then a Jinja2 body with a
`{% block system %}` and a `{% block user %}`:

    ---
    id: spec-from-description
    version: 3
    purpose: Turn a plain-language description into a proposed service spec.
    output_model: SpecProposal
    parameters:
      description: {description: What the service does., max_length: 2000, untrusted: true}
    ---
    {% block system %}...{% endblock %}
    {% block user %}...<description>{{ description }}</description>{% endblock %}

Optional few-shot `examples` in the front matter (`values` for the parameters, the `answer`
the model should give) become user/assistant turns before the real question, rendered by the
same user block: a small model follows a worked example far better than a rule. With
`type_examples: {parameter: description, answer: service_type}` each registered service type's
own examples (`ServiceType.llm.examples`) follow them, answered with the type's name.

Besides its parameters, a body may use the trusted values of the service type registry
(`registry_values`): `service_types` (each with `name` and `description`) and
`service_type_count` (a word: "three"). A prompt that lists the types renders them from
there, so a new type needs no prompt edit.

Bodies render in Jinja's sandbox with strict undefined variables. An `untrusted` parameter (text
a user typed) is cleaned before it reaches the body: control characters dropped, secrets
redacted, `<` and `>` escaped so it cannot close the delimiters around it, and its length capped.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.credentials import REDACTED
from generator.errors import BadInputError, PromptError

SUFFIX: Final = ".jinja"
_FRONT_MATTER: Final = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Parameter(BaseModel):
    """One value a prompt's body uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = Field(min_length=1)
    type: Literal["string"] = "string"
    required: bool = True
    max_length: int = Field(default=2000, ge=1, le=20000)
    untrusted: bool = False


class Example(BaseModel):
    """A worked example: parameter values and the answer the model should give."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    values: dict[str, str]
    answer: dict[str, Any]


class TypeExamples(BaseModel):
    """Few-shot examples from the registry: which parameter a type's example fills, and which
    answer field gets the type's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parameter: str
    answer: str


class PromptMeta(BaseModel):
    """The front matter of a prompt file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=64)
    version: int = Field(ge=1)
    purpose: str = Field(min_length=1, max_length=300)
    output_model: str
    parameters: dict[str, Parameter]
    examples: list[Example] = Field(default_factory=list, max_length=12)
    type_examples: TypeExamples | None = None


class Message(BaseModel):
    """One chat message."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class RenderedPrompt(BaseModel):
    """A prompt with its values: what goes on the wire, and what identifies it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: int
    content_hash: str
    output_model: str
    messages: list[Message]


def clean_untrusted(value: str, max_length: int) -> str:
    """User text made safe to place between delimiters in a prompt: every secret kind the
    `secrets` check knows (keys, tokens, passwords, private keys) redacted."""
    from generator.credentials import redact

    text = redact(_CONTROL.sub("", value), REDACTED)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return text[:max_length]


class Prompt:
    """A loaded, validated prompt file."""

    def __init__(self, path: Path, meta: PromptMeta, body: str, content_hash: str) -> None:
        self.path = path
        self.meta = meta
        self.body = body
        self.content_hash = content_hash

    def render(self, values: dict[str, str]) -> RenderedPrompt:
        """The messages for these values; a missing, unknown or too long value is bad input."""
        import json

        template = _environment().from_string(self.body)
        messages = [Message(role="system", content=self._block(template, "system", values))]
        for example in self.examples():
            messages.append(Message(role="user", content=self._block(template, "user",
                                                                     example.values)))  # fmt: skip
            messages.append(Message(role="assistant", content=json.dumps(example.answer)))
        messages.append(Message(role="user", content=self._block(template, "user", values)))
        return RenderedPrompt(
            id=self.meta.id,
            version=self.meta.version,
            content_hash=self.content_hash,
            output_model=self.meta.output_model,
            messages=messages,
        )

    def examples(self) -> list[Example]:
        """The front matter's examples, then the registered types' (when it asks for them)."""
        wanted = self.meta.type_examples
        return [*self.meta.examples, *(type_examples(wanted) if wanted else [])]

    def _context(self, values: dict[str, str]) -> dict[str, Any]:
        unknown = sorted(set(values) - set(self.meta.parameters))
        if unknown:
            allowed = ", ".join(sorted(self.meta.parameters)) or "none"
            raise BadInputError(
                f"prompt {self.meta.id} has no parameter {', '.join(unknown)}. Allowed: {allowed}"
            )
        context: dict[str, Any] = {}
        for name, parameter in self.meta.parameters.items():
            value = values.get(name)
            if value is None or not value.strip():
                if parameter.required:
                    raise BadInputError(
                        f"prompt {self.meta.id} needs {name}: {parameter.description}"
                    )
                context[name] = ""
                continue
            if len(value) > parameter.max_length:
                raise BadInputError(
                    f"{name} is {len(value)} characters; prompt {self.meta.id} takes at most "
                    f"{parameter.max_length}: shorten it"
                )
            context[name] = (
                clean_untrusted(value, parameter.max_length) if parameter.untrusted else value
            )
        return context

    def _block(self, template: Any, role: str, values: dict[str, str]) -> str:
        block = template.blocks[role]
        context = {**registry_values(), **self._context(values)}
        return "".join(block(template.new_context(context))).strip()


_NUMBER_WORDS: Final = "zero one two three four five six seven eight nine ten eleven twelve"


def registry_values() -> dict[str, Any]:
    """The trusted values every prompt body may use, derived from the service type registry."""
    from generator.spec.registry import all_types

    types = all_types()
    words = _NUMBER_WORDS.split()
    return {
        "service_types": [{"name": t.name, "description": t.llm.description} for t in types],
        "service_type_count": words[len(types)] if len(types) < len(words) else str(len(types)),
    }


def type_examples(wanted: TypeExamples) -> list[Example]:
    """Each registered type's examples, in rounds: the first of every type, then the second,
    each round starting one type later, so no type's example always comes last (a small
    model leans towards the answer it saw last)."""
    from generator.spec.registry import all_types

    types = all_types()
    rounds = max((len(t.llm.examples) for t in types), default=0)
    found = []
    for round_ in range(rounds):
        for offset in range(len(types)):
            service_type = types[(round_ + offset) % len(types)]
            if round_ < len(service_type.llm.examples):
                found.append(
                    Example(
                        values={wanted.parameter: service_type.llm.examples[round_]},
                        answer={wanted.answer: service_type.name},
                    )
                )
    return found


@cache
def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


def load_prompt(path: Path) -> Prompt:
    """Parse and validate one prompt file; every problem names the file."""
    raw = path.read_bytes()
    where = path.name
    match = _FRONT_MATTER.match(raw.decode("utf-8"))
    if not match:
        raise PromptError(f"prompt file {where}: no YAML front matter between '---' lines")
    try:
        data = yaml.safe_load(match.group(1))
        meta = PromptMeta.model_validate(data)
    except (yaml.YAMLError, ValidationError) as error:
        raise PromptError(f"prompt file {where}: invalid front matter: {error}") from None
    _check_meta(meta, where, path.name)
    body = match.group(2)
    from jinja2 import TemplateSyntaxError

    try:
        template = _environment().from_string(body)
    except TemplateSyntaxError as error:
        raise PromptError(f"prompt file {where}, line {error.lineno}: {error.message}") from None
    missing = {"system", "user"} - set(template.blocks)
    if missing:
        raise PromptError(f"prompt file {where}: no {{% block {sorted(missing)[0]} %}} in the body")
    prompt = Prompt(path, meta, body, hashlib.sha256(raw).hexdigest()[:16])
    _check_examples(prompt, where)
    return prompt


def _check_meta(meta: PromptMeta, where: str, file_name: str) -> None:
    from generator.llm.outputs import output_models

    if file_name != f"{meta.id}{SUFFIX}":
        raise PromptError(f"prompt file {where}: its id is {meta.id!r}; name it {meta.id}{SUFFIX}")
    models = output_models()
    if meta.output_model not in models:
        raise PromptError(
            f"prompt file {where}: unknown output_model {meta.output_model!r}. "
            f"Allowed: {', '.join(sorted(models))}"
        )
    shadowed = sorted(set(meta.parameters) & set(registry_values()))
    if shadowed:
        raise PromptError(
            f"prompt file {where}: parameter {shadowed[0]!r} has the name of a value the "
            "registry gives every prompt; rename it"
        )
    wanted = meta.type_examples
    if wanted and wanted.parameter not in meta.parameters:
        raise PromptError(
            f"prompt file {where}: type_examples fill {wanted.parameter!r}, which is not one "
            f"of its parameters ({', '.join(sorted(meta.parameters)) or 'none'})"
        )


def _check_examples(prompt: Prompt, where: str) -> None:
    """Every example (the registered types' too) has valid values and a valid answer."""
    from generator.llm.outputs import output_models

    output = output_models()[prompt.meta.output_model]
    for number, example in enumerate(prompt.examples(), start=1):
        try:
            output.model_validate(example.answer)
            prompt._context(example.values)
        except ValidationError as error:
            raise PromptError(f"prompt file {where}: example {number}: {error}") from None
        except BadInputError as error:
            raise PromptError(f"prompt file {where}: example {number}: {error.message}") from None


def load_library(folder: Path | None = None) -> dict[str, Prompt]:
    """Every prompt in `folder` (default: the installed library), by id."""
    from generator.resources import prompts_dir

    folder = folder or prompts_dir()
    prompts = {}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        prompt = load_prompt(path)
        prompts[prompt.meta.id] = prompt
    return prompts


def get_prompt(prompt_id: str, folder: Path | None = None) -> Prompt:
    """One prompt by id, or bad input naming the ids there are."""
    library = load_library(folder)
    if prompt_id not in library:
        raise BadInputError(
            f"no prompt {prompt_id!r}. Allowed: {', '.join(sorted(library)) or 'none'}"
        )
    return library[prompt_id]
