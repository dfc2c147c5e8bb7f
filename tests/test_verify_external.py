"""`scaffold verify` on repositories from other templates (issue 17, item 8).

The report is never lost: a check that cannot run fails (or is skipped) with the reason and
the other checks still report. Lint rules are the repository's own: scaffold's style rules
apply to the repositories scaffold generates, not to another template's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_external import write

from generator.verify import verify

LONG = "x" * 170


def external_repo(root: Path, **extra: str) -> Path:
    """What a Cookiecutter template might render: its own style, no lint configuration."""
    return write(
        root,
        {
            "README.md": '<p align="center"><img src="logo.png"></p>\n\nA project.\n',
            "docs/usage.md": "Usage\n=====\n\nSee [the readme](../README.md).\n",
            "config.yml": f"name: demo\ndescription: {LONG}\n",
            "src/demo/__init__.py": "VALUE = {'a':1,\n  'b':2}\n",
            **extra,
        },
    )


def statuses(repo: Path, checks: str) -> dict[str, tuple[str, str]]:
    report = verify([repo], only=[checks])
    return {r.check: (r.status, r.reason) for r in report.results}


def test_another_templates_style_is_not_judged_by_scaffolds_rules(tmp_path: Path) -> None:
    repo = external_repo(tmp_path / "ext")

    found = statuses(repo, "yamllint,ruff,markdown")

    assert {check: status for check, (status, _) in found.items()} == {
        "yamllint": "passed",
        "ruff": "passed",
        "markdown": "passed",
    }, found
    for check, (_, reason) in found.items():
        assert "style not checked" in reason and "configuration" in reason, (check, reason)


def test_what_is_wrong_whatever_the_style_still_fails(tmp_path: Path) -> None:
    repo = external_repo(
        tmp_path / "ext",
        **{
            "config.yml": "name: a\nname: b\n",
            "src/demo/broken.py": "def f(:\n",
            "docs/usage.md": "See [nothing](missing.md).\n",
        },
    )

    found = statuses(repo, "yamllint,ruff,markdown")

    assert {check: status for check, (status, _) in found.items()} == {
        "yamllint": "failed",
        "ruff": "failed",
        "markdown": "failed",
    }, found
    assert "duplication of key" in found["yamllint"][1]
    assert "missing.md" in found["markdown"][1]


def test_the_repositorys_own_configuration_is_used(tmp_path: Path) -> None:
    repo = external_repo(
        tmp_path / "ext",
        **{
            ".yamllint.yml": "extends: default\nrules:\n  line-length: {max: 80}\n"
            "  document-start: disable\n",
            "pyproject.toml": '[project]\nname = "demo"\nversion = "0"\n\n'
            '[tool.ruff]\nline-length = 40\n\n[tool.ruff.lint]\nselect = ["E501"]\n',
            "src/demo/__init__.py": "VALUE = 'a string that is longer than forty characters'\n",
            ".pymarkdown.json": json.dumps(
                {"plugins": {"md041": {"enabled": False}, "md033": {"enabled": False}}}
            ),
        },
    )

    found = statuses(repo, "yamllint,ruff,markdown")

    assert found["yamllint"][0] == "failed" and "line too long (183 > 80" in found["yamllint"][1]
    assert found["ruff"][0] == "failed" and "E501" in found["ruff"][1]
    assert "does not format with ruff" not in found["ruff"][1]
    assert found["markdown"] == ("passed", ""), found["markdown"]  # its rules, not scaffold's


def test_markdownlint_configuration_is_named_in_the_reason(tmp_path: Path) -> None:
    repo = external_repo(tmp_path / "ext", **{".markdownlint.yaml": "MD013: false\n"})
    status, reason = statuses(repo, "markdown")["markdown"]
    assert status == "passed" and ".markdownlint.yaml" in reason


def test_a_test_environment_that_cannot_be_built_fails_the_check_and_keeps_the_report(
    cli, tmp_path: Path
) -> None:
    repo = external_repo(
        tmp_path / "ext",
        **{
            "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n'
            'build-backend = "hatchling.build"\n\n[project]\nname = "demo"\nversion = "0.1.0"\n'
            'requires-python = ">=3.99"\n',
            "tests/test_demo.py": "def test_demo() -> None:\n    assert True\n",
        },
    )

    result = cli("verify", str(repo), "--only", "tests,yamllint,secrets", "--json")

    assert result.exit_code == 1, result.output  # a failed check, not an internal error (70)
    report = json.loads(result.stdout)
    found = {r["check"]: r for r in report["results"]}
    assert set(found) == {"tests", "yamllint", "secrets"}
    assert found["tests"]["status"] == "failed"
    assert "test environment could not be built" in found["tests"]["reason"]
    assert "3.99" in found["tests"]["reason"]
    assert found["secrets"]["status"] == "passed"


def test_a_suite_without_tests_is_skipped(tmp_path: Path) -> None:
    repo = write(
        tmp_path / "notests",
        {
            "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n'
            'build-backend = "hatchling.build"\n\n[project]\nname = "notests"\n'
            'version = "0.1.0"\n\n[tool.hatch.build.targets.wheel]\npackages = ["notests"]\n',
            "notests/__init__.py": "",
        },
    )
    status, reason = statuses(repo, "tests")["tests"]
    assert (status, reason) == ("skipped", "pytest collected no tests")


def test_a_check_that_crashes_is_reported_failed_with_the_rest_of_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.verify.checks as checks

    class Exploding:
        name = "exploding"
        description = "raises"

        def run(self, repos: list[Path]) -> list:
            raise RuntimeError("tool crashed")

    monkeypatch.setattr(checks, "BUILTIN_CHECKS", (*checks.BUILTIN_CHECKS, Exploding()))
    repo = external_repo(tmp_path / "ext")

    report = verify([repo], only=["exploding,secrets"])

    found = {r.check: r for r in report.results}
    assert found["secrets"].status == "passed"
    assert found["exploding"].status == "failed"
    assert found["exploding"].reason == "the check could not run: RuntimeError: tool crashed"
