"""`scaffold prompts eval` against a real local model: llama-cpp-python's server, started here.

Refresh the committed SmolLM2 baseline after a prompt, finder or eval-case change (review the
diff like any other):

    python benchmarks/eval_local.py --json > prompts/evals/baseline-smollm2.json
    python benchmarks/eval_local.py --baseline prompts/evals/baseline-smollm2.json
    python benchmarks/eval_local.py --model /path/to/other.gguf       # another GGUF model

Every argument but --model goes to `scaffold prompts eval`; the exit code is its exit code.
Needs `make install-llm` (skips, saying why, without it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.llm import local


def main() -> int:
    args = sys.argv[1:]
    model = local.find_model()
    if "--model" in args:
        at = args.index("--model")
        model = Path(args[at + 1])
        del args[at : at + 2]
    reason = local.missing() if model is None or not model.is_file() else None
    if model is None or reason:
        print(f"skipped: {reason or 'no model'}", file=sys.stderr)
        return 0
    scaffold = str(Path(sys.executable).parent / "scaffold")
    with tempfile.TemporaryDirectory() as tmp, local.llama_server(model) as url:
        env = {
            **os.environ,
            "OPENAI_BASE_URL": url,
            "SCAFFOLD_LLM_MODEL": model.stem.lower(),
            "SCAFFOLD_LLM_TIMEOUT": "300",
            "SCAFFOLD_LLM_MAX_ATTEMPTS": "6",
            "SCAFFOLD_CACHE_DIR": str(Path(tmp) / "cache"),  # every answer asked afresh
        }
        env.pop("OPENAI_API_KEY", None)
        env.pop("SCAFFOLD_LLM_OFFLINE", None)
        return subprocess.run([scaffold, "prompts", "eval", *args], env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
