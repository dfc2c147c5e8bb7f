"""End to end with a real local model: llama-cpp-python's server and SmolLM2-135M-Instruct.

The whole path runs for real: the official openai client over HTTP, the json_schema request the
server rejects, the llama.cpp schema form it enforces, validation and re-asks, the spec model,
the rendered repository and that repository's own tests. Small local models are not
deterministic even at temperature 0, so the assertions are on structure, never on wording.
Skipped, with the reason in the summary, where llama-cpp-python or the model is not installed
(`make install-llm`; CI installs both).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import generate
from generator.llm import local
from generator.llm.client import LlmSettings, StructuredLlm
from generator.llm.spec import propose_spec
from generator.testenv import run_repo_tests

pytestmark = pytest.mark.llm


@pytest.fixture(scope="module")
def llama_url() -> Iterator[str]:
    reason = local.missing()
    if reason:
        pytest.skip(reason)
    model = local.find_model()
    assert model is not None
    with local.llama_server(model) as url:
        yield url


def settings(url: str, cache: Path) -> LlmSettings:
    return LlmSettings(
        base_url=url, model="smollm2", cache_dir=cache, timeout_seconds=300, max_attempts=6,
        backoff_seconds=0.5,
    )  # fmt: skip


def test_a_real_model_gives_a_valid_spec_and_a_repository_that_passes_its_tests(
    llama_url: str, tmp_path: Path
) -> None:
    client = StructuredLlm(settings(llama_url, tmp_path / "cache"))
    spec, proposed = propose_spec(
        "An internet-facing HTTP API where customers place and track orders.",
        service_type="web-service",
        name="orders-api",
        llm=client,
    )
    assert spec.service_type == "web-service" and spec.name == "orders-api"
    record = proposed.llm
    # llama-cpp-python rejects json_schema; the client moved to the form it enforces.
    assert record.backend in {"llama", "json_object"}
    assert record.calls >= 1 and record.completion_tokens > 0
    repo = Path(generate(spec, tmp_path / "orders-api").destination)
    run = run_repo_tests(repo)
    assert run.ok and run.failed == 0, run.output
    # The same request again: from the cache, no call.
    _, again = propose_spec(
        "An internet-facing HTTP API where customers place and track orders.",
        service_type="web-service",
        name="orders-api",
        llm=StructuredLlm(settings(llama_url, tmp_path / "cache")),
    )
    assert again.llm.from_cache and again.llm.calls == 0


def test_a_real_model_infers_the_type_or_fails_clearly(llama_url: str, tmp_path: Path) -> None:
    from generator.errors import LlmError

    client = StructuredLlm(settings(llama_url, tmp_path / "cache"))
    try:
        spec, proposed = propose_spec(
            "Every night at 2am, build the sales report from the day's orders.", llm=client
        )
    except LlmError as error:  # a 135M model may not manage; it must then say so clearly
        assert error.exit_code == 4 and error.message
        return
    assert spec.service_type in {"web-service", "batch-service", "event-service"}
    assert proposed.llm.calls <= 6
