"""Structured answers from any OpenAI-compatible server, validated, re-asked, cached.

- **Configuration** from the environment: `OPENAI_BASE_URL`, `OPENAI_API_KEY`,
  `SCAFFOLD_LLM_MODEL`, `SCAFFOLD_LLM_BACKEND`, `SCAFFOLD_LLM_TIMEOUT`,
  `SCAFFOLD_LLM_MAX_ATTEMPTS`, `SCAFFOLD_LLM_MAX_TOKENS`, `SCAFFOLD_LLM_OFFLINE`.
- **Structured output forms** (`backend`): `json_schema` (OpenAI's `response_format` with the
  schema, strict), `llama` (`{"type": "json_object", "schema": ...}`, what llama-cpp-python's
  server enforces with a grammar) and `json_object` (JSON mode, the schema in the prompt).
  `auto` starts with `json_schema` and steps down when the server rejects the form; the form
  that worked is remembered per server and model.
- **The client always validates** the answer itself (JSON, the output model, then the caller's
  check, e.g. the spec model) and re-asks with the errors. One budget (`max_attempts`) caps
  network retries (429, 5xx, connection errors, timeouts, with backoff) and re-asks together.
- `finish_reason == "length"` and refusals are their own errors; usage and latency are summed
  over every attempt.
- **Cache**: answers that validated are kept under the cache folder, keyed by a hash of (model,
  prompt id, version and content hash, messages, schema). Offline mode answers only from it and
  fails clearly on a miss, so CI replays recorded answers without a network.
- **Probes are remembered per server and model** in a state file outside the cache folder
  (`$SCAFFOLD_STATE_DIR`, else `$XDG_STATE_HOME/scaffold`, else `~/.local/state/scaffold`),
  as soon as a server rejects a form: a fresh cache folder (an eval run, a CI job) does not
  probe again.
- **What goes on the wire is what the server can take**: `wire_schema` leaves long string
  lengths to scaffold's own validation (a `maxLength` of 1500 becomes a grammar llama.cpp's
  server cannot compile), and raw control characters inside JSON strings, which some models
  write, are accepted and cleaned instead of failing the parse.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from generator.credentials import in_values
from generator.errors import (
    BadInputError,
    LlmCacheMissError,
    LlmError,
    LlmInvalidAnswerError,
    LlmNotConfiguredError,
    LlmRefusalError,
    LlmTruncatedError,
    LlmUnavailableError,
)
from generator.llm.prompts import Message, RenderedPrompt

T = TypeVar("T", bound=BaseModel)
Backend = Literal["json_schema", "llama", "json_object"]
FORMS: Final[tuple[Backend, ...]] = ("json_schema", "llama", "json_object")
_UNSUPPORTED_HINTS: Final = ("json_schema", "response_format", "json_object", "schema")
DEFAULT_MODEL: Final = "gpt-4o-mini"


class LlmSettings(BaseModel):
    """Where the model is and how hard to try."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str = DEFAULT_MODEL
    backend: Literal["auto", "json_schema", "llama", "json_object"] = "auto"
    timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    max_attempts: int = Field(default=4, ge=1, le=20)
    max_tokens: int = Field(default=1024, ge=16, le=32768)
    backoff_seconds: float = Field(default=1.0, ge=0, le=60)
    offline: bool = False
    cache_dir: Path
    #: Where probe outcomes are remembered across cache folders (None: in `cache_dir`).
    state_dir: Path | None = None

    @property
    def configured(self) -> bool:
        """True when a server or an API key is set (offline mode needs neither)."""
        return self.offline or self.base_url is not None or self.api_key is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LlmSettings:
        """Settings from the environment; a malformed value is bad input naming the variable."""
        from generator.resources import cache_dir

        env = os.environ if environ is None else environ
        values: dict[str, Any] = {"cache_dir": cache_dir() / "llm", "state_dir": _state_dir(env)}
        if env.get("OPENAI_BASE_URL"):
            values["base_url"] = env["OPENAI_BASE_URL"]
        if env.get("OPENAI_API_KEY"):
            values["api_key"] = env["OPENAI_API_KEY"]
        names = {
            "SCAFFOLD_LLM_MODEL": "model",
            "SCAFFOLD_LLM_BACKEND": "backend",
            "SCAFFOLD_LLM_TIMEOUT": "timeout_seconds",
            "SCAFFOLD_LLM_MAX_ATTEMPTS": "max_attempts",
            "SCAFFOLD_LLM_MAX_TOKENS": "max_tokens",
        }
        for variable, field in names.items():
            if env.get(variable):
                values[field] = env[variable]
        values["offline"] = env.get("SCAFFOLD_LLM_OFFLINE", "") in {"1", "true", "yes"}
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            variables = {v: k for k, v in names.items()}
            problems = "; ".join(
                f"{variables.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']}"
                for e in error.errors()
            )
            raise BadInputError(f"invalid LLM settings: {problems}") from None


