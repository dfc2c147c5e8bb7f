"""What a generated README says about running and linting is what the code and Makefile do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import generate, make_spec
from generator.spec.registry import all_types


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("web") / "orders-api"
    spec = make_spec("web", "orders-api", data=["github_org=acme", "port=8081"])
    return Path(generate(spec, out).destination)


def test_the_web_service_listens_on_loopback_unless_in_its_container(web: Path) -> None:
    settings = (web / "src/orders_api/settings.py").read_text()
    default = re.search(r'^\s+host: str = Field\(default="([^"]+)"', settings, re.M)
    assert default and default[1] == "127.0.0.1"
    main = (web / "src/orders_api/main.py").read_text()
    assert "host=settings.host," in main and "0.0.0.0" not in main
    dockerfile = (web / "Dockerfile").read_text()
    assert dockerfile.index("ENV APP_HOST=0.0.0.0") < dockerfile.index("CMD [")
    readme = (web / "README.md").read_text()
    assert (
        "| `APP_HOST` | `127.0.0.1` | Interface to listen on; the container image sets `0.0.0.0` |"
        in readme
    )
    assert "make run    # serves on http://127.0.0.1:8081" in readme
    makefile = (web / "Makefile").read_text()
    assert "run: ## Run the service locally on 127.0.0.1:8081" in makefile


# What each command of the Makefile's lint recipe is, as the README must name it.
LINT_TOOLS = {"ruff check": "ruff lint", "ruff format": "format check",
              "pymarkdown": "Markdown lint", "<<<<<<<": "conflict markers"}  # fmt: skip


@pytest.mark.parametrize("kind", all_types(), ids=lambda t: t.name)
def test_the_readme_says_everything_make_lint_runs(tmp_path: Path, kind) -> None:
    out = Path(
        generate(make_spec(kind.name, "lint-check"), tmp_path / "o", dry_run=False).destination
    )
    recipe = re.search(r"^lint:.*\n((?:\t.*\n|    .*\n)+)", (out / "Makefile").read_text(), re.M)
    assert recipe, "no lint target"
    readme = (out / "README.md").read_text().splitlines()
    line = next(text for text in readme if text.startswith("make lint"))
    for command, words in LINT_TOOLS.items():
        if command in recipe[1]:
            assert words in line, f"make lint runs {command!r}; the README says: {line}"
