"""One error tree for everything a user can cause.

Every error carries the message a user sees and the exit code the CLI returns. The CLI maps
`ScaffoldError` to stderr text and that code in one place; anything else is a bug.

Exit codes (documented in the README):

| code | meaning |
| ---- | ------- |
| 0    | success |
| 1    | a check failed: `verify` (or `new --verify`), `samples regenerate --check`, `check`, |
|      | `prompts eval` (CheckFailedError)                                                    |
| 2    | bad input: unknown type, invalid answers, bad data file, refused destination, or an |
|      | optional extra the command needs is not installed (the message names the install)  |
|      | (BadInputError and its subclasses)                                                  |
| 3    | `scaffold update` left conflicts to resolve (markers in the files it lists)         |
|      | (ConflictsError)                                                                    |
| 4    | the LLM could not give a usable answer (unreachable, refused, truncated, invalid)   |
|      | (LlmError)                                                                          |
| 5    | the template repository could not be reached or read (`update`, `check`)           |
|      | (TemplateRepositoryError)                                                           |
| 6    | a tool scaffold runs failed (git merge-file, checkov, uv, the moto server)          |
|      | (ToolFailedError), or scaffold's installation lacks its templates or prompts        |
|      | (IncompleteInstallError)                                                            |
| 70   | internal error (a bug in scaffold; set SCAFFOLD_DEBUG=1 for the traceback): a       |
|      | template or prompt of the library that is broken (TemplateError, PromptError), or   |
|      | any exception that is not a ScaffoldError                                           |
| 129+ | interrupted: 128 + the signal (SIGHUP 129, Ctrl-C 130, SIGTERM 143); nothing half-written |
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_CONFLICTS = 3
EXIT_LLM = 4
EXIT_TEMPLATE_REPOSITORY = 5
EXIT_ENVIRONMENT = 6
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class ScaffoldError(Exception):
    """Root of every error scaffold raises on purpose."""

    exit_code: int = EXIT_INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInputError(ScaffoldError):
    """Something the user gave us is wrong; nothing was written."""

    exit_code = EXIT_BAD_INPUT


class UnknownServiceTypeError(BadInputError):
    """The service type is not one scaffold knows."""


@dataclass(frozen=True)
class FieldProblem:
    """One invalid or missing answer: which field, what is wrong, what is allowed."""

    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}"


class InvalidAnswersError(BadInputError):
    """One or more answers are missing or invalid; all of them are reported at once."""

    def __init__(self, service_type: str, problems: list[FieldProblem], footer: str = "") -> None:
        self.service_type = service_type
        self.problems = problems
        count = len(problems)
        noun = "answer is" if count == 1 else "answers are"
        lines = [f"{count} {noun} invalid for {service_type}:"]
        lines += [f"  - {p}" for p in problems]
        if footer:  # said once for all problems (e.g. the answers there are)
            lines.append(footer)
        super().__init__("\n".join(lines))


class DataFileError(BadInputError):
    """A --data-file is missing, unreadable or not a mapping."""


class UntrustedTemplateError(BadInputError):
    """An external template would run code (hooks, tasks) and --trust was not given."""


class ExternalTemplateError(BadInputError):
    """An external template (--template) is broken: it failed to render or a hook failed."""


class TemplateSourceError(BadInputError):
    """An external template's source cannot be used: not a folder or git URL, or not fetched."""


class DestinationError(BadInputError):
    """The destination cannot be written as asked (non-empty without --force, a file, ...)."""


class MissingExtraError(BadInputError):
    """The command needs an optional extra that is not installed; the message names the install."""


class PluginError(BadInputError):
    """An installed service type plugin is broken: it fails to load or clashes with another."""


class CheckFailedError(ScaffoldError):
    """A check ran and found a problem (drift, failed verification).

    The only way a command fails a check: the CLI prints `error: <message>` on stderr and exits
    1; with `--json`, the report the command already printed stays the one JSON answer.
    """

    exit_code = EXIT_CHECK_FAILED


class ConflictsError(ScaffoldError):
    """`scaffold update` wrote the update but left conflicts to resolve (listed by file)."""

    exit_code = EXIT_CONFLICTS


class NotAScaffoldRepositoryError(BadInputError):
    """The path is not a repository generated by scaffold (no answers file, no git)."""


class DirtyRepositoryError(BadInputError):
    """`scaffold update` refuses to run over uncommitted changes."""


class DowngradeError(BadInputError):
    """`scaffold update --to` names a version older than the one the repository is on."""


class TemplateRepositoryError(ScaffoldError):
    """The template repository could not be reached, listed or fetched."""

    exit_code = EXIT_TEMPLATE_REPOSITORY


class ToolFailedError(ScaffoldError):
    """A tool scaffold runs failed to run (git merge-file, checkov, uv, the moto server); the
    message names the tool and what it said."""

    exit_code = EXIT_ENVIRONMENT


class IncompleteInstallError(ScaffoldError):
    """scaffold is installed without the templates or prompts it ships with; reinstall it."""

    exit_code = EXIT_ENVIRONMENT


class TemplateError(ScaffoldError):
    """A template could not be rendered: a bug in the template, reported with its file."""

    exit_code = EXIT_INTERNAL


class PromptError(ScaffoldError):
    """A prompt file of the library is broken: named with the file and what is wrong."""

    exit_code = EXIT_INTERNAL


class LlmError(ScaffoldError):
    """The LLM gave no usable answer; nothing was written."""

    exit_code = EXIT_LLM
    #: What the failed attempts cost (a generator.llm.client.CallRecord), when any were made.
    record: object = None


class LlmNotConfiguredError(LlmError):
    """No model is configured: the LLM features need OPENAI_BASE_URL or OPENAI_API_KEY."""


class LlmUnavailableError(LlmError):
    """The server could not be reached, timed out, or kept failing within the budget."""


class LlmRefusalError(LlmError):
    """The model refused the request."""


class LlmTruncatedError(LlmError):
    """The answer was cut off (finish_reason "length"); `partial` is what came before the cut."""

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial


class LlmInvalidAnswerError(LlmError):
    """The answers never validated within the budget of re-asks."""


class LlmCacheMissError(LlmError):
    """Offline mode, and the response cache has no answer for this request."""