def _state_dir(env: Mapping[str, str]) -> Path:
    """Where scaffold keeps what it learnt about servers: not a cache, not per cache folder."""
    if env.get("SCAFFOLD_STATE_DIR"):
        return Path(env["SCAFFOLD_STATE_DIR"])
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "scaffold"


class CallRecord(BaseModel):
    """What one structured answer cost, and what identifies it (no key, no secret)."""

    model_config = ConfigDict(extra="forbid")

    prompt_id: str
    prompt_version: int
    prompt_hash: str
    model: str
    backend: str
    cache_key: str
    from_cache: bool = False
    calls: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0


class Usage(BaseModel):
    """What several answers cost together (failed calls included)."""

    model_config = ConfigDict(extra="forbid")

    model: str
    calls: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    from_cache: bool = True

    def add(self, record: CallRecord | Usage) -> None:
        """Count `record` in."""
        self.calls += record.calls
        self.reasks += record.reasks
        self.prompt_tokens += record.prompt_tokens
        self.completion_tokens += record.completion_tokens
        self.latency_ms += record.latency_ms
        self.from_cache = self.from_cache and record.from_cache

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens."""
        return self.prompt_tokens + self.completion_tokens


WIRE_MAX_LENGTH: Final = 64


def wire_schema(output: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema sent to the server: the output model's, without long string lengths.

    llama.cpp compiles `minLength`/`maxLength` into repeated grammar rules; 1500 of them crash
    its server ("number of rules ... exceeds sane defaults"). Lengths above WIRE_MAX_LENGTH are
    left to the output model, which validates (and cuts) every answer anyway.
    """
    schema = output.model_json_schema()

    def strip(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("maxLength", 0) > WIRE_MAX_LENGTH:
                node.pop("maxLength", None)
                node.pop("minLength", None)
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)

    strip(schema)
    return schema


_CONTROL_IN_STRING: Final = re.compile(r"[\x00-\x1f\x7f]")


def _clean_strings(data: Any) -> Any:
    """Control characters in every string of a parsed answer: whitespace ones to a space."""
    if isinstance(data, str):
        return _CONTROL_IN_STRING.sub(lambda m: " " if m.group(0) in "\t\n\r" else "", data)
    if isinstance(data, list):
        return [_clean_strings(item) for item in data]
    if isinstance(data, dict):
        return {key: _clean_strings(value) for key, value in data.items()}
    return data


def cache_key(settings: LlmSettings, prompt: RenderedPrompt, schema: dict[str, Any]) -> str:
    """The hash that identifies a request: model, prompt identity, messages and schema."""
    material = {
        "model": settings.model,
        "prompt": [prompt.id, prompt.version, prompt.content_hash],
        "messages": [m.model_dump() for m in prompt.messages],
        "schema": schema,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


class ResponseCache:
    """Validated answers on disk, one JSON file per cache key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> str | None:
        """The cached answer text, if any."""
        path = self.folder / "responses" / f"{key}.json"
        if not path.is_file():
            return None
        try:
            return str(json.loads(path.read_text(encoding="utf-8"))["content"])
        except (OSError, ValueError, KeyError):
            return None  # a damaged entry is a miss, and is overwritten by the next answer

    def put(self, key: str, content: str, record: CallRecord) -> None:
        """Keep an answer that validated (written atomically)."""
        folder = self.folder / "responses"
        folder.mkdir(parents=True, exist_ok=True)
        entry = {"content": content, "prompt": record.prompt_id, "version": record.prompt_version,
                 "model": record.model}  # fmt: skip
        tmp = folder / f".{key}.tmp"
        tmp.write_text(json.dumps(entry, indent=2), encoding="utf-8")
        tmp.replace(folder / f"{key}.json")


class ProbeMemory:
    """The structured-output form each server and model takes, kept across cache folders."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "llm-servers.json"

    def _load(self) -> dict[str, Any]:
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return known if isinstance(known, dict) else {}

    def form_for(self, server: str) -> Backend | None:
        """The form that last worked (or is left after the rejected ones) for this server."""
        found = self._load().get(server)
        return found if found in FORMS else None

    def remember(self, server: str, backend: Backend) -> None:
        """Remember the form to start with next time (written atomically)."""
        known = self._load()
        if known.get(server) == backend:
            return
        known[server] = backend
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(known, indent=2, sort_keys=True), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            pass  # an unwritable state folder costs one probe next time, nothing else


def _response_format(backend: Backend, name: str, schema: dict[str, Any]) -> dict[str, Any]:
    if backend == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": True},
        }
    if backend == "llama":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"}


