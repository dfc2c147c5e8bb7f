"""Benchmark: `scaffold new --describe` with a real local model (llama-cpp-python + SmolLM2).

Prints, per description: LLM calls and tokens of the spec extraction (1 call when the first
answer is valid), the wall time of the whole `scaffold new`, and the same on a re-run, which
the response cache answers with 0 calls. Skips, saying why, without llama-cpp-python or the
model (`make install-llm`).

    python benchmarks/bench_llm.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.llm import local

CASES = [
    ("web-service", "An internet-facing HTTP API where customers place and track orders."),
    ("batch-service", "Every night at 2am, build the sales report from the day's orders."),
    ("event-service", "Consume payment events from a queue and update the ledger."),
]


def new(url: str, work: Path, service_type: str, text: str) -> tuple[float, dict, int]:
    env = {**os.environ, "OPENAI_BASE_URL": url, "SCAFFOLD_LLM_MODEL": "smollm2",
           "SCAFFOLD_CACHE_DIR": str(work / "cache"), "SCAFFOLD_LLM_TIMEOUT": "300",
           "SCAFFOLD_LLM_MAX_ATTEMPTS": "6"}  # fmt: skip
    out = work / service_type
    start = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "scaffold"), "new", service_type, "--describe", text,
         "--defaults", "--force", "-o", str(out), "--json"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return seconds, {"error": done.stderr.strip()[-300:]}, done.returncode
    entry = json.loads((out / ".scaffold" / "provenance.json").read_text())["llm"][0]
    return seconds, entry, 0


def main() -> None:
    reason = local.missing()
    if reason:
        print(f"skipped: {reason}")
        return
    model = local.find_model()
    assert model is not None
    with tempfile.TemporaryDirectory() as tmp, local.llama_server(model) as url:
        work = Path(tmp)
        print(f"model {model.name}, server {url}")
        print(f"{'case':<15} {'calls':>5} {'tokens':>6} {'seconds':>8} | re-run: calls seconds")
        for service_type, text in CASES:
            first_s, first, code = new(url, work, service_type, text)
            if code:
                print(f"{service_type:<15} failed (exit {code}): {first['error']}")
                continue
            again_s, again, _ = new(url, work, service_type, text)
            print(
                f"{service_type:<15} {first['calls']:>5} {first['tokens']:>6} {first_s:>8.1f} |"
                f" {again['calls']:>6} {again_s:>7.1f}"
            )


if __name__ == "__main__":
    main()
