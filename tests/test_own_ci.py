"""scaffold's own CI: the samples workflow is valid, its matrix is the samples, all verify."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import list_samples
from generator.verify import verify

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_own_workflows_match_githubs_schema() -> None:
    schema = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run(
        [str(schema), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    samples = yaml.safe_load((REPO / ".github" / "workflows" / "samples.yml").read_text())
    steps = " ".join(step.get("run", "") for step in samples["jobs"]["sample"]["steps"])
    assert "samples regenerate --check --sample" in steps and "scaffold verify" in steps


def test_matrix_lists_every_sample(cli) -> None:
    result = cli("samples", "matrix", "--json")
    include = json.loads(result.stdout)["include"]
    assert [row["sample"] for row in include] == [s.sample for s in list_samples()]
    assert all((REPO / row["path"]).is_dir() for row in include)


@pytest.mark.slow
def test_every_sample_verifies() -> None:
    paths = [Path(s.path) for s in list_samples()]
    report = verify(paths)
    failed = [
        f"{Path(r.repo).name} {r.check}: {r.reason[:300]}"
        for r in report.results
        if r.status == "failed"
    ]
    assert report.ok, failed