def _with_schema_instruction(
    messages: list[Message], schema: dict[str, Any], backend: Backend
) -> list[dict[str, str]]:
    """The wire messages; plain JSON mode, which has no server-side schema, carries it here.

    Not in the llama form: the grammar already enforces the schema, and a long schema in the
    prompt made llama-cpp-python's server drop the grammar (seen with 0.3.36).
    """
    wire = [m.model_dump() for m in messages]
    if backend == "json_object":
        wire[0]["content"] += (
            "\n\nAnswer with one JSON object that matches this JSON Schema, and nothing else:\n"
            + json.dumps(schema, separators=(",", ":"))
        )
    return wire


def _unsupported_form(error: Exception) -> bool:
    """True when the server rejected the response_format itself (not a transient failure)."""
    status = getattr(error, "status_code", None)
    text = str(error).lower()
    return status in (400, 422, 500) and any(hint in text for hint in _UNSUPPORTED_HINTS)


class StructuredLlm:
    """Ask for an answer of a pydantic model, and get one that validated, or a clear error."""

    def __init__(
        self,
        settings: LlmSettings,
        http_client: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.cache = ResponseCache(settings.cache_dir)
        self.probes = ProbeMemory(settings.state_dir or settings.cache_dir)
        self._http_client = http_client
        self._sleep = sleep
        self._client: Any = None

    def check_configured(self) -> None:
        """Raise the "how to configure" error when no server, key or offline mode is set."""
        if not self.settings.configured:
            raise LlmNotConfiguredError(
                "no LLM is configured: set OPENAI_BASE_URL (any OpenAI-compatible server: "
                "vLLM, Ollama, llama.cpp) and/or OPENAI_API_KEY, and SCAFFOLD_LLM_MODEL; "
                "or leave out --describe, which is the only part that needs one"
            )

    def _openai(self) -> Any:
        if self._client is None:
            self.check_configured()
            from openai import OpenAI  # lazy: the rest of scaffold never needs it

            key = self.settings.api_key.get_secret_value() if self.settings.api_key else "none"
            self._client = OpenAI(
                api_key=key,
                base_url=self.settings.base_url,
                timeout=self.settings.timeout_seconds,
                max_retries=0,  # our own retries, inside the one budget
                http_client=self._http_client,
            )
        return self._client

    def _server(self) -> str:
        return f"{self.settings.base_url or 'https://api.openai.com/v1'} {self.settings.model}"

    def ask(
        self,
        prompt: RenderedPrompt,
        output: type[T],
        check: Callable[[T], list[str]] | None = None,
    ) -> tuple[T, CallRecord]:
        """A validated answer to `prompt`, with what it cost; `check` adds the caller's rules."""
        schema = wire_schema(output)
        key = cache_key(self.settings, prompt, schema)
        record = CallRecord(
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            prompt_hash=prompt.content_hash,
            model=self.settings.model,
            backend=self.settings.backend,
            cache_key=key,
        )
        cached = self.cache.get(key)
        if cached is not None:
            answer, problems = self._validate(cached, output, check)
            if answer is not None and not problems:
                record.from_cache = True
                return answer, record
        if self.settings.offline:
            raise LlmCacheMissError(
                f"offline (SCAFFOLD_LLM_OFFLINE) and no cached answer for prompt {prompt.id} "
                f"v{prompt.version} with model {self.settings.model} (cache key {key[:12]}): "
                "run once with the model reachable to record it"
            )
        try:
            return self._ask_server(prompt, output, check, schema, key, record)
        except LlmError as error:
            error.record = record  # what the failed attempts cost, for evals and reports
            raise

    def _validate(
        self, content: str, output: type[T], check: Callable[[T], list[str]] | None
    ) -> tuple[T | None, list[str]]:
        try:
            data = _clean_strings(json.loads(content, strict=False))  # raw control characters
        except ValueError as error:
            return None, [f"the answer is not valid JSON ({error})"]
        try:
            answer = output.model_validate(data)
        except ValidationError as error:
            return None, [
                f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}"
                for e in error.errors()
            ]
        leaked = [
            f"{where}: holds something that looks like a secret ({', '.join(found)}); never "
            "include keys, tokens, passwords or private keys in an answer"
            for where, found in in_values(answer.model_dump(mode="json"))
        ]  # never cached, never written: re-asked, then a clear error
        return answer, leaked + (check(answer) if check else [])

    def _ask_server(
        self,
        prompt: RenderedPrompt,
        output: type[T],
        check: Callable[[T], list[str]] | None,
        schema: dict[str, Any],
        key: str,
        record: CallRecord,
    ) -> tuple[T, CallRecord]:
        from openai import APIConnectionError, APIStatusError

        client = self._openai()
        if self.settings.backend == "auto":
            start = self.probes.form_for(self._server()) or "json_schema"
            forms = list(FORMS[FORMS.index(start) :])
        else:
            forms = [self.settings.backend]
        messages = list(prompt.messages)
        last_problem = ""
        invalid: list[str] = []
        for attempt in range(self.settings.max_attempts):
            backend = forms[0]
            record.backend = backend
            started = time.perf_counter()
            try:
                completion = client.chat.completions.create(
                    model=self.settings.model,
                    messages=_with_schema_instruction(messages, schema, backend),
                    response_format=_response_format(backend, output.__name__, schema),
                    temperature=0,
                    max_tokens=self.settings.max_tokens,
                )
            except APIStatusError as error:
                if _unsupported_form(error) and len(forms) > 1:
                    forms.pop(0)  # the server does not take this form: the next one
                    if self.settings.backend == "auto":
                        self.probes.remember(self._server(), forms[0])
                    continue
                if error.status_code == 429 or error.status_code >= 500:
                    last_problem = f"HTTP {error.status_code} from the server"
                    self._backoff(attempt)
                    continue
                raise LlmUnavailableError(
                    f"the LLM server refused the request: HTTP {error.status_code}: {_short(error)}"
                ) from None
            except APIConnectionError as error:  # includes timeouts
                last_problem = (
                    f"no answer within {self.settings.timeout_seconds:g} s"
                    if "timeout" in type(error).__name__.lower()
                    else f"cannot reach {self.settings.base_url or 'the OpenAI API'}"
                )
                self._backoff(attempt)
                continue
            finally:  # every call counts, whatever it returned
                record.calls += 1
                record.latency_ms += int((time.perf_counter() - started) * 1000)
            if completion.usage is not None:
                record.prompt_tokens += completion.usage.prompt_tokens or 0
                record.completion_tokens += completion.usage.completion_tokens or 0
            choice = completion.choices[0]
            refusal = getattr(choice.message, "refusal", None)
            if refusal or choice.finish_reason == "content_filter":
                raise LlmRefusalError(f"the model refused: {refusal or 'content filter'}")
            if choice.finish_reason == "length":
                raise LlmTruncatedError(
                    f"the answer was cut off at {self.settings.max_tokens} tokens "
                    "(finish_reason length): raise SCAFFOLD_LLM_MAX_TOKENS or shorten the input",
                    partial=choice.message.content or "",
                )
            content = choice.message.content or ""
            answer, invalid = self._validate(content, output, check)
            if answer is not None and not invalid:
                if self.settings.backend == "auto":
                    self.probes.remember(self._server(), backend)
                self.cache.put(key, content, record)
                return answer, record
            record.reasks += 1
            last_problem = ""  # the answer came; it did not validate
            # Only the latest answer and its problems: the prompt stays short (a long prompt made
            # llama-cpp-python's server drop the grammar), and so does the token bill.
            messages = [
                *prompt.messages,
                Message(role="assistant", content=content[:4000]),
                Message(
                    role="user",
                    content="That answer is not valid:\n- "
                    + "\n- ".join(invalid[:20])
                    + "\nAnswer again with one corrected JSON object only.",
                ),
            ]
        if invalid and not last_problem:
            raise LlmInvalidAnswerError(
                f"no valid answer after {record.calls} calls to {self.settings.model}; the last "
                "problems: " + "; ".join(invalid[:5])
            )
        raise LlmUnavailableError(
            f"no answer from {self.settings.model} after {record.calls} calls: {last_problem}"
        )

    def _backoff(self, attempt: int) -> None:
        if attempt + 1 < self.settings.max_attempts:
            self._sleep(min(self.settings.backoff_seconds * 2**attempt, 30.0))


def _short(error: Exception) -> str:
    text = str(error)
    return text if len(text) < 300 else text[:300] + " ..."
